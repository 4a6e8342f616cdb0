// rules.h (catalog): pure rules of the 1+X extension-course catalog and its sections.
// No I/O. Every policy number is a named constant with a test at its limit.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/body.h"
#include "core/result.h"

namespace kehou::catalog {

// A section holds at most this many children (R-CRS): 45 passes, 46 is refused everywhere
// (creation, selection, manual placement, import).
inline constexpr int kMaxSectionSize = 45;
// The catalog page shows the count of extension courses against this target: policy 003
// "特色拓展课程(如艺术、体育、科技类)增至30门以上". Counted: approved, non-subject courses.
inline constexpr int kExtensionCourseTarget = 30;
inline constexpr int kCatalogTarget = kExtensionCourseTarget;  // older name, same number
inline constexpr int kMaxSessionsPerWeek = 10;
inline constexpr size_t kMaxNameLength = 60;  // code points

// Categories: science, sports, arts, labour, reading, film, interest group, club.
const std::vector<std::string>& Categories();
std::string_view CategoryLabelZh(std::string_view category);
bool IsCategory(std::string_view s);
// Venue kinds (the rooms' kinds).
bool IsVenueKind(std::string_view s);
// Service bands a course may meet in.
bool IsBand(std::string_view s);
std::string_view BandLabelZh(std::string_view band);

// A meeting slot: ISO weekday 1..5 and a service band.
struct Slot {
  int weekday = 1;
  std::string band;
  bool operator==(const Slot&) const = default;
};
// "2:after_school,4:after_school" <-> slots. Errors name the field "slots".
Result<std::vector<Slot>> ParseSlots(std::string_view text);
std::string FormatSlots(const std::vector<Slot>& slots);
std::string DescribeSlotZh(const Slot& s);  // 周二 课后
// True if some slot of a is a slot of b.
bool SlotsClash(const std::vector<Slot>& a, const std::vector<Slot>& b);
std::optional<Slot> FirstClash(const std::vector<Slot>& a, const std::vector<Slot>& b);

// "3,4,5" <-> grade numbers 1..9 (sorted, unique).
Result<std::vector<int>> ParseGrades(std::string_view text, std::string_view field = "grades");
std::string FormatGrades(const std::vector<int>& grades);
bool GradeIn(int grade, const std::vector<int>& grades);

// Body fields (core/body.h; an error is the reader's, naming the field; absent: empty):
// grades as a list of numbers [3, 4] or a text "3,4" (ParseGrades), slots as a text
// "2:after_school,4:noon" or a list of such texts or {weekday, band} objects (ParseSlots).
std::vector<int> ReadGrades(BodyReader& in, std::string_view key = "grades");
std::vector<Slot> ReadSlots(BodyReader& in, std::string_view key = "slots");

struct CourseInput {
  std::string name;
  std::string category;
  std::string description;
  std::vector<int> grades;
  int64_t capacity = 0;
  std::string venue_kind = "classroom";
  std::optional<int64_t> teacher_staff_id;
  std::string institution;
  int64_t sessions_per_week = 1;
  std::vector<Slot> slots;
  int64_t fee_fen = 0;
  bool subject_qa = false;
  // Subject-type courses are Q&A only: they may not be published as new-lesson courses.
  bool new_lessons = false;
  // The school subject a subject course tutors (语文, 数学, ...; at most kMaxSubjectLength code
  // points); "" for an extension course. Stored (courses.subject, sql/0220).
  std::string subject;
};
inline constexpr size_t kMaxSubjectLength = 20;  // code points
// Checks a course; the error names the broken rule and the field. An institution's course
// (institution named) is non-subject only: subject_qa with an institution is rule_broken.
// Subject courses (R-CRS 3; 001 四(二)2, 004 "学科类辅导仅限答疑，不得讲授新课"): a course naming a
// subject must be marked subject_qa (rule_broken, field subject_qa); a subject_qa course names its
// subject (invalid, field subject); and it is part of the basic service (the "1" of 1+X), never a
// fee-charging extension course: fee_fen > 0 is rule_broken (field fee_fen).
Status ValidateCourse(const CourseInput& c);

// Scheduling rules of a course's slots (issue 12): nothing on a weekday the term excludes
// (terms.excluded_weekdays), and evening bands (晚自习) only for junior-middle grades
// (kFirstJuniorMiddleGrade and up: grade 7 passes, grade 6 is refused). Field "slots".
inline constexpr int kFirstJuniorMiddleGrade = 7;
Status CheckExcludedWeekdays(const std::vector<Slot>& slots, const std::vector<int>& excluded);
Status CheckEveningGrades(const std::vector<Slot>& slots, const std::vector<int>& grades);

// A section's capacity: 1..kMaxSectionSize.
Status CheckSectionCapacity(int64_t capacity, std::string_view field = "capacity");
// A section may not shrink below the seats already taken.
Status CheckCapacityCovers(int64_t capacity, int64_t taken);
// Adding n children to a section with `taken` of `capacity` (manual placement, import).
Status CheckRoom(int64_t taken, int64_t capacity, int64_t n = 1);

// ---- course approval -------------------------------------------------------------------------
// Only approved courses open: sections are created, and rounds include sections, of approved
// courses only. Error rule_broken (422), field course_id.
Status CheckCourseOpen(std::string_view course_status);
// PUT /courses may move a course only between approved and closed; the other statuses belong to
// the proposal flow (draft/submitted/reviewed/rejected). `to` == `from` always passes.
Status CheckCourseStatusEdit(std::string_view from, std::string_view to);

// ---- course proposals (课程申报) ------------------------------------------------------------------
// States: draft -> submitted -> reviewed (course group approved) | returned (with reason, back to
// the proposer, who may submit again) -> approved | rejected (leadership, final).
bool IsProposalState(std::string_view s);
std::string_view ProposalStateLabelZh(std::string_view s);
enum class ProposalAction { kSubmit, kReviewApprove, kReviewReturn, kDecideApprove, kDecideReject };
// The state after `action` from `from`; conflict (409) when the action does not apply now.
Result<std::string> NextProposalState(std::string_view from, ProposalAction action);
// The course's status while its proposal is in `state` (returned -> draft).
std::string_view CourseStatusForProposal(std::string_view state);
// Returning or rejecting needs a reason (1..kMaxReasonLength code points); approving may have one.
inline constexpr size_t kMaxReasonLength = 500;
Status CheckDecisionReason(ProposalAction action, std::string_view reason);

// Lesson plans (教案): PDF, DOCX, PNG or JPEG, at most kMaxLessonPlanBytes (10 MiB: passes at the
// limit, one byte more is refused). The type comes from the content (magic bytes), and the file
// name's extension must agree with it.
inline constexpr size_t kMaxLessonPlanBytes = size_t{10} << 20;
inline constexpr size_t kMaxFileNameLength = 100;  // code points
inline constexpr const char* kPdfType = "application/pdf";
inline constexpr const char* kDocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
inline constexpr const char* kPngType = "image/png";
inline constexpr const char* kJpegType = "image/jpeg";
// The content type recognised from the bytes, or "" if none of the four. DOCX: a ZIP whose
// central directory lists an entry under word/.
std::string_view DetectLessonPlanType(std::string_view bytes);
// The base name without directories, control characters or quotes; "" if nothing is left.
std::string SanitizeFileName(std::string_view name);
struct LessonPlanCheck {
  std::string filename;      // sanitized
  std::string content_type;  // detected
};
// Size (too_large 413 above the limit, invalid if empty), type (rule_broken 422 for other
// types, or an extension that disagrees), name. Errors name the field "plan".
Result<LessonPlanCheck> CheckLessonPlan(std::string_view filename, std::string_view bytes);

}  // namespace kehou::catalog
