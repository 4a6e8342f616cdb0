// Fees use cases on both databases: standards, bills (idempotent issue), exemptions, the payment
// window, the test provider's callback (paid once, duplicates, amount mismatch -> exceptions),
// guardians' scope, the private boarding school, many bills paid through the test provider at once.
#include "fees/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "fees/rules.h"
#include "school/service.h"

namespace kehou::fees {
namespace {

class FeesService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    leader_ = m_.office;
    leader_.role = auth::Role::kPrincipal;
    db().Write([&](db::Conn& c) { ASSERT_TRUE(*EnsureTestMerchant(c, m_.school_id)); });
  }
  db::Db& db() { return *t_.db; }
  void Standards() {
    ASSERT_TRUE(
        CreateStandard(
            db(), m_.office, std::nullopt,
            {{"term_id", m_.term_id}, {"kind", "basic"}, {"amount_fen", 30000}, {"doc_ref", "青价费〔2026〕12号"}})
            .ok());
    ASSERT_TRUE(
        CreateStandard(
            db(), m_.office, std::nullopt,
            {{"term_id", m_.term_id}, {"kind", "materials"}, {"amount_fen", 2000}, {"doc_ref", "青价费〔2026〕12号"}})
            .ok());
  }
  int64_t BillOf(size_t child) {
    return db().Read([&](db::Conn& c) {
      return c.QueryOne("SELECT id FROM fee_bills WHERE student_id = $1", {m_.students.at(child)})->Int(0);
    });
  }
  void OpenLate() {
    Date today = TodayLocal();
    auto w = OpenLateWindow(db(), m_.office, std::nullopt,
                            {{"term_id", m_.term_id},
                             {"opens_on", FormatDate(today)},
                             {"closes_on", FormatDate(today)},
                             {"reason", "补缴"}});
    ASSERT_TRUE(w.ok()) << w.error().message;
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  auth::Principal leader_;
};

TEST_P(FeesService, IssueIsIdempotentAndCoursesAddTheirFee) {
  Standards();
  // Child 0 holds a confirmed seat in a course of the term with a standard of its own.
  int64_t course = db().Write([&](db::Conn& c) {
    int64_t now = NowMs();
    int64_t id = c.Insert(
        "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, slots, created_at, updated_at)"
        " VALUES ($1, $2, '机器人', 'science', '3,4', 30, '2:after_school', $3, $3) RETURNING id",
        {m_.school_id, m_.term_id, now});
    int64_t sec = c.Insert(
        "INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at)"
        " VALUES ($1, $2, '机器人1班', 30, 1, $3) RETURNING id",
        {m_.school_id, id, now});
    c.Exec(
        "INSERT INTO selections (school_id, section_id, student_id, status, source, created_at)"
        " VALUES ($1, $2, $3, 'confirmed', 'manual', $4)",
        {m_.school_id, sec, m_.students[0], now});
    return id;
  });
  ASSERT_TRUE(CreateStandard(db(), m_.office, std::nullopt,
                             {{"term_id", m_.term_id},
                              {"kind", "course"},
                              {"course_id", course},
                              {"amount_fen", 15000},
                              {"doc_ref", "青价费〔2026〕12号"}})
                  .ok());
  auto first = IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal());
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ((*first)["created"], 4);
  EXPECT_EQ((*first)["total_due_fen"], 4 * 32000 + 15000);
  auto again = IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["created"], 0);
  EXPECT_EQ((*again)["unchanged"], 4);
  auto bill = GetBill(db(), m_.office, std::nullopt, BillOf(0), TodayLocal());
  ASSERT_TRUE(bill.ok());
  EXPECT_EQ((*bill)["gross_fen"], 47000);
  EXPECT_EQ((*bill)["lines"].size(), 3u);
  // A changed standard refreshes unpaid bills on the next run.
  auto items = ListStandards(db(), m_.office, std::nullopt, m_.term_id);
  int64_t basic = (*items)["items"][0]["id"];
  ASSERT_TRUE(UpdateStandard(db(), m_.office, std::nullopt, basic, {{"amount_fen", 31000}}).ok());
  auto third = IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal());
  EXPECT_EQ((*third)["updated"], 4);
  auto list = ListBills(db(), m_.office, std::nullopt, BillQuery{m_.term_id, std::nullopt, "unpaid", "", 1, 20});
  ASSERT_TRUE(list.ok()) << list.error().message;
  EXPECT_EQ((*list)["total"], 4);
  EXPECT_EQ((*list)["sums"]["due_fen"], 4 * 33000 + 15000);
}

