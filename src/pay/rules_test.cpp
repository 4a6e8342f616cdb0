// Pay arithmetic in fen and the factor rules at every limit.
#include "pay/rules.h"

#include <gtest/gtest.h>

namespace kehou::pay {
namespace {

TEST(PayRules, PayFenRoundsHalfUpOncePerSlip) {
  // 90 minutes at 60.00 yuan an hour, factor 1.0 -> 90.00 yuan.
  EXPECT_EQ(PayFen(90, 6000, 1000), 9000);
  // 45 minutes at 0.01 yuan/h x 1.0 = 0.75 fen -> 1 fen (half up); 29 minutes -> 0.483 -> 0.
  EXPECT_EQ(PayFen(45, 1, 1000), 1);
  EXPECT_EQ(PayFen(29, 1, 1000), 0);
  EXPECT_EQ(PayFen(30, 1, 1000), 1);  // exactly half a fen rounds up
  // 40 minutes at 55.55 yuan/h x 1.1 = 4073.666... fen -> 4074.
  EXPECT_EQ(PayFen(40, 5555, 1100), 4074);
  // Rounding once over the month: 3 sessions of 40 minutes at 0.07 yuan/h: per session 4.666 -> 5
  // (15 fen summed), over the month 120 min -> 14 fen exactly.
  EXPECT_EQ(PayFen(120, 7, 1000), 14);
  EXPECT_EQ(PayFen(0, 6000, 1000), 0);
  EXPECT_EQ(PayFen(-5, 6000, 1000), 0);
  EXPECT_EQ(PayFen(60, 0, 1000), 0);
  // A large month stays in 64 bits: 200 hours at 10,000 yuan/h x 1.2.
  EXPECT_EQ(PayFen(200 * 60, 1'000'000, 1200), 240'000'000);
}

TEST(PayRules, TieredFactorAtEveryLimit) {
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 90), 1200);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 89), 1100);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 80), 1100);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 79), 1000);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 60), 1000);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 59), 900);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, 0), 900);
  EXPECT_EQ(FactorPermille(FactorRule::kTiered, std::nullopt), 1000);  // no survey: 1.0
}

TEST(PayRules, LinearAndFlatFactors) {
  EXPECT_EQ(FactorPermille(FactorRule::kLinear, 0), 800);
  EXPECT_EQ(FactorPermille(FactorRule::kLinear, 50), 1000);
  EXPECT_EQ(FactorPermille(FactorRule::kLinear, 100), 1200);
  EXPECT_EQ(FactorPermille(FactorRule::kLinear, 101), 1200);  // clamped
  EXPECT_EQ(FactorPermille(FactorRule::kLinear, std::nullopt), 1000);
  EXPECT_EQ(FactorPermille(FactorRule::kFlat, 100), 1000);
  EXPECT_EQ(FactorPermille(FactorRule::kFlat, 0), 1000);
}

TEST(PayRules, RuleNamesRoundTrip) {
  for (auto r : {FactorRule::kFlat, FactorRule::kTiered, FactorRule::kLinear}) {
    EXPECT_EQ(ParseFactorRule(FactorRuleName(r)), r);
    EXPECT_FALSE(FactorRuleText(r).empty());
  }
  EXPECT_FALSE(ParseFactorRule("bonus"));
}

TEST(PayRules, MonthsParseStrictlyAndMustHaveEnded) {
  auto m = ParseMonth("2026-11");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->First(), (Date{2026, 11, 1}));
  EXPECT_EQ(m->Last(), (Date{2026, 11, 30}));
  EXPECT_EQ(ParseMonth("2028-02")->Last(), (Date{2028, 2, 29}));
  EXPECT_EQ(ParseMonth("2026-12")->Last(), (Date{2026, 12, 31}));
  EXPECT_EQ(m->Text(), "2026-11");
  EXPECT_FALSE(ParseMonth("2026-13"));
  EXPECT_FALSE(ParseMonth("2026-1"));
  EXPECT_FALSE(ParseMonth("2026/11"));
  EXPECT_EQ(PreviousMonth(Month{2026, 1}), (Month{2025, 12}));
  // The last day of the month is not enough: the run waits for the day after.
  EXPECT_FALSE(CheckMonthEnded(*m, Date{2026, 11, 30}).ok());
  EXPECT_TRUE(CheckMonthEnded(*m, Date{2026, 12, 1}).ok());
}

}  // namespace
}  // namespace kehou::pay
