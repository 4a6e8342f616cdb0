// search.h: the solver's search state and steps (internal to src/timetable: solver.cpp runs it,
// resolve.cpp holds the re-solving steps). Method in solver.h and docs/ARCHITECTURE.md note 19.
// Thread-safety: one Search per call, not shared.
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <span>
#include <string>
#include <tuple>

#include "timetable/search_params.h"
#include "timetable/solver.h"

namespace kehou::timetable::internal {

using Clock = std::chrono::steady_clock;

inline bool Blocked(const std::vector<bool>& v, int slot) {
  return !v.empty() && static_cast<size_t>(slot) < v.size() && v[static_cast<size_t>(slot)];
}

// Lists per index in one array (compressed rows): the hot loops read an activity's teachers,
// atoms and groups without touching the problem's larger structs.
struct Rows {
  std::vector<int> off{0}, items;
  void Add(const std::vector<int>& row) {
    items.insert(items.end(), row.begin(), row.end());
    off.push_back(static_cast<int>(items.size()));
  }
  std::span<const int> operator[](int i) const {
    return {items.data() + off[static_cast<size_t>(i)], items.data() + off[static_cast<size_t>(i) + 1]};
  }
};

class Search {
 public:
  Search(const Problem& p, const SolveOptions& o)
      : p_(p),
        o_(o),
        S_(p.Slots()),
        D_(p.Days()),
        H_(p.Hours()),
        N_(static_cast<int>(p.activities.size())),
        rng_(o.seed) {
    const size_t S = static_cast<size_t>(S_);
    tcnt_.assign(p.teachers.size() * S, 0);
    acnt_.assign(p.atoms.size() * S, 0);
    rcnt_.assign(p.rooms.size() * S, 0);
    rocc_.assign(p.rooms.size() * S, -1);
    tday_.assign(p.teachers.size() * static_cast<size_t>(D_), 0);
    tused_.assign(p.teachers.size(), 0);
    cur_.assign(static_cast<size_t>(N_), Placement{});
    tabu_.assign(static_cast<size_t>(N_) * S, 0);
    in_chain_.assign(static_cast<size_t>(N_), 0);
    exch_seen_.assign(static_cast<size_t>(N_), 0);
    share_seen_.assign(static_cast<size_t>(N_), 0);
    slot_pos_.assign(static_cast<size_t>(N_), -1);
    slot_acts_.resize(S);
    slot_ok_.assign(static_cast<size_t>(N_) * S, 0);
    room_ok_.assign(static_cast<size_t>(N_) * p.rooms.size(), 0);
    groups_of_.resize(static_cast<size_t>(N_));
    for (size_t g = 0; g < p.groups.size(); ++g)
      for (int a : p.groups[g].activities) groups_of_[static_cast<size_t>(a)].push_back(static_cast<int>(g));
    for (int i = 0; i < N_; ++i) BuildDomain(i);
    Flatten();
    acts_of_teacher_.resize(p.teachers.size());
    for (int i = 0; i < N_; ++i)
      for (int t : p.activities[static_cast<size_t>(i)].teachers) acts_of_teacher_[static_cast<size_t>(t)].push_back(i);
    acts_of_atom_.resize(p.atoms.size());
    for (int i = 0; i < N_; ++i)
      for (int at : atoms_[static_cast<size_t>(i)]) acts_of_atom_[static_cast<size_t>(at)].push_back(i);
    cost_ = int64_t{N_} * kHardCost;
    // An activity locked to a slot alone still moves between its rooms (a basic-service group
    // gives way to a section that needs its room type).
    movable_.assign(static_cast<size_t>(N_), 0);
    for (int a = 0; a < N_; ++a) {
      const Activity& x = p.activities[static_cast<size_t>(a)];
      movable_[static_cast<size_t>(a)] =
          x.locked_slot < 0 || (x.locked_room < 0 && rooms_[static_cast<size_t>(a)].size() > 1);
    }
    soft_floor_ = SoftFloor();
  }

