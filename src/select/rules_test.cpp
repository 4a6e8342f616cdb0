#include "select/rules.h"

#include <gtest/gtest.h>

namespace kehou::select {
namespace {

Round FcfsRound() {
  Round r;
  r.id = 7;
  r.mode = Mode::kFcfs;
  r.grades = {3, 4};
  r.opens_at = 1000;
  r.closes_at = 2000;
  r.max_per_child = 2;
  return r;
}

TakeCheck Check(const Round& r) {
  TakeCheck t;
  t.round = &r;
  t.child_grade = 3;
  t.section_id = 11;
  t.course_id = 5;
  t.course_name = "机器人";
  t.course_grades = {3, 4};
  t.slots = *catalog::ParseSlots("2:after_school");
  t.section_in_round = true;
  t.now = 1500;
  return t;
}

Held HeldSeat(int64_t section, int64_t course, const char* slots, int64_t round = 7) {
  Held h;
  h.section_id = section;
  h.course_id = course;
  h.round_id = round;
  h.course_name = "课程" + std::to_string(course);
  h.slots = *catalog::ParseSlots(slots);
  return h;
}

TEST(SelectRules, OpenWindowUsesServerTimeAtItsEdges) {
  Round r = FcfsRound();
  EXPECT_FALSE(CheckOpen(r, 999).ok());
  EXPECT_TRUE(CheckOpen(r, 1000).ok());
  EXPECT_TRUE(CheckOpen(r, 1999).ok());
  EXPECT_FALSE(CheckOpen(r, 2000).ok());
  EXPECT_EQ(PhaseOf(r, 999), "upcoming");
  EXPECT_EQ(PhaseOf(r, 1000), "open");
  EXPECT_EQ(PhaseOf(r, 2000), "closed");
}

TEST(SelectRules, TakeChecksEligibilityLimitAndClash) {
  Round r = FcfsRound();
  EXPECT_TRUE(CanTake(Check(r)).ok());
  auto t = Check(r);
  t.child_grade = 5;
  auto s = CanTake(t);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("年级"), std::string::npos);

  t = Check(r);
  t.course_grades = {4};
  EXPECT_FALSE(CanTake(t).ok());

  // per-child limit: 1 held passes (limit 2), 2 held fails; seats of other rounds do not count.
  t = Check(r);
  t.held = {HeldSeat(20, 6, "1:noon")};
  EXPECT_TRUE(CanTake(t).ok());
  t.held.push_back(HeldSeat(21, 8, "3:noon"));
  s = CanTake(t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("最多选 2 门"), std::string::npos);
  t.held.back().round_id = 99;
  EXPECT_TRUE(CanTake(t).ok());

  // clash, with the clashing course named
  t = Check(r);
  t.held = {HeldSeat(20, 6, "2:after_school", 99)};
  s = CanTake(t);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("时间冲突"), std::string::npos);
  EXPECT_NE(s.error().message.find("周二课后"), std::string::npos);

  t = Check(r);
  t.held = {HeldSeat(11, 5, "2:after_school")};
  EXPECT_NE(CanTake(t).error().message.find("已选上该课程"), std::string::npos);
  t.held = {HeldSeat(12, 5, "4:after_school")};
  EXPECT_NE(CanTake(t).error().message.find("其他教学班"), std::string::npos);

  t = Check(r);
  t.section_in_round = false;
  EXPECT_EQ(CanTake(t).error().code, kNotFound);
  t = Check(r);
  t.now = 2000;
  EXPECT_NE(CanTake(t).error().message.find("已结束"), std::string::npos);
  Round p = FcfsRound();
  p.mode = Mode::kPreference;
  EXPECT_FALSE(CanTake(Check(p)).ok());
}

TEST(SelectRules, RoundValidationAtItsLimits) {
  Round r = FcfsRound();
  EXPECT_TRUE(ValidateRound(r).ok());
  r.max_per_child = kMaxPerChildLimit;
  EXPECT_TRUE(ValidateRound(r).ok());
  r.max_per_child = kMaxPerChildLimit + 1;
  EXPECT_EQ(ValidateRound(r).error().field, "max_per_child");
  r = FcfsRound();
  r.closes_at = r.opens_at;
  EXPECT_EQ(ValidateRound(r).error().field, "closes_at");
  r = FcfsRound();
  r.grades.clear();
  EXPECT_FALSE(ValidateRound(r).ok());
  r = FcfsRound();
  r.max_ranks = kMaxRanksLimit + 1;
  EXPECT_FALSE(ValidateRound(r).ok());
}

