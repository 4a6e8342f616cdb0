// solver.cpp: Solve (the search itself is in search.h and resolve.cpp).
#include "timetable/solver.h"

#include <algorithm>
#include <chrono>

#include "timetable/search.h"

namespace kehou::timetable {

SolveResult Solve(const Problem& p, const SolveOptions& opt) {
  SolveResult r;
  r.reasons = CheckFeasibility(p);
  if (!r.reasons.empty()) {
    r.assignment.assign(p.activities.size(), Placement{});
    r.report = Evaluate(p, r.assignment);
    return r;
  }
  SolveOptions o = opt;
  if (!o.previous.empty() && o.previous.size() != p.activities.size()) o.previous.clear();
  // Re-solving: a placement kept outweighs every other soft goal (but never a hard rule).
  if (!o.previous.empty()) o.weights.moved = std::max<int64_t>(o.weights.moved, internal::kResolveMovedCost);
  const bool duties = std::any_of(p.activities.begin(), p.activities.end(),
                                  [](const Activity& x) { return x.open_teacher || x.needs_backup; });
  // Standby duties come after the search: when some duty finds nobody, the search runs again
  // from the next seed (another timetable may leave a backup free), a few times within the limit.
  const auto start = std::chrono::steady_clock::now();
  SolveResult best;
  for (int attempt = 0; attempt < kStaffingAttempts; ++attempt) {
    SolveResult r2 = internal::Search(p, o).Run();
    if (!r2.solved || !duties) return r2;
    r2.reasons = AssignStaff(p, r2.assignment, o.previous_staff, r2.staff);
    r2.report = Evaluate(p, r2.assignment, r2.staff, o.previous);
    r2.solved = r2.reasons.empty() && r2.report.Hard() == 0;
    if (r2.solved || attempt == 0) best = std::move(r2);
    if (best.solved) break;
    o.seed += 1;
    o.seconds = opt.seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.seconds <= 0) break;
  }
  return best;
}

}  // namespace kehou::timetable
