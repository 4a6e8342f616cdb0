// search.cpp: steps of the search kept out of search.h (construction chains, the soft phase's
// bound and candidates, the hard phase's loop). Method in solver.h and docs/ARCHITECTURE.md.
#include <algorithm>

#include "timetable/search.h"

namespace kehou::timetable::internal {

bool Search::PlaceByChain(int a) {
  journal_.clear();
  for (int depth = 1; depth <= kConstructDepth; ++depth) {
    eject_budget_ = kConstructBudget;
    if (Relocate(a, depth)) {
      journal_.clear();
      return true;
    }
  }
  return false;
}

int64_t Search::SoftFloor() const {
  std::vector<int> n(p_.teachers.size(), 0);
  for (const Activity& x : p_.activities)
    for (int t : x.teachers) ++n[static_cast<size_t>(t)];
  int64_t days = 0;
  for (size_t t = 0; t < p_.teachers.size(); ++t) {
    if (n[t] == 0) continue;
    int per_day = 0;
    for (int d = 0; d < D_; ++d) {
      int k = 0;
      for (int h = 0; h < H_; ++h)
        k += !Blocked(p_.breaks, d * H_ + h) && !Blocked(p_.teachers[t].unavailable, d * H_ + h);
      per_day = std::max(per_day, k);
    }
    days += per_day > 0 ? (n[t] + per_day - 1) / per_day : 0;
  }
  return days * o_.weights.teacher_day;
}

bool Search::SoftCandidate(int a) const {
  const Placement pl = cur_[static_cast<size_t>(a)];
  if (pl.slot < 0) return false;
  const Activity& x = p_.activities[static_cast<size_t>(a)];
  const size_t d = static_cast<size_t>(pl.slot / H_);
  for (int t : x.teachers)
    if (tday_[static_cast<size_t>(t) * static_cast<size_t>(D_) + d] == 1) return true;
  if (pl.room >= 0 && !x.preferred_rooms.empty() &&
      std::find(x.preferred_rooms.begin(), x.preferred_rooms.end(), pl.room) == x.preferred_rooms.end())
    return true;
  if (!o_.previous.empty() && !(o_.previous[static_cast<size_t>(a)] == pl)) return true;
  int64_t hard = 0, soft = 0;
  GroupCost(a, pl.slot / H_, hard, soft);
  return soft > 0;
}

void Search::HardPhase(int64_t budget) {
  std::vector<int> conf;
  std::vector<char> listed(static_cast<size_t>(N_), 0);
  int64_t since_best = 0, since_rebuild = kRebuildEvery;
  const int64_t stall = kStallPerActivity * std::max(N_, 50);
  for (int64_t k = 0; k < budget && cost_ >= kHardCost && !TimeUp(); ++k) {
    ++iter_;
    if (since_rebuild++ >= kRebuildEvery || conf.empty()) {
      conf.clear();
      std::fill(listed.begin(), listed.end(), 0);
      for (int a = 0; a < N_; ++a)
        if (movable_[static_cast<size_t>(a)] && Conflicting(a)) {
          conf.push_back(a);
          listed[static_cast<size_t>(a)] = 1;
        }
      since_rebuild = 0;
      if (conf.empty()) break;  // only fixed activities conflict: nothing can move
    }
    const size_t i = Rand(conf.size());
    const int a = conf[i];
    if (!Conflicting(a)) {
      conf[i] = conf.back();
      conf.pop_back();
      listed[static_cast<size_t>(a)] = 0;
      continue;
    }
    if (since_best < kRepairAfterStall || !Repair(a)) Step(a, false);
    const Placement pl = cur_[static_cast<size_t>(a)];
    if (pl.slot >= 0)
      for (int b : slot_acts_[static_cast<size_t>(pl.slot)])
        if (b != a && movable_[static_cast<size_t>(b)] && !listed[static_cast<size_t>(b)] &&
            (Shares(a, b) || (pl.room >= 0 && cur_[static_cast<size_t>(b)].room == pl.room))) {
          conf.push_back(b);
          listed[static_cast<size_t>(b)] = 1;
        }
    if (cost_ < best_total_) {
      Remember();
      since_best = 0;
    } else if (++since_best > stall) {  // restart from the best with a few random kicks
      Restore(true);
      since_best = 0;
      since_rebuild = kRebuildEvery;
    }
  }
}

bool Search::Tell(double fraction, bool final) {
  if (!o_.progress || stopped_) return !stopped_;
  Progress pr;
  pr.phase = final ? "done" : phase_;
  pr.iterations = iter_;
  if (best_total_ != INT64_MAX) {
    pr.best_hard = best_total_ / kHardCost;
    pr.best_soft = best_total_ % kHardCost;
  }
  if (fraction < 0) {
    if (pr.phase == "construct") fraction = 0.05;
    else if (pr.phase == "hard")
      fraction = 0.1 + 0.6 * (N_ > 0 && pr.best_hard >= 0 ? 1.0 - static_cast<double>(std::min<int64_t>(pr.best_hard, N_)) / N_ : 0.0);
    else fraction = 0.7 + 0.3 * (soft_steps_ > 0 ? static_cast<double>(std::min(soft_done_, soft_steps_)) / static_cast<double>(soft_steps_) : 1.0);
  }
  pr.fraction = fraction;
  if (!o_.progress(pr)) stopped_ = true;
  return !stopped_;
}

}  // namespace kehou::timetable::internal
