// store.h (timetable): the SQL of the stored term timetable (sql/0060) as named constants and the
// functions that run them on a caller's connection. No decisions here. Thread-safety: per Conn.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::timetable::store {

struct StoredPlacement {
  int64_t section_id = 0;
  int session_no = 0;
  int weekday = 0;
  std::string band;
  std::optional<int64_t> room_id, teacher_staff_id;
};

std::vector<StoredPlacement> LoadPlacements(db::Conn& c, int64_t school_id, int64_t term_id);
// Replaces the term's rows with `rows` (the caller's transaction).
void ReplacePlacements(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<StoredPlacement>& rows,
                       int64_t now_ms);

}  // namespace kehou::timetable::store
