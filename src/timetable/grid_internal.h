// grid_internal.h (timetable): what the grid's use-case files (grid.cpp, grid_load.cpp,
// views.cpp, jobs.cpp) share; not for other modules. Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>

#include "staff/service.h"
#include "timetable/grid.h"

namespace kehou::timetable {

// The school a request may touch (auth::ResolveSchool).
Result<int64_t> ResolveGridSchool(db::Db& db, const auth::Principal& who, std::optional<int64_t> school);
// The activity of a section's session, -1 when the term has none.
int SessionIndex(const TermProblem& tp, int64_t section_id, int session_no);
// The slot of (weekday, band), -1 when the term has not both.
int TargetSlot(const TermProblem& tp, const MoveTarget& m);
// The room a move takes: the one given, else the current one if it fits and is free then, else
// a preferred or any fitting free one (-1: the activity needs none).
int ChosenRoom(const GridTerm& g, const MoveTarget& m, int activity);
// Marks t unavailable outside the weekdays and bands of the willingness (empty lists: any).
void ApplyWillingness(const TermProblem& tp, const staff::Willingness& w, Teacher& t);

}  // namespace kehou::timetable
