#include "enroll/counts.h"

#include "enroll/store.h"

namespace kehou::enroll {

TermCounts CountTerm(db::Conn& c, int64_t school_id, int64_t term_id, std::optional<int64_t> teacher) {
  TermCounts t;
  db::Rows by_status;
  if (teacher) {
    t.students = c.QueryOne(store::kCountStudentsOfTeacher, {school_id, *teacher})->Int("n");
    by_status = c.Query(store::kCountByStatusOfTeacher, {school_id, term_id, *teacher});
    t.exited = c.QueryOne(store::kCountExitsOfTeacher, {school_id, term_id, *teacher})->Int("n");
  } else {
    t.students = c.QueryOne(store::kCountStudents, {school_id})->Int("n");
    by_status = c.Query(store::kCountByStatus, {school_id, term_id});
    t.exited = c.QueryOne(store::kCountExits, {school_id, term_id})->Int("n");
  }
  for (const auto& r : by_status) {
    const std::string s = r.Text("status");
    const int64_t n = r.Int("n");
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
