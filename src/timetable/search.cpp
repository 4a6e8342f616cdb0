// search.cpp: steps of the search kept out of search.h (construction chains, the soft phase's
// bound and candidates, the hard phase's loop, the tabu step and its swaps). Method in solver.h
// and docs/ARCHITECTURE.md.
#include "timetable/search.h"

#include <algorithm>

namespace kehou::timetable::internal {

void Search::Flatten() {
  const size_t R = p_.rooms.size();
  not_preferred_.assign(static_cast<size_t>(N_) * R, 0);
  for (int a = 0; a < N_; ++a) {
    const Activity& x = p_.activities[static_cast<size_t>(a)];
    teach_.Add(x.teachers);
    atom_rows_.Add(atoms_[static_cast<size_t>(a)]);
    grp_of_.Add(groups_of_[static_cast<size_t>(a)]);
    for (size_t r = 0; r < R && !x.preferred_rooms.empty(); ++r)
      not_preferred_[static_cast<size_t>(a) * R + r] =
          std::find(x.preferred_rooms.begin(), x.preferred_rooms.end(), static_cast<int>(r)) == x.preferred_rooms.end();
  }
  for (const ActivityGroup& g : p_.groups) {
    grp_members_.Add(g.activities);
    grp_min_days_.push_back(g.min_days);
    grp_hard_.push_back(g.weight_percent >= kHardWeightPercent);
  }
  for (const Teacher& t : p_.teachers) tmax_.push_back(t.max_days);
  room_blocked_.assign(R * static_cast<size_t>(S_), 0);
  for (size_t r = 0; r < R; ++r)
    for (int s = 0; s < S_; ++s)
      room_blocked_[r * static_cast<size_t>(S_) + static_cast<size_t>(s)] = Blocked(p_.rooms[r].unavailable, s);
  for (int s = 0; s < S_; ++s) day_of_.push_back(s / H_);
}

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
    if (pl.slot >= 0 && ClashesAt(a, pl))  // (else no other activity there shares anything with a)
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

bool Search::Step(int a, bool keep_hard) {
  const int64_t before = cost_;
  Placement from{};
  if (cur_[static_cast<size_t>(a)].slot >= 0) {
    Remove(a);
    from = removed_;
  }
  int64_t c = 0;
  Move m;
  m.to = BestMove(a, c, true);
  if (m.to.slot >= 0) m.after = cost_ + c;
  if (m.after >= before && from.slot >= 0) {
    // keep_hard: a swap costing more than before is refused in the end, so its evaluation stops
    // once its first two parts pass before (the move chosen is the same: the cheapest, first found).
    swap_cap_ = keep_hard ? before + 1 : INT64_MAX;
    SampleSwaps(a, from, m);
    GatherExchanges(a, keep_hard);
    for (int b : exch_) TryExchange(a, b, from, m);
  }
  if (m.to.slot < 0 || (keep_hard && m.after > before)) {
    if (from.slot >= 0) Add(a, from);
    return false;
  }
  Commit(a, from, m);
  return true;
}

// Swaps with the occupants of kSwapSamples random room-slots of a's domain.
void Search::SampleSwaps(int a, Placement from, Move& m) {
  const auto& sl = slots_[static_cast<size_t>(a)];
  const auto& rl = rooms_[static_cast<size_t>(a)];
  const size_t R = p_.rooms.size();
  for (int k = 0; k < kSwapSamples; ++k) {
    const int s = sl[Rand(sl.size())];
    const int r = rl[Rand(rl.size())];
    if (r < 0 || s == from.slot) continue;
    const int b = rocc_[static_cast<size_t>(r) * static_cast<size_t>(S_) + static_cast<size_t>(s)];
    if (b < 0 || b == a || !movable_[static_cast<size_t>(b)] || !(cur_[static_cast<size_t>(b)] == Placement{s, r}))
      continue;
    if (!slot_ok_[Ix(b, from.slot)] || from.room < 0 ||
        !room_ok_[static_cast<size_t>(b) * R + static_cast<size_t>(from.room)] || !RoomFree(from.room, from.slot))
      continue;
    if (tabu_[Ix(a, s)] > iter_ && tabu_[Ix(b, from.slot)] > iter_) continue;
    const int64_t after = SwapCost(a, b, from, {s, r}, std::min(m.after, swap_cap_));
    if (after < m.after) m = Move{{s, r}, b, after};
  }
}

// exch_: every activity of a's teachers (and, in the hard phase, of its classes), each once.
// Exchanging two of one teacher's places keeps the teacher's days (what a saturated day limit
// needs), two of one class's its slots.
void Search::GatherExchanges(int a, bool keep_hard) {
  exch_.clear();
  ++exch_stamp_;
  auto take = [&](const std::vector<int>& acts) {
    for (int b : acts)
      if (exch_seen_[static_cast<size_t>(b)] != exch_stamp_) {
        exch_seen_[static_cast<size_t>(b)] = exch_stamp_;
        exch_.push_back(b);
      }
  };
  for (int t : p_.activities[static_cast<size_t>(a)].teachers) take(acts_of_teacher_[static_cast<size_t>(t)]);
  if (keep_hard) return;  // the soft phase rarely gains from the classes' activities
  for (int at : atoms_[static_cast<size_t>(a)]) take(acts_of_atom_[static_cast<size_t>(at)]);
}

// Unplaced a takes b's place and b takes a's old place `from`, when both may and it is cheaper.
void Search::TryExchange(int a, int b, Placement from, Move& m) {
  const Placement at = cur_[static_cast<size_t>(b)];
  const size_t R = p_.rooms.size();
  if (b == a || at.slot < 0 || at.slot == from.slot || !movable_[static_cast<size_t>(b)]) return;
  if (!slot_ok_[Ix(a, at.slot)] || !slot_ok_[Ix(b, from.slot)]) return;
  if ((at.room >= 0) != (from.room >= 0)) return;
  if (at.room >= 0 && (!room_ok_[static_cast<size_t>(a) * R + static_cast<size_t>(at.room)] ||
                       !room_ok_[static_cast<size_t>(b) * R + static_cast<size_t>(from.room)]))
    return;
  if (tabu_[Ix(a, at.slot)] > iter_ && tabu_[Ix(b, from.slot)] > iter_) return;
  const int64_t after = SwapCost(a, b, from, at, std::min(m.after, swap_cap_));
  if (after < m.after) m = Move{at, b, after};
}

// Evaluated on the counts alone (Touch, not Add/Remove): b's share at `to` comes off, a's share
// there and b's at `from` go on. Costs are never negative, so once the first two parts reach
// bound the third is not computed. The counts end as they were (slot lists in the same order).
int64_t Search::SwapCost(int a, int b, Placement from, Placement to, int64_t bound) {
  Touch(b, Placement{}, -1);
  const int64_t part = cost_ - kHardCost - (SlotCost(b, to.slot) + RoomCost(b, to.slot, to.room)) +
                       SlotCost(a, to.slot) + RoomCost(a, to.slot, to.room);
  int64_t after = INT64_MAX;
  if (part < bound) {
    Touch(a, to, +1);
    after = part + SlotCost(b, from.slot) + RoomCost(b, from.slot, from.room);
    Touch(a, Placement{}, -1);
  }
  Touch(b, to, +1);
  return after;
}

void Search::Commit(int a, Placement from, const Move& m) {
  const int tenure = kTenureBase + static_cast<int>(Rand(kTenureRandom));
  if (from.slot >= 0) tabu_[Ix(a, from.slot)] = iter_ + tenure;
  if (m.swap_with >= 0) {
    Remove(m.swap_with);
    Add(a, m.to);
    Add(m.swap_with, from);
    tabu_[Ix(m.swap_with, m.to.slot)] = iter_ + tenure;
  } else {
    Add(a, m.to);
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
      fraction =
          0.1 + 0.6 * (N_ > 0 && pr.best_hard >= 0 ? 1.0 - static_cast<double>(std::min<int64_t>(pr.best_hard, N_)) / N_
                                                   : 0.0);
    else
      fraction = 0.7 + 0.3 * (soft_steps_ > 0 ? static_cast<double>(std::min(soft_done_, soft_steps_)) /
                                                    static_cast<double>(soft_steps_)
                                              : 1.0);
  }
  pr.fraction = fraction;
  if (!o_.progress(pr)) stopped_ = true;
  return !stopped_;
}

}  // namespace kehou::timetable::internal