TEST_P(FeesService, ExemptionsByTheLeadershipShowOnTheBill) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  Json decision{{"category", "low_income"},
                {"mode", "percent"},
                {"value", 50},
                {"decided_by", "课后服务领导小组"},
                {"decided_on", FormatDate(TodayLocal())},
                {"decision_ref", "纪要〔2026〕3号"}};
  auto b = AddExemption(db(), leader_, std::nullopt, BillOf(1), decision, TodayLocal());
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ((*b)["reduction_fen"], 16000);
  EXPECT_EQ((*b)["due_fen"], 16000);
  EXPECT_EQ((*b)["exemptions"][0]["decision_ref"], "纪要〔2026〕3号");
  decision["mode"] = "full";
  decision.erase("value");
  b = AddExemption(db(), leader_, std::nullopt, BillOf(1), decision, TodayLocal());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)["status"], "exempted");
  EXPECT_EQ((*b)["due_fen"], 0);
  // The audit has the decision.
  EXPECT_TRUE(db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT 1 FROM audit_log WHERE action = 'exempt' AND entity_id = $1", {BillOf(1)}).has_value();
  }));
}

TEST_P(FeesService, PaymentOutsideTheWindowIsRefusedUntilTheOfficeOpensALateWindow) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  // The term began 30 days ago: today is past teaching week 4.
  auto refused = PayWithTestProvider(db(), m_.Guardian(0), BillOf(0), TodayLocal());
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, ErrorCode::kRuleBroken);
  EXPECT_EQ(refused.error().field, "pay_window");
  auto cash =
      RecordCash(db(), m_.office, std::nullopt, BillOf(1), {{"amount_fen", 32000}, {"receipt_no", "R1"}}, TodayLocal());
  EXPECT_EQ(cash.error().code, ErrorCode::kRuleBroken);
  OpenLate();
  auto paid = PayWithTestProvider(db(), m_.Guardian(0), BillOf(0), TodayLocal());
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ((*paid)["status"], "paid");
  EXPECT_EQ((*paid)["payments"][0]["channel"], "wechat");
  cash =
      RecordCash(db(), m_.office, std::nullopt, BillOf(1), {{"amount_fen", 32000}, {"receipt_no", "R1"}}, TodayLocal());
  ASSERT_TRUE(cash.ok()) << cash.error().message;
  EXPECT_EQ((*cash)["status"], "paid");
  // Paying again: conflict.
  EXPECT_EQ(PayWithTestProvider(db(), m_.Guardian(0), BillOf(0), TodayLocal()).error().code, ErrorCode::kConflict);
}

wechatpay::Headers HeadersOf(const Json& n) {
  const Json& h = n["headers"];
  return {h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"], h["Wechatpay-Serial"]};
}

TEST_P(FeesService, CallbackPaysOnceAndMismatchesGoToExceptions) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  auto n = MakeTestNotification(db(), m_.office, std::nullopt, {{"bill_id", BillOf(2)}, {"amount_fen", 32000}});
  ASSERT_TRUE(n.ok()) << n.error().message;
  for (int i = 0; i < 2; ++i) {
    auto a = HandleWeChatPayCallback(db(), m_.school_id, HeadersOf(*n), (*n)["body"], NowMs(), "test");
    ASSERT_TRUE(a.ok()) << a.error().message;
    EXPECT_EQ((*a)["outcome"], i == 0 ? "paid" : "duplicate");
  }
  auto bill = GetBill(db(), m_.office, std::nullopt, BillOf(2), TodayLocal());
  EXPECT_EQ((*bill)["paid_fen"], 32000);
  EXPECT_EQ((*bill)["payments"].size(), 1u);
  auto wrong = MakeTestNotification(db(), m_.office, std::nullopt, {{"bill_id", BillOf(3)}, {"amount_fen", 100}});
  auto a = HandleWeChatPayCallback(db(), m_.school_id, HeadersOf(*wrong), (*wrong)["body"], NowMs(), "test");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ((*a)["outcome"], "exception");
  auto ex = ListExceptions(db(), m_.office, std::nullopt, "", 1, 20);
  ASSERT_EQ((*ex)["total"], 1);
  EXPECT_EQ((*ex)["items"][0]["reason_code"], "amount_mismatch");
  EXPECT_EQ((*GetBill(db(), m_.office, std::nullopt, BillOf(3), TodayLocal()))["status"], "unpaid");
  // A forged body (one byte changed) is refused and writes nothing.
  std::string forged = (*n)["body"];
  forged[forged.size() / 2] = static_cast<char>(forged[forged.size() / 2] ^ 1);
  auto f = HandleWeChatPayCallback(db(), m_.school_id, HeadersOf(*n), forged, NowMs(), "test");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kUnauthenticated);
  EXPECT_EQ((*ListExceptions(db(), m_.office, std::nullopt, "", 1, 20))["total"], 1);
  // Another school's callback endpoint does not accept this school's notification.
  EXPECT_FALSE(HandleWeChatPayCallback(db(), m_.other_school_id, HeadersOf(*n), (*n)["body"], NowMs(), "t").ok());
}

