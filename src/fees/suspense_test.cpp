// Suspense (待查明款项) and refund payouts (issue 14 §2-3), on both databases: money of a callback
// that lands in the exceptions queue is held in 2249 until the office matches it to a bill or
// refunds the payer; approved refunds go to the bank in a batch file and post payable -> bank when
// the batch is marked paid. Every step is a ledger entry and an audit row.
#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "fees/service.h"
#include "ledger/service.h"

namespace kehou::fees {
namespace {

class FeesSuspense : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    leader_ = m_.office;
    leader_.role = auth::Role::kPrincipal;
    db().Write([&](db::Conn& c) { ASSERT_TRUE(*EnsureTestMerchant(c, m_.school_id)); });
    ASSERT_TRUE(CreateStandard(db(), m_.office, std::nullopt,
                               {{"term_id", m_.term_id}, {"kind", "basic"}, {"amount_fen", 30000}, {"doc_ref", "文件"}})
                    .ok());
    ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  }
  db::Db& db() { return *t_.db; }
  int64_t BillOf(size_t child) {
    return db().Read([&](db::Conn& c) {
      return c.QueryOne("SELECT id FROM fee_bills WHERE student_id = $1", {m_.students.at(child)})->Int(0);
    });
  }
  int64_t Count(const std::string& sql) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); });
  }
  std::string Pay(size_t child, int64_t amount) {
    auto n = MakeTestNotification(db(), m_.office, std::nullopt, {{"bill_id", BillOf(child)}, {"amount_fen", amount}});
    EXPECT_TRUE(n.ok());
    const Json& h = (*n)["headers"];
    auto a = HandleWeChatPayCallback(
        db(), m_.school_id,
        {h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"], h["Wechatpay-Serial"]}, (*n)["body"],
        NowMs(), "test");
    EXPECT_TRUE(a.ok());
    return (*a)["outcome"];
  }
  ledger::Movement Acct(const char* code) {
    auto mv = db().Read([&](db::Conn& c) { return ledger::Movements(c, m_.school_id, std::nullopt); });
    return mv[code];
  }
  // "ok" or the error code's name.
  std::string Resolve(int64_t id, const Json& body) {
    auto r = ResolveException(db(), m_.office, std::nullopt, id, body);
    return r.ok() ? "ok" : std::string(ErrorCodeName(r.error().code));
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  auth::Principal leader_;
};

TEST_P(FeesSuspense, UnmatchedMoneyIsHeldInSuspenseUntilMatchedToABillOrRefunded) {
  EXPECT_EQ(Pay(0, 100), "exception");  // amount differs from the bill's 300.00
  EXPECT_EQ(Pay(1, 30000), "paid");
  EXPECT_EQ(Pay(1, 500), "exception");  // the bill is already paid
  auto list = ListExceptions(db(), m_.office, std::nullopt, "open", 1, 20);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ((*list)["total"], 2);
  EXPECT_EQ((*list)["suspense_fen"], 600);
  int64_t paid_twice = (*list)["items"][0]["id"], short_one = (*list)["items"][1]["id"];
  EXPECT_EQ((*list)["items"][0]["state"], "in_suspense");
  EXPECT_EQ(Acct(ledger::kAcctSuspense).credit_fen, 600);
  EXPECT_EQ(Acct(ledger::kAcctWeChat).debit_fen, 30600);
  // Money in suspense is not settled by a note; a match must fit the bill's outstanding.
  EXPECT_EQ(Resolve(short_one, {{"resolution", "已核实"}}), std::string(ErrorCodeName(ErrorCode::kRuleBroken)));
  EXPECT_EQ(Resolve(short_one, {{"action", "note"}, {"resolution", "已核实"}}),
            std::string(ErrorCodeName(ErrorCode::kRuleBroken)));
  EXPECT_EQ(Resolve(short_one, {{"action", "match"}, {"resolution", "x"}}),
            std::string(ErrorCodeName(ErrorCode::kInvalid)));  // no bill
  EXPECT_EQ(Resolve(short_one, {{"action", "match"}, {"bill_id", BillOf(1)}, {"resolution", "x"}}),
            std::string(ErrorCodeName(ErrorCode::kRuleBroken)));  // bill 1 is paid: nothing outstanding
  EXPECT_EQ(Acct(ledger::kAcctSuspense).debit_fen, 0);
  // Matched to child 2's bill: a payment of that bill out of suspense.
  EXPECT_EQ(Resolve(short_one, {{"action", "match"}, {"bill_id", BillOf(2)}, {"resolution", "家长来电核实"}}), "ok");
  auto bill2 = GetBill(db(), m_.office, std::nullopt, BillOf(2), TodayLocal());
  EXPECT_EQ((*bill2)["paid_fen"], 100);
  EXPECT_EQ(Acct(ledger::kAcctSuspense).debit_fen, 100);
  EXPECT_EQ(Acct(ledger::kAcctReceivable).credit_fen, 30100);
  // Refunded to the payer: out of suspense and out of the clearing account.
  EXPECT_EQ(Resolve(paid_twice, {{"action", "refund"}, {"resolution", "原路退回"}}), "ok");
  EXPECT_EQ(Acct(ledger::kAcctSuspense).debit_fen, 600);
  EXPECT_EQ(Acct(ledger::kAcctWeChat).credit_fen, 500);
  EXPECT_EQ(Resolve(paid_twice, {{"action", "refund"}, {"resolution", "再次"}}),
            std::string(ErrorCodeName(ErrorCode::kConflict)));
  auto after = ListExceptions(db(), m_.office, std::nullopt, "resolved", 1, 20);
  EXPECT_EQ((*after)["total"], 2);
  EXPECT_EQ((*after)["suspense_fen"], 0);
  EXPECT_EQ((*after)["items"][0]["settle_kind"], "refund");
  EXPECT_EQ((*after)["items"][1]["settle_kind"], "match");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'resolve' AND entity = 'fee_exception'"), 2);
  // A re-delivery of the matched transaction is a duplicate, not a second payment.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fee_payments"), 2);
  EXPECT_EQ(Count("SELECT COALESCE(SUM(debit_fen), 0) - COALESCE(SUM(credit_fen), 0) FROM ledger_lines"), 0);
}

TEST_P(FeesSuspense, AnExceptionWithNoMoneyTakenTakesANoteOnly) {
  int64_t id = db().Write([&](db::Conn& c) {
    return c.Insert(
        "INSERT INTO fee_exceptions (school_id, channel, transaction_id, out_trade_no, amount_fen, reason_code,"
        " reason, payload, received_at) VALUES ($1, 'wechat', '4200X', 'KH1', 100, 'not_success', '未支付', '{}', $2)"
        " RETURNING id",
        {m_.school_id, NowMs()});
  });
  auto list = ListExceptions(db(), m_.office, std::nullopt, "", 1, 20);
  EXPECT_EQ((*list)["items"][0]["state"], "to_note");
  EXPECT_EQ(Resolve(id, {{"action", "refund"}, {"resolution", "x"}}),
            std::string(ErrorCodeName(ErrorCode::kRuleBroken)));
  EXPECT_EQ(Resolve(id, {{"action", "match"}, {"bill_id", BillOf(0)}, {"resolution", "x"}}),
            std::string(ErrorCodeName(ErrorCode::kRuleBroken)));
  EXPECT_EQ(Resolve(id, {{"action", "drop"}, {"resolution", "x"}}), std::string(ErrorCodeName(ErrorCode::kInvalid)));
  EXPECT_EQ(Resolve(id, {{"resolution", "用户取消支付，无需处理"}}), "ok");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM ledger_entries"), 4);  // the four bills only
}

TEST_P(FeesSuspense, ApprovedRefundsArePaidOutInABankFileBatchThenPostedPayableToBank) {
  EXPECT_EQ(Pay(0, 30000), "paid");
  EXPECT_EQ(Pay(1, 30000), "paid");
  EXPECT_EQ(CreatePayoutBatch(db(), m_.office, std::nullopt, TodayLocal()).error().code, ErrorCode::kConflict);
  auto r0 =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(0), {{"kind", "full"}, {"reason", "未参加"}}, TodayLocal());
  auto r1 =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(1), {{"kind", "full"}, {"reason", "未参加"}}, TodayLocal());
  ASSERT_TRUE(r0.ok() && r1.ok());
  ASSERT_TRUE(ApproveRefund(db(), leader_, std::nullopt, (*r0)["refunds"][0]["id"], TodayLocal()).ok());
  // Only approved refunds go to the bank: r1 waits for its approval.
  auto batch = CreatePayoutBatch(db(), m_.office, std::nullopt, TodayLocal());
  ASSERT_TRUE(batch.ok()) << batch.error().message;
  EXPECT_EQ((*batch)["refunds"], 1);
  EXPECT_EQ((*batch)["total_fen"], 30000);
  EXPECT_EQ((*batch)["status"], "exported");
  EXPECT_EQ(CreatePayoutBatch(db(), m_.office, std::nullopt, TodayLocal()).error().code, ErrorCode::kConflict);
  auto file = PayoutFile(db(), m_.office, std::nullopt, (*batch)["id"]);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->bytes.substr(0, 2), "PK");
  EXPECT_EQ(Acct(ledger::kAcctRefundsPayable).debit_fen, 0);
  EXPECT_EQ(MarkPayoutPaid(db(), m_.office, std::nullopt, (*batch)["id"], Json::object(), TodayLocal()).error().code,
            ErrorCode::kInvalid);  // the bank's reference is required
  auto paid = MarkPayoutPaid(db(), m_.office, std::nullopt, (*batch)["id"], {{"bank_ref", "HD20261205"}}, TodayLocal());
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ((*paid)["status"], "paid");
  EXPECT_EQ(Acct(ledger::kAcctRefundsPayable).debit_fen, 30000);
  EXPECT_EQ(Acct(ledger::kAcctRefundsPayable).credit_fen, 30000);
  EXPECT_EQ(Acct(ledger::kAcctBank).credit_fen, 30000);
  EXPECT_EQ(
      MarkPayoutPaid(db(), m_.office, std::nullopt, (*batch)["id"], {{"bank_ref", "again"}}, TodayLocal()).error().code,
      ErrorCode::kConflict);
  auto listed = ListPayoutBatches(db(), m_.office, std::nullopt, 1, 20);
  EXPECT_EQ((*listed)["total"], 1);
  EXPECT_EQ((*listed)["waiting"]["refunds"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'fee_refund_payout'"), 3);  // create, export, pay
  auth::Principal stranger = m_.office;
  stranger.school_id = m_.other_school_id;
  EXPECT_EQ(PayoutFile(db(), stranger, std::nullopt, (*batch)["id"]).error().code, ErrorCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Both, FeesSuspense, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::fees
