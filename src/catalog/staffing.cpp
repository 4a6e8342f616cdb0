// staffing.cpp (catalog): the rules that apply where a course or a section gets a teacher
// (issue 12). The staff records and their gate belong to src/staff, reached through its
// service.h only (catalog depends on staff; staff knows nothing of courses).
#include <set>

#include "catalog/internal.h"
#include "staff/service.h"

namespace kehou::catalog::internal {

std::optional<int64_t> CourseTerm(db::Conn& c, int64_t school, std::optional<int64_t> term_id) {
  if (term_id) return term_id;
  auto r = c.QueryOne("SELECT id FROM terms WHERE school_id = $1 AND is_current = 1 ORDER BY id DESC", {school});
  return r ? std::optional<int64_t>(r->Int(0)) : std::nullopt;
}

Status CheckCourseSchedule(db::Conn& c, int64_t school, const CourseInput& in, std::optional<int64_t> term_id) {
  KEHOU_TRY(CheckEveningGrades(in.slots, in.grades));
  auto term = CourseTerm(c, school, term_id);
  if (!term) return Ok();
  auto row = c.QueryOne("SELECT excluded_weekdays FROM terms WHERE id = $1 AND school_id = $2", {*term, school});
  if (!row) return Ok();
  auto excluded = staff::ParseWeekdays(row->Text(0), "excluded_weekdays");
  if (!excluded.ok()) return Ok();  // (the school module validates what it stores)
  return CheckExcludedWeekdays(in.slots, *excluded);
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
  for (auto& r : c.Query("SELECT c.slots FROM courses c WHERE c.school_id = $1 AND c.status = 'approved'"
                         " AND c.id <> $3 AND COALESCE(c.term_id, $4) = $4"
                         " AND (c.teacher_staff_id = $2 OR EXISTS (SELECT 1 FROM sections x WHERE x.course_id = c.id"
                         " AND x.teacher_staff_id = $2))",
                         {school, a.staff_id, a.except_course.value_or(0), term.value_or(0)})) {
    auto slots = ParseSlots(r.Text(0));
    if (slots.ok())
      for (auto& s : *slots) days.insert(s.weekday);
  }
  std::vector<int> adding;
  for (auto& s : a.slots) adding.push_back(s.weekday);
  return staff::CheckTeachingDays(staff::StaffName(c, school, a.staff_id), days, adding);
}

}  // namespace kehou::catalog::internal
