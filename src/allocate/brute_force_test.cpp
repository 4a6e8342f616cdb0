// Exhaustive search on many random tiny rounds: the allocation must equal the brute-force
// lexicographic optimum exactly (T1..T4 values and, through T5, the very same assignment).
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "allocate/allocate.h"

namespace kehou::allocate {
namespace {

struct Brute {
  const Input& in;
  std::vector<int64_t> cost;
  std::vector<std::vector<std::pair<int, int>>> opts;  // per child: (section index, rank)
  std::vector<std::vector<std::vector<int>>> sets;     // per child: feasible option-index sets
  std::vector<int> order;                              // lottery order
  std::vector<int> load;
  std::vector<int> pick;
  bool have = false;
  Tiers best_t;
  std::vector<int> best;

  static bool Clash(const Section& a, const Section& b) {
    for (const Slot& x : a.slots)
      for (const Slot& y : b.slots)
        if (x == y) return true;
    return false;
  }

  Brute(const Input& input, const Seed& seed) : in(input), cost(RankCostTable(input.options)) {
    std::vector<int64_t> ids;
    for (const Child& c : in.children) {
      ids.push_back(c.id);
      std::vector<std::pair<int, int>> o;
      for (size_t r = 0; r < c.ranked.size(); ++r) {
        for (size_t s = 0; s < in.sections.size(); ++s) {
          const Section& sec = in.sections[s];
          if (sec.id == c.ranked[r] && std::count(sec.grades.begin(), sec.grades.end(), c.grade)) {
            o.emplace_back(static_cast<int>(s), static_cast<int>(r) + 1);
          }
        }
      }
      std::vector<std::vector<int>> fs;
      for (uint32_t mask = 0; mask < (1u << o.size()); ++mask) {
        std::vector<int> set;
        for (size_t j = 0; j < o.size(); ++j)
          if (mask & (1u << j)) set.push_back(static_cast<int>(j));
        const int limit =
            c.course_limit > 0 ? std::min(c.course_limit, in.options.course_limit) : in.options.course_limit;
        if (static_cast<int>(set.size()) > limit) continue;
        bool ok = true;
        for (size_t a = 0; a < set.size(); ++a)
          for (size_t b = a + 1; b < set.size(); ++b)
            ok = ok && !Clash(in.sections[static_cast<size_t>(o[static_cast<size_t>(set[a])].first)],
                              in.sections[static_cast<size_t>(o[static_cast<size_t>(set[b])].first)]);
        if (ok) fs.push_back(set);
      }
      opts.push_back(o);
      sets.push_back(fs);
    }
    const auto pos = LotteryPositions(seed, ids);
    order.resize(ids.size());
    for (size_t c = 0; c < ids.size(); ++c) order[static_cast<size_t>(pos[c] - 1)] = static_cast<int>(c);
    load.assign(in.sections.size(), 0);
    pick.assign(in.children.size(), 0);
  }

  static bool BetterSet(const std::vector<int>& a, const std::vector<int>& b) {
    if (a.size() != b.size()) return a.size() > b.size();
    return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end());
  }

  Tiers Value() const {
    Tiers t;
    for (size_t c = 0; c < pick.size(); ++c) {
      const auto& set = sets[c][static_cast<size_t>(pick[c])];
      if (!set.empty()) {
        ++t.placed;
        if (in.children[c].priority_groups) ++t.priority_placed;
      }
      for (int j : set) {
        ++t.seats;
        t.rank_cost += cost[static_cast<size_t>(opts[c][static_cast<size_t>(j)].second - 1)];
      }
    }
    return t;
  }

  // -1: current pick better than best, 1: worse, 0: equal.
  int Compare(const Tiers& t) const {
    if (t.priority_placed != best_t.priority_placed) return t.priority_placed > best_t.priority_placed ? -1 : 1;
    if (t.placed != best_t.placed) return t.placed > best_t.placed ? -1 : 1;
    if (in.options.seats_first) {
      if (t.seats != best_t.seats) return t.seats > best_t.seats ? -1 : 1;
      if (t.rank_cost != best_t.rank_cost) return t.rank_cost < best_t.rank_cost ? -1 : 1;
    } else {  // most points: each seat bonus - cost(r), bonus = the worst cost + 1
      const int64_t bonus = cost.back() + 1;
      const int64_t a = bonus * t.seats - t.rank_cost, b = bonus * best_t.seats - best_t.rank_cost;
      if (a != b) return a > b ? -1 : 1;
    }
    for (int c : order) {
      const auto& a = sets[static_cast<size_t>(c)][static_cast<size_t>(pick[static_cast<size_t>(c)])];
      const auto& b = sets[static_cast<size_t>(c)][static_cast<size_t>(best[static_cast<size_t>(c)])];
      if (a != b) return BetterSet(a, b) ? -1 : 1;
    }
    return 0;
  }

  void Dfs(size_t c) {
    if (c == pick.size()) {
      const Tiers t = Value();
      if (!have || Compare(t) < 0) {
        have = true;
        best_t = t;
        best = pick;
      }
      return;
    }
    for (size_t k = 0; k < sets[c].size(); ++k) {
      bool ok = true;
      for (int j : sets[c][k])
        ok = ok && load[static_cast<size_t>(opts[c][static_cast<size_t>(j)].first)] <
                       in.sections[static_cast<size_t>(opts[c][static_cast<size_t>(j)].first)].capacity;
      if (!ok) continue;
      for (int j : sets[c][k]) ++load[static_cast<size_t>(opts[c][static_cast<size_t>(j)].first)];
      pick[c] = static_cast<int>(k);
      Dfs(c + 1);
      for (int j : sets[c][k]) --load[static_cast<size_t>(opts[c][static_cast<size_t>(j)].first)];
    }
  }

