// http.h (timetable): routes of the console's 课表 and the teacher's week (grid.h): solve jobs,
// the grid by view, moves and their dry run, locks, exports. Thin handlers over grid.h.
// Thread-safety: handlers capture only the Db, which is thread-safe.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::timetable {
// Registers exactly the timetable grid routes of the permission table (access/permissions.cpp).
void RegisterGridRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::timetable
