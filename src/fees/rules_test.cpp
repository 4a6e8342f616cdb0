#include "fees/rules.h"

#include <gtest/gtest.h>

namespace kehou::fees {
namespace {

// A term starting on Tuesday 2026-09-01 (week 1 is Mon 08-31..Sun 09-06, clipped to 09-01).
school::TermDates Term() {
  school::TermDates t;
  t.start = Date{2026, 9, 1};
  t.end = Date{2027, 1, 22};
  return t;
}

TEST(Suspense, MoneyTakenOnlyWhenTheProviderTookMoneyForUs) {
  for (const char* c : {"unknown_order", "already_paid", "amount_mismatch", "term_closed"})
    EXPECT_TRUE(MoneyTaken(c)) << c;
  for (const char* c : {"not_success", "merchant_mismatch", "currency", "no_transaction", ""})
    EXPECT_FALSE(MoneyTaken(c)) << c;
  EXPECT_TRUE(IsSettleKind("match") && IsSettleKind("refund") && IsSettleKind("note"));
  EXPECT_FALSE(IsSettleKind("delete"));
  EXPECT_EQ(SettleKindLabelZh("refund"), "退回付款人");
}

TEST(PaymentWindow, WeeksThreeToFourOfTheTerm) {
  auto w = PaymentWindow(Term(), kPayFromWeek, kPayToWeek);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(FormatDate(w->first), "2026-09-14");  // Monday of week 3
  EXPECT_EQ(FormatDate(w->last), "2026-09-27");   // Sunday of week 4
}

TEST(PaymentWindow, BoundariesWeek2LastDayRefusedWeek3FirstAcceptedWeek4LastAcceptedWeek5Refused) {
  auto w = PaymentWindow(Term(), kPayFromWeek, kPayToWeek);
  ASSERT_TRUE(w.ok());
  auto open = [&](Date d) { return CheckPaymentOpen(*w, {}, d, kPayFromWeek, kPayToWeek); };
  auto week2 = TeachingWeek(Term(), 2), week3 = TeachingWeek(Term(), 3), week4 = TeachingWeek(Term(), 4),
       week5 = TeachingWeek(Term(), 5);
  ASSERT_TRUE(week2 && week3 && week4 && week5);
  auto s = open(week2->last);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleBroken);
  EXPECT_NE(s.error().message.find("第3-4周"), std::string::npos);  // the rule is named
  EXPECT_EQ(s.error().field, "pay_window");
  EXPECT_TRUE(open(week3->first).ok());
  EXPECT_TRUE(open(week4->last).ok());
  EXPECT_FALSE(open(week5->first).ok());
}

TEST(PaymentWindow, AWeekWithoutSchoolDaysDoesNotCount) {
  auto t = Term();
  // National Day holiday covers all of week 2's school days: week 2 is then the next week.
  t.holidays.push_back({"国庆", Date{2026, 9, 7}, Date{2026, 9, 11}});
  auto w2 = TeachingWeek(t, 2);
  ASSERT_TRUE(w2);
  EXPECT_EQ(FormatDate(w2->first), "2026-09-14");
  auto w = PaymentWindow(t, 3, 4);
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(FormatDate(w->first), "2026-09-21");
}

TEST(PaymentWindow, LateWindowOpensPayment) {
  auto w = PaymentWindow(Term(), kPayFromWeek, kPayToWeek);
  ASSERT_TRUE(w.ok());
  Date late_day{2026, 10, 20};
  EXPECT_FALSE(CheckPaymentOpen(*w, {}, late_day, 3, 4).ok());
  EXPECT_TRUE(CheckPaymentOpen(*w, {{Date{2026, 10, 19}, Date{2026, 10, 20}}}, late_day, 3, 4).ok());
  EXPECT_FALSE(CheckPaymentOpen(*w, {{Date{2026, 10, 19}, Date{2026, 10, 19}}}, late_day, 3, 4).ok());
}

TEST(PaymentWindow, SettingLimits) {
  EXPECT_TRUE(CheckPayWeeks(1, 1).ok());
  EXPECT_TRUE(CheckPayWeeks(3, 30).ok());
  EXPECT_FALSE(CheckPayWeeks(0, 4).ok());
  EXPECT_FALSE(CheckPayWeeks(4, 3).ok());
  EXPECT_FALSE(CheckPayWeeks(3, 31).ok());
  school::TermDates shortt;
  shortt.start = Date{2026, 9, 1};
  shortt.end = Date{2026, 9, 15};  // three teaching weeks
  EXPECT_TRUE(PaymentWindow(shortt, 3, 3).ok());
  EXPECT_EQ(PaymentWindow(shortt, 3, 4).error().code, ErrorCode::kRuleBroken);
}

TEST(PrivateBoarding, ChargesNothing) {
  EXPECT_TRUE(CheckFeeAllowed(false, 0).ok());
  auto s = CheckFeeAllowed(false, 1);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleBroken);
  EXPECT_NE(s.error().message.find("民办寄宿制"), std::string::npos);
  EXPECT_TRUE(CheckFeeAllowed(true, 1).ok());
  EXPECT_EQ(CheckFeeAllowed(false, 5, "fee_fen").error().field, "fee_fen");
}

TEST(FeeAmount, Limits) {
  EXPECT_TRUE(CheckFeeAmount(0).ok());
  EXPECT_TRUE(CheckFeeAmount(kMaxFeeFen).ok());
  EXPECT_FALSE(CheckFeeAmount(kMaxFeeFen + 1).ok());
  EXPECT_FALSE(CheckFeeAmount(-1).ok());
}

