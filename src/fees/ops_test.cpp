// Reminders at the payment window's limits and once a day; the reconciliation import (all or
// nothing, one mismatch found); receipts for the paid bill's own family only. Both databases.
#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "fees/rules.h"
#include "fees/scheduler.h"
#include "fees/service.h"
#include "fees/store.h"
#include "school/service.h"

namespace kehou::fees {
namespace {

class FeesOps : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    db().Write([&](db::Conn& c) { ASSERT_TRUE(*EnsureTestMerchant(c, m_.school_id)); });
    ASSERT_TRUE(
        CreateStandard(
            db(), m_.office, std::nullopt,
            {{"term_id", m_.term_id}, {"kind", "basic"}, {"amount_fen", 30000}, {"doc_ref", "青价费〔2026〕12号"}})
            .ok());
    ASSERT_TRUE(IssueBills(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, TodayLocal()).ok());
    window_ = db().Read([&](db::Conn& c) {
      auto t = school::TermOf(c, m_.school_id, m_.term_id);
      return *PaymentWindow(t->dates, kPayFromWeek, kPayToWeek);
    });
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
  Json Pay(size_t child, int64_t amount) {
    auto n = MakeTestNotification(db(), m_.office, std::nullopt, {{"bill_id", BillOf(child)}, {"amount_fen", amount}});
    EXPECT_TRUE(n.ok());
    const Json& h = (*n)["headers"];
    auto a = HandleWeChatPayCallback(
        db(), m_.school_id,
        {h["Wechatpay-Timestamp"], h["Wechatpay-Nonce"], h["Wechatpay-Signature"], h["Wechatpay-Serial"]}, (*n)["body"],
        NowMs(), "test");
    EXPECT_TRUE(a.ok());
    return *a;
  }
  Json Remind(const Date& day) {
    auto r = SendReminders(db(), m_.office, std::nullopt, {{"term_id", m_.term_id}}, day);
    return r.ok() ? *r : Json{{"error", r.error().message}, {"code", ErrorCodeName(r.error().code)}};
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  DateRange window_;
};

TEST_P(FeesOps, RemindersOnlyInTheWindowAndOnceADay) {
  EXPECT_EQ(Pay(0, 30000)["outcome"], "paid");
  // The day before the window and the day after: refused with the rule named.
  EXPECT_EQ(Remind(AddDays(window_.first, -1))["code"], "rule_broken");
  EXPECT_EQ(Remind(AddDays(window_.last, 1))["code"], "rule_broken");
  // The first day: the 3 unpaid bills (child 0 paid) get one message per guardian.
  Json first = Remind(window_.first);
  EXPECT_EQ(first["unpaid"], 3);
  EXPECT_EQ(first["reminded"], 3);
  EXPECT_EQ(first["messages"], 3);
  // Same day again: nothing (at most once a day per bill).
  Json again = Remind(window_.first);
  EXPECT_EQ(again["reminded"], 0);
  EXPECT_EQ(again["already_today"], 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'fee_reminder:%'"), 3);
  // The next day (kReminderEveryDays = 1) and the window's last day: again.
  EXPECT_EQ(Remind(AddDays(window_.first, kReminderEveryDays))["reminded"], 3);
  EXPECT_EQ(Remind(window_.last)["reminded"], 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'fee_reminder:%'"), 9);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fee_remind'"), 4);
}

// The daily scheduler's tick (scheduler.h) run directly: nothing outside the window, one reminder
// per unpaid bill on a day of the window, none more that day (also after the office's own run),
// again the next day; it sends only from kReminderFromMinute school-local.
TEST_P(FeesOps, TheSchedulersTickRemindsEachUnpaidBillAtMostOnceADayWhilePaymentIsOpen) {
  EXPECT_EQ(Pay(0, 30000)["outcome"], "paid");
  Json before = ReminderTick(db(), AddDays(window_.first, -1));
  EXPECT_EQ(before["schools"], 1);
  EXPECT_EQ(before["open"], 0);
  EXPECT_EQ(before["reminded"], 0);
  Json first = ReminderTick(db(), window_.first);
  EXPECT_EQ(first["open"], 1);
  EXPECT_EQ(first["reminded"], 3);
  EXPECT_EQ(first["messages"], 3);
  EXPECT_EQ(ReminderTick(db(), window_.first)["reminded"], 0);
  EXPECT_EQ(Remind(window_.first)["reminded"], 0);  // the office's run the same day: already reminded
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'fee_reminder:%'"), 3);
  EXPECT_EQ(ReminderTick(db(), AddDays(window_.first, 1))["reminded"], 3);
  EXPECT_EQ(ReminderTick(db(), AddDays(window_.last, 1))["reminded"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'fee_remind' AND user_name = 'scheduler'"), 2);
  const Date d = window_.first;
  EXPECT_FALSE(ReminderTimeOf(LocalInstant(d, kReminderFromMinute - 1)));
  EXPECT_TRUE(ReminderTimeOf(LocalInstant(d, kReminderFromMinute)));
}

TEST_P(FeesOps, ReconciliationFindsTheMismatchAndIsAllOrNothing) {
  Pay(0, 30000);
  Pay(1, 30000);
  Pay(2, 100);  // amount differs from the bill: an exception callback, still money received
  Date today = TodayLocal();
  std::string csv = db().Read([&](db::Conn& c) { return TestProviderStatement(c, m_.school_id, today); });
  // The provider says one payment was 299.00, and lists one we never heard of.
  auto at = csv.find("`300.00");
  ASSERT_NE(at, std::string::npos);
  csv.replace(at, 7, "`299.00");
  csv.insert(csv.find("总交易单数"),
             "`" + FormatDate(today) + " 09:00:00,`wx,`m,`KH999,`T-UNKNOWN,`SUCCESS,`10.00\r\n");
  auto r = ImportStatement(db(), m_.office, std::nullopt, {{"date", FormatDate(today)}, {"csv", csv}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE((*r)["ok"].get<bool>());
  EXPECT_EQ((*r)["matched"], 2);
  EXPECT_EQ((*r)["amount_differs"], 1);
  EXPECT_EQ((*r)["missing_in_ours"], 1);
  EXPECT_EQ((*r)["missing_in_theirs"], 0);
  EXPECT_EQ((*r)["items"][0]["kind"], "amount_differs");  // exceptions first
  // A file with one bad row writes nothing (the earlier result stays).
  std::string bad = csv;
  bad.replace(bad.find("`SUCCESS"), 8, "`PAID");
  auto b = ImportStatement(db(), m_.office, std::nullopt, {{"date", FormatDate(today)}, {"csv", bad}});
  ASSERT_TRUE(b.ok());
  EXPECT_FALSE((*b)["ok"].get<bool>());
  EXPECT_EQ((*b)["errors"].size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fee_reconciliations"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fee_reconciliation_items"), 4);
  // Re-importing the day replaces its result.
  auto again = ImportStatement(db(), m_.office, std::nullopt, {{"date", FormatDate(today)}, {"csv", csv}});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM fee_reconciliations"), 1);
  EXPECT_EQ((*ListReconciliations(db(), m_.office, std::nullopt, 1, 20))["total"], 1);
  auto other = m_.office;
  other.school_id = m_.other_school_id;
  EXPECT_EQ(GetReconciliation(db(), other, std::nullopt, (*again)["id"]).error().code, ErrorCode::kNotFound);
}

TEST_P(FeesOps, ReceiptForThePaidBillsOwnFamilyOnly) {
  Pay(0, 30000);
  auto pdf = Receipt(db(), m_.Guardian(0), std::nullopt, BillOf(0));
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->bytes.substr(0, 5), "%PDF-");
  EXPECT_EQ(pdf->content_type, "application/pdf");
  EXPECT_EQ(Receipt(db(), m_.Guardian(1), std::nullopt, BillOf(0)).error().code, ErrorCode::kNotFound);
  EXPECT_EQ(Receipt(db(), m_.Guardian(1), std::nullopt, BillOf(1)).error().code, ErrorCode::kRuleBroken);  // unpaid
  EXPECT_TRUE(Receipt(db(), m_.office, std::nullopt, BillOf(0)).ok());
}

INSTANTIATE_TEST_SUITE_P(Db, FeesOps, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::fees
