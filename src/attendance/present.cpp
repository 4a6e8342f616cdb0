#include "attendance/present.h"

namespace kehou::attendance {
namespace {

constexpr const char* kMarksOn =
    "SELECT m.student_id, m.status, c.name, s.name, m.band, m.updated_at FROM attendance_marks m"
    " JOIN sections s ON s.id = m.section_id JOIN courses c ON c.id = s.course_id"
    " WHERE m.school_id = $1 AND m.day = $2 AND m.status IN ('present','late')"
    " AND ($3 = 0 OR m.student_id = $3) ORDER BY m.student_id, m.band";
constexpr const char* kSwipesOn =
    "SELECT student_id, MIN(at_ms) FROM attendance_swipes WHERE school_id = $1 AND day = $2"
    " AND student_id IS NOT NULL AND ($3 = 0 OR student_id = $3) GROUP BY student_id ORDER BY student_id";

}  // namespace

std::vector<Presence> PresenceOn(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> student_id) {
  std::vector<Presence> out;
  const db::Params p{school_id, FormatDate(day), student_id.value_or(0)};
  for (const auto& r : c.Query(kMarksOn, p))
    out.push_back({r.Int(0), "roll", r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  for (const auto& r : c.Query(kSwipesOn, p)) out.push_back({r.Int(0), "swipe", "swiped", "", "", "", r.Int(1)});
  return out;
}

}  // namespace kehou::attendance