TEST(SelectRules, RankingsAndKeys) {
  EXPECT_TRUE(ValidateRanking({1, 2, 3}, 3).ok());
  EXPECT_FALSE(ValidateRanking({1, 2, 3, 4}, 3).ok());
  EXPECT_FALSE(ValidateRanking({1, 1}, 3).ok());
  EXPECT_FALSE(ValidateRanking({}, 3).ok());
  EXPECT_TRUE(ValidateIdempotencyKey("a1-b2_c3:d4.e5").ok());
  EXPECT_TRUE(ValidateIdempotencyKey(std::string(kMaxIdempotencyKeyLength, 'k')).ok());
  EXPECT_FALSE(ValidateIdempotencyKey(std::string(kMaxIdempotencyKeyLength + 1, 'k')).ok());
  EXPECT_FALSE(ValidateIdempotencyKey("").ok());
  EXPECT_FALSE(ValidateIdempotencyKey("a b").ok());
}

}  // namespace
}  // namespace kehou::select

namespace kehou::select {
namespace {

TEST(SelectFixes, FingerprintNamesMethodPathAndBody) {
  const std::string take = RequestFingerprint("POST", "/api/v1/rounds/1/take", R"({"section_id":2,"student_id":3})");
  EXPECT_EQ(take.size(), 64u);
  EXPECT_EQ(take, RequestFingerprint("POST", "/api/v1/rounds/1/take", R"({"section_id":2,"student_id":3})"));
  EXPECT_NE(take, RequestFingerprint("POST", "/api/v1/rounds/1/drop", R"({"section_id":2,"student_id":3})"));
  EXPECT_NE(take, RequestFingerprint("POST", "/api/v1/rounds/1/take", R"({"section_id":4,"student_id":3})"));
  EXPECT_TRUE(CheckFingerprint(take, take).ok());
  EXPECT_TRUE(CheckFingerprint("", take).ok());  // stored before fingerprints
  auto s = CheckFingerprint(take, RequestFingerprint("POST", "/x", "{}"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);  // 422
  EXPECT_EQ(s.error().field, "idempotency_key");
}

TEST(SelectFixes, ClosingTimeAtItsLimits) {
  const int64_t now = 1'800'000'000'000;
  EXPECT_FALSE(CheckClosingTime(now, now, false).ok());  // a new round must close in the future
  EXPECT_EQ(*CheckClosingTime(now + 1, now, false), now + 1);
  EXPECT_EQ(CheckClosingTime(now - 1, now, false).error().field, "closes_at");
  EXPECT_EQ(*CheckClosingTime(now - kCloseSkewMs, now, true), now);  // "close now", clamped
  EXPECT_FALSE(CheckClosingTime(now - kCloseSkewMs - 1, now, true).ok());
  EXPECT_EQ(*CheckClosingTime(now + 5, now, true), now + 5);
  EXPECT_TRUE(CheckNotAllocated(false).ok());
  EXPECT_EQ(CheckNotAllocated(true).error().code, kConflict);
}

TEST(SelectFixes, NamedRankRules) {
  const RankRule* equity = FindRankRule("equity");
  ASSERT_NE(equity, nullptr);
  EXPECT_EQ(RankCosts(*equity, 5), (std::vector<int64_t>{0, 54, 72, 78, 80}));  // the solver's default
  EXPECT_TRUE(equity->seats_first);
  EXPECT_EQ(RankCosts(*FindRankRule("linear"), 5), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_FALSE(FindRankRule("linear_ranks_first")->seats_first);
  EXPECT_FALSE(FindRankRule("equity_ranks_first")->seats_first);
  EXPECT_EQ(FindRankRule("nonsense"), nullptr);
  EXPECT_EQ(FindRankRule(kDefaultRankRule), equity);
  for (const RankRule& r : RankRules())
    for (int k = 1; k <= kMaxRanksLimit; ++k) {
      auto c = RankCosts(r, k);
      ASSERT_EQ(c.size(), static_cast<size_t>(k));
      for (size_t i = 1; i < c.size(); ++i) EXPECT_LT(c[i - 1], c[i]) << r.name;  // strictly increasing
    }
}

}  // namespace
}  // namespace kehou::select
