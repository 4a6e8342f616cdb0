#include "enroll/counts.h"

namespace kehou::enroll {
namespace {
constexpr const char* kStudents = "SELECT COUNT(*) FROM students WHERE school_id = $1 AND active = 1";
constexpr const char* kStudentsOfTeacher =
    "SELECT COUNT(*) FROM students s JOIN classes k ON k.id = s.class_id"
    " WHERE s.school_id = $1 AND s.active = 1 AND k.class_teacher_id = $2";
constexpr const char* kByStatus =
    "SELECT status, COUNT(*) FROM applications WHERE school_id = $1 AND term_id = $2 GROUP BY status";
constexpr const char* kByStatusOfTeacher =
    "SELECT a.status, COUNT(*) FROM applications a JOIN students s ON s.id = a.student_id"
    " JOIN classes k ON k.id = s.class_id"
    " WHERE a.school_id = $1 AND a.term_id = $2 AND k.class_teacher_id = $3 GROUP BY a.status";
constexpr const char* kExits = "SELECT COUNT(*) FROM exits WHERE school_id = $1 AND term_id = $2";
constexpr const char* kExitsOfTeacher =
    "SELECT COUNT(*) FROM exits e JOIN students s ON s.id = e.student_id JOIN classes k ON k.id = s.class_id"
    " WHERE e.school_id = $1 AND e.term_id = $2 AND k.class_teacher_id = $3";
}  // namespace

TermCounts CountTerm(db::Conn& c, int64_t school_id, int64_t term_id, std::optional<int64_t> teacher) {
  TermCounts t;
  db::Rows by_status;
  if (teacher) {
    t.students = c.QueryOne(kStudentsOfTeacher, {school_id, *teacher})->Int(0);
    by_status = c.Query(kByStatusOfTeacher, {school_id, term_id, *teacher});
    t.exited = c.QueryOne(kExitsOfTeacher, {school_id, term_id, *teacher})->Int(0);
  } else {
    t.students = c.QueryOne(kStudents, {school_id})->Int(0);
    by_status = c.Query(kByStatus, {school_id, term_id});
    t.exited = c.QueryOne(kExits, {school_id, term_id})->Int(0);
  }
  for (const auto& r : by_status) {
    const std::string s = r.Text(0);
    const int64_t n = r.Int(1);
    if (s == "draft") t.draft = n;
    else if (s == "submitted") t.submitted = n;
    else if (s == "class_approved") t.class_approved = n;
    else if (s == "approved") t.approved = n;
    else if (s == "returned") t.returned = n;
    else if (s == "rejected") t.rejected = n;
  }
  return t;
}

}  // namespace kehou::enroll
