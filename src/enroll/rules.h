// rules.h (enroll): the pure decisions of registration (R-REG): survey and application input,
// the review chain's status transitions and who may take each step, exit and looked-after
// dates, and what "enrolled" means. No I/O; every limit is a named constant with a test.
// Thread-safety: pure functions and constants.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/ids.h"
#include "core/result.h"
#include "core/time.h"

namespace kehou::enroll {

// ---- policy numbers ------------------------------------------------------------------------------
inline constexpr int kFirstServiceDay = 1;  // Monday (ISO weekday)
inline constexpr int kLastServiceDay = 5;   // Friday: no weekend service
inline constexpr int kFirstGrade = 1;
inline constexpr int kLastGrade = 9;
inline constexpr int kFirstJuniorGrade = 7;  // evening self-study only for junior grades 7-9
inline constexpr size_t kMaxTitleChars = 100;
inline constexpr size_t kMaxNoteChars = 2000;
inline constexpr size_t kMaxFreeTextChars = 500;  // a survey's free-text answer
inline constexpr size_t kMinReasonChars = 2;      // a return/reject/exit/looked-after reason
inline constexpr size_t kMaxReasonChars = 500;
inline constexpr size_t kMaxAgreementChars = 50000;  // agreement text, in characters
inline constexpr size_t kMaxPersonNameChars = 30;    // an authorised proxy's name
inline constexpr size_t kMaxDeviceChars = 512;       // User-Agent kept with a signature
inline constexpr size_t kMaxBatchNameChars = 30;
inline constexpr size_t kMaxReviewBatch = 500;  // applications decided in one principal batch
inline constexpr int kMaxSurveyOpenDays = 180;  // a survey is open at most this many days

// ---- vocabularies --------------------------------------------------------------------------------
// Service time bands, as in service_bands.kind.
enum class Band { kMorning, kNoon, kAfterSchool, kEvening };
std::string_view BandName(Band b);     // "morning", "noon", "after_school", "evening"
std::string_view BandLabelZh(Band b);  // 早间, 午间, 课后, 晚自习
std::optional<Band> ParseBand(std::string_view s);
const std::vector<Band>& AllBands();

// Interest categories of the extension ("X") courses.
std::string_view InterestLabelZh(std::string_view name);  // "" if unknown
const std::vector<std::string>& AllInterests();           // science sports arts labour reading film interest club
bool IsInterest(std::string_view s);

// Application status and the steps of the review chain.
enum class AppStatus { kDraft, kSubmitted, kClassApproved, kApproved, kReturned, kRejected };
std::string_view StatusName(AppStatus s);
std::string_view StatusLabelZh(AppStatus s);
std::optional<AppStatus> ParseStatus(std::string_view s);

enum class Step { kSubmit, kClassApprove, kClassReturn, kApprove, kReturn, kReject };
std::string_view StepName(Step s);  // "submit", "class_approve", "class_return", "approve", "return", "reject"

// Who is acting, as the rules see it.
enum class Actor {
  kGuardian,        // a guardian of the child
  kClassTeacher,    // the class teacher of the child's class
  kOfficeFallback,  // office/leaders doing the class review for a class without a class teacher
  kLeader,          // principal or vice principal
  kOther,
};

// The status after step, or rule_broken naming the rule.
Result<AppStatus> Transition(AppStatus from, Step step);
// Whether actor may take step (regardless of the current status).
Status MayTake(Actor actor, Step step);
// The guardian may edit (and sign) only a draft or a returned application.
bool Editable(AppStatus s);
// Returns and rejections need a reason of kMinReasonChars..kMaxReasonChars characters.
bool NeedsReason(Step s);
Status CheckReason(std::string_view reason, bool required, std::string_view field = "reason");

// ---- input checks --------------------------------------------------------------------------------
bool IsJunior(int grade);
// Service days: not empty, each Mon..Fri, no repeats, none of the term's excluded weekdays.
Status CheckDays(const std::vector<int>& days, const std::vector<int>& excluded, bool allow_empty,
                 std::string_view field = "days");
// Bands: not empty (unless allowed), no repeats, each among offered (when offered is non-empty),
// evening only for a junior grade.
Status CheckBands(const std::vector<Band>& bands, int grade, const std::vector<Band>& offered, bool allow_empty,
                  std::string_view field = "bands");
// Text of at most max characters (valid UTF-8); required means not blank.
Status CheckText(std::string_view s, size_t max, bool required, std::string_view field, std::string_view label_zh);
// A mainland mobile number, 1[3-9] + 9 digits (core/ids.h).
using kehou::ValidMobile;

enum class PickupMode { kSelf, kGuardian, kProxy };
std::string_view PickupName(PickupMode m);
std::optional<PickupMode> ParsePickup(std::string_view s);
struct Pickup {
  PickupMode mode = PickupMode::kGuardian;
  std::optional<int64_t> guardian_id;  // kGuardian: one of the child's guardians
  std::string proxy_name;              // kProxy
  std::string proxy_mobile;            // kProxy
};
// child_guardians: ids of the child's guardians.
Status CheckPickup(const Pickup& p, const std::vector<int64_t>& child_guardians);

// A survey's definition.
struct SurveyDef {
  std::string title;
  std::vector<int> grades;
  std::vector<Band> bands;
  std::vector<std::string> interests;
  Date opens_on, closes_on;
};
Status CheckSurvey(const SurveyDef& s, const Date& term_end);
bool SurveyOpen(const Date& today, const Date& opens_on, const Date& closes_on);

struct SurveyAnswer {
  bool wants_service = true;
  std::vector<int> days;
  std::vector<Band> bands;
  std::vector<std::string> interests;
  std::string free_text;
};
// A family that wants the service names at least one day and one band; one that does not
// names none.
Status CheckSurveyAnswer(const SurveyAnswer& a, const SurveyDef& s, int grade);

// Exit (准出): effective_date is the first day without service. Never before the term start;
// never after the term end; not before today unless the office does it.
Status CheckExitDate(const Date& effective, const Date& today, const Date& term_start, const Date& term_end,
                     bool by_office);
// Looked-after dates: within the term, end (if any) not before start.
Status CheckLookedAfterDates(const Date& start, const std::optional<Date>& end, const Date& term_start,
                             const Date& term_end);

// Enrolled on date: an approved application that carries a signature of its current version,
// on a day within the term and before the exit's effective date (if any). Nothing else enrols.
bool EnrolledOn(AppStatus status, bool signed_current_version, const std::optional<Date>& exit_effective,
                const Date& term_start, const Date& term_end, const Date& day);

// ---- what other modules read (through service.h's ApprovedOf and BatchesOf) ----------------------
// An approved application of a term with the facts enrolment depends on (EnrolledOn's inputs),
// the days and bands applied for and the dismissal batch chosen.
struct Enrolment {
  int64_t application_id = 0;
  int64_t student_id = 0;
  bool signed_current_version = false;
  std::optional<Date> exit_effective;
  std::vector<int> days;
  std::vector<Band> bands;
  std::optional<int64_t> dismissal_batch_id;
};
// A dismissal batch (放学批次): its name and leave time ("16:30").
struct DismissalBatch {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string name;
  std::string leave_time;
  bool active = true;
};

// Fraction of children in scope who answered, 0 when nobody is in scope; in [0, 1].
double ResponseRate(int64_t answered, int64_t children);

// Hex BLAKE2b-256 (libsodium crypto_generichash) of text: what a signature records.
std::string TextHash(std::string_view text);

// Comma lists as stored ('1,3,5').
std::string JoinInts(const std::vector<int>& v);
std::vector<int> SplitInts(std::string_view s);
std::string JoinBands(const std::vector<Band>& v);
std::vector<Band> SplitBands(std::string_view s);
std::string JoinWords(const std::vector<std::string>& v);
std::vector<std::string> SplitWords(std::string_view s);

}  // namespace kehou::enroll
