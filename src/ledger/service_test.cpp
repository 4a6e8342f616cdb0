// Ledger service on both databases: posting (balanced only, on the caller's transaction), reversal,
// posting to a target, the closed term; the chart in sql/0120 agrees with rules.cpp.
#include "ledger/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::ledger {
namespace {

class LedgerService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 4);
  }
  db::Db& db() { return *t_.db; }
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

INSTANTIATE_TEST_SUITE_P(Both, LedgerService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::ledger
