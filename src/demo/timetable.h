// timetable.h (demo): the demo school's current term gets a solved timetable (issue 12 §4), so
// 课表 and the teacher's week show it on first login: the term is loaded as the grid loads it
// (willingness included), solved in the process (the demo term takes a few hundredths of a
// second) and stored with its "solve" audit row as the demo office.
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

inline constexpr double kDemoSolveSeconds = 5;  // the time limit; the demo term solves in ~0.05 s

struct DemoTimetable {
  int64_t term_id = 0, sessions = 0, placed = 0;
};

Result<DemoTimetable> CreateDemoTimetable(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
