// solver.cpp: Solve (the search itself is in search.h and resolve.cpp).
#include "timetable/solver.h"

#include <algorithm>
#include <chrono>

#include "timetable/search.h"

namespace kehou::timetable {

namespace {

// backups_best_effort: moves the no_backup reasons to the warnings; true when nothing else is left.
bool OnlyBackupsMissing(SolveResult& r) {
  std::vector<Impossible> rest;
  for (auto& x : r.reasons) (x.rule == "no_backup" ? r.warnings : rest).push_back(std::move(x));
  r.reasons = std::move(rest);
  return r.reasons.empty();
}

int64_t MissingBackups(const Problem& p, const SolveResult& r) {
  int64_t n = 0;
  for (size_t i = 0; i < p.activities.size(); ++i)
    n += p.activities[i].needs_backup && (r.staff.size() != p.activities.size() || r.staff[i].backup < 0) ? 1 : 0;
  return n;
}

}  // namespace

SolveResult Solve(const Problem& p, const SolveOptions& opt) {
  SolveResult r;
  r.reasons = CheckFeasibility(p);
  std::vector<Impossible> warned;  // backups_best_effort: necessary conditions of backups alone
  if (opt.backups_best_effort && !r.reasons.empty() && OnlyBackupsMissing(r)) warned = std::move(r.warnings);
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
    if (!r2.solved && o.backups_best_effort && r2.report.Hard() == r2.report.backup && OnlyBackupsMissing(r2)) {
      // Solved but for missing backups: kept when it misses fewer than the best so far; the next
      // seeds may still find every backup.
      r2.solved = true;
      r2.warnings.insert(r2.warnings.begin(), warned.begin(), warned.end());
      if (!best.solved || MissingBackups(p, r2) < MissingBackups(p, best)) best = std::move(r2);
    } else if ((r2.solved && (!best.solved || !best.warnings.empty())) || attempt == 0) {
      best = std::move(r2);
    }
    if (best.solved && best.warnings.empty()) break;
    o.seed += 1;
    o.seconds = opt.seconds - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (o.seconds <= 0) break;
  }
  return best;
}

}  // namespace kehou::timetable
