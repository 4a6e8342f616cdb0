#include "timetable/store.h"

namespace kehou::timetable::store {
namespace {

constexpr const char* kLoad =
    "SELECT section_id, session_no, weekday, band, room_id, teacher_staff_id FROM timetable_placements "
    "WHERE school_id = $1 AND term_id = $2 ORDER BY section_id, session_no";
constexpr const char* kDelete = "DELETE FROM timetable_placements WHERE school_id = $1 AND term_id = $2";
constexpr const char* kInsert =
    "INSERT INTO timetable_placements (school_id, term_id, section_id, session_no, weekday, band, room_id, "
    "teacher_staff_id, solved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

}  // namespace

std::vector<StoredPlacement> LoadPlacements(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<StoredPlacement> out;
  for (const auto& r : c.Query(kLoad, {school_id, term_id}))
    out.push_back({r.Int("section_id"), static_cast<int>(r.Int("session_no")), static_cast<int>(r.Int("weekday")),
                   r.Text("band"), r.OptInt("room_id"), r.OptInt("teacher_staff_id")});
  return out;
}

void ReplacePlacements(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<StoredPlacement>& rows,
                       int64_t now_ms) {
  c.Exec(kDelete, {school_id, term_id});
  for (const auto& p : rows)
    c.Exec(kInsert, {school_id, term_id, p.section_id, int64_t{p.session_no}, int64_t{p.weekday}, p.band,
                     db::Opt(p.room_id), db::Opt(p.teacher_staff_id), now_ms});
}

}  // namespace kehou::timetable::store
