// The provider's statement file: columns, WeChat's backticks and summary lines, row errors, and the
// four outcomes of the match.
#include "fees/statement.h"

#include <gtest/gtest.h>

namespace kehou::fees {
namespace {

const Date kDay{2026, 11, 3};

TEST(Statement, ReadsWeChatTradeBillColumns) {
  std::string csv =
      "\xEF\xBB\xBF交易时间,公众账号ID,商户号,商户订单号,微信支付单号,交易状态,订单金额\r\n"
      "`2026-11-03 10:01:02,`wx1,`m,`KH12,`4200001,`SUCCESS,`300.00\r\n"
      "`2026-11-03 11:00:00,`wx1,`m,`KH13,`4200002,`REFUND,`0.5\r\n"
      "总交易单数,应结订单总金额\r\n`2,`300.50\r\n";
  auto s = ParseStatement(csv, kDay);
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_TRUE(s->errors.empty());
  ASSERT_EQ(s->rows.size(), 2u);  // the summary ends the rows
  EXPECT_EQ(s->rows[0].amount_fen, 30000);
  EXPECT_EQ(s->rows[0].out_trade_no, "KH12");
  EXPECT_TRUE(s->rows[0].success);
  EXPECT_FALSE(s->rows[1].success);
  EXPECT_EQ(s->rows[1].amount_fen, 50);
}

TEST(Statement, MissingColumnAndRowErrors) {
  EXPECT_FALSE(ParseStatement("交易时间,商户订单号,交易状态,订单金额\n", kDay).ok());
  std::string csv =
      "交易时间,商户订单号,微信支付单号,交易状态,订单金额\n"
      "2026-11-04 10:00:00,KH1,T1,SUCCESS,1.00\n"   // another day
      "2026-11-03 10:00:00,KH2,T2,PAID,1.00\n"      // unknown state
      "2026-11-03 10:00:00,KH3,T3,SUCCESS,1.001\n"  // three decimals
      "2026-11-03 10:00:00,KH4,T3,SUCCESS,1.00\n"   // duplicate transaction
      "2026-11-03 10:00:00,KH5,T5,SUCCESS,-1\n";    // sign
  auto s = ParseStatement(csv, kDay);
  ASSERT_TRUE(s.ok());
  ASSERT_EQ(s->errors.size(), 5u);
  EXPECT_EQ(s->errors[0].row, 2);
  EXPECT_EQ(s->errors[0].field, "交易时间");
  EXPECT_EQ(s->errors[1].field, "交易状态");
  EXPECT_EQ(s->errors[2].field, "订单金额");
  EXPECT_EQ(s->errors[3].field, "微信支付单号");
  EXPECT_EQ(s->errors[4].row, 6);
}

TEST(Statement, Yuan) {
  EXPECT_EQ(ParseYuan("0.01"), 1);
  EXPECT_EQ(ParseYuan("12"), 1200);
  EXPECT_EQ(ParseYuan("12.3"), 1230);
  EXPECT_FALSE(ParseYuan("12."));
  EXPECT_FALSE(ParseYuan(".5"));
  EXPECT_FALSE(ParseYuan("1,000.00"));
  EXPECT_FALSE(ParseYuan(""));
}

TEST(Statement, ReconcileFourOutcomes) {
  std::vector<StatementRow> theirs = {{2, "t", "KH1", "A", "SUCCESS", 100, true},
                                      {3, "t", "KH2", "B", "SUCCESS", 200, true},
                                      {4, "t", "KH3", "C", "SUCCESS", 300, true},
                                      {5, "t", "KH9", "R", "REFUND", 300, false}};
  std::vector<OurPayment> ours = {{"A", "KH1", 1, 100, "x"}, {"B", "KH2", 2, 250, "x"}, {"D", "KH4", 4, 400, "x"}};
  auto items = Reconcile(theirs, ours);
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].kind, "matched");
  EXPECT_EQ(items[1].kind, "amount_differs");
  EXPECT_EQ(items[1].ours_fen, 250);
  EXPECT_EQ(items[1].theirs_fen, 200);
  EXPECT_EQ(items[2].kind, "missing_in_ours");
  EXPECT_EQ(items[3].kind, "missing_in_theirs");
  EXPECT_EQ(items[3].transaction_id, "D");
}

}  // namespace
}  // namespace kehou::fees
