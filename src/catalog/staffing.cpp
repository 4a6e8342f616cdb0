// staffing.cpp (catalog): the rules that apply where a course or a section gets a teacher
// (issue 12). The staff records and their gate belong to src/staff, reached through its
// service.h only (catalog depends on staff; staff knows nothing of courses).
#include <set>

#include "catalog/internal.h"
#include "catalog/store.h"
#include "school/service.h"
#include "staff/service.h"

namespace kehou::catalog::internal {

std::optional<int64_t> CourseTerm(db::Conn& c, int64_t school, std::optional<int64_t> term_id) {
  if (term_id) return term_id;
  // Terms through school's door (issue 9 §3): the term the school marked current.
  auto t = school::CurrentTerm(c, school);
  return t && t->is_current ? std::optional<int64_t>(t->id) : std::nullopt;
}

Status CheckCourseSchedule(db::Conn& c, int64_t school, const CourseInput& in, std::optional<int64_t> term_id) {
  KEHOU_TRY(CheckEveningGrades(in.slots, in.grades));
  auto term = CourseTerm(c, school, term_id);
  if (!term) return Ok();
  auto t = school::TermOf(c, school, *term);
  if (!t) return Ok();
  return CheckExcludedWeekdays(in.slots, t->dates.excluded_weekdays);
}

Status CheckTeacherAssignment(db::Conn& c, int64_t school, const Assignment& a) {
  auto term = CourseTerm(c, school, a.term_id);
  KEHOU_TRY(staff::CheckAssignable(c, school, a.staff_id, term, TodayLocal()));
  if (a.subject_qa && staff::ServesForInstitution(c, school, a.staff_id))
    return Error::RuleBroken("校外机构人员只能开设非学科类课程（学科类答疑须由本校教师承担）",
                             "institution staff teach non-subject courses only", "teacher_staff_id");
  // The teacher's days: every approved course of the term they teach (as the course's teacher or
  // a section's), other than the one being changed.
  std::set<int> days;
  for (auto& r : c.Query(kTeacherCourseSlots, {school, a.staff_id, a.except_course.value_or(0), term.value_or(0)})) {
    auto slots = ParseSlots(r.Text("slots"));
    if (slots.ok())
      for (auto& s : *slots) days.insert(s.weekday);
  }
  std::vector<int> adding;
  for (auto& s : a.slots) adding.push_back(s.weekday);
  return staff::CheckTeachingDays(staff::StaffName(c, school, a.staff_id), days, adding);
}

}  // namespace kehou::catalog::internal
