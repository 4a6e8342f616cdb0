// allocate.h: allocation of a preference round (R-SEL "preferences then allocation"), pure C++:
// no database, no HTTP. Guardians rank up to K sections; after close the office runs Allocate,
// which returns the exact optimum of the objective below, the same on every machine for the same
// input and revealed seed (Verify re-runs it). RandomSerialDictatorship is the "plain lottery"
// baseline.
//
// THE OBJECTIVE (exact; ranks r are 1-based positions in a child's list, K = max_choices):
//   Feasible: a child holds at most `course_limit` (L) sections (or its own Child::course_limit
//   when smaller), each at most once, only sections
//   from its own ranked list whose eligible grades contain its grade; no two held sections share
//   a meeting slot (weekday, band), nor a held section a slot of a seat the child already holds
//   (Child::held_slots); a section holds at most its capacity (<= kMaxSectionSize).
//   Among feasible assignments, lexicographically:
//     T1 maximise the number of priority-group children (left-behind, low-income, disability, as
//        set by the school) holding at least one section;
//     T2 maximise the number of children holding at least one section;
//     T3 maximise the number of seats held (only differs from T2 when L > 1); skipped when
//        Options::seats_first is false (then T4 is "most points", see Options);
//     T4 minimise the sum over held seats of rank_cost[r-1]. Default rank cost
//        c(r) = 3^(K-1) - 3^(K-r): K=5 gives 0, 54, 72, 78, 80. The score 3^(K-r) is convex in r,
//        so one more first choice (54) outweighs moving two children from 3rd to 2nd (2 x 18):
//        it prefers more first choices, and among the rest better ranks. (A cost convex in r such
//        as (r-1)^2 would do the opposite: trade first choices for fewer bad ranks.) Any strictly
//        increasing table may be given in Options::rank_cost.
//     T5 the lottery: among all assignments optimal for T1..T4, the one best for the child with
//        lottery position 1, then best for position 2 given that, and so on (serial dictatorship
//        over the optimal face). A child's outcome order: more sections is better, then the
//        sorted ranks compared lexicographically ((1,4) beats (2,3)). T5 makes the optimum
//        unique, so any correct solver gets the same assignment.
//   T1..T4 are solved as one min-cost flow (LEMON NetworkSimplex, int64 costs) with weights
//   W1 > W2 > W3 > 1 each larger than the whole range of the tiers below; if those weights could
//   exceed 2^60 the tiers are solved one after another instead, each restricted to the optimal
//   face of the previous (same result). Optimality is certified with the dual potentials in
//   128-bit arithmetic. T5 walks children in lottery order and improves each by zero-reduced-cost
//   cycles that leave earlier children untouched.
//   L > 1 and sections with several meeting slots: one course per slot is modelled exactly when,
//   within each child's list, sections that clash form groups that pairwise clash (identical or
//   one-slot patterns); a list with partial overlaps (A clashes B, B clashes C, A not C) is
//   refused (kRuleBroken) because no flow model is exact for it.
//
// Thread-safety: all functions are pure (no shared state); run schools in parallel freely.
#pragma once
#include <compare>
#include <cstdint>
#include <string>
#include <vector>

#include "allocate/lottery.h"
#include "catalog/rules.h"  // kMaxSectionSize only (header constant; no link dependency)
#include "core/result.h"

