// grid_store.h (timetable): the grid's SQL (one placement at a time, sql/0060; locks, sql/0150)
// as named constants and the functions that run them on a caller's connection.
// Thread-safety: per Conn.
#pragma once
#include <cstdint>
#include <set>
#include <utility>

#include "db/db.h"
#include "timetable/store.h"

namespace kehou::timetable::grid_store {

// Writes one session's placement with its AB backup (update, else insert) in the caller's transaction.
void UpsertPlacement(db::Conn& c, int64_t school_id, int64_t term_id, const store::StoredPlacement& p, int64_t now_ms);
// Locks or unlocks one session (idempotent).
void SetLock(db::Conn& c, int64_t school_id, int64_t term_id, int64_t section_id, int session_no, bool locked,
             int64_t now_ms);
// The locked sessions of the term: (section_id, session_no).
std::set<std::pair<int64_t, int>> Locks(db::Conn& c, int64_t school_id, int64_t term_id);

}  // namespace kehou::timetable::grid_store
