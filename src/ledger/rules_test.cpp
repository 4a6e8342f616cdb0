#include "ledger/rules.h"

#include <gtest/gtest.h>

namespace kehou::ledger {
namespace {

TEST(CheckBalanced, BalancedTwoLinesPass) {
  EXPECT_TRUE(CheckBalanced({{kAcctReceivable, 30000, 0}, {kAcctFeeIncome, 0, 30000}}).ok());
}

TEST(CheckBalanced, OneFenOffIsRefusedNamingBothSides) {
  auto s = CheckBalanced({{kAcctReceivable, 30001, 0}, {kAcctFeeIncome, 0, 30000}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleBroken);
  EXPECT_NE(s.error().message.find("借贷不平衡"), std::string::npos);
  EXPECT_NE(s.error().message.find("30001"), std::string::npos);
}

TEST(CheckBalanced, OneLineIsRefused) {
  EXPECT_FALSE(CheckBalanced({{kAcctReceivable, 0, 0}}).ok());
  EXPECT_FALSE(CheckBalanced({}).ok());
}

TEST(CheckBalanced, LineWithBothSidesOrNeitherOrNegativeIsRefused) {
  EXPECT_FALSE(CheckBalanced({{kAcctReceivable, 100, 100}, {kAcctFeeIncome, 0, 0}}).ok());
  EXPECT_FALSE(CheckBalanced({{kAcctReceivable, 0, 0}, {kAcctFeeIncome, 0, 0}}).ok());
  auto s = CheckBalanced({{kAcctReceivable, -100, 0}, {kAcctFeeIncome, -100, 0}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "lines[0]");
}

TEST(CheckBalanced, UnknownAccountIsRefused) {
  auto s = CheckBalanced({{"9999", 100, 0}, {kAcctFeeIncome, 0, 100}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "lines[0].account");
}

TEST(CheckBalanced, LineLimitAtMaxPassesAboveFails) {
  EXPECT_TRUE(CheckBalanced({{kAcctBank, kMaxLineFen, 0}, {kAcctSubsidy, 0, kMaxLineFen}}).ok());
  EXPECT_FALSE(CheckBalanced({{kAcctBank, kMaxLineFen + 1, 0}, {kAcctSubsidy, 0, kMaxLineFen + 1}}).ok());
}

TEST(CheckBalanced, LineCountAtMaxPassesAboveFails) {
  std::vector<PostingLine> lines(kMaxLines - 1, PostingLine{kAcctBank, 1, 0});
  lines.push_back({kAcctSubsidy, 0, static_cast<int64_t>(kMaxLines - 1)});
  EXPECT_TRUE(CheckBalanced(lines).ok());
  lines.insert(lines.begin(), PostingLine{kAcctBank, 1, 0});
  lines.back().credit_fen += 1;
  EXPECT_EQ(lines.size(), kMaxLines + 1);
  EXPECT_FALSE(CheckBalanced(lines).ok());
}

TEST(Reversed, SwapsSidesAndStaysBalanced) {
  std::vector<PostingLine> l{{kAcctWeChat, 500, 0}, {kAcctReceivable, 0, 500}};
  auto r = Reversed(l);
  EXPECT_EQ(r[0].credit_fen, 500);
  EXPECT_EQ(r[1].debit_fen, 500);
  EXPECT_TRUE(CheckBalanced(r).ok());
}

TEST(ByLine, IncomeCountsCreditsExpenseDebitsContraIncomeIsNegative) {
  std::map<std::string, Movement> mv{{kAcctFeeIncome, {0, 100000}},
                                     {kAcctReductions, {20000, 0}},
                                     {kAcctRefunds, {5000, 0}},
                                     {kAcctTeacherPay, {30000, 1000}},
                                     {kAcctBank, {999, 0}}};
  auto by = ByLine(mv);
  EXPECT_EQ(by["fee_income"], 100000);
  EXPECT_EQ(by["reductions"], -20000);
  EXPECT_EQ(by["refunds"], -5000);
  EXPECT_EQ(by["teacher_pay"], 29000);
  EXPECT_EQ(by["venue"], 0);
  EXPECT_EQ(by.size(), Lines().size());
  EXPECT_EQ(Surplus(by), 100000 - 20000 - 5000 - 29000);
}

TEST(Chart, EveryIncomeOrExpenseAccountHasALineAndEveryLineAnAccount) {
  for (const auto& a : Chart()) {
    bool pl = a.kind == AccountKind::kIncome || a.kind == AccountKind::kExpense;
    EXPECT_EQ(pl, FindLine(a.line) != nullptr) << a.code;
  }
  for (const auto& l : Lines()) {
    int n = 0;
    for (const auto& a : Chart()) n += std::string(a.line) == l.key;
    EXPECT_EQ(n, 1) << l.key;
  }
}

TEST(Months, ParseFormatAndBounds) {
  EXPECT_EQ(FormatMonth(*ParseMonth("2026-12")), "2026-12");
  EXPECT_FALSE(ParseMonth("2026-13"));
  EXPECT_FALSE(ParseMonth("2026-00"));
  EXPECT_FALSE(ParseMonth("2026-1"));
  EXPECT_FALSE(ParseMonth("2026/12"));
  EXPECT_EQ(FormatDate(LastDay({2027, 2})), "2027-02-28");
  EXPECT_EQ(FormatDate(LastDay({2026, 12})), "2026-12-31");
  EXPECT_EQ(NextMonth({2026, 12}), (Month{2027, 1}));
}

TEST(Months, DisclosureMonthMustOverlapTheTermAndHaveBegun) {
  Date start{2026, 9, 1}, end{2027, 1, 22}, today{2026, 12, 5};
  EXPECT_TRUE(CheckDisclosureMonth({2026, 9}, start, end, today).ok());
  EXPECT_TRUE(CheckDisclosureMonth({2026, 12}, start, end, today).ok());  // begun on 12-01
  EXPECT_FALSE(CheckDisclosureMonth({2027, 1}, start, end, today).ok());  // not begun
  EXPECT_FALSE(CheckDisclosureMonth({2026, 8}, start, end, today).ok());  // before the term
  EXPECT_TRUE(CheckDisclosureMonth({2027, 1}, start, end, Date{2027, 1, 1}).ok());
  EXPECT_FALSE(CheckDisclosureMonth({2027, 2}, start, end, Date{2027, 3, 1}).ok());  // after the term
}

}  // namespace
}  // namespace kehou::ledger