namespace kehou::allocate {

// A section holds at most 45 children: 45 passes, 46 is refused. One constant, the catalog's.
using catalog::kMaxSectionSize;
static_assert(kMaxSectionSize == 45);
inline constexpr int kDefaultMaxChoices = 5;   // K
inline constexpr int kMaxChoicesLimit = 10;    // largest K accepted
inline constexpr int kDefaultCourseLimit = 1;  // L
inline constexpr int kMaxCourseLimit = 10;     // largest L accepted

// Priority groups, a bit set as recorded by the school.
enum PriorityGroup : uint8_t { kLeftBehind = 1, kLowIncome = 2, kDisability = 4 };

struct Slot {
  int weekday = 1;  // 1 = Monday .. 7
  int band = 0;     // school-defined time band of the day
  auto operator<=>(const Slot&) const = default;
};

struct Section {
  int64_t id = 0;
  int capacity = 0;         // 0..kMaxSectionSize
  std::vector<int> grades;  // eligible grades
  std::vector<Slot> slots;  // meeting slots in a week
};

struct Child {
  int64_t id = 0;
  int grade = 0;
  uint8_t priority_groups = 0;  // PriorityGroup bits; non-zero = priority child
  std::vector<int64_t> ranked;  // section ids, first choice first, at most max_choices
  int course_limit = 0;         // the family's own limit for this child, 1..L; 0 = the round's L
  // Meeting slots of seats the child already holds outside this allocation (other rounds of the
  // term, placements): fixed. A ranked section meeting in one of them is not available to the
  // child (missed with Reason::kClash), like a clash with a section it is given here.
  std::vector<Slot> held_slots = {};
};

struct Options {
  int max_choices = kDefaultMaxChoices;    // K
  int course_limit = kDefaultCourseLimit;  // L
  std::vector<int64_t> rank_cost;          // empty = default; else K strictly increasing values >= 0, <= 10^6
  // T3 ("most seats") before T4 (ranks). false: T3 is dropped and T4 becomes "most points" with
  // points(r) = rank_cost[K-1] + 1 - rank_cost[r-1] >= 1 per held seat, so a child's extra seat
  // no longer outranks another child's better rank.
  bool seats_first = true;
  bool sequential_tiers = false;  // solve T1..T4 one after another (tests; same result)
  // The name of the school's rule these options come from (select/rules.h RankRule), carried in
  // the published record; the solver does not read it.
  std::string rule_name;
};

struct Input {
  std::vector<Section> sections;
  std::vector<Child> children;
  Options options;
};

struct Placement {
  int64_t child_id = 0;
  int64_t section_id = 0;
  int rank = 0;  // 1-based position in the child's list
  bool operator==(const Placement&) const = default;
};

// The objective's tier values (T1..T4; T5 has no single value).
struct Tiers {
  int64_t priority_placed = 0;
  int64_t placed = 0;
  int64_t seats = 0;
  int64_t rank_cost = 0;
  bool operator==(const Tiers&) const = default;
};

// Why a child did not get a section it ranked better than (or instead of) what it got.
enum class Reason {
  kIneligible,    // grade not eligible for the section
  kClash,         // the section meets in a slot of a section the child holds
  kLimit,         // the child already holds the most courses allowed, all ranked better
  kFullPriority,  // full, and every seat went to priority-group children (the child is not one)
  kFullRank,      // full with children who ranked it higher
  kFullLottery,   // full with children who ranked it the same and drew better lottery numbers
  kWelfare,       // a seat there for this child would leave another child unplaced or cost more
                  // in ranks (T1..T4)
};
const char* ReasonCode(Reason r);    // "ineligible", "clash", ...
const char* ReasonTextZh(Reason r);  // one sentence for the family

struct Missed {
  int64_t section_id = 0;
  int rank = 0;
  Reason reason = Reason::kWelfare;
};

// The worst admitted (rank, lottery position) of a section within one group; rank 0 = none.
struct Cutoff {
  int rank = 0;
  int lottery_position = 0;
  bool operator==(const Cutoff&) const = default;
};

struct ChildReport {
  int64_t child_id = 0;
  uint8_t priority_groups = 0;
  uint64_t lottery_value = 0;
  int lottery_position = 0;       // 1 = best
  std::vector<Placement> placed;  // by rank
  std::vector<Missed> missed;     // better-ranked (or, when short of L, all) sections not held
  std::string rule;               // "priority_group" (T1 applied) or "general"
};

struct SectionReport {
  int64_t section_id = 0;
  int capacity = 0;
  int filled = 0;
  int priority_filled = 0;
  int applicants = 0;  // eligible children who ranked it
  int first_choice_applicants = 0;
  Cutoff priority_cutoff;  // among admitted priority-group children
  Cutoff general_cutoff;   // among admitted other children
};

struct Allocation {
  std::vector<Placement> placements;  // sorted by child id, then rank
  Tiers tiers;
  std::vector<ChildReport> children;    // input order
  std::vector<SectionReport> sections;  // input order
  std::string seed_commitment;
  int lottery_moves = 0;    // T5 improvements applied (diagnostic)
  bool sequential = false;  // T1..T4 were solved one after another
};

// Input checks: ids unique, capacity within 0..kMaxSectionSize (rule named in the error),
// lists within K without duplicates or unknown sections, options sane, clash structure (L > 1).
Status Validate(const Input& input);

// The exact optimum described above.
Result<Allocation> Allocate(const Input& input, const Seed& seed);

// Baseline: children in lottery order each take their best remaining eligible, non-clashing
// choices up to L. No priority groups, no optimisation.
Result<Allocation> RandomSerialDictatorship(const Input& input, const Seed& seed);

// Recomputes Allocate(input, seed) and compares placements, tiers and lottery numbers with
// `claimed`; the error names the first difference. Also checks feasibility of `claimed`.
Status Verify(const Input& input, const Seed& seed, const Allocation& claimed);

// Feasibility of placements alone (capacity, eligibility, lists, limit, slots).
Status CheckFeasible(const Input& input, const std::vector<Placement>& placements);

// Tier values of placements (assumed feasible).
Tiers Evaluate(const Input& input, const std::vector<Placement>& placements);

// The rank cost table in force for these options (default or given).
std::vector<int64_t> RankCostTable(const Options& options);

}  // namespace kehou::allocate
