// Ledger service on both databases: posting (balanced only, on the caller's transaction), reversal,
// posting to a target, the closed term; the chart in sql/0120 agrees with rules.cpp.
#include "ledger/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "testkit/xlsx_read.h"

namespace kehou::ledger {
namespace {

class LedgerService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 4);
  }
  db::Db& db() { return *t_.db; }
  auth::Principal leader() const {
    auth::Principal p = m_.office;
    p.role = auth::Role::kPrincipal;
    return p;
  }
  Posting Bill(int64_t id, int64_t fen) {
    Posting p;
    p.school_id = m_.school_id;
    p.term_id = m_.term_id;
    p.date = TodayLocal();
    p.source_type = kSourceBill;
    p.source_id = id;
    p.memo = "账单";
    p.lines = {{kAcctReceivable, fen, 0}, {kAcctFeeIncome, 0, fen}};
    return p;
  }
  int64_t Count(const char* table) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(std::string("SELECT COUNT(*) FROM ") + table)->Int(0); });
  }
  std::map<std::string, Movement> Moves() {
    return db().Read([&](db::Conn& c) { return Movements(c, m_.school_id, m_.term_id); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

TEST_P(LedgerService, ChartInTheDatabaseIsTheChartOfTheRules) {
  auto rows =
      db().Read([&](db::Conn& c) { return c.Query("SELECT code, kind, line FROM ledger_accounts ORDER BY sort"); });
  ASSERT_EQ(rows.size(), Chart().size());
  const char* kinds[] = {"asset", "liability", "income", "expense"};
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].Text(0), Chart()[i].code);
    EXPECT_EQ(rows[i].Text(1), kinds[static_cast<int>(Chart()[i].kind)]);
    EXPECT_EQ(rows[i].Text(2), Chart()[i].line);
  }
}

TEST_P(LedgerService, PostWritesTheEntryAndItsLines) {
  auto id = db().Write([&](db::Conn& c) { return Post(c, Bill(7, 32000)); });
  ASSERT_TRUE(id.ok()) << id.error().message;
  auto mv = Moves();
  EXPECT_EQ(mv[kAcctReceivable].debit_fen, 32000);
  EXPECT_EQ(mv[kAcctFeeIncome].credit_fen, 32000);
  EXPECT_EQ(Count("ledger_lines"), 2);
}

TEST_P(LedgerService, UnbalancedPostingIsRefusedAndNothingIsWritten) {
  auto p = Bill(7, 32000);
  p.lines[0].debit_fen = 31999;
  auto id = db().Write([&](db::Conn& c) { return Post(c, p); });
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.error().code, ErrorCode::kRuleBroken);
  EXPECT_EQ(Count("ledger_entries"), 0);
}

TEST_P(LedgerService, PostRollsBackWithTheCallersTransaction) {
  auto r = db().Write([&](db::Conn& c) -> Result<int64_t> {
    KEHOU_TRY(Post(c, Bill(7, 100)));
    return Error::Conflict("the caller's document failed");
  });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(Count("ledger_entries"), 0);
  EXPECT_EQ(Count("ledger_lines"), 0);
}

