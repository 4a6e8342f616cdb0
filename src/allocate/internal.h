// internal.h: shared internals of the allocation module (not a public API).
// Thread-safety: plain values.
#pragma once
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "allocate/allocate.h"

namespace kehou::allocate::internal {

struct Option {
  int section = 0;  // index into Input::sections
  int rank = 0;     // 1-based
  int cls = -1;     // clash class within the child (-1: clashes with nothing else in its list)
};

// Input checked and indexed.
struct Prepared {
  const Input* input = nullptr;
  int K = 0;
  int L = 0;
  std::vector<int> child_L;                        // per child: its own limit (<= L)
  std::vector<int64_t> cost;                       // rank cost, index rank-1
  std::unordered_map<int64_t, int> section_index;  // id -> index
  std::vector<std::vector<Option>> options;        // per child: eligible options, best first
  std::vector<std::vector<Option>> ineligible;     // per child: ranked but not eligible
  std::vector<std::vector<Option>> blocked;        // per child: eligible, but meets in a slot it already holds
  std::vector<int> classes;                        // per child: number of clash classes used
  std::vector<uint64_t> lottery_value;
  std::vector<int> lottery_position;  // 1-based
  std::vector<int> order;             // child indices, lottery order
};

Result<Prepared> Prepare(const Input& input, const Seed& seed);

bool Clash(const Section& a, const Section& b);

// held[c] = option indices held by child c, best first. Builds placements, tiers and reports.
Allocation BuildAllocation(const Prepared& p, const std::vector<std::vector<int>>& held, const Seed& seed);

// The solver: held option indices per child (exact optimum, T1..T5).
struct SolveStats {
  int lottery_moves = 0;
  bool sequential = false;
};
Result<std::vector<std::vector<int>>> SolveOptimum(const Prepared& p, SolveStats* stats);

}  // namespace kehou::allocate::internal
