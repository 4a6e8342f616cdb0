// internal.h (timetable_term): what the use-case files of the term's timetable share (not for
// other modules). Thread-safety: stateless functions.
#pragma once
#include "core/time.h"
#include "db/db.h"
#include "timetable/service.h"

namespace kehou::timetable::internal {

// Activity ids of basic-service groups: this base + the group's id (sections: id * 100 + session).
inline constexpr int64_t kGroupActivityBase = 1'000'000'000'000;

// The day the gate is asked about for a term: today, within the term's dates.
Date GateDay(const Date& start, const Date& end);

// Adds to tp (after its sections): every standby teacher (gated, in_school or retired, with a
// subject; willingness as unwilling slots), AB backups on every section, and the term's stored
// basic-service groups as open activities locked at their weekday and band.
void AddDuties(db::Conn& c, TermProblem& tp, const Date& term_start, const Date& term_end);
// After the stored placements are read: the groups' stored rooms and the stored supervisors and
// backups as tp.previous / tp.previous_staff.
void AddPreviousDuties(db::Conn& c, TermProblem& tp);

}  // namespace kehou::timetable::internal
