#include "attendance/present.h"

namespace kehou::attendance {
namespace {

// The whole school's day, and one child's (its own statements: `($3 = 0 OR student_id = $3)` in one
// statement cannot use the (school, day, student) indexes, so a guardian's status poll read every
// mark and swipe of the school's day — thousands at the dismissal peak).
constexpr const char* kMarksOn =
    "SELECT m.student_id, m.status, c.name, s.name, m.band, m.updated_at FROM attendance_marks m"
    " JOIN sections s ON s.id = m.section_id JOIN courses c ON c.id = s.course_id"
    " WHERE m.school_id = $1 AND m.day = $2 AND m.status IN ('present','late') ORDER BY m.student_id, m.band";
// One child (a guardian's status poll): marks and the first swipe in ONE statement, marks first.
constexpr const char* kPresenceOfChild =
    "SELECT 0 AS k, m.student_id, m.status, c.name, s.name, m.band, m.updated_at FROM attendance_marks m"
    " JOIN sections s ON s.id = m.section_id JOIN courses c ON c.id = s.course_id"
    " WHERE m.school_id = $1 AND m.day = $2 AND m.student_id = $3 AND m.status IN ('present','late')"
    " UNION ALL SELECT 1, student_id, 'swiped', '', '', '', MIN(at_ms) FROM attendance_swipes"
    " WHERE school_id = $1 AND day = $2 AND student_id = $3 GROUP BY student_id ORDER BY 1, 6";
constexpr const char* kSwipesOn =
    "SELECT student_id, MIN(at_ms) FROM attendance_swipes WHERE school_id = $1 AND day = $2"
    " AND student_id IS NOT NULL GROUP BY student_id ORDER BY student_id";

}  // namespace

std::vector<Presence> PresenceOn(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> student_id) {
  std::vector<Presence> out;
  db::Params p{school_id, FormatDate(day)};
  if (student_id) {
    p.emplace_back(*student_id);
    for (const auto& r : c.Query(kPresenceOfChild, p))
      if (r.Int(0) == 0) out.push_back({r.Int(1), "roll", r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
      else out.push_back({r.Int(1), "swipe", "swiped", "", "", "", r.Int(6)});
    return out;
  }
  for (const auto& r : c.Query(kMarksOn, p))
    out.push_back({r.Int(0), "roll", r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  for (const auto& r : c.Query(kSwipesOn, p)) out.push_back({r.Int(0), "swipe", "swiped", "", "", "", r.Int(1)});
  return out;
}

}  // namespace kehou::attendance