TEST_P(LedgerService, UnknownSourceAndAnotherSchoolsTermAreRefused) {
  auto p = Bill(7, 100);
  p.source_type = "gift";
  EXPECT_FALSE(db().Write([&](db::Conn& c) { return Post(c, p); }).ok());
  p = Bill(7, 100);
  p.school_id = m_.other_school_id;
  auto r = db().Write([&](db::Conn& c) { return Post(c, p); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
}

TEST_P(LedgerService, ReverseMirrorsOnceAndNeverTwice) {
  int64_t id = *db().Write([&](db::Conn& c) { return Post(c, Bill(7, 500)); });
  auto rev = db().Write([&](db::Conn& c) { return Reverse(c, m_.school_id, id, TodayLocal(), "录错", std::nullopt); });
  ASSERT_TRUE(rev.ok()) << rev.error().message;
  auto mv = Moves();
  EXPECT_EQ(mv[kAcctReceivable].debit_fen, 500);
  EXPECT_EQ(mv[kAcctReceivable].credit_fen, 500);
  auto again = db().Write([&](db::Conn& c) { return Reverse(c, m_.school_id, id, TodayLocal(), "x", std::nullopt); });
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  auto of_rev =
      db().Write([&](db::Conn& c) { return Reverse(c, m_.school_id, *rev, TodayLocal(), "x", std::nullopt); });
  EXPECT_FALSE(of_rev.ok());
  // The original is unchanged.
  auto orig = db().Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT total_fen, source_type FROM ledger_entries WHERE id = $1", {id}); });
  EXPECT_EQ(orig->Int(0), 500);
  EXPECT_EQ(orig->Text(1), "bill");
  // Another school cannot reverse it.
  auto other =
      db().Write([&](db::Conn& c) { return Reverse(c, m_.other_school_id, id, TodayLocal(), "x", std::nullopt); });
  EXPECT_FALSE(other.ok());
}

TEST_P(LedgerService, PostToTargetPostsOnlyTheDifference) {
  auto post = [&](int64_t fen, int64_t reduction) {
    auto p = Bill(9, fen);
    p.lines = {{kAcctReceivable, fen - reduction, 0}, {kAcctFeeIncome, 0, fen}};
    if (reduction) p.lines.push_back({kAcctReductions, reduction, 0});
    return db().Write([&](db::Conn& c) { return PostToTarget(c, p); });
  };
  auto first = post(30000, 0);
  ASSERT_TRUE(first.ok() && first->has_value());
  auto same = post(30000, 0);
  ASSERT_TRUE(same.ok());
  EXPECT_FALSE(same->has_value());
  auto reduced = post(30000, 10000);  // an exemption of 100 yuan
  ASSERT_TRUE(reduced.ok() && reduced->has_value());
  auto mv = Moves();
  EXPECT_EQ(mv[kAcctReceivable].debit_fen - mv[kAcctReceivable].credit_fen, 20000);
  EXPECT_EQ(mv[kAcctReductions].debit_fen, 10000);
  EXPECT_EQ(mv[kAcctFeeIncome].credit_fen, 30000);
  // After a reversal of the first entry, the target is posted again.
  db().Write(
      [&](db::Conn& c) { ASSERT_TRUE(Reverse(c, m_.school_id, **first, TodayLocal(), "x", std::nullopt).ok()); });
  ASSERT_TRUE(post(30000, 10000)->has_value());
  mv = Moves();
  EXPECT_EQ(mv[kAcctReceivable].debit_fen - mv[kAcctReceivable].credit_fen, 20000);
  EXPECT_EQ(mv[kAcctFeeIncome].credit_fen - mv[kAcctFeeIncome].debit_fen, 30000);
}

TEST_P(LedgerService, ApprovedFinalAccountsCloseTheTerm) {
  int64_t id = *db().Write([&](db::Conn& c) { return Post(c, Bill(7, 500)); });
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO ledger_final_accounts (school_id, term_id, status, snapshot, prepared_at, approved_at)"
        " VALUES ($1, $2, 'approved', '{}', 1, 2)",
        {m_.school_id, m_.term_id});
  });
  auto r = db().Write([&](db::Conn& c) { return Post(c, Bill(8, 500)); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRuleBroken);
  EXPECT_FALSE(
      db().Write([&](db::Conn& c) { return Reverse(c, m_.school_id, id, TodayLocal(), "x", std::nullopt); }).ok());
}