  std::vector<Placement> Placements() const {
    std::vector<Placement> out;
    for (size_t c = 0; c < best.size(); ++c)
      for (int j : sets[c][static_cast<size_t>(best[c])]) {
        const auto& o = opts[c][static_cast<size_t>(j)];
        out.push_back(Placement{in.children[c].id, in.sections[static_cast<size_t>(o.first)].id, o.second});
      }
    std::sort(out.begin(), out.end(), [](const Placement& a, const Placement& b) {
      return a.child_id != b.child_id ? a.child_id < b.child_id : a.rank < b.rank;
    });
    return out;
  }
};

// extras: now and then ranks before seats (Options::seats_first false) and a family's own
// per-child limit.
Input RandomInput(std::mt19937_64& rng, int course_limit, bool extras = false) {
  auto U = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  Input in;
  in.options.max_choices = U(2, 4);
  in.options.course_limit = course_limit;
  if (U(0, 3) == 0) {  // a random strictly increasing cost table now and then
    int64_t v = U(0, 3);
    for (int r = 0; r < in.options.max_choices; ++r) {
      in.options.rank_cost.push_back(v);
      v += U(1, 9);
    }
  }
  // Slot patterns that are identical or disjoint, so any L is exact.
  if (extras) in.options.seats_first = U(0, 1) == 0;
  const std::vector<std::vector<Slot>> patterns = {{{1, 1}}, {{2, 1}}, {{3, 1}, {4, 1}}};
  const int m = U(1, 4);
  for (int s = 0; s < m; ++s) {
    Section sec{100 + s, U(0, 3), {}, patterns[static_cast<size_t>(U(0, course_limit > 1 ? 2 : 0))]};
    if (U(0, 4) == 0) sec.grades = {U(1, 2)};
    else sec.grades = {1, 2};
    in.sections.push_back(sec);
  }
  const int n = U(1, course_limit > 1 ? 5 : 6);
  for (int c = 0; c < n; ++c) {
    Child ch{1000 + 7 * c, U(1, 2), static_cast<uint8_t>(U(0, 3) == 0 ? kLeftBehind : 0), {}};
    std::vector<int64_t> ids;
    for (const Section& s : in.sections) ids.push_back(s.id);
    std::shuffle(ids.begin(), ids.end(), rng);
    const int len = U(0, std::min<int>(in.options.max_choices, static_cast<int>(ids.size())));
    ch.ranked.assign(ids.begin(), ids.begin() + len);
    if (extras && U(0, 2) == 0) ch.course_limit = U(1, course_limit);
    in.children.push_back(ch);
  }
  return in;
}

void RunMany(int course_limit, int count, uint64_t seed0, bool extras = false) {
  std::mt19937_64 rng(seed0);
  for (int i = 0; i < count; ++i) {
    Input in = RandomInput(rng, course_limit, extras);
    Seed seed{};
    for (auto& b : seed) b = static_cast<unsigned char>(rng());
    Brute brute(in, seed);
    brute.Dfs(0);
    ASSERT_TRUE(brute.have);
    auto a = Allocate(in, seed);
    ASSERT_TRUE(a.ok()) << a.error().message_en;
    ASSERT_EQ(a->tiers, brute.best_t) << "instance " << i;
    ASSERT_EQ(a->placements, brute.Placements()) << "instance " << i << " (T5 differs)";
    ASSERT_TRUE(CheckFeasible(in, a->placements).ok());
    ASSERT_TRUE(Verify(in, seed, *a).ok());
    Input seq = in;
    seq.options.sequential_tiers = true;
    auto b = Allocate(seq, seed);
    ASSERT_TRUE(b.ok());
    ASSERT_EQ(b->placements, a->placements) << "instance " << i << " sequential";
    auto r = RandomSerialDictatorship(in, seed);
    ASSERT_TRUE(r.ok());
    ASSERT_TRUE(CheckFeasible(in, r->placements).ok());
    ASSERT_GE(a->tiers.priority_placed, r->tiers.priority_placed);
    if (a->tiers.priority_placed == r->tiers.priority_placed) {
      ASSERT_GE(a->tiers.placed, r->tiers.placed);
    }
  }
}

TEST(BruteForce, OneCourseEachMatchesExhaustiveOptimum) { RunMany(1, 1500, 1); }
TEST(BruteForce, TwoCoursesEachMatchesExhaustiveOptimum) { RunMany(2, 800, 2); }
TEST(BruteForce, ThreeCoursesEachMatchesExhaustiveOptimum) { RunMany(3, 300, 3); }
// Ranks before seats (Options::seats_first false) and families' own per-child limits.
TEST(BruteForce, RanksFirstAndPerChildLimitsMatchExhaustiveOptimum) {
  RunMany(2, 600, 4, true);
  RunMany(3, 300, 5, true);
}

}  // namespace
}  // namespace kehou::allocate
