#include "allocate/allocate.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace kehou::allocate {
namespace {

Seed SeedOf(int k) {
  Seed s{};
  for (size_t i = 0; i < s.size(); ++i) s[i] = static_cast<unsigned char>(k * 31 + static_cast<int>(i));
  return s;
}

Section Sec(int64_t id, int cap, std::vector<Slot> slots = {{1, 1}}, std::vector<int> grades = {1, 2, 3, 4, 5, 6}) {
  return Section{id, cap, std::move(grades), std::move(slots)};
}

Child Kid(int64_t id, std::vector<int64_t> ranked, uint8_t prio = 0, int grade = 3) {
  return Child{id, grade, prio, std::move(ranked)};
}

std::map<int64_t, std::vector<int64_t>> ByChild(const Allocation& a) {
  std::map<int64_t, std::vector<int64_t>> m;
  for (const Placement& p : a.placements) m[p.child_id].push_back(p.section_id);
  return m;
}

const ChildReport& Report(const Allocation& a, int64_t child) {
  for (const ChildReport& r : a.children)
    if (r.child_id == child) return r;
  throw std::runtime_error("no report");
}

TEST(AllocateValidate, CapacityFortyFivePassesFortySixIsRefusedNamingTheRule) {
  Input in;
  in.sections = {Sec(1, kMaxSectionSize)};
  EXPECT_TRUE(Validate(in).ok());
  in.sections = {Sec(1, 46)};
  const Status st = Validate(in);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, kRuleBroken);
  EXPECT_NE(st.error().message.find("45"), std::string::npos);
  EXPECT_NE(st.error().message_en.find("at most 45"), std::string::npos);
  EXPECT_EQ(st.error().field, "capacity");
  EXPECT_FALSE(Allocate(in, SeedOf(1)).ok());
  EXPECT_FALSE(RandomSerialDictatorship(in, SeedOf(1)).ok());
}

TEST(AllocateValidate, RefusesBadLists) {
  Input in;
  in.sections = {Sec(1, 5), Sec(2, 5)};
  in.children = {Kid(1, {1, 2})};
  EXPECT_TRUE(Validate(in).ok());
  in.children = {Kid(1, {1, 1})};
  EXPECT_EQ(Validate(in).error().code, kInvalid);  // duplicate
  in.children = {Kid(1, {9})};
  EXPECT_EQ(Validate(in).error().code, kInvalid);  // unknown section
  in.children = {Kid(1, {1}), Kid(1, {2})};
  EXPECT_EQ(Validate(in).error().code, kInvalid);  // duplicate child
  in.options.max_choices = 1;
  in.children = {Kid(1, {1, 2})};
  EXPECT_EQ(Validate(in).error().field, "ranked");  // longer than K
  in.options = Options{};
  in.sections.push_back(Sec(1, 3));
  EXPECT_EQ(Validate(in).error().code, kInvalid);  // duplicate section
  in.sections = {Sec(1, -1)};
  in.children.clear();
  EXPECT_EQ(Validate(in).error().code, kInvalid);
  in.sections = {Sec(1, 1)};
  in.options.rank_cost = {0, 5, 5, 9, 10};  // not strictly increasing
  EXPECT_EQ(Validate(in).error().field, "rank_cost");
  in.options.rank_cost = {0, 1, 2, 3, 4};
  EXPECT_TRUE(Validate(in).ok());
  in.options.course_limit = 0;
  EXPECT_EQ(Validate(in).error().field, "course_limit");
}

TEST(AllocateValidate, PartialSlotOverlapRefusedOnlyWhenSeveralCoursesAllowed) {
  Input in;
  in.sections = {Sec(1, 5, {{1, 1}}), Sec(2, 5, {{1, 1}, {3, 1}}), Sec(3, 5, {{3, 1}})};
  in.children = {Kid(1, {1, 2, 3})};
  EXPECT_TRUE(Validate(in).ok());  // L = 1: no clash can arise
  in.options.course_limit = 2;
  EXPECT_EQ(Validate(in).error().code, kRuleBroken);
  in.sections[1].slots = {{1, 1}};  // identical patterns are fine
  EXPECT_TRUE(Validate(in).ok());
}

TEST(Allocate, CapacityFortyFiveIsFilledNeverExceeded) {
  Input in;
  in.sections = {Sec(1, kMaxSectionSize), Sec(2, 3)};
  for (int64_t c = 1; c <= 60; ++c) in.children.push_back(Kid(c, {1, 2}));
  auto a = Allocate(in, SeedOf(2));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(a->sections[0].filled, 45);
  EXPECT_EQ(a->sections[1].filled, 3);
  EXPECT_EQ(a->tiers.placed, 48);
  EXPECT_TRUE(CheckFeasible(in, a->placements).ok());
}

