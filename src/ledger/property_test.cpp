// Property tests (issue 14 §6) on both databases: random terms, enrolments, exits, exemptions,
// payments (with duplicated and mismatched callbacks), suspense (exceptions matched to a bill or
// refunded to the payer), refunds and their payouts, expenses and reversals go through the fees and
// ledger services; then the ledger balances, every fen of a bill traces to the ledger,
// no bill crosses a term, refunds never exceed payments, and the disclosure equals the ledger.
#include <gtest/gtest.h>

#include <random>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "fees/service.h"
#include "ledger/service.h"

namespace kehou::ledger {
namespace {

class LedgerProperty : public ::testing::TestWithParam<std::string> {
 protected:
  int Seeds() const { return GetParam() == "sqlite" ? 8 : 3; }
};

int64_t One(db::Db& d, const std::string& sql, const db::Params& p = {}) {
  return d.Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
}

// One random run: a term with its school, standards and bills, then each enrolled child's story,
// the office's work (suspense, payouts, expenses), then the checks. The steps draw from one random
// stream in this order, so a seed replays the same run.
class PropertyRun {
 public:
  PropertyRun(const std::string& kind, uint32_t seed) : rng_(seed), t_(db::MakeTestDb(kind)), d(*t_.db) {
    children_ = Rnd(3, 8);
    enrolled_ = Rnd(2, children_);
    m = testing::MakeMiniSchool(d, children_, enrolled_);
    leader_ = m.office;
    leader_.role = auth::Role::kPrincipal;
  }

