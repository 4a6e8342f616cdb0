// solver.cpp: Solve (the search itself is in search.h and resolve.cpp).
#include "timetable/solver.h"

#include <algorithm>

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
  SolveResult r2 = internal::Search(p, o).Run();
  const bool duties = std::any_of(p.activities.begin(), p.activities.end(),
                                  [](const Activity& x) { return x.open_teacher || x.needs_backup; });
  if (!r2.solved || !duties) return r2;
  r2.reasons = AssignStaff(p, r2.assignment, o.previous_staff, r2.staff);
  r2.report = Evaluate(p, r2.assignment, r2.staff, o.previous);
  r2.solved = r2.reasons.empty() && r2.report.Hard() == 0;
  return r2;
}

}  // namespace kehou::timetable
