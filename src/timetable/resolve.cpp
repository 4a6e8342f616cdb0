// resolve.cpp: the re-solving steps of the search (ejection chains, widening rings).
#include <algorithm>
#include <tuple>

#include "timetable/search.h"

namespace kehou::timetable::internal {

// The placed activities sharing a teacher or students with a, in sharers_ as (slot × N + index
// in slot_acts_ of that slot, activity) sorted: per slot in the order a scan of the slot finds
// them, from a's teachers' and classes' own lists instead of a scan of every slot.
void Search::GatherSharers(int a) {
  sharers_.clear();
  ++share_stamp_;
  auto take = [&](const std::vector<int>& acts) {
    for (int b : acts) {
      const int s = cur_[static_cast<size_t>(b)].slot;
      if (s < 0 || share_seen_[static_cast<size_t>(b)] == share_stamp_) continue;
      share_seen_[static_cast<size_t>(b)] = share_stamp_;
      sharers_.emplace_back(int64_t{s} * N_ + slot_pos_[static_cast<size_t>(b)], b);
    }
  };
  for (int t : teach_[a]) take(acts_of_teacher_[static_cast<size_t>(t)]);
  for (int at : atom_rows_[a]) take(acts_of_atom_[static_cast<size_t>(at)]);
  std::sort(sharers_.begin(), sharers_.end());
}

// The places a may take at this link of a chain: each slot/room where at most kEjectBlockers
// movable activities (not already in the chain) are in its way, with those activities named.
void Search::GatherChainCandidates(int a, int depth, std::vector<ChainCand>& cands) {
  const size_t S = static_cast<size_t>(S_);
  GatherSharers(a);
  size_t next = 0;  // sharers_ is sorted by slot, and so is slots_[a]
  for (int s : slots_[static_cast<size_t>(a)]) {
    // The activities sharing a teacher or students with a at s: in the way whatever the room.
    while (next < sharers_.size() && sharers_[next].first < int64_t{s} * N_) ++next;
    int shared[kEjectBlockers];
    int ns = 0;
    bool ok = true;
    for (; next < sharers_.size() && sharers_[next].first < int64_t{s + 1} * N_; ++next) {
      const int b = sharers_[next].second;
      if (!ok) continue;
      if (ns == kEjectBlockers || depth == 0 || !movable_[static_cast<size_t>(b)] ||
          in_chain_[static_cast<size_t>(b)]) {
        ok = false;
        continue;
      }
      shared[ns++] = b;
    }
    if (!ok) continue;
    const int64_t sc = SlotCost(a, s);
    for (int r : rooms_[static_cast<size_t>(a)]) {
      if (!RoomFree(r, s)) continue;
      ChainCand c{0, sc + RoomCost(a, s, r), {s, r}, {}};
      for (int i = 0; i < ns; ++i) c.blockers[c.n++] = shared[i];
      if (r >= 0 && rcnt_[static_cast<size_t>(r) * S + static_cast<size_t>(s)] > 0 &&
          !RoomOccupantsInWay(r, s, depth, shared, ns, c))  // the room's occupants too
        continue;
      if (c.n > 0 || c.cost < kHardCost) cands.push_back(c);
    }
  }
}

// Adds the occupants of room r at s (but those in shared) to c's blockers; false when one may
// not move or there are too many. A single occupant is rocc_'s (exact then), else the slot is scanned.
bool Search::RoomOccupantsInWay(int r, int s, int depth, const int* shared, int ns, ChainCand& c) const {
  const size_t ri = static_cast<size_t>(r) * static_cast<size_t>(S_) + static_cast<size_t>(s);
  auto in_way = [&](int b) {
    if (std::find(shared, shared + ns, b) != shared + ns) return true;
    if (c.n == kEjectBlockers || depth == 0 || !movable_[static_cast<size_t>(b)] || in_chain_[static_cast<size_t>(b)])
      return false;
    c.blockers[c.n++] = b;
    return true;
  };
  const int occ = rocc_[ri];
  if (rcnt_[ri] == 1 && occ >= 0 && cur_[static_cast<size_t>(occ)] == Placement{s, r}) return in_way(occ);
  for (int b : slot_acts_[static_cast<size_t>(s)])
    if (cur_[static_cast<size_t>(b)].room == r && !in_way(b)) return false;
  return true;
}

// Ejection chain (re-solving): places unplaced a where it breaks no hard rule, displacing at
// most kEjectBlockers activities in its way, each of which must then find such a place too
// (up to `depth` links). Depth-first, candidates with fewer activities in the way first; every
// change is journaled so a failed branch is rolled back exactly; a node budget bounds the work.
bool Search::Relocate(int a, int depth, bool best) {
  if (--eject_budget_ < 0) return false;
  in_chain_[static_cast<size_t>(a)] = 1;
  if (chain_cands_.size() <= static_cast<size_t>(depth)) chain_cands_.resize(static_cast<size_t>(depth) + 1);
  std::vector<ChainCand>& cands = chain_cands_[static_cast<size_t>(depth)];  // reused: no allocation per link
  cands.clear();
  GatherChainCandidates(a, depth, cands);
  // Only the first kEjectBranching are tried: fewer activities in the way first, then cheaper,
  // then in the order found (deterministic).
  const size_t take = std::min(cands.size(), kEjectBranching);
  for (size_t i = 0; i < cands.size(); ++i) cands[i].order = static_cast<int>(i);
  std::partial_sort(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(take), cands.end(),
                    [](const ChainCand& x, const ChainCand& y) {
                      return std::tie(x.n, x.cost, x.order) < std::tie(y.n, y.cost, y.order);
                    });
  bool done = false;
  int64_t best_cost = INT64_MAX;
  if (best) best_chain_.clear();
  for (size_t k = 0; k < take && !done && eject_budget_ >= 0; ++k) {
    const ChainCand c = chain_cands_[static_cast<size_t>(depth)][k];  // a copy: deeper links reuse other buffers
    const size_t mark = journal_.size();
    for (int i = 0; i < c.n; ++i) JRemove(c.blockers[i]);
    if (SlotCost(a, c.pl.slot) + RoomCost(a, c.pl.slot, c.pl.room) < kHardCost) {
      JAdd(a, c.pl);
      done = true;
      for (int i = 0; i < c.n && done; ++i) done = Relocate(c.blockers[i], depth - 1);
    }
    if (best) {  // remember the outcome (each changed activity's place now), undo, go on
      if (done && cost_ < best_cost) {
        best_cost = cost_;
        best_chain_.clear();
        for (size_t j = mark; j < journal_.size(); ++j)
          best_chain_.emplace_back(journal_[j].first, cur_[static_cast<size_t>(journal_[j].first)]);
      }
      done = false;
      Rollback(mark);
      if (best_cost < kHardCost && c.n == 0) break;  // nothing displaced: no chain does better
    } else if (!done) {
      Rollback(mark);
    }
  }
  if (best && best_cost < INT64_MAX) {  // redo the cheapest outcome
    const std::vector<std::pair<int, Placement>> chain = best_chain_;
    for (const auto& [x, pl] : chain)
      if (cur_[static_cast<size_t>(x)].slot >= 0) JRemove(x);
    for (const auto& [x, pl] : chain)
      if (pl.slot >= 0 && cur_[static_cast<size_t>(x)].slot < 0) JAdd(x, pl);
    done = true;
  }
  in_chain_[static_cast<size_t>(a)] = 0;
  return done;
}

void Search::JAdd(int a, Placement pl) {
  journal_.emplace_back(a, cur_[static_cast<size_t>(a)]);
  Add(a, pl);
}
void Search::JRemove(int a) {
  journal_.emplace_back(a, cur_[static_cast<size_t>(a)]);
  Remove(a);
}
void Search::Rollback(size_t mark) {
  while (journal_.size() > mark) {
    const auto [a, before] = journal_.back();
    journal_.pop_back();
    if (cur_[static_cast<size_t>(a)].slot >= 0) Remove(a);
    if (before.slot >= 0) Add(a, before);
  }
}

bool Search::Shares(int a, int b) const {
  for (int t : teach_[a])
    for (int u : teach_[b])
      if (t == u) return true;
  for (int x : atom_rows_[a])
    for (int y : atom_rows_[b])
      if (x == y) return true;
  return false;
}

// Re-solving: every activity that lost its place is put back by the shortest ejection chain
// found (iterative deepening). False (state unchanged) when one of them finds none.
bool Search::EjectAll() {
  std::vector<int> forced;
  for (int a = 0; a < N_; ++a)
    if (movable_[static_cast<size_t>(a)] && !(cur_[static_cast<size_t>(a)] == o_.previous[static_cast<size_t>(a)]))
      forced.push_back(a);
  const Assignment start = cur_;
  // One order after another: the activity that found no place goes first in the next (an early
  // one's cheapest place, e.g. a new day of a teacher at their day limit, can leave a later one
  // none); after a success, the next one first. The cheapest complete outcome wins.
  Assignment best;
  int64_t best_cost = INT64_MAX;
  for (int attempt = 0; attempt < kEjectOrders && !forced.empty(); ++attempt) {
    if (attempt > 0) Load(start);
    for (int a : forced) Remove(a);
    in_chain_.assign(static_cast<size_t>(N_), 0);
    int failed = -1;
    for (size_t k = 0; k < forced.size() && failed < 0; ++k) {
      bool ok = false;
      for (int depth = 0; depth <= kEjectDepth && !ok; ++depth) {
        eject_budget_ = kEjectBudget;
        ok = Relocate(forced[k], depth, /*best=*/true);
      }
      if (!ok) failed = static_cast<int>(k);
    }
    if (failed < 0) {
      if (cost_ < best_cost) {
        best_cost = cost_;
        best = cur_;
      }
      if (forced.size() == 1) break;
      failed = 1;  // next order: the second first
    }
    std::rotate(forced.begin(), forced.begin() + failed, forced.begin() + failed + 1);
  }
  Load(best_cost < kHardCost ? best : start);
  return best_cost < kHardCost;
}

// Re-solving: first let only the activities that had to leave their place move, then also
// those sharing a teacher or students with them, then those too's neighbours, then all; so a
// local change stays local (minimal perturbation).
void Search::Widen(std::vector<char>& m) const {
  std::vector<char> who_t(p_.teachers.size(), 0), who_a(p_.atoms.size(), 0),
      who_r(p_.rooms.size() * static_cast<size_t>(S_), 0);
  for (int a = 0; a < N_; ++a) {
    if (!m[static_cast<size_t>(a)]) continue;
    for (int t : p_.activities[static_cast<size_t>(a)].teachers) who_t[static_cast<size_t>(t)] = 1;
    for (int at : atoms_[static_cast<size_t>(a)]) who_a[static_cast<size_t>(at)] = 1;
    // The rooms it may use at the slots it may take: their occupants may have to make way.
    for (int s : slots_[static_cast<size_t>(a)])
      for (int r : rooms_[static_cast<size_t>(a)])
        if (r >= 0) who_r[static_cast<size_t>(r) * static_cast<size_t>(S_) + static_cast<size_t>(s)] = 1;
  }
  for (int a = 0; a < N_; ++a) {
    if (p_.activities[static_cast<size_t>(a)].locked_slot >= 0) continue;
    const Placement pl = cur_[static_cast<size_t>(a)];
    for (int t : p_.activities[static_cast<size_t>(a)].teachers)
      m[static_cast<size_t>(a)] |= who_t[static_cast<size_t>(t)];
    for (int at : atoms_[static_cast<size_t>(a)]) m[static_cast<size_t>(a)] |= who_a[static_cast<size_t>(at)];
    if (pl.slot >= 0 && pl.room >= 0)
      m[static_cast<size_t>(a)] |=
          who_r[static_cast<size_t>(pl.room) * static_cast<size_t>(S_) + static_cast<size_t>(pl.slot)];
  }
}
bool Search::MoveBack() {
  bool any = false;
  for (int round = 0; round < kMoveBackRounds; ++round) {
    bool gained = false;
    for (int a = 0; a < N_; ++a) {
      const Placement to = o_.previous[static_cast<size_t>(a)];
      if (!movable_[static_cast<size_t>(a)] || cur_[static_cast<size_t>(a)] == to || to.slot < 0 || to.slot >= S_ ||
          !slot_ok_[Ix(a, to.slot)] || !RoomFree(to.room, to.slot))
        continue;
      if (to.room < 0 ? p_.activities[static_cast<size_t>(a)].needs_room
                      : !room_ok_[static_cast<size_t>(a) * p_.rooms.size() + static_cast<size_t>(to.room)])
        continue;
      // In the way at its old place: whoever shares a teacher or students with it, and the room's occupant.
      int way[kMoveBackBlockers];
      int n = 0;
      bool ok = true;
      for (int b : slot_acts_[static_cast<size_t>(to.slot)]) {
        if (b == a || !(Shares(a, b) || (to.room >= 0 && cur_[static_cast<size_t>(b)].room == to.room))) continue;
        if (n == kMoveBackBlockers || !movable_[static_cast<size_t>(b)]) {
          ok = false;
          break;
        }
        way[n++] = b;
      }
      if (!ok) continue;
      const int64_t before = cost_;
      journal_.clear();
      in_chain_.assign(static_cast<size_t>(N_), 0);
      JRemove(a);
      for (int i = 0; i < n; ++i) JRemove(way[i]);
      if (SlotCost(a, to.slot) + RoomCost(a, to.slot, to.room) >= kHardCost) {
        Rollback(0);
        continue;
      }
      JAdd(a, to);
      in_chain_[static_cast<size_t>(a)] = 1;
      for (int i = 0; i < n && ok; ++i) {
        ok = false;
        for (int depth = 0; depth <= kRepairDepth && !ok; ++depth) {
          eject_budget_ = kRepairBudget;
          ok = Relocate(way[i], depth, /*best=*/true);
        }
      }
      in_chain_[static_cast<size_t>(a)] = 0;
      if (ok && cost_ < before) {
        gained = any = true;
      } else {
        Rollback(0);
      }
      journal_.clear();
    }
    if (!gained) break;
  }
  return any;
}

bool Search::Repair(int a) {
  const Placement from = cur_[static_cast<size_t>(a)];
  if (from.slot < 0) return false;
  const int64_t before = cost_;
  Remove(a);
  journal_.clear();
  bool ok = false;
  for (int depth = 0; depth <= kRepairDepth && !ok; ++depth) {
    eject_budget_ = kRepairBudget;
    ok = Relocate(a, depth);
  }
  if (ok && cost_ < before) {
    journal_.clear();
    return true;
  }
  Rollback(0);
  if (cur_[static_cast<size_t>(a)].slot >= 0) Remove(a);
  Add(a, from);
  return false;
}

}  // namespace kehou::timetable::internal