TEST_P(LedgerService, ExpenseNeedsItsInvoiceAndPostsAgainstBank) {
  Date today = TodayLocal();
  Json body{{"kind", "expense"}, {"doc_date", FormatDate(today)}, {"account", kAcctVenue},
            {"via", kAcctBank},  {"amount_fen", 150000},          {"payee", "维修队"}};
  auto no_invoice = CreateDocument(db(), m_.office, std::nullopt, body, today);
  ASSERT_FALSE(no_invoice.ok());
  EXPECT_EQ(no_invoice.error().field, "invoice_no");
  body["invoice_no"] = "No.0012345";
  auto wrong = body;
  wrong["account"] = kAcctFeeIncome;
  EXPECT_FALSE(CreateDocument(db(), m_.office, std::nullopt, wrong, today).ok());
  auto future = body;
  future["doc_date"] = FormatDate(AddDays(today, 1));
  EXPECT_FALSE(CreateDocument(db(), m_.office, std::nullopt, future, today).ok());
  auto ok = CreateDocument(db(), m_.office, std::nullopt, body, today);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  auto mv = Moves();
  EXPECT_EQ(mv[kAcctVenue].debit_fen, 150000);
  EXPECT_EQ(mv[kAcctBank].credit_fen, 150000);
  JournalQuery q;
  q.q = "0012345";
  auto j = ListJournal(db(), m_.office, std::nullopt, q);
  ASSERT_TRUE(j.ok());
  EXPECT_EQ((*j)["total"], 1);
  EXPECT_EQ((*j)["items"][0]["source_type"], "expense");
  EXPECT_EQ((*j)["debit_fen"], (*j)["credit_fen"]);
  auto x = ExportJournal(db(), m_.office, std::nullopt, q);
  ASSERT_TRUE(x.ok());
  auto book = testkit::ReadXlsx(x->bytes);
  ASSERT_TRUE(book.ok()) << book.error;
  EXPECT_NE(book.sheets[0].Text().find("0012345"), std::string::npos) << book.sheets[0].Text();  // the invoice found
  // Another school's office sees nothing of it.
  auth::Principal other = m_.office;
  other.school_id = m_.other_school_id;
  EXPECT_FALSE(ListJournal(db(), other, std::nullopt, q).ok());  // no term there
}

TEST_P(LedgerService, BudgetAgainstActualAndFinalAccountsFreezeTheTerm) {
  Date today = TodayLocal();
  auto put = PutBudget(db(), m_.office, std::nullopt, {{"lines", {{"fee_income", 500000}, {"venue", 100000}}}});
  ASSERT_TRUE(put.ok()) << put.error().message;
  EXPECT_FALSE(PutBudget(db(), m_.office, std::nullopt, {{"lines", {{"bogus", 1}}}}).ok());
  EXPECT_FALSE(PutBudget(db(), m_.office, std::nullopt, {{"lines", {{"venue", -1}}}}).ok());
  db().Write([&](db::Conn& c) { ASSERT_TRUE(Post(c, Bill(1, 320000)).ok()); });
  auto b = GetBudget(db(), m_.office, std::nullopt, std::nullopt);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ((*b)["lines"][0]["budget_fen"], 500000);
  EXPECT_EQ((*b)["lines"][0]["actual_fen"], 320000);
  EXPECT_EQ((*b)["lines"][0]["variance_fen"], -180000);
  // Final accounts only from the term's last day on.
  auto end = db().Read([&](db::Conn& c) {
    return *ParseDate(c.QueryOne("SELECT end_date FROM terms WHERE id = $1", {m_.term_id})->Text(0));
  });
  auto early = PrepareFinalAccounts(db(), m_.office, std::nullopt, Json::object(), AddDays(end, -1));
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kRuleBroken);
  EXPECT_FALSE(ApproveFinalAccounts(db(), leader(), std::nullopt, Json::object()).ok());  // not prepared
  ASSERT_TRUE(PrepareFinalAccounts(db(), m_.office, std::nullopt, Json::object(), end).ok());
  auto ok = ApproveFinalAccounts(db(), leader(), std::nullopt, Json::object());
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["status"], "approved");
  EXPECT_EQ((*ok)["snapshot"]["totals"]["actual_income_fen"], 320000);
  EXPECT_FALSE(PutBudget(db(), m_.office, std::nullopt, {{"lines", {{"venue", 1}}}}).ok());
  EXPECT_FALSE(db().Write([&](db::Conn& c) { return Post(c, Bill(2, 1)); }).ok());
  EXPECT_FALSE(CreateDocument(db(), m_.office, std::nullopt,
                              {{"kind", "expense"},
                               {"doc_date", FormatDate(today)},
                               {"account", kAcctVenue},
                               {"via", kAcctBank},
                               {"amount_fen", 1},
                               {"invoice_no", "x"}},
                              today)
                   .ok());
}

