// search_params.h: the tuning of the solver's search (tabu tenure, restarts, ejection chains,
// re-solving budgets), apart from the search itself (search.h) so the steps stay readable.
// Internal to src/timetable.
#pragma once
#include <cstdint>

#include "timetable/solver.h"

namespace kehou::timetable::internal {

// Tabu tenure: a base, plus a share of the conflicting activities, plus a random part.
inline constexpr int kTenureBase = 8;
inline constexpr int kTenureRandom = 8;
inline constexpr int kSwapSamples = 24;           // swap candidates tried per step when no single move improves
inline constexpr int64_t kStallPerActivity = 40;  // steps without a new best before a restart from the best
// Re-solving: rings of movable activities tried before all may move, and each ring's step budget.
inline constexpr int64_t kRebuildEvery = 32;  // steps between fresh lists of the conflicting activities
inline constexpr int kResolveLevels = 3;
inline constexpr int kResolveAttempts = 8;
inline constexpr int64_t kResolveTotalSteps = 200000;  // steps over all attempts (deterministic, unlike a clock)
inline constexpr int kEjectDepth = 3;
inline constexpr int kEjectOrders = 4;  // orders of the forced activities tried (EjectAll)            // at most this
                                        // many activities displaced per forced move
inline constexpr size_t kEjectBranching = 40;       // candidates tried per chain link
inline constexpr int kEjectBlockers = 2;            // activities a link may displace
inline constexpr int64_t kEjectBudget = 20000;      // chain links tried per forced activity and depth
inline constexpr int64_t kRepairAfterStall = 2000;  // steps without a new best before ejection repairs
inline constexpr int kRepairDepth = 2;
inline constexpr int64_t kRepairBudget = 300;  // chain links per repair and depth
// Construction: ejection chains for an activity whose cheapest place breaks a hard rule.
inline constexpr int kConstructDepth = 2;
inline constexpr int64_t kConstructBudget = 40;  // chain links per activity and depth
// Soft phase: steps per activity (at least kSoftStallMin) without a new best before it stops.
inline constexpr int64_t kSoftStallPerActivity = 1;
inline constexpr int64_t kSoftStallMin = 200;
// Re-solving, once solved: rounds of bringing moved activities back (MoveBack), and how many
// activities may be in the way at a previous place (a teacher's, a class's, the room's occupant).
inline constexpr int kMoveBackRounds = 4;
inline constexpr int kMoveBackBlockers = 3;
inline constexpr int64_t kResolveMovedCost = kHardCost / 1000;
inline constexpr int64_t kResolveStepsBase = 2000;
inline constexpr int64_t kResolveStepsPerActivity = 200;

}  // namespace kehou::timetable::internal