  SolveResult Run() {
    const auto start = Clock::now();
    deadline_ = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o_.seconds));
    phase_ = "construct";
    Construct();
    phase_ = "hard";
    Improve();
    Tell(1.0, true);
    SolveResult r;
    r.assignment = best_;
    r.report = Evaluate(p_, best_, o_.previous);
    r.report.unstaffed = r.report.backup = 0;  // standby duties come after the search (AssignStaff)
    r.solved = r.report.Hard() == 0;
    r.iterations = iter_;
    r.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    if (!r.solved)
      r.reasons.push_back({"unsolved", "在时间限制内未找到满足全部硬约束的课表：" + r.report.Describe(),
                           "no timetable within the time limit: " + r.report.Describe()});
    return r;
  }

 private:
  size_t Ix(int a, int s) const { return static_cast<size_t>(a) * static_cast<size_t>(S_) + static_cast<size_t>(s); }

  void BuildDomain(int i) {
    const Activity& x = p_.activities[static_cast<size_t>(i)];
    std::vector<int> atoms;
    for (int st : x.sets)
      for (int at : p_.sets[static_cast<size_t>(st)].atoms) atoms.push_back(at);
    std::sort(atoms.begin(), atoms.end());
    atoms.erase(std::unique(atoms.begin(), atoms.end()), atoms.end());
    atoms_.push_back(atoms);
    std::vector<int> rooms = x.needs_room ? FittingRooms(p_, x) : std::vector<int>{-1};
    std::vector<int> slots;
    for (int s = 0; s < S_; ++s) {
      if (x.locked_slot >= 0 && s != x.locked_slot) continue;
      bool ok = !Blocked(p_.breaks, s);
      for (int t : x.teachers) ok = ok && !Blocked(p_.teachers[static_cast<size_t>(t)].unavailable, s);
      for (int at : atoms) ok = ok && !Blocked(p_.atoms[static_cast<size_t>(at)].unavailable, s);
      bool any_room = false;
      for (size_t k = 0; k < rooms.size() && !any_room && ok; ++k)
        any_room = rooms[k] < 0 || !Blocked(p_.rooms[static_cast<size_t>(rooms[k])].unavailable, s);
      if (ok && any_room) {
        slots.push_back(s);
        slot_ok_[Ix(i, s)] = 1;
      }
    }
    for (int r : rooms)
      if (r >= 0) room_ok_[static_cast<size_t>(i) * p_.rooms.size() + static_cast<size_t>(r)] = 1;
    slots_.push_back(slots);
    rooms_.push_back(rooms);
  }

  bool RoomFree(int r, int s) const {
    return r < 0 || !room_blocked_[static_cast<size_t>(r) * static_cast<size_t>(S_) + static_cast<size_t>(s)];
  }
  int DayOf(int s) const { return day_of_[static_cast<size_t>(s)]; }

  // Cost of the group pairs of activity a at day d (a itself not placed): hard part, soft part.
  void GroupCost(int a, int d, int64_t& hard, int64_t& soft) const {
    for (int g : grp_of_[a]) {
      const int min_days = grp_min_days_[static_cast<size_t>(g)];
      for (int b : grp_members_[g]) {
        const int bs = cur_[static_cast<size_t>(b)].slot;
        if (b == a || bs < 0) continue;
        if (std::abs(DayOf(bs) - d) < min_days) {
          if (grp_hard_[static_cast<size_t>(g)]) ++hard;
          else soft += o_.weights.group_spread;
        }
      }
    }
  }

  // The cost of putting a (currently unplaced) at slot s, apart from the room's part.
  int64_t SlotCost(int a, int s) const {
    const size_t S = static_cast<size_t>(S_);
    const int d = DayOf(s);
    int64_t hard = 0, soft = 0;
    for (int t : teach_[a]) {
      const size_t ti = static_cast<size_t>(t);
      if (tcnt_[ti * S + static_cast<size_t>(s)] >= 1) ++hard;
      if (tday_[ti * static_cast<size_t>(D_) + static_cast<size_t>(d)] == 0) {
        soft += o_.weights.teacher_day;
        const int mx = tmax_[ti];
        if (mx > 0 && tused_[ti] >= mx) ++hard;
      }
    }
    for (int at : atom_rows_[a])
      if (acnt_[static_cast<size_t>(at) * S + static_cast<size_t>(s)] >= 1) ++hard;
    GroupCost(a, d, hard, soft);
    return hard * kHardCost + soft;
  }

  int64_t RoomCost(int a, int s, int r) const {
    int64_t c = 0;
    if (r >= 0) {
      if (rcnt_[static_cast<size_t>(r) * static_cast<size_t>(S_) + static_cast<size_t>(s)] >= 1) c += kHardCost;
      if (not_preferred_[static_cast<size_t>(a) * p_.rooms.size() + static_cast<size_t>(r)])
        c += o_.weights.preferred_room;
    }
    if (!o_.previous.empty() && !(o_.previous[static_cast<size_t>(a)] == Placement{s, r})) c += o_.weights.moved;
    return c;
  }

  // Places a (unplaced) at pl and adds its cost; Remove undoes it exactly. An unplaced activity
  // costs as much as a broken hard rule.
  void Add(int a, Placement pl) {
    cost_ += SlotCost(a, pl.slot) + RoomCost(a, pl.slot, pl.room) - kHardCost;  // no longer unplaced
    Touch(a, pl, +1);
  }
  void Remove(int a) {
    const Placement pl = cur_[static_cast<size_t>(a)];
    Touch(a, Placement{}, -1);
    cost_ -= SlotCost(a, pl.slot) + RoomCost(a, pl.slot, pl.room) - kHardCost;
    removed_ = pl;
  }
  void Touch(int a, Placement pl, int sign) {
    const size_t S = static_cast<size_t>(S_);
    const Placement at = sign > 0 ? pl : cur_[static_cast<size_t>(a)];
    const size_t s = static_cast<size_t>(at.slot);
    const size_t d = static_cast<size_t>(DayOf(at.slot));
    for (int t : teach_[a]) {
      const size_t ti = static_cast<size_t>(t);
      tcnt_[ti * S + s] += sign;
      int& dd = tday_[ti * static_cast<size_t>(D_) + d];
      if (sign > 0 && dd++ == 0) ++tused_[ti];
      if (sign < 0 && --dd == 0) --tused_[ti];
    }
    for (int x : atom_rows_[a]) acnt_[static_cast<size_t>(x) * S + s] += sign;
    if (at.room >= 0) {
      const size_t ri = static_cast<size_t>(at.room) * S + s;
      rcnt_[ri] += sign;
      if (sign > 0) rocc_[ri] = a;
      else if (rocc_[ri] == a) rocc_[ri] = -1;
    }
    auto& here = slot_acts_[s];  // swap-remove through slot_pos_: O(1) either way
    if (sign > 0) {
      slot_pos_[static_cast<size_t>(a)] = static_cast<int>(here.size());
      here.push_back(a);
    } else {
      const int pos = slot_pos_[static_cast<size_t>(a)];
      here[static_cast<size_t>(pos)] = here.back();
      slot_pos_[static_cast<size_t>(here.back())] = pos;
      here.pop_back();
    }
    cur_[static_cast<size_t>(a)] = sign > 0 ? pl : Placement{};
  }

  // Re-solving (resolve.cpp). Ejection chain: places unplaced a where it breaks no hard rule,
  // displacing at most kEjectBlockers activities in its way, each of which must then find such a
  // place too (up to `depth` links); every change journaled so a failed branch rolls back exactly.
  // best: try every first-level candidate and keep the cheapest outcome (re-solving: the fewest
  // moves), instead of the first that succeeds.
  bool Relocate(int a, int depth, bool best = false);
  void JAdd(int a, Placement pl);
  void JRemove(int a);
  void Rollback(size_t mark);
  bool Shares(int a, int b) const;
  // Every activity that lost its place is put back by the shortest ejection chain found
  // (iterative deepening). False (state unchanged) when one of them finds none.
  bool EjectAll();
  // When the tabu search stalls: moves conflicting a to a clash-free place by a short ejection
  // chain (FET's recursive swapping, bounded); false (state unchanged) when none is found.
  bool Repair(int a);
  // Re-solving, once no hard rule is broken: each moved activity is tried back at its previous
  // place, the activities in its way moved by short ejection chains (their own previous places
  // first: a move costs more than any other soft goal); kept when the cost falls (fewer moves).
  // Rounds until one brings nothing back. True when anything came back.
  bool MoveBack();

  // splitmix64: fast, and the same sequence for a seed on every platform.
  uint64_t Next() {
    uint64_t z = (rng_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  uint64_t Rand(uint64_t n) { return n == 0 ? 0 : Next() % n; }

  // Cheapest (slot, room) for unplaced a, ties broken at random; tabu entries skipped unless the
  // result would beat the best cost so far (aspiration).
  Placement BestMove(int a, int64_t& best_cost, bool use_tabu) {
    Placement best{};
    best_cost = INT64_MAX;
    uint64_t ties = 0;
    const auto& rooms = rooms_[static_cast<size_t>(a)];
    const size_t nr = rooms.size();
    for (int s : slots_[static_cast<size_t>(a)]) {
      const int64_t sc = SlotCost(a, s);
      if (sc > best_cost) continue;  // a room never costs less than nothing
      const bool tabu = use_tabu && tabu_[Ix(a, s)] > iter_;
      // This slot's cheapest room, the first from a random start (one draw per slot, not per tie).
      int64_t slot_best = INT64_MAX;
      int slot_room = -2;
      const size_t off = Rand(nr);
      for (size_t k = 0; k < nr; ++k) {
        const int r = rooms[(off + k) % nr];
        if (!RoomFree(r, s)) continue;
        const int64_t c = sc + RoomCost(a, s, r);
        if (tabu && cost_ + c >= best_total_) continue;
        if (c < slot_best) {
          slot_best = c;
          slot_room = r;
          if (c == sc) break;  // nothing cheaper in this slot
        }
      }
      if (slot_room == -2) continue;
      if (slot_best < best_cost) {
        best_cost = slot_best;
        best = {s, slot_room};
        ties = 1;
      } else if (slot_best == best_cost && Rand(++ties) == 0) {
        best = {s, slot_room};
      }
    }
    return best;
  }

  void Construct() {
    std::vector<int> order(static_cast<size_t>(N_));
    for (int i = 0; i < N_; ++i) order[static_cast<size_t>(i)] = i;
    std::vector<int> load(p_.teachers.size(), 0);
    for (const Activity& x : p_.activities)
      for (int t : x.teachers) ++load[static_cast<size_t>(t)];
    auto key = [&](int i) {
      const Activity& x = p_.activities[static_cast<size_t>(i)];
      int64_t dom = static_cast<int64_t>(slots_[static_cast<size_t>(i)].size()) *
                    static_cast<int64_t>(rooms_[static_cast<size_t>(i)].size());
      int busy = 0;
      for (int t : x.teachers) busy = std::max(busy, load[static_cast<size_t>(t)]);
      const bool locked = x.locked_slot >= 0;
      return std::make_tuple(!locked, dom, -busy, i);
    };
    std::sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    std::vector<int> rest;
    if (!o_.previous.empty()) {  // keep what is still allowed where it was
      for (int a : order) {
        const Placement pl = o_.previous[static_cast<size_t>(a)];
        const bool ok =
            pl.slot >= 0 && pl.slot < S_ && slot_ok_[Ix(a, pl.slot)] &&
            (pl.room < 0 ? !p_.activities[static_cast<size_t>(a)].needs_room
                         : room_ok_[static_cast<size_t>(a) * p_.rooms.size() + static_cast<size_t>(pl.room)] != 0) &&
            RoomFree(pl.room, pl.slot);
        if (ok && SlotCost(a, pl.slot) + RoomCost(a, pl.slot, pl.room) < kHardCost) Add(a, pl);
        else rest.push_back(a);
      }
    } else {
      rest = order;
    }
    // An activity whose cheapest place breaks a hard rule first tries a short ejection chain
    // (the activities in its way move to places that break none); not when re-solving, where
    // EjectAll does the same while counting moves.
    const bool chains = o_.previous.empty();
    for (int a : rest) {
      int64_t c = 0;
      Placement pl = BestMove(a, c, false);
      if (pl.slot >= 0 && c >= kHardCost && chains && PlaceByChain(a)) continue;
      if (pl.slot >= 0) Add(a, pl);
    }
    Remember();
  }

  // Construction: places unplaced a with no hard rule broken by the shortest ejection chain found
  // (iterative deepening, a small budget per depth); false, state unchanged, when none is found.
  bool PlaceByChain(int a);

  // A lower bound of the soft points of any timetable: each teacher teaches on at least as many
  // days as their activities need at the most hours they can teach in one day. The soft phase
  // stops when it gets there (nothing left to gain). Re-solving adds no bound for moves.
  int64_t SoftFloor() const;

  // Soft phase: the activities whose own move could lower the soft points: alone on a day of one
  // of their teachers, in a soft group pair too close, outside their preferred rooms, or moved
  // (re-solving). Swaps reach the others through these.
  bool SoftCandidate(int a) const;

  void Remember() {
    best_ = cur_;
    best_total_ = cost_;
  }

  bool Conflicting(int a) const {
    const Placement pl = cur_[static_cast<size_t>(a)];
    if (pl.slot < 0) return true;
    const size_t S = static_cast<size_t>(S_), s = static_cast<size_t>(pl.slot);
    for (int t : teach_[a]) {
      const size_t ti = static_cast<size_t>(t);
      if (tcnt_[ti * S + s] > 1) return true;
      const int mx = tmax_[ti];
      if (mx > 0 && tused_[ti] > mx) return true;
    }
    for (int at : atom_rows_[a])
      if (acnt_[static_cast<size_t>(at) * S + s] > 1) return true;
    if (pl.room >= 0 && rcnt_[static_cast<size_t>(pl.room) * S + s] > 1) return true;
    for (int g : grp_of_[a]) {
      if (!grp_hard_[static_cast<size_t>(g)]) continue;
      for (int b : grp_members_[g])
        if (b != a && cur_[static_cast<size_t>(b)].slot >= 0 &&
            std::abs(DayOf(cur_[static_cast<size_t>(b)].slot) - DayOf(pl.slot)) < grp_min_days_[static_cast<size_t>(g)])
          return true;
    }
    return false;
  }

  // Another activity shares a teacher, students or the room with a at its place pl.
  bool ClashesAt(int a, Placement pl) const {
    const size_t S = static_cast<size_t>(S_), s = static_cast<size_t>(pl.slot);
    for (int t : teach_[a])
      if (tcnt_[static_cast<size_t>(t) * S + s] > 1) return true;
    for (int at : atom_rows_[a])
      if (acnt_[static_cast<size_t>(at) * S + s] > 1) return true;
    return pl.room >= 0 && rcnt_[static_cast<size_t>(pl.room) * S + s] > 1;
  }

  // One tabu step on activity a: the best single move, or a swap with the occupant of a room-slot
  // or an exchange with an activity of its teachers or classes when no single move improves
  // (search.cpp). Returns false when a has nowhere to go (or, keep_hard, nothing keeps the cost).
  struct Move {
    Placement to{};
    int swap_with = -1;         // the activity that takes a's old place (-1: a single move)
    int64_t after = INT64_MAX;  // the cost after the move
  };
  bool Step(int a, bool keep_hard);
  void SampleSwaps(int a, Placement from, Move& m);
  void GatherExchanges(int a, bool keep_hard);
  void TryExchange(int a, int b, Placement from, Move& m);
  // The cost once unplaced a is at to and b (now at to) at from; INT64_MAX when it cannot be
  // below bound. State unchanged on return.
  int64_t SwapCost(int a, int b, Placement from, Placement to, int64_t bound);
  int64_t swap_cap_ = INT64_MAX;  // Step: no swap above this cost can be taken (keep_hard)
  void Commit(int a, Placement from, const Move& m);

  bool TimeUp() {
    if ((iter_ & 63) != 0) return false;
    if (o_.progress && !Tell(-1, false)) return true;
    return Clock::now() >= deadline_;
  }

  // Tells SolveOptions::progress where the search is (fraction < 0: estimated from the phase);
  // false when the caller asked to stop. stopped_ keeps the answer.
  bool Tell(double fraction, bool final);

  // Tabu search on the conflicting movable activities until no hard rule is broken, the step
  // budget is spent or time is up.
  // The conflicting movable activities are listed afresh every kRebuildEvery steps; in between a
  // picked one is checked again, and the activities a step puts a new clash on are added.
  void HardPhase(int64_t budget);

  // Re-solving: the next ring of movable activities (their teachers' and students' activities,
  // the occupants of the room-slots they could take).
  void Widen(std::vector<char>& m) const;

  void Improve() {
    const std::vector<char> all = movable_;
    if (!o_.previous.empty() && best_total_ >= kHardCost) {
      // Several attempts from the same start (each a few milliseconds); the one that moves
      // fewest placements wins (the cost counts each move above every other soft goal).
      if (EjectAll()) Remember();
      const Assignment start = cur_;
      const int64_t first_iter = iter_;
      for (int attempt = 0; best_total_ >= kHardCost && iter_ - first_iter < kResolveTotalSteps &&
                            attempt < kResolveAttempts && !TimeUp();
           ++attempt) {
        if (attempt > 0) Load(start);
        std::vector<char> m(static_cast<size_t>(N_), 0);
        for (int a = 0; a < N_; ++a)
          m[static_cast<size_t>(a)] =
              all[static_cast<size_t>(a)] && !(cur_[static_cast<size_t>(a)] == o_.previous[static_cast<size_t>(a)]);
        for (int level = 0; level < kResolveLevels && cost_ >= kHardCost && !TimeUp(); ++level) {
          movable_ = m;
          const auto n = std::count(m.begin(), m.end(), 1);
          HardPhase(kResolveStepsBase + kResolveStepsPerActivity * n);
          Widen(m);
        }
      }
      movable_ = all;
      if (best_total_ < kHardCost) Restore(false);
    }
    HardPhase(INT64_MAX);
    if (best_total_ < kHardCost && cur_ != best_) Restore(false);
    if (!o_.previous.empty() && best_total_ < kHardCost && MoveBack() && cost_ < best_total_) Remember();
    // Soft improvement: moves that keep every hard rule and do not cost more.
    const int64_t soft_steps = o_.soft_iterations >= 0 ? o_.soft_iterations : int64_t{5} * N_;
    phase_ = "soft";
    std::vector<int> moved;  // re-solving: half the steps try to bring a moved activity back
    for (int a = 0; a < N_; ++a)
      if (!o_.previous.empty() && !(cur_[static_cast<size_t>(a)] == o_.previous[static_cast<size_t>(a)]))
        moved.push_back(a);
    // Steps go to the activities whose move could gain (SoftCandidate, listed afresh every
    // kRebuildEvery steps); the phase ends at the lower bound, when none is left, or after
    // kSoftStallPerActivity steps per activity without a new best.
    std::vector<int> cands;
    const int64_t stall = std::max<int64_t>(kSoftStallMin, kSoftStallPerActivity * N_);
    int64_t since_best = 0, since_rebuild = kRebuildEvery;
    for (int64_t k = 0;
         best_total_ < kHardCost && k < soft_steps + 20 * static_cast<int64_t>(moved.size()) && N_ > 0 && !TimeUp();
         ++k) {
      if (best_total_ <= soft_floor_ && o_.previous.empty()) break;
      if (since_best > stall && moved.empty()) break;
      if (since_rebuild++ >= kRebuildEvery) {
        cands.clear();
        for (int a = 0; a < N_; ++a)
          if (movable_[static_cast<size_t>(a)] && SoftCandidate(a)) cands.push_back(a);
        since_rebuild = 0;
        if (cands.empty() && moved.empty()) break;
      }
      ++iter_;
      ++since_best;
      soft_done_ = k;
      soft_steps_ = soft_steps + 20 * static_cast<int64_t>(moved.size());
      const int a = !moved.empty() && (k & 1) ? moved[Rand(moved.size())]
                    : !cands.empty()          ? cands[Rand(cands.size())]
                                              : static_cast<int>(Rand(static_cast<uint64_t>(N_)));
      if (!movable_[static_cast<size_t>(a)]) continue;
      Step(a, true);
      if (cost_ < best_total_) {
        Remember();
        since_best = 0;
      }
    }
  }

  void Load(const Assignment& to) {
    for (int a = 0; a < N_; ++a)
      if (cur_[static_cast<size_t>(a)].slot >= 0) Remove(a);
    cost_ = int64_t{N_} * kHardCost;
    for (int a = 0; a < N_; ++a)
      if (to[static_cast<size_t>(a)].slot >= 0) Add(a, to[static_cast<size_t>(a)]);
  }

  void Restore(bool kick) {
    Load(best_);
    for (int k = 0; kick && k < 3 && N_ > 0; ++k) {  // a few random kicks, so the search does not retrace itself
      const int a = static_cast<int>(Rand(static_cast<uint64_t>(N_)));
      if (!movable_[static_cast<size_t>(a)] || cur_[static_cast<size_t>(a)].slot < 0) continue;
      const auto& sl = slots_[static_cast<size_t>(a)];
      const auto& rl = rooms_[static_cast<size_t>(a)];
      const Placement pl{sl[Rand(sl.size())], rl[Rand(rl.size())]};
      if (!RoomFree(pl.room, pl.slot)) continue;
      Remove(a);
      Add(a, pl);
    }
  }

  const Problem& p_;
  const SolveOptions& o_;
  const int S_, D_, H_, N_;
  uint64_t rng_;
  Clock::time_point deadline_{};
  std::vector<int> tcnt_, acnt_, rcnt_, rocc_, tday_, tused_;
  std::vector<std::vector<int>> atoms_, slots_, rooms_, groups_of_;
  // Flatten(): the same lists in one array each, and the few numbers the hot loops read.
  void Flatten();
  Rows teach_, atom_rows_, grp_of_, grp_members_;
  std::vector<int> tmax_, grp_min_days_;        // each teacher's max days, each group's min days
  std::vector<char> grp_hard_, not_preferred_;  // a hard group; activity x room outside its preferred rooms
  std::vector<char> room_blocked_;              // room x slot: the room is not available
  std::vector<int> day_of_;                     // each slot's day
  std::vector<char> slot_ok_, room_ok_, movable_, in_chain_;
  std::vector<std::vector<int>> slot_acts_, acts_of_teacher_, acts_of_atom_;
  std::vector<int> exch_;            // Step: the activities a may exchange places with
  std::vector<uint32_t> exch_seen_;  // Step: stamp per activity, so exch_ lists each once
  uint32_t exch_stamp_ = 0;
  std::vector<int> slot_pos_;  // each placed activity's index in slot_acts_ of its slot
  int64_t eject_budget_ = 0;
  struct ChainCand {
    int n;
    int64_t cost;
    Placement pl;
    int blockers[kEjectBlockers];
    int order = 0;
  };
  void GatherChainCandidates(int a, int depth, std::vector<ChainCand>& cands);
  void GatherSharers(int a);
  bool RoomOccupantsInWay(int r, int s, int depth, const int* shared, int ns, ChainCand& c) const;
  std::vector<std::pair<int64_t, int>> sharers_;  // GatherSharers: (slot x N + index in the slot, activity)
  std::vector<uint32_t> share_seen_;              // GatherSharers: stamp per activity
  uint32_t share_stamp_ = 0;
  std::vector<std::vector<ChainCand>> chain_cands_;    // Relocate: candidates per depth (reused)
  std::vector<std::pair<int, Placement>> journal_;     // ejection: each change and the placement before it
  std::vector<std::pair<int, Placement>> best_chain_;  // Relocate(best): the cheapest outcome's placements
  std::vector<int64_t> tabu_;
  Assignment cur_, best_;
  Placement removed_{};
  int64_t cost_ = 0, best_total_ = INT64_MAX, iter_ = 0;
  int64_t soft_floor_ = 0;           // SoftFloor(): the soft phase stops there
  std::string phase_ = "construct";  // for SolveOptions::progress
  int64_t soft_done_ = 0, soft_steps_ = 0;
  bool stopped_ = false;  // the progress callback asked to stop
};

}  // namespace kehou::timetable::internal