  void Run() {
    const std::vector<void (PropertyRun::*)()> steps = {
        &PropertyRun::SetUpTerm,      &PropertyRun::ChildStories,  &PropertyRun::ResolveExceptions,
        &PropertyRun::PayOutAndRerun, &PropertyRun::OfficeEntries, &PropertyRun::CheckBalances,
        &PropertyRun::CheckTrace,     &PropertyRun::CheckClearing, &PropertyRun::CheckRefundsAndTerms,
        &PropertyRun::CheckDisclosure};
    for (auto step : steps) {
      (this->*step)();
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

 private:
  int Rnd(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

  int64_t BillOf(int i) {
    return d.Read([&](db::Conn& c) {
      auto r = c.QueryOne("SELECT id FROM fee_bills WHERE student_id = $1", {m.students.at(static_cast<size_t>(i))});
      return r ? r->Int(0) : 0;
    });
  }

  void Standard(const char* k, int64_t fen) {
    auto r = fees::CreateStandard(
        d, m.office, std::nullopt,
        {{"term_id", m.term_id}, {"kind", k}, {"amount_fen", fen}, {"doc_ref", "青价费〔2026〕12号"}});
    ASSERT_TRUE(r.ok()) << r.error().message;
  }

  // A random term around today (payments need today inside it), and a later term of the school;
  // its standards, bills and a late window open today.
  void SetUpTerm() {
    start_ = AddDays(today_, -Rnd(5, 120));
    end_ = AddDays(today_, Rnd(20, 150));
    d.Write([&](db::Conn& c) {
      c.Exec("UPDATE terms SET start_date = $2, end_date = $3 WHERE id = $1",
             {m.term_id, FormatDate(start_), FormatDate(end_)});
      c.Exec("INSERT INTO terms (school_id, name, start_date, end_date, is_current) VALUES ($1, '下学期', $2, $3, 0)",
             {m.school_id, FormatDate(AddDays(end_, 20)), FormatDate(AddDays(end_, 140))});
      ASSERT_TRUE(*fees::EnsureTestMerchant(c, m.school_id));
    });
    Standard("basic", Rnd(1, 60000));
    if (Rnd(0, 1)) Standard("materials", Rnd(1, 5000));
    ASSERT_TRUE(fees::IssueBills(d, m.office, std::nullopt, {{"term_id", m.term_id}}, today_).ok());
    ASSERT_TRUE(fees::OpenLateWindow(d, m.office, std::nullopt,
                                     {{"term_id", m.term_id},
                                      {"opens_on", FormatDate(today_)},
                                      {"closes_on", FormatDate(today_)},
                                      {"reason", "测试"}})
                    .ok());
  }

  // Each enrolled child: maybe an exemption, maybe a payment (with a callback delivered twice or
  // with a wrong amount), maybe an exit with its refunds.
  void ChildStories() {
    for (int i = 0; i < enrolled_; ++i) {
      int64_t bill = BillOf(i);
      ASSERT_GT(bill, 0);
      int what = Rnd(0, 9);
      if (what < 2) {  // an exemption by the leadership group
        Json ex{{"category", "low_income"},
                {"mode", what == 0 ? "full" : "percent"},
                {"decided_by", "领导小组"},
                {"decided_on", FormatDate(today_)},
                {"decision_ref", "纪要1"}};
        if (what == 1) ex["value"] = Rnd(1, 99);
        ASSERT_TRUE(fees::AddExemption(d, leader_, std::nullopt, bill, ex, today_).ok());
      }
      if (what == 9) continue;  // never pays
      auto paid = fees::PayWithTestProvider(d, m.Guardian(static_cast<size_t>(i)), bill, today_);
      if (!paid.ok()) {
        EXPECT_EQ(paid.error().code, ErrorCode::kConflict);  // fully exempted
        continue;
      }
      if (Rnd(0, 3) == 0) Callbacks(i, bill);
      int refund = Rnd(0, 5);
      if (refund >= 3) Exit(i, bill, refund);
      if (::testing::Test::HasFatalFailure()) return;
    }
  }

  // The provider delivers a callback twice, or with a wrong amount.
  void Callbacks(int i, int64_t bill) {
    auto n = fees::MakeTestNotification(
        d, m.office, std::nullopt,
        {{"bill_id", bill}, {"amount_fen", Rnd(1, 99999)}, {"transaction_id", "T" + std::to_string(i)}});
    ASSERT_TRUE(n.ok());
    fees::wechatpay::Headers h{(*n)["headers"]["Wechatpay-Timestamp"], (*n)["headers"]["Wechatpay-Nonce"],
                               (*n)["headers"]["Wechatpay-Signature"], (*n)["headers"]["Wechatpay-Serial"]};
    for (int k = 0; k < 2; ++k)
      EXPECT_TRUE(fees::HandleWeChatPayCallback(d, m.school_id, h, (*n)["body"], NowMs(), "test").ok());
  }

  // An exit mid-term: prorated, or never attended: full; sometimes then the rest.
  void Exit(int i, int64_t bill, int refund) {
    Date eff = AddDays(start_, Rnd(0, static_cast<int>(DaysFromCivil(end_) - DaysFromCivil(start_)) + 5));
    d.Write([&](db::Conn& c) {
      c.Exec(
          "INSERT INTO exits (school_id, term_id, student_id, application_id, effective_date, created_at)"
          " SELECT school_id, term_id, student_id, id, $2, 1 FROM applications WHERE student_id = $1",
          {m.students.at(static_cast<size_t>(i)), FormatDate(eff)});
    });
    Json body = refund == 3 ? Json{{"kind", "full"}, {"reason", "未参加"}}
                            : Json{{"kind", "prorated"}, {"reason", "中途退出"}, {"effective_date", FormatDate(eff)}};
    for (int k = 0; k < (refund == 5 ? 3 : 1); ++k) {
      auto rq = fees::RequestRefund(d, m.office, std::nullopt, bill,
                                    k ? Json{{"kind", "full"}, {"reason", "余额"}} : body, today_);
      if (!rq.ok()) continue;  // nothing left, or the exit is after the term
      if (Rnd(0, 4)) {
        int64_t rid = (*rq)["refunds"].back()["id"];
        ASSERT_TRUE(fees::ApproveRefund(d, leader_, std::nullopt, rid, today_).ok());
      }
    }
  }

  // The exceptions queue: money held in suspense is matched to a bill (when it fits the bill's
  // outstanding), refunded to the payer, or left open.
  void ResolveExceptions() {
    auto open_ex = d.Read([&](db::Conn& c) {
      return c.Query("SELECT id, amount_fen FROM fee_exceptions WHERE resolved_at IS NULL ORDER BY id");
    });
    for (const auto& x : open_ex) {
      int how = Rnd(0, 2);
      if (how == 2) continue;
      Json body{{"action", how == 0 ? "match" : "refund"}, {"resolution", "核实"}};
      if (how == 0) body["bill_id"] = BillOf(Rnd(0, enrolled_ - 1));
      auto res = fees::ResolveException(d, m.office, std::nullopt, x.Int(0), body);
      if (!res.ok()) {  // more than the bill's outstanding: refunded instead
        EXPECT_EQ(res.error().code, ErrorCode::kRuleBroken) << res.error().message;
        ASSERT_TRUE(
            fees::ResolveException(d, m.office, std::nullopt, x.Int(0), {{"action", "refund"}, {"resolution", "退回"}})
                .ok());
      }
    }
  }

  // Refund payouts: the approved refunds go into a bank file batch, which is sometimes marked paid.
  // Then re-running the bill run after the exits changes nothing that was posted wrongly.
  void PayOutAndRerun() {
    if (auto batch = fees::CreatePayoutBatch(d, m.office, std::nullopt, today_); batch.ok()) {
      if (Rnd(0, 2)) {
        ASSERT_TRUE(
            fees::MarkPayoutPaid(d, m.office, std::nullopt, (*batch)["id"], {{"bank_ref", "HD1"}}, today_).ok());
      }
    } else {
      EXPECT_EQ(batch.error().code, ErrorCode::kConflict);
    }
    ASSERT_TRUE(fees::IssueBills(d, m.office, std::nullopt, {{"term_id", m.term_id}}, today_).ok());
  }

  // Expenses and a subsidy entered by the office; one reversed.
  void OfficeEntries() {
    std::vector<int64_t> entries;
    for (int k = 0; k < Rnd(1, 4); ++k) {
      const char* acct = std::vector<const char*>{kAcctTeacherPay, kAcctMaterials, kAcctVenue,
                                                  kAcctInstitutions}[static_cast<size_t>(Rnd(0, 3))];
      Date on = AddDays(start_, Rnd(0, static_cast<int>(DaysFromCivil(today_) - DaysFromCivil(start_))));
      auto r = CreateDocument(d, m.office, std::nullopt,
                              {{"kind", "expense"},
                               {"doc_date", FormatDate(on)},
                               {"account", acct},
                               {"via", kAcctBank},
                               {"amount_fen", Rnd(1, 200000)},
                               {"invoice_no", "FP" + std::to_string(k)}},
                              today_);
      ASSERT_TRUE(r.ok()) << r.error().message;
      entries.push_back((*r)["entry_id"]);
    }
    ASSERT_TRUE(CreateDocument(d, m.office, std::nullopt,
                               {{"kind", "income"},
                                {"doc_date", FormatDate(today_)},
                                {"account", kAcctSubsidy},
                                {"via", kAcctBank},
                                {"amount_fen", Rnd(1, 900000)},
                                {"invoice_no", "财拨1"}},
                               today_)
                    .ok());
    if (Rnd(0, 1)) {
      ASSERT_TRUE(ReverseEntry(d, m.office, std::nullopt, entries[0], {{"reason", "录错"}}, today_).ok());
    }
  }

  // 1. The ledger balances, entry by entry and in total.
  void CheckBalances() {
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM (SELECT entry_id FROM ledger_lines GROUP BY entry_id"
                  " HAVING SUM(debit_fen) <> SUM(credit_fen)) x"),
              0);
    mv_ = d.Read([&](db::Conn& c) { return Movements(c, m.school_id, m.term_id); });
    int64_t dr = 0, cr = 0;
    for (const auto& [code, x] : mv_) dr += x.debit_fen, cr += x.credit_fen;
    EXPECT_EQ(dr, cr);
  }

  // 2. Every fen of the bills traces. Income is recognised when received: the receivable is the
  // due not yet paid and stands against 2205 (billed, not yet received); fee + materials income is
  // what was paid; nothing is income at billing, so 4108 reductions never move.
  void CheckTrace() {
    gross_ = One(d, "SELECT COALESCE(SUM(gross_fen), 0) FROM fee_bills");
    reduction_ = One(d, "SELECT COALESCE(SUM(reduction_fen), 0) FROM fee_bills");
    paid_ = One(d, "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_payments");
    refunded_ = One(d, "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_refunds WHERE status = 'approved'");
    int64_t receivable = mv_[kAcctReceivable].debit_fen - mv_[kAcctReceivable].credit_fen;
    EXPECT_EQ(receivable, gross_ - reduction_ - paid_);
    EXPECT_EQ(mv_[kAcctBilledUnreceived].credit_fen - mv_[kAcctBilledUnreceived].debit_fen, receivable);
    int64_t fee_income = mv_[kAcctFeeIncome].credit_fen - mv_[kAcctFeeIncome].debit_fen +
                         mv_[kAcctMaterialsIncome].credit_fen - mv_[kAcctMaterialsIncome].debit_fen;
    EXPECT_EQ(fee_income, paid_);
    EXPECT_EQ(mv_[kAcctReductions].debit_fen + mv_[kAcctReductions].credit_fen, 0);
    // received (net of refunds) + receivable = billed - exempt - refunded, to the fen.
    received_ = fee_income - (mv_[kAcctRefunds].debit_fen - mv_[kAcctRefunds].credit_fen);
    EXPECT_EQ(received_ + receivable, gross_ - reduction_ - refunded_);
  }

  // WeChat clearing: every payment that came straight in, and every callback held in suspense;
  // out again what suspense refunded to payers. Suspense holds exactly the open exceptions' money.
  void CheckClearing() {
    int64_t matched = One(d, "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_exceptions WHERE settle_kind = 'match'");
    int64_t held_in =
        One(d, "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_exceptions WHERE suspense_entry_id IS NOT NULL");
    int64_t sent_back = One(d, "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_exceptions WHERE settle_kind = 'refund'");
    int64_t still_held =
        One(d,
            "SELECT COALESCE(SUM(amount_fen), 0) FROM fee_exceptions WHERE suspense_entry_id IS NOT NULL"
            " AND resolved_at IS NULL");
    EXPECT_EQ(mv_[kAcctWeChat].debit_fen, paid_ - matched + held_in);
    EXPECT_EQ(mv_[kAcctWeChat].credit_fen, sent_back);
    EXPECT_EQ(mv_[kAcctSuspense].credit_fen - mv_[kAcctSuspense].debit_fen, still_held);
    EXPECT_EQ(mv_[kAcctSuspense].debit_fen, matched + sent_back);
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM fee_exceptions x WHERE x.suspense_entry_id IS NOT NULL AND NOT EXISTS (SELECT 1"
                  " FROM ledger_entries e WHERE e.id = x.suspense_entry_id AND e.source_type = 'suspense_in'"
                  " AND e.source_id = x.id AND e.source_ref = x.transaction_id AND e.total_fen = x.amount_fen)"),
              0);
    // Each settled step of suspense is an entry of its own source type, of the exception.
    EXPECT_EQ(
        One(d,
            "SELECT COUNT(*) FROM fee_exceptions x WHERE x.settle_kind IN ('match', 'refund') AND NOT EXISTS"
            " (SELECT 1 FROM ledger_entries e WHERE e.id = x.settle_entry_id AND e.source_id = x.id"
            " AND e.source_type = CASE x.settle_kind WHEN 'match' THEN 'suspense_match' ELSE 'suspense_refund' END)"),
        0);
  }

  // Refunds payable and paid out; every payment has its entry; 3. refunds never exceed payments,
  // bill by bill; 4. no bill crosses a term: its lines' standards, its entries, its payments'
  // entries are of its term.
  void CheckRefundsAndTerms() {
    EXPECT_EQ(mv_[kAcctRefunds].debit_fen, refunded_);
    EXPECT_EQ(mv_[kAcctRefundsPayable].credit_fen, refunded_);
    // Refunds payable: paid out exactly the refunds of the batches marked paid, each once.
    int64_t paid_out = One(d,
                           "SELECT COALESCE(SUM(r.amount_fen), 0) FROM fee_refunds r JOIN fee_refund_payouts p"
                           " ON p.id = r.payout_id WHERE p.status = 'paid'");
    EXPECT_EQ(mv_[kAcctRefundsPayable].debit_fen, paid_out);
    EXPECT_EQ(One(d, "SELECT COUNT(*) FROM fee_refunds WHERE payout_id IS NOT NULL AND status <> 'approved'"), 0);
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM fee_payments p WHERE NOT EXISTS (SELECT 1 FROM ledger_entries e"
                  " WHERE ((e.source_type = 'payment' AND e.source_id = p.id) OR (e.source_type = 'suspense_match'"
                  " AND e.source_id IN (SELECT x.id FROM fee_exceptions x WHERE x.payment_id = p.id)))"
                  " AND e.source_ref = p.transaction_id)"),
              0);
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM fee_bills b WHERE (SELECT COALESCE(SUM(amount_fen), 0) FROM fee_refunds r"
                  " WHERE r.bill_id = b.id) > b.paid_fen"),
              0);
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM fee_bill_lines l JOIN fee_bills b ON b.id = l.bill_id JOIN fee_standards s"
                  " ON s.id = l.standard_id WHERE s.term_id <> b.term_id"),
              0);
    EXPECT_EQ(
        One(d,
            "SELECT COUNT(*) FROM ledger_entries e JOIN fee_bills b ON e.source_type = 'bill' AND b.id = e.source_id"
            " WHERE e.term_id <> b.term_id"),
        0);
    EXPECT_EQ(One(d,
                  "SELECT COUNT(*) FROM ledger_entries e JOIN fee_payments p ON e.source_type = 'payment'"
                  " AND p.id = e.source_id JOIN fee_bills b ON b.id = p.bill_id WHERE e.term_id <> b.term_id"),
              0);
    EXPECT_EQ(One(d, "SELECT COUNT(*) FROM ledger_entries WHERE term_id <> $1", {m.term_id}), 0);
  }

  // 5. The disclosure equals the ledger: the monthly sums it reads are the lines summed by month and
  // account, the term so far by line, and the months add up to it.
  void CheckMonthSums() {
    const std::string by_month =
        "SELECT e.school_id, e.term_id, substr(e.entry_date, 1, 7) AS month, l.account_code, SUM(l.debit_fen) AS d,"
        " SUM(l.credit_fen) AS cr FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id"
        " GROUP BY e.school_id, e.term_id, substr(e.entry_date, 1, 7), l.account_code";
    EXPECT_EQ(One(d, "SELECT COUNT(*) FROM ledger_month_sums"), One(d, "SELECT COUNT(*) FROM (" + by_month + ") x"));
    EXPECT_EQ(One(d, "SELECT COUNT(*) FROM (" + by_month +
                         ") x JOIN ledger_month_sums s ON s.school_id = x.school_id AND s.term_id = x.term_id"
                         " AND s.month = x.month AND s.account_code = x.account_code AND s.debit_fen = x.d"
                         " AND s.credit_fen = x.cr"),
              One(d, "SELECT COUNT(*) FROM ledger_month_sums"));
  }

  void CheckDisclosure() {
    CheckMonthSums();
    auto by_line = ByLine(mv_);
    auto pub = PublishDisclosure(d, m.office, std::nullopt, {{"month", FormatMonth(MonthOf(today_))}}, today_);
    ASSERT_TRUE(pub.ok()) << pub.error().message;
    std::map<std::string, int64_t> months_sum;
    for (Month mo = MonthOf(start_); mo <= MonthOf(today_); mo = NextMonth(mo)) {
      Json j = d.Read([&](db::Conn& c) { return ComputeDisclosure(c, m.school_id, m.term_id, mo); });
      for (const auto& l : j["lines"]) months_sum[l["key"]] += l["month_fen"].get<int64_t>();
    }
    for (const auto& l : (*pub)["lines"]) {
      EXPECT_EQ(l["term_fen"].get<int64_t>(), by_line[l["key"]]) << l["key"];
      EXPECT_EQ(months_sum[l["key"]], by_line[l["key"]]) << l["key"];
    }
    EXPECT_EQ((*pub)["term_totals"]["surplus_fen"].get<int64_t>(), Surplus(by_line));
    // What a guardian reads: the fee lines are the money collected net of refunds, and the bills not
    // yet paid are the receivable beside them.
    int64_t fee_lines = 0;
    for (const auto& l : (*pub)["lines"])
      if (l["key"] == "fee_income" || l["key"] == "materials_income" || l["key"] == "reductions" ||
          l["key"] == "refunds")
        fee_lines += l["term_fen"].get<int64_t>();
    EXPECT_EQ(fee_lines, received_);
    EXPECT_EQ((*pub)["receivable_fen"].get<int64_t>(), gross_ - reduction_ - paid_);
  }

  std::mt19937 rng_;
  db::TestDb t_;
  db::Db& d;
  int children_ = 0, enrolled_ = 0;
  testing::MiniSchool m;
  auth::Principal leader_;
  const Date today_ = TodayLocal();
  Date start_, end_;
  std::map<std::string, Movement> mv_;
  int64_t gross_ = 0, reduction_ = 0, paid_ = 0, refunded_ = 0, received_ = 0;
};

void RunOne(const std::string& kind, uint32_t seed) {
  SCOPED_TRACE("seed " + std::to_string(seed));
  PropertyRun(kind, seed).Run();
}

TEST_P(LedgerProperty, RandomTermsBalanceTraceAndDisclose) {
  for (int s = 1; s <= Seeds(); ++s) RunOne(GetParam(), static_cast<uint32_t>(s * 7919));
}

INSTANTIATE_TEST_SUITE_P(Both, LedgerProperty, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::ledger
