// solver.cpp: Solve (the search itself is in search.h and resolve.cpp).
#include "timetable/solver.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <system_error>
#include <thread>

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

// One search, or a portfolio of SolveOptions::lanes searches (lanes.h): lane 0 here, lane 1 on a
// thread started when lane 0's construction leaves a hard rule broken.
SolveResult RunSearch(const Problem& p, const SolveOptions& o) {
  if (o.lanes < 2 || !o.previous.empty() || o.progress) return internal::Search(p, o).Run();
  internal::LaneRace race;
  SolveOptions o1 = o;
  o1.seed = o.seed + internal::kLaneSeedStep;
  SolveResult r1;
  std::exception_ptr failed;  // lane 1's exception, thrown here as a search alone would
  std::thread other;
  race.start_others = [&] {
    try {
      other = std::thread([&] {
        try {
          r1 = internal::Search(p, o1, &race, 1).Run();
        } catch (...) {
          failed = std::current_exception();
        }
      });
    } catch (const std::system_error&) {  // no thread to be had: lane 0 alone
    }
  };
  SolveResult r0;
  try {
    r0 = internal::Search(p, o, &race, 0).Run();
  } catch (...) {
    if (other.joinable()) other.join();
    throw;
  }
  if (other.joinable()) other.join();
  if (failed) std::rethrow_exception(failed);
  return race.Winner() == 1 ? r1 : r0;
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
    SolveResult r2 = RunSearch(p, o);
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
