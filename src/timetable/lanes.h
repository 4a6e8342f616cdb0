// lanes.h: a portfolio of searches run side by side (SolveOptions::lanes). Lane 0 is the search
// of the seed; when its construction leaves a hard rule broken, lane 1 starts with another seed
// on a second thread. The lane that breaks no hard rule after the fewest search steps wins (the
// lower lane on a tie) and goes on to the soft goals; a lane that can no longer win stops. Steps,
// not time, decide: each lane's steps to its first hard-feasible timetable depend only on its
// seed, so the same seed and lanes give the same timetable however the threads are scheduled
// (unless the time limit ends the search first). Why: tabu search's steps to feasibility vary
// several-fold between seeds on tight instances (tight200: 3,646 steps with seed 1, ~1,700 on
// average over seeds 1-8); two lanes take the shorter of two runs on a second core.
// Internal to src/timetable. Thread-safety: Finish/Beaten from the lanes' threads (atomics).
#pragma once
#include <atomic>
#include <cstdint>
#include <functional>

#include "timetable/solver.h"

namespace kehou::timetable::internal {

inline constexpr int kMaxLanes = kMaxSolveLanes;
inline constexpr uint64_t kLaneSeedStep = 0x9E3779B97F4A7C15ULL;  // lane i's seed: seed + i * this

class LaneRace {
 public:
  static constexpr int64_t kNotYet = INT64_MAX;
  // Called by lane 0 once its construction leaves a hard rule broken (starts the other lanes).
  std::function<void()> start_others;

  // Lane solved every hard rule after steps search steps.
  void Finish(int lane, int64_t steps) { done_[lane].store(steps, std::memory_order_relaxed); }

  // True when lane can no longer win: another lane was hard-feasible after fewer steps than lane
  // took (or, still searching after steps, will take: at least steps + 1), or as many and comes first.
  bool Beaten(int lane, int64_t steps) const {
    const int64_t own = done_[lane].load(std::memory_order_relaxed);
    const int64_t mine = own != kNotYet ? own : steps + 1;
    for (int j = 0; j < kMaxLanes; ++j) {
      if (j == lane) continue;
      const int64_t d = done_[j].load(std::memory_order_relaxed);
      if (d < mine || (d == mine && d != kNotYet && j < lane)) return true;
    }
    return false;
  }

  // The lane with the fewest steps (the lower on a tie); 0 when none finished.
  int Winner() const {
    int best = 0;
    for (int j = 1; j < kMaxLanes; ++j)
      if (done_[j].load(std::memory_order_relaxed) < done_[best].load(std::memory_order_relaxed)) best = j;
    return best;
  }

 private:
  std::atomic<int64_t> done_[kMaxLanes] = {kNotYet, kNotYet};
};

}  // namespace kehou::timetable::internal