TEST_P(FeesService, ManyBillsPaidThroughTheTestProviderInOneGoEachOnceAndPosted) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  auto paid = PayManyWithTestProvider(db(), m_.school_id, {BillOf(0), BillOf(1), BillOf(2)}, "test");
  ASSERT_TRUE(paid.ok()) << paid.error().message;
  EXPECT_EQ(*paid, 3);
  // Paid bills are skipped: a second run pays only the one left.
  EXPECT_EQ(*PayManyWithTestProvider(db(), m_.school_id, {BillOf(0), BillOf(3)}, "test"), 1);
  auto one = [&](const std::string& sql) { return db().Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); }); };
  EXPECT_EQ(one("SELECT COUNT(*) FROM fee_payments WHERE channel = 'wechat'"), 4);
  EXPECT_EQ(one("SELECT COUNT(*) FROM fee_bills WHERE status = 'paid'"), 4);
  // Each as the callback records it: a payment entry moving 2205 to income, an audit row.
  EXPECT_EQ(one("SELECT COUNT(*) FROM ledger_entries e JOIN fee_payments p ON e.source_type = 'payment'"
                " AND e.source_id = p.id AND e.source_ref = p.transaction_id"),
            4);
  EXPECT_EQ(
      one("SELECT COALESCE(SUM(credit_fen - debit_fen), 0) FROM ledger_lines WHERE account_code IN ('4101', '4102')"),
      4 * 32000);
  EXPECT_EQ(one("SELECT COUNT(*) FROM audit_log WHERE action = 'pay' AND entity = 'fee_bill'"), 4);
}

TEST_P(FeesService, CallbacksForUnknownOrdersOrPaidBillsGoToExceptions) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  auto deliver = [&](int64_t bill, int64_t amount) {
    auto n = MakeTestNotification(db(), m_.office, std::nullopt, {{"bill_id", bill}, {"amount_fen", amount}});
    EXPECT_TRUE(n.ok());
    auto a = HandleWeChatPayCallback(db(), m_.school_id, HeadersOf(*n), (*n)["body"], NowMs(), "test");
    EXPECT_TRUE(a.ok());
    return (*a)["outcome"].get<std::string>();
  };
  EXPECT_EQ(deliver(999999, 32000), "exception");  // no such bill
  EXPECT_EQ(deliver(BillOf(0), 32000), "paid");
  EXPECT_EQ(deliver(BillOf(0), 32000), "exception");  // a second, different transaction for a paid bill
  auto ex = ListExceptions(db(), m_.office, std::nullopt, "", 1, 20);
  ASSERT_EQ((*ex)["total"], 2);
  EXPECT_EQ((*ex)["items"][0]["reason_code"], "already_paid");
  EXPECT_EQ((*ex)["items"][1]["reason_code"], "unknown_order");
  int64_t first = (*ex)["items"][1]["id"];
  // The money is in suspense: a note alone does not settle it; refunding the payer does.
  EXPECT_EQ(ResolveException(db(), m_.office, std::nullopt, first, {{"resolution", "已原路退回付款人"}}).error().code,
            ErrorCode::kRuleBroken);
  auto done = ResolveException(db(), m_.office, std::nullopt, first,
                               {{"action", "refund"}, {"resolution", "已原路退回付款人"}});
  ASSERT_TRUE(done.ok()) << done.error().message;
  EXPECT_EQ(ResolveException(db(), m_.office, std::nullopt, first, {{"resolution", "再次"}}).error().code,
            ErrorCode::kConflict);
  EXPECT_EQ((*ListExceptions(db(), m_.office, std::nullopt, "", 1, 20))["items"][1]["resolution"], "已原路退回付款人");
  auth::Principal stranger = m_.office;
  stranger.school_id = m_.other_school_id;
  EXPECT_EQ(ResolveException(db(), stranger, std::nullopt, first, {{"resolution", "x"}}).error().code,
            ErrorCode::kNotFound);
  EXPECT_EQ((*GetBill(db(), m_.office, std::nullopt, BillOf(0), TodayLocal()))["paid_fen"], 32000);
}

