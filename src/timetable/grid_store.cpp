#include "timetable/grid_store.h"

namespace kehou::timetable::grid_store {
namespace {

constexpr const char* kUpdate =
    "UPDATE timetable_placements SET weekday = $5, band = $6, room_id = $7, teacher_staff_id = $8, solved_at = $9, "
    "backup_staff_id = $10 WHERE school_id = $1 AND term_id = $2 AND section_id = $3 AND session_no = $4";
constexpr const char* kInsert =
    "INSERT INTO timetable_placements (school_id, term_id, section_id, session_no, weekday, band, room_id, "
    "teacher_staff_id, solved_at, backup_staff_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr const char* kFindLock =
    "SELECT id FROM timetable_locks WHERE school_id = $1 AND term_id = $2 AND section_id = $3 AND session_no = $4";
constexpr const char* kInsertLock =
    "INSERT INTO timetable_locks (school_id, term_id, section_id, session_no, locked_at) VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kDeleteLock =
    "DELETE FROM timetable_locks WHERE school_id = $1 AND term_id = $2 AND section_id = $3 AND session_no = $4";
constexpr const char* kLocks =
    "SELECT section_id, session_no FROM timetable_locks WHERE school_id = $1 AND term_id = $2";

}  // namespace

void UpsertPlacement(db::Conn& c, int64_t school_id, int64_t term_id, const store::StoredPlacement& p, int64_t now_ms) {
  const db::Params params{school_id,
                          term_id,
                          p.section_id,
                          int64_t{p.session_no},
                          int64_t{p.weekday},
                          p.band,
                          db::Opt(p.room_id),
                          db::Opt(p.teacher_staff_id),
                          now_ms,
                          db::Opt(p.backup_staff_id)};
  if (c.Exec(kUpdate, params) == 0) c.Exec(kInsert, params);
}

void SetLock(db::Conn& c, int64_t school_id, int64_t term_id, int64_t section_id, int session_no, bool locked,
             int64_t now_ms) {
  const bool has = c.QueryOne(kFindLock, {school_id, term_id, section_id, int64_t{session_no}}).has_value();
  if (locked && !has) c.Exec(kInsertLock, {school_id, term_id, section_id, int64_t{session_no}, now_ms});
  if (!locked && has) c.Exec(kDeleteLock, {school_id, term_id, section_id, int64_t{session_no}});
}

std::set<std::pair<int64_t, int>> Locks(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::set<std::pair<int64_t, int>> out;
  for (const auto& r : c.Query(kLocks, {school_id, term_id})) out.insert({r.Int(0), static_cast<int>(r.Int(1))});
  return out;
}

}  // namespace kehou::timetable::grid_store