TEST_P(LedgerService, PublishedDisclosureIsFrozenAndALaterCorrectionShowsOnTheNext) {
  Date today = TodayLocal();
  Month now = MonthOf(today);
  auto term = db().Read([&](db::Conn& c) {
    return *ParseDate(c.QueryOne("SELECT start_date FROM terms WHERE id = $1", {m_.term_id})->Text(0));
  });
  Month first = MonthOf(term);
  if (first == now) GTEST_SKIP() << "the fixture's term begins this month";
  auto p = Bill(1, 40000);
  p.date = FirstDay(first) < term ? term : FirstDay(first);
  db().Write([&](db::Conn& c) { ASSERT_TRUE(Post(c, p).ok()); });
  auto pub = PublishDisclosure(db(), m_.office, std::nullopt, {{"month", FormatMonth(first)}}, today);
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  EXPECT_EQ((*pub)["lines"][0]["month_fen"], 40000);
  EXPECT_EQ((*pub)["month_totals"]["income_fen"], 40000);
  auto again = PublishDisclosure(db(), m_.office, std::nullopt, {{"month", FormatMonth(first)}}, today);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, ErrorCode::kConflict);
  EXPECT_FALSE(PublishDisclosure(db(), m_.office, std::nullopt, {{"month", FormatMonth(NextMonth(now))}}, today).ok());
  // A correction dated in the published month, posted afterwards.
  auto corr = Bill(2, 1500);
  corr.date = p.date;
  db().Write([&](db::Conn& c) { ASSERT_TRUE(Post(c, corr).ok()); });
  int64_t id = (*pub)["id"];
  auto frozen = GetDisclosure(db(), m_.office, std::nullopt, id);
  ASSERT_TRUE(frozen.ok());
  EXPECT_EQ((*frozen)["term_totals"]["income_fen"], 40000);  // unchanged
  auto next = PublishDisclosure(db(), m_.office, std::nullopt, {{"month", FormatMonth(now)}}, today);
  ASSERT_TRUE(next.ok());
  EXPECT_EQ((*next)["lines"][0]["correction_fen"], 1500);
  EXPECT_EQ((*next)["has_corrections"], true);
  EXPECT_EQ((*next)["term_totals"]["income_fen"], 41500);
  EXPECT_EQ((*next)["corrects"]["id"], id);
  // Guardians of the school read it; a guardian of no child of the school does not.
  auto mine = MyDisclosures(db(), m_.Guardian(0));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["items"].size(), 2u);
  EXPECT_TRUE(GetDisclosure(db(), m_.Guardian(0), std::nullopt, id).ok());
  auth::Principal stranger = m_.Guardian(0);
  stranger.guardian_id = 999999;
  EXPECT_EQ(GetDisclosure(db(), stranger, std::nullopt, id).error().code, ErrorCode::kNotFound);
  auto pdf = DisclosurePdf(db(), m_.Guardian(0), std::nullopt, id);
  ASSERT_TRUE(pdf.ok()) << pdf.error().message;
  EXPECT_EQ(pdf->bytes.substr(0, 5), "%PDF-");
}

TEST_P(LedgerService, TheDatabaseRefusesEditingOrDeletingEntriesLinesAndDisclosures) {
  int64_t id = *db().Write([&](db::Conn& c) { return Post(c, Bill(7, 500)); });
  for (const char* sql :
       {"UPDATE ledger_entries SET total_fen = 1 WHERE id = $1", "DELETE FROM ledger_entries WHERE id = $1",
        "UPDATE ledger_lines SET debit_fen = 0, credit_fen = 1 WHERE entry_id = $1",
        "DELETE FROM ledger_lines WHERE entry_id = $1"})
    EXPECT_THROW(db().Write([&](db::Conn& c) { c.Exec(sql, {id}); }), db::DbError) << sql;
  auto pub =
      PublishDisclosure(db(), m_.office, std::nullopt, {{"month", FormatMonth(MonthOf(TodayLocal()))}}, TodayLocal());
  ASSERT_TRUE(pub.ok()) << pub.error().message;
  int64_t d = (*pub)["id"];
  EXPECT_THROW(
      db().Write([&](db::Conn& c) { c.Exec("UPDATE ledger_disclosures SET snapshot = '{}' WHERE id = $1", {d}); }),
      db::DbError);
  EXPECT_THROW(db().Write([&](db::Conn& c) { c.Exec("DELETE FROM ledger_disclosures WHERE id = $1", {d}); }),
               db::DbError);
  EXPECT_EQ(Moves()[kAcctReceivable].debit_fen, 500);
}

INSTANTIATE_TEST_SUITE_P(Both, LedgerService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::ledger
