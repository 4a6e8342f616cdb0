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
  return internal::Search(p, o).Run();
}

}  // namespace kehou::timetable