TEST(Exemption, Arithmetic) {
  EXPECT_EQ(ReductionFen(30000, {ReductionMode::kFull, 0}), 30000);
  EXPECT_EQ(ReductionFen(30000, {ReductionMode::kAmount, 10000}), 10000);
  EXPECT_EQ(ReductionFen(30000, {ReductionMode::kAmount, 40000}), 30000);  // never above gross
  EXPECT_EQ(ReductionFen(30000, {ReductionMode::kPercent, 50}), 15000);
  EXPECT_EQ(ReductionFen(333, {ReductionMode::kPercent, 50}), 167);  // 166.5 rounds half up
  EXPECT_EQ(ReductionFen(333, {ReductionMode::kPercent, 33}), 110);  // 109.89 -> 110
  EXPECT_EQ(ReductionFen(0, {ReductionMode::kFull, 0}), 0);
  EXPECT_EQ(TotalReductionFen(30000, {{ReductionMode::kPercent, 50}, {ReductionMode::kAmount, 10000}}), 25000);
  EXPECT_EQ(TotalReductionFen(30000, {{ReductionMode::kPercent, 60}, {ReductionMode::kPercent, 60}}), 30000);
  EXPECT_EQ(TotalReductionFen(30000, {}), 0);
  EXPECT_TRUE(CheckReduction({ReductionMode::kPercent, 100}).ok());
  EXPECT_FALSE(CheckReduction({ReductionMode::kPercent, 101}).ok());
  EXPECT_FALSE(CheckReduction({ReductionMode::kPercent, 0}).ok());
  EXPECT_FALSE(CheckReduction({ReductionMode::kAmount, 0}).ok());
  EXPECT_TRUE(CheckReduction({ReductionMode::kAmount, 1}).ok());
}

TEST(Bill, Status) {
  EXPECT_EQ(BillStatus(30000, 0, 0), "unpaid");
  EXPECT_EQ(BillStatus(30000, 0, 29999), "unpaid");
  EXPECT_EQ(BillStatus(30000, 0, 30000), "paid");
  EXPECT_EQ(BillStatus(30000, 10000, 20000), "paid");
  EXPECT_EQ(BillStatus(30000, 30000, 0), "exempted");
  EXPECT_EQ(BillStatus(0, 0, 0), "paid");
}

TEST(Bill, OutTradeNo) {
  EXPECT_EQ(OutTradeNo(42), "KH42");
  EXPECT_EQ(BillOfOutTradeNo("KH42"), 42);
  EXPECT_FALSE(BillOfOutTradeNo("KH"));
  EXPECT_FALSE(BillOfOutTradeNo("XX42"));
  EXPECT_FALSE(BillOfOutTradeNo("KH4a"));
  EXPECT_FALSE(BillOfOutTradeNo("KH0"));
  EXPECT_EQ(FormatYuan(1250), "¥12.50");
  EXPECT_EQ(FormatYuan(5), "¥0.05");
}

}  // namespace
}  // namespace kehou::fees

namespace kehou::fees {
namespace {

TEST(Refund, ProratedBySchoolDaysRoundedHalfUp) {
  school::TermDates t;
  t.start = Date{2026, 9, 1};  // Tuesday
  t.end = Date{2026, 9, 14};   // Monday: 10 school days (1-4, 7-11, 14)
  EXPECT_EQ(SchoolDaysBetween(t, t.start, t.end), 10);
  EXPECT_EQ(ProratedRefundFen(30000, t, t.start), 30000);            // never used: all of it
  EXPECT_EQ(ProratedRefundFen(30000, t, Date{2026, 8, 20}), 30000);  // before the term
  EXPECT_EQ(ProratedRefundFen(30000, t, Date{2026, 9, 7}), 18000);   // 6 of 10 days left
  EXPECT_EQ(ProratedRefundFen(30000, t, Date{2026, 9, 14}), 3000);   // the last day left
  EXPECT_EQ(ProratedRefundFen(30000, t, Date{2026, 9, 15}), 0);      // after the term
  EXPECT_EQ(ProratedRefundFen(33333, t, Date{2026, 9, 14}), 3333);   // 3333.3 -> 3333
  EXPECT_EQ(ProratedRefundFen(33335, t, Date{2026, 9, 14}), 3334);   // 3333.5 -> 3334 (half up)
  EXPECT_EQ(ProratedRefundFen(0, t, t.start), 0);
  t.holidays.push_back({"中秋", Date{2026, 9, 7}, Date{2026, 9, 11}});  // 5 school days left in all
  EXPECT_EQ(ProratedRefundFen(30000, t, Date{2026, 9, 7}), 6000);       // only the 14th remains: 1 of 5
}

}  // namespace
TEST(FeesRules, MaterialsReceivedFirstAndAddUpToTheDue) {
  // A bill of 300 service + 50 materials, no exemption: one payment, 50 of it materials.
  EXPECT_EQ(MaterialsReceivedFen(35000, 5000, 0, 35000), 5000);
  // Paid in two parts: the first 30 all materials, then the other 20 of materials.
  EXPECT_EQ(MaterialsReceivedFen(35000, 5000, 0, 3000), 3000);
  EXPECT_EQ(MaterialsReceivedFen(35000, 5000, 3000, 32000), 2000);
  // An exemption leaving only 40 due: materials are at most the due.
  EXPECT_EQ(MaterialsReceivedFen(4000, 5000, 0, 4000), 4000);
  EXPECT_EQ(MaterialsReceivedFen(0, 5000, 0, 0), 0);
  // No materials line: nothing.
  EXPECT_EQ(MaterialsReceivedFen(30000, 0, 0, 30000), 0);
}

}  // namespace kehou::fees