TEST(Allocate, PlacesMoreChildrenBeforeBetterRanks) {
  // Child 1 can only take A; child 2 prefers A but accepts B. Both placed, whatever the lottery.
  Input in;
  in.sections = {Sec(1, 1), Sec(2, 1)};
  in.children = {Kid(1, {1}), Kid(2, {1, 2})};
  for (int k = 0; k < 20; ++k) {
    auto a = Allocate(in, SeedOf(k));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(ByChild(*a)[1], std::vector<int64_t>{1});
    EXPECT_EQ(ByChild(*a)[2], std::vector<int64_t>{2});
    EXPECT_EQ(a->tiers.placed, 2);
  }
}

TEST(Allocate, PriorityChildrenFirstEvenWhenItCostsRanks) {
  // Section 9 is full (capacity 0) so the priority child's only seat is its 2nd choice, A, which
  // the other child ranked 1st. T1 gives A to the priority child although T4 would not.
  Input in;
  in.sections = {Sec(9, 0), Sec(1, 1)};
  in.children = {Kid(1, {9, 1}, kLeftBehind), Kid(2, {1})};
  for (int k = 0; k < 20; ++k) {
    auto a = Allocate(in, SeedOf(k));
    ASSERT_TRUE(a.ok());
    EXPECT_EQ(ByChild(*a)[1], std::vector<int64_t>{1});
    EXPECT_EQ(a->tiers.priority_placed, 1);
    EXPECT_EQ(a->tiers.rank_cost, 54);
    EXPECT_EQ(Report(*a, 1).rule, "priority_group");
    ASSERT_EQ(Report(*a, 2).missed.size(), 1u);
    EXPECT_EQ(Report(*a, 2).missed[0].reason, Reason::kFullPriority);
  }
  // Without the flag the other child takes A at no rank cost.
  in.children[0].priority_groups = 0;
  auto b = Allocate(in, SeedOf(0));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(ByChild(*b)[2], std::vector<int64_t>{1});
  EXPECT_EQ(b->tiers.rank_cost, 0);
}

TEST(Allocate, PrefersMoreFirstChoices) {
  // Either X and Y both get 2nd choices (2,2) or X gets 1st and Y 3rd (1,3). Default cost prefers
  // (1,3): 0 + 72 < 54 + 54. A cost convex in rank, (r-1)^2, prefers (2,2): 1 + 1 < 0 + 4.
  Input in;
  in.sections = {Sec(1, 1), Sec(2, 1), Sec(3, 1)};
  in.children = {Kid(10, {1, 2}), Kid(11, {2, 1, 3}), Kid(12, {1})};
  // Child 12 can only take A, so A goes to 12 (T2); then 10 gets B (2nd) and 11 gets C (3rd).
  auto a = Allocate(in, SeedOf(1));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->tiers.placed, 3);
  EXPECT_EQ(ByChild(*a)[12], std::vector<int64_t>{1});
  EXPECT_EQ(ByChild(*a)[10], std::vector<int64_t>{2});
  EXPECT_EQ(ByChild(*a)[11], std::vector<int64_t>{3});

  Input t;
  t.sections = {Sec(1, 1), Sec(2, 1), Sec(3, 1)};
  t.children = {Kid(1, {1, 2}), Kid(2, {1, 2, 3})};
  t.sections[0].capacity = 1;
  t.sections[1].capacity = 1;
  t.sections[2].capacity = 0;
  // (X:A, Y:B) = 0 + 54 and (X:B, Y:A) = 54 + 0 tie; the lottery decides, both cost 54.
  auto b = Allocate(t, SeedOf(3));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->tiers.rank_cost, 54);

  Input u;
  u.sections = {Sec(1, 1), Sec(2, 1), Sec(3, 1)};
  u.children = {Kid(1, {1, 2}), Kid(2, {1, 2, 3}), Kid(3, {2, 3})};
  // Three seats, three children, all placed. Options: X:A Y:B Z:C = 0+54+54 = 108;
  // X:A Y:C Z:B = 0+72+0 = 72; X:B Y:A Z:C = 54+0+54 = 108. Default picks 72 (two 1st choices).
  auto c = Allocate(u, SeedOf(4));
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->tiers.rank_cost, 72);
  EXPECT_EQ(ByChild(*c)[2], std::vector<int64_t>{3});
  u.options.max_choices = 3;
  u.options.rank_cost = {0, 1, 4};  // convex in rank: X:A Y:B Z:C = 0+1+1 = 2 beats 0+4+0 = 4
  auto d = Allocate(u, SeedOf(4));
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->tiers.rank_cost, 2);  // (X:A Y:B Z:C) or (X:B Y:A Z:C): the lottery decides
  EXPECT_NE(ByChild(*d)[2], std::vector<int64_t>{3});
}

