// rules.h (staff): pure rules of staff records (R-STF-2, R-STF-5) and external institutions
// (R-STF-3): the gate that decides whether a person may be assigned to teach, the weekly day
// limit, training coverage, and the checks of the records' fields. No I/O; every policy number is
// a named constant with a test at its limit. Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::staff {

// Policy 004 (管理机构设置及工作职责, 二级机构职责): "确保每人每周参与课后服务不超过2天".
// 2 days pass, a third is refused.
inline constexpr int kMaxTeachingDaysPerWeek = 2;
// R-STF-2 (001 六(四)2): every person who serves takes part in 2 training sessions each term;
// coverage target 100 %.
inline constexpr int kTrainingSessionsPerTerm = 2;
inline constexpr int kTrainingCoverageTargetPercent = 100;
// Bounds of a record's fields.
inline constexpr int64_t kMaxTrainingHours = 24;        // one session, in hours
inline constexpr int64_t kMaxWillingHoursPerWeek = 40;  // 参与意愿: most hours a week
inline constexpr int64_t kMaxHourlyRateFen = 100'000;   // 1,000 元 an hour
inline constexpr size_t kMaxTextLength = 200;           // code points

// Kinds of people who serve (the staff table's kinds).
bool IsStaffKind(std::string_view kind);
std::string_view StaffKindLabelZh(std::string_view kind);
// Willingness bands: the service-band kinds.
bool IsBandKind(std::string_view band);

struct BackgroundCheck {  // 违法犯罪信息查询
  Date checked_on;
  bool passed = false;
  std::string certificate_no;
  Date valid_until;
};
struct Contract {  // 聘用协议
  Date start, end;
  int64_t hourly_rate_fen = 0;
};
// What the gate needs of one person.
struct StaffRecord {
  int64_t staff_id = 0;
  std::string name;
  bool active = true;
  std::optional<BackgroundCheck> check;
  std::optional<Contract> contract;
  // Serves for an external institution: its name, and whether the school's contract with it has
  // ended by exit (or the county removed it from the list).
  std::string institution;
  bool institution_exited = false;        // the school's contract ended by exit
  bool institution_uncontracted = false;  // no contract of the school with it (or never signed)
};
struct TermSpan {
  Date start, end;
};

// The gate (R-STF-2: "Nobody teaches before the background check is recorded as passed"):
// a person may be assigned on `on` to serve in `term` when active, not with an exited
// institution, with a passed background check valid on `on`, and a contract that covers the
// rest of the term (from max(on, term start) to the term's end). The refusal (rule_broken, 422,
// field "teacher_staff_id") names the missing record in Chinese.
Status CanServe(const StaffRecord& r, const TermSpan& term, Date on);

// The weekly day limit: a teacher who already serves on `days` (ISO weekdays) may take sessions
// on `adding` only if the union has at most `max_days` days. The refusal names the teacher, the
// days and the rule.
Status CheckTeachingDays(std::string_view teacher, const std::set<int>& days, const std::vector<int>& adding,
                         int max_days = kMaxTeachingDaysPerWeek);

// Training coverage of one person in a term: sessions held within the term.
bool TrainingComplete(int sessions_in_term);

// Field checks (errors name the field).
Status CheckCheck(const BackgroundCheck& c);  // valid_until not before checked_on
Status CheckContract(const Contract& c);      // end not before start, rate 0..kMaxHourlyRateFen
Status CheckWillingness(const std::vector<int>& weekdays, const std::vector<std::string>& bands, int64_t max_hours);
Status CheckTraining(int64_t hours, std::string_view topic);

// ---- institutions (R-STF-3) ----------------------------------------------------------------------
// Categories an institution may offer: the non-subject catalog categories only (a subject course
// from an institution is refused).
bool IsNonSubjectCategory(std::string_view category);
Status CheckInstitutionCategories(const std::vector<std::string>& categories);
// A school contracts only with a listed institution, accepting the campus rules (no promotion or
// sales, safety duties), with its own teaching assistant, for dates in order.
struct InstitutionContract {
  bool listed = false;
  Date start, end;
  bool no_promotion = false, safety_duties = false;
  std::optional<int64_t> assistant_staff_id;
};
Status CheckInstitutionContract(const InstitutionContract& c);
// An institution's exit needs a reason (1..kMaxTextLength).
Status CheckExitReason(std::string_view reason);

// "1,3" <-> {1,3} (ISO weekdays 1..5, sorted, unique); errors name `field`.
Result<std::vector<int>> ParseWeekdays(std::string_view text, std::string_view field);
std::string JoinInts(const std::vector<int>& v);
std::string WeekdayZh(int weekday);  // 周一..周日

}  // namespace kehou::staff