TEST_P(FeesService, GuardiansSeeOnlyTheirOwnChildrensBills) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  EXPECT_TRUE(GetBill(db(), m_.Guardian(0), std::nullopt, BillOf(0), TodayLocal()).ok());
  auto other = GetBill(db(), m_.Guardian(0), std::nullopt, BillOf(1), TodayLocal());
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  auto mine = MyBills(db(), m_.Guardian(0), TodayLocal());
  ASSERT_EQ((*mine)["items"].size(), 1u);
  EXPECT_EQ((*mine)["items"][0]["student_id"], m_.students[0]);
  // Another school's office: not found.
  auth::Principal stranger = m_.office;
  stranger.school_id = m_.other_school_id;
  EXPECT_EQ(GetBill(db(), stranger, std::nullopt, BillOf(0), TodayLocal()).error().code, ErrorCode::kNotFound);
}

TEST_P(FeesService, PrivateBoardingSchoolChargesNothing) {
  db().Write(
      [&](db::Conn& c) { c.Exec("UPDATE schools SET type = 'private_boarding' WHERE id = $1", {m_.school_id}); });
  auto s = CreateStandard(db(), m_.office, std::nullopt,
                          {{"term_id", m_.term_id}, {"kind", "basic"}, {"amount_fen", 1}, {"doc_ref", "x"}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kRuleBroken);
  auto zero = CreateStandard(db(), m_.office, std::nullopt,
                             {{"term_id", m_.term_id}, {"kind", "basic"}, {"amount_fen", 0}, {"doc_ref", "x"}});
  ASSERT_TRUE(zero.ok());
  EXPECT_EQ(UpdateStandard(db(), m_.office, std::nullopt, (*zero)["id"], {{"amount_fen", 100}}).error().code,
            ErrorCode::kRuleBroken);
  // A standard written behind the service's back still never reaches a bill.
  db().Write(
      [&](db::Conn& c) { c.Exec("UPDATE fee_standards SET amount_fen = 500 WHERE school_id = $1", {m_.school_id}); });
  auto issue = IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal());
  ASSERT_FALSE(issue.ok());
  EXPECT_EQ(issue.error().code, ErrorCode::kRuleBroken);
}

TEST_P(FeesService, RefundsProratedThenTheRestNeverMoreThanPaid) {
  Standards();
  ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
  // Nothing paid: nothing to refund.
  auto none =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(0), {{"kind", "full"}, {"reason", "未参加"}}, TodayLocal());
  EXPECT_EQ(none.error().code, ErrorCode::kRuleBroken);
  OpenLate();
  ASSERT_TRUE(
      RecordCash(db(), m_.office, std::nullopt, BillOf(0), {{"amount_fen", 32000}, {"receipt_no", "R9"}}, TodayLocal())
          .ok());
  auto term = db().Read([&](db::Conn& c) { return school::TermOf(c, m_.school_id, m_.term_id); });
  Date leave = AddDays(TodayLocal(), 10);
  int64_t expected = ProratedRefundFen(32000, term->dates, leave);
  ASSERT_GT(expected, 0);
  auto pr =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(0),
                    {{"kind", "prorated"}, {"reason", "转学"}, {"effective_date", FormatDate(leave)}}, TodayLocal());
  ASSERT_TRUE(pr.ok()) << pr.error().message;
  ASSERT_EQ((*pr)["refunds"].size(), 1u);
  EXPECT_EQ((*pr)["refunds"][0]["amount_fen"], expected);
  EXPECT_EQ((*pr)["refunds"][0]["status"], "requested");
  EXPECT_EQ((*pr)["refunded_fen"], 0);
  auto ok = ApproveRefund(db(), leader_, std::nullopt, (*pr)["refunds"][0]["id"], TodayLocal());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["refunded_fen"], expected);
  EXPECT_EQ(ApproveRefund(db(), leader_, std::nullopt, (*pr)["refunds"][0]["id"], TodayLocal()).error().code,
            ErrorCode::kConflict);
  auto rest =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(0), {{"kind", "full"}, {"reason", "其余退还"}}, TodayLocal());
  ASSERT_TRUE(rest.ok());
  EXPECT_EQ((*rest)["refunds"][1]["amount_fen"], 32000 - expected);
  auto more =
      RequestRefund(db(), m_.office, std::nullopt, BillOf(0), {{"kind", "full"}, {"reason", "再退"}}, TodayLocal());
  EXPECT_EQ(more.error().code, ErrorCode::kRuleBroken);
  auto list = ListRefunds(db(), m_.office, std::nullopt, "requested", 1, 20);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["total"], 1);
}

INSTANTIATE_TEST_SUITE_P(Both, FeesService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::fees