TEST(Allocate, LotteryBreaksTiesAndDifferentSeedsCanDiffer) {
  Input in;
  in.sections = {Sec(1, 1)};
  in.children = {Kid(1, {1}), Kid(2, {1})};
  std::set<int64_t> winners;
  for (int k = 0; k < 30; ++k) {
    auto a = Allocate(in, SeedOf(k));
    ASSERT_TRUE(a.ok());
    ASSERT_EQ(a->placements.size(), 1u);
    const int64_t w = a->placements[0].child_id;
    winners.insert(w);
    EXPECT_EQ(Report(*a, w).lottery_position, 1);
    const int64_t loser = w == 1 ? 2 : 1;
    ASSERT_EQ(Report(*a, loser).missed.size(), 1u);
    EXPECT_EQ(Report(*a, loser).missed[0].reason, Reason::kFullLottery);
    EXPECT_EQ(a->sections[0].general_cutoff, (Cutoff{1, 1}));
  }
  EXPECT_EQ(winners.size(), 2u);
}

TEST(Allocate, SameSeedSameResult) {
  Input in;
  in.sections = {Sec(1, 3, {{1, 1}}), Sec(2, 2, {{2, 1}}), Sec(3, 4, {{1, 1}})};
  for (int64_t c = 1; c <= 12; ++c)
    in.children.push_back(Kid(c, {1 + c % 3, 1 + (c + 1) % 3}, c % 5 == 0 ? kLowIncome : 0));
  auto a = Allocate(in, SeedOf(5));
  auto b = Allocate(in, SeedOf(5));
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->placements, b->placements);
  EXPECT_EQ(a->tiers, b->tiers);
  EXPECT_EQ(a->seed_commitment, SeedCommitment(SeedOf(5)));
  EXPECT_TRUE(Verify(in, SeedOf(5), *a).ok());
}

TEST(Allocate, EligibilityRespected) {
  Input in;
  in.sections = {Sec(1, 10, {{1, 1}}, {4, 5}), Sec(2, 10, {{1, 1}}, {1, 2, 3})};
  in.children = {Kid(1, {1, 2}, 0, 3), Kid(2, {1, 2}, 0, 5)};
  auto a = Allocate(in, SeedOf(1));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(ByChild(*a)[1], std::vector<int64_t>{2});
  EXPECT_EQ(ByChild(*a)[2], std::vector<int64_t>{1});
  ASSERT_EQ(Report(*a, 1).missed.size(), 1u);
  EXPECT_EQ(Report(*a, 1).missed[0].reason, Reason::kIneligible);
  EXPECT_EQ(a->sections[0].applicants, 1);
}

TEST(Allocate, SlotClashesRespectedWithSeveralCourses) {
  Input in;
  in.options.course_limit = 2;
  // A and B meet Monday band 1; C meets Tuesday. The child ranks A, B, C and gets A and C.
  in.sections = {Sec(1, 5, {{1, 1}}), Sec(2, 5, {{1, 1}}), Sec(3, 5, {{2, 1}})};
  in.children = {Kid(1, {1, 2, 3})};
  auto a = Allocate(in, SeedOf(1));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(ByChild(*a)[1], (std::vector<int64_t>{1, 3}));
  EXPECT_EQ(a->tiers.seats, 2);
  ASSERT_EQ(Report(*a, 1).missed.size(), 1u);
  EXPECT_EQ(Report(*a, 1).missed[0].reason, Reason::kClash);
  // Multi-slot sections with an identical pattern clash too.
  in.sections = {Sec(1, 5, {{1, 1}, {3, 2}}), Sec(2, 5, {{1, 1}, {3, 2}}), Sec(3, 5, {{2, 1}})};
  auto b = Allocate(in, SeedOf(1));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(ByChild(*b)[1], (std::vector<int64_t>{1, 3}));
  EXPECT_TRUE(CheckFeasible(in, b->placements).ok());
}

TEST(Allocate, SeveralCoursesPreferMoreSeatsThenRanks) {
  Input in;
  in.options.course_limit = 2;
  in.sections = {Sec(1, 1, {{1, 1}}), Sec(2, 2, {{2, 1}}), Sec(3, 2, {{3, 1}})};
  in.children = {Kid(1, {1, 2, 3}), Kid(2, {1, 2})};
  auto a = Allocate(in, SeedOf(2));
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->tiers.placed, 2);
  EXPECT_EQ(a->tiers.seats, 4);  // one of them gets A+B, the other B+C
}

