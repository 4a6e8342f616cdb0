// solver.h: the timetable solver (method in docs/ARCHITECTURE.md, "Timetable solver").
// 1. Domains: each activity's allowed slots (teacher, student set, room availability, breaks,
//    lock) and rooms (capacity, type, allowed list, lock).
// 2. Necessary conditions (CheckFeasibility): an impossible instance is refused with the hard
//    rule that makes it so, never searched in vain.
// 3. Greedy construction, most-constrained first (locked, then smallest domain, busiest
//    teacher), each activity at its cheapest (slot, room); the previous solution's places first.
// 4. Tabu search over (slot, room) moves and swaps of a conflicting activity until no hard rule is
//    broken, then a short improvement of the weighted soft goals (moves that keep every hard rule).
// Deterministic for a seed (unless the time limit cuts it). Thread-safety: Solve is reentrant.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "timetable/check.h"
#include "timetable/model.h"

namespace kehou::timetable {

// Why an instance cannot be solved: a rule name (stable, for tests and tools) and both messages.
struct Impossible {
  std::string rule;  // no_time, no_room, teacher_overload, students_overload, rooms_overload,
                     // locked_clash, group_days, no_supervisor, no_backup, staff_days, unsolved
  std::string zh;
  std::string en;
};

// What a running search reports (SolveOptions::progress): its phase, a rough share done, and the
// best timetable so far as counts of broken hard rules and weighted soft points.
struct Progress {
  std::string phase;       // construct, hard, soft
  double fraction = 0;     // 0..1, by phase (construct 0-0.1, hard 0.1-0.7, soft 0.7-1)
  int64_t best_hard = -1;  // broken hard rules of the best so far (-1: none yet)
  int64_t best_soft = -1;  // its weighted soft points
  int64_t iterations = 0;
};
// Called every 64 steps from the solving thread; returning false stops the search (cancel).
using ProgressFn = std::function<bool(const Progress&)>;

struct SolveOptions {
  uint64_t seed = 1;
  double seconds = 10;      // time limit
  Assignment previous;      // re-solve: stay close to this (empty: none)
  Staffing previous_staff;  // re-solve: keep these supervisors and backups where still allowed
  Weights weights;
  int64_t soft_iterations = -1;  // improvement steps once feasible (-1: 5 per activity)
  ProgressFn progress;           // optional: progress reports and cancel (empty: none)
  // The console's solve: a section that finds no AB backup does not refuse the timetable; it is
  // solved without that backup and each such rule is answered in SolveResult::warnings (no_backup),
  // so the office sees which sections to fix. Every other hard rule still refuses.
  bool backups_best_effort = false;
};

struct SolveResult {
  bool solved = false;
  Assignment assignment;             // best found (complete when solved)
  Staffing staff;                    // supervisors of open activities and AB backups (when solved)
  std::vector<Impossible> reasons;   // when not solved
  std::vector<Impossible> warnings;  // solved all the same (backups_best_effort: no_backup)
  Report report;                     // Evaluate() of the assignment
  int64_t iterations = 0;
  double seconds = 0;
};

// The necessary conditions Solve checks first; empty when none is broken.
std::vector<Impossible> CheckFeasibility(const Problem& p);

SolveResult Solve(const Problem& p, const SolveOptions& opt);

// Searches again from the next seed when a standby duty finds nobody, at most this many times.
inline constexpr int kStaffingAttempts = 4;

// 5. Standby duties, once every activity has its place: each open activity's supervising teacher,
// then each AB backup, slot by slot (the scarcest slots first) by bipartite matching (augmenting
// paths) over the standby teachers free, willing and within their day limit then, preferring
// those already at school that day, then the fewest days and duties (and `previous`, re-solving).
// Fills `staff`; answers the duties nobody can take (no_supervisor, no_backup), empty when none.
std::vector<Impossible> AssignStaff(const Problem& p, const Assignment& a, const Staffing& previous, Staffing& staff);

// 6. One session's AB backup again after a manual move (the grid): activity i at a[i], everyone
// else's duties as in `staff` (i's own old backup left out). The same rules as AssignStaff: a
// standby teacher other than i's own, free then (neither teaching, supervising nor backing up
// another session at that slot), willing then, within their day limit (backup days count);
// those already at school that day first, then the fewest days and duties, then the lowest
// index. -1 when nobody may (the grid then says so).
int ChooseBackup(const Problem& p, const Assignment& a, const Staffing& staff, int i);

}  // namespace kehou::timetable
