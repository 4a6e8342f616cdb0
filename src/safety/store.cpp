#include "safety/store.h"

#include "catalog/service.h"
#include "school/service.h"

namespace kehou::safety::store {
namespace {

// The sections a staff member teaches (theirs, else their course's) in the term (or with no term).
constexpr const char* kTaughtSections =
    "SELECT x.id FROM sections x JOIN courses co ON co.id = x.course_id WHERE x.school_id = $1"
    " AND COALESCE(x.teacher_staff_id, co.teacher_staff_id) = $2 AND co.status = 'approved'"
    " AND (co.term_id = $3 OR co.term_id IS NULL)";

}  // namespace

std::set<int64_t> TaughtChildren(db::Conn& c, int64_t school_id, int64_t staff_id, const Date& day) {
  std::set<int64_t> out;
  auto term = school::CurrentTerm(c, school_id);
  if (!term) return out;
  for (auto& r : c.Query(kTaughtSections, {school_id, staff_id, term->id}))
    for (const auto& child : catalog::RosterOn(c, school_id, r.Int(0), day)) out.insert(child.student_id);
  return out;
}

std::optional<db::Row> Student(db::Conn& c, int64_t school_id, int64_t student_id) {
  return c.QueryOne(kStudent, {school_id, student_id});
}

std::vector<int64_t> Guardians(db::Conn& c, int64_t school_id, int64_t student_id) {
  std::vector<int64_t> out;
  for (auto& r : c.Query(kGuardians, {school_id, student_id})) out.push_back(r.Int(0));
  return out;
}

}  // namespace kehou::safety::store