TEST(Allocate, AFamilysOwnLimitIsHonoured) {
  Input in;
  in.options.course_limit = 3;
  in.sections = {Sec(1, 5, {{1, 1}}), Sec(2, 5, {{2, 1}}), Sec(3, 5, {{3, 1}})};
  in.children = {Kid(1, {1, 2, 3}), Kid(2, {1, 2, 3})};
  in.children[0].course_limit = 1;  // "at most one course for this child"
  auto a = Allocate(in, SeedOf(3));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_EQ(ByChild(*a)[1], (std::vector<int64_t>{1}));
  EXPECT_EQ(ByChild(*a)[2], (std::vector<int64_t>{1, 2, 3}));
  EXPECT_TRUE(CheckFeasible(in, a->placements).ok());
  auto over = a->placements;
  over.push_back({1, 2, 2});
  EXPECT_FALSE(CheckFeasible(in, over).ok());  // two seats break the child's own limit
  in.children[0].course_limit = 4;             // more than the round allows
  EXPECT_EQ(Validate(in).error().field, "course_limit");
}

TEST(Allocate, RanksBeforeSeatsGivesAnotherChildABetterRank) {
  // K = 3, default costs 0, 6, 8 (points 9, 3, 1 when ranks come first). Child 1 may take two
  // courses and ranked A, B; child 2 (its family's limit: one) ranked B, C. B has one seat.
  Input in;
  in.options.course_limit = 2;
  in.options.max_choices = 3;
  in.sections = {Sec(1, 1, {{1, 1}}), Sec(2, 1, {{2, 1}}), Sec(3, 1, {{3, 1}})};
  in.children = {Kid(1, {1, 2}), Kid(2, {2, 3})};
  in.children[1].course_limit = 1;
  auto seats = Allocate(in, SeedOf(4));
  ASSERT_TRUE(seats.ok()) << seats.error().message_en;
  EXPECT_EQ(seats->tiers.seats, 3);  // seats first: child 1 gets A and B, child 2 its second choice
  EXPECT_EQ(ByChild(*seats)[1], (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(ByChild(*seats)[2], (std::vector<int64_t>{3}));
  in.options.seats_first = false;
  auto ranks = Allocate(in, SeedOf(4));
  ASSERT_TRUE(ranks.ok()) << ranks.error().message_en;
  EXPECT_EQ(ranks->tiers.seats, 2);  // ranks first: child 2's first choice (9) beats 3 + 3
  EXPECT_EQ(ByChild(*ranks)[1], (std::vector<int64_t>{1}));
  EXPECT_EQ(ByChild(*ranks)[2], (std::vector<int64_t>{2}));
  EXPECT_TRUE(Verify(in, SeedOf(4), *ranks).ok());
  in.options.sequential_tiers = true;
  EXPECT_EQ(Allocate(in, SeedOf(4))->placements, ranks->placements);
}

TEST(Verify, DetectsTampering) {
  Input in;
  in.sections = {Sec(1, 2), Sec(2, 2), Sec(3, 1)};
  for (int64_t c = 1; c <= 5; ++c) in.children.push_back(Kid(c, {1, 2, 3}));
  const Seed s = SeedOf(9);
  auto a = Allocate(in, s);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(Verify(in, s, *a).ok());
  EXPECT_FALSE(Verify(in, SeedOf(10), *a).ok());  // another seed

  Allocation t = *a;  // swap the sections of a 1st-choice and a 2nd-choice child
  size_t i1 = 0, i2 = 0;
  for (size_t i = 0; i < t.placements.size(); ++i) {
    if (t.placements[i].rank == 1) i1 = i;
    if (t.placements[i].rank == 2) i2 = i;
  }
  std::swap(t.placements[i1].section_id, t.placements[i2].section_id);
  std::swap(t.placements[i1].rank, t.placements[i2].rank);
  EXPECT_TRUE(CheckFeasible(in, t.placements).ok());  // still feasible ...
  EXPECT_FALSE(Verify(in, s, t).ok());                // ... but not the published optimum

  t = *a;
  t.placements.pop_back();
  EXPECT_FALSE(Verify(in, s, t).ok());

  t = *a;
  t.placements.push_back(Placement{t.placements[0].child_id == 1 ? 2 : 1, 1, 1});
  EXPECT_FALSE(Verify(in, s, t).ok());  // over capacity or limit

  t = *a;
  t.placements[0].rank = 3;
  EXPECT_FALSE(Verify(in, s, t).ok());  // rank does not match the list

  t = *a;
  t.children[0].lottery_position = t.children[0].lottery_position % 5 + 1;
  EXPECT_FALSE(Verify(in, s, t).ok());

  t = *a;
  t.seed_commitment = SeedCommitment(SeedOf(11));
  EXPECT_FALSE(Verify(in, s, t).ok());
}

TEST(Explain, CutoffsAndReasons) {
  Input in;
  in.sections = {Sec(1, 2), Sec(2, 10)};
  // Three children rank A first, one ranks A second: A's cut-off is rank 1 at some lottery
  // position; the loser of the lottery is told kFullLottery, the 2nd-rank child kFullRank.
  in.children = {Kid(1, {1, 2}), Kid(2, {1, 2}), Kid(3, {1, 2}), Kid(4, {2, 1})};
  auto a = Allocate(in, SeedOf(6));
  ASSERT_TRUE(a.ok());
  const SectionReport& A = a->sections[0];
  EXPECT_EQ(A.filled, 2);
  EXPECT_EQ(A.applicants, 4);
  EXPECT_EQ(A.first_choice_applicants, 3);
  EXPECT_EQ(A.general_cutoff.rank, 1);
  int lottery_losers = 0;
  for (int64_t c = 1; c <= 3; ++c) {
    const ChildReport& r = Report(*a, c);
    if (r.placed[0].section_id == 2) {
      ++lottery_losers;
      ASSERT_EQ(r.missed.size(), 1u);
      EXPECT_EQ(r.missed[0].reason, Reason::kFullLottery);
      EXPECT_GT(r.lottery_position, A.general_cutoff.lottery_position);
    } else {
      EXPECT_LE(r.lottery_position, A.general_cutoff.lottery_position);
    }
  }
  EXPECT_EQ(lottery_losers, 1);
  EXPECT_TRUE(Report(*a, 4).missed.empty());  // got its 1st choice
  EXPECT_STREQ(ReasonCode(Reason::kFullLottery), "full_lottery");
  EXPECT_NE(std::string(ReasonTextZh(Reason::kFullRank)), "");
}

TEST(Rsd, PlainLotteryInOrder) {
  Input in;
  in.sections = {Sec(1, 1), Sec(2, 1)};
  in.children = {Kid(1, {1}), Kid(2, {1, 2})};
  for (int k = 0; k < 10; ++k) {
    auto r = RandomSerialDictatorship(in, SeedOf(k));
    auto o = Allocate(in, SeedOf(k));
    ASSERT_TRUE(r.ok() && o.ok());
    EXPECT_TRUE(CheckFeasible(in, r->placements).ok());
    const bool one_first = Report(*r, 1).lottery_position == 1;
    EXPECT_EQ(r->tiers.placed, one_first ? 2 : 1);  // the lottery can strand child 1
    EXPECT_EQ(o->tiers.placed, 2);                  // the optimum never does
  }
}

TEST(Allocate, MediumInstanceIsFeasibleAndVerifies) {
  Input in;
  for (int64_t s = 1; s <= 40; ++s)
    in.sections.push_back(Sec(s, 20 + static_cast<int>(s % 26), {{static_cast<int>(s % 5) + 1, 1}}));
  uint64_t x = 12345;
  auto next = [&x] {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return x >> 33;
  };
  for (int64_t c = 1; c <= 1000; ++c) {
    std::vector<int64_t> r;
    while (r.size() < 5) {
      const int64_t s = 1 + static_cast<int64_t>(next() % 40 < 20 ? next() % 8 : next() % 40);
      if (std::find(r.begin(), r.end(), s) == r.end()) r.push_back(s);
    }
    in.children.push_back(Kid(c, r, next() % 12 == 0 ? kDisability : 0));
  }
  auto a = Allocate(in, SeedOf(1));
  ASSERT_TRUE(a.ok()) << a.error().message_en;
  EXPECT_TRUE(CheckFeasible(in, a->placements).ok());
  EXPECT_TRUE(Verify(in, SeedOf(1), *a).ok());
  in.options.sequential_tiers = true;
  auto b = Allocate(in, SeedOf(1));
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->sequential);
  EXPECT_EQ(a->placements, b->placements);  // T5 makes the optimum unique
  auto r = RandomSerialDictatorship(in, SeedOf(1));
  ASSERT_TRUE(r.ok());
  EXPECT_GE(a->tiers.placed, r->tiers.placed);
  EXPECT_GE(a->tiers.priority_placed, r->tiers.priority_placed);
}

}  // namespace
}  // namespace kehou::allocate
