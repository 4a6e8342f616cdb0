// sql/0260-0262 on both databases: a ledger written before them (entries, lines, a reversal, a
// suspense document of an exception) survives the rebuild of ledger_entries (SQLite) or the new
// CHECK (PostgreSQL) with its ids; the never-edit triggers still refuse an UPDATE or DELETE; the
// suspense source types post and an unknown one is still refused; 0261 gives the old exception
// its entry.
#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "ledger/service.h"

namespace kehou::ledger {
namespace {

constexpr int kFirstNew = 260;

// Applies the migrations before kFirstNew exactly as db::Migrate does.
void MigrateBefore(db::Db& d) {
  d.Write([](db::Conn& c) {
    c.Exec("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
           " applied_at BIGINT NOT NULL)");
  });
  for (const auto& m : db::AllMigrations()) {
    if (m.version >= kFirstNew) break;
    if (m.only && *m.only != d.dialect()) continue;
    d.Write([&](db::Conn& c) {
      c.ExecScript(db::Portable(m.sql, c.dialect()));
      c.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             {int64_t{m.version}, m.name, NowMs()});
    });
  }
}

// Before the migration: a bill, its reversal, and an exception held in suspense by a ledger document.
struct OldRows {
  int64_t bill = 0, rev = 0, doc = 0, exc = 0;
};
OldRows WriteOldRows(db::Db& d, const testing::MiniSchool& m, Date today) {
  int64_t bill = 0, rev = 0, doc = 0, exc = 0;
  d.Write([&](db::Conn& c) {
    Posting p;
    p.school_id = m.school_id;
    p.term_id = m.term_id;
    p.date = today;
    p.source_type = kSourceBill;
    p.source_id = 7;
    p.lines = {{kAcctReceivable, 30000, 0}, {kAcctFeeIncome, 0, 30000}};
    bill = *Post(c, p);
    rev = *Reverse(c, m.school_id, bill, today, "录错", std::nullopt);
    exc = c.Insert("INSERT INTO fee_exceptions (school_id, channel, transaction_id, amount_fen, reason_code, reason,"
                   " payload, received_at) VALUES ($1, 'wechat', 'T-OLD-1', 500, 'unknown_order', '找不到账单', '{}', $2)"
                   " RETURNING id",
                   {m.school_id, NowMs()});
    MoneyDocument md;
    md.school_id = m.school_id;
    md.term_id = m.term_id;
    md.date = today;
    md.account = kAcctSuspense;
    md.via = kAcctWeChat;
    md.amount_fen = 500;
    md.ref = "T-OLD-1";
    doc = *PostMoneyDocument(c, md);
    c.Exec("UPDATE fee_exceptions SET suspense_doc_id = $1 WHERE id = $2", {doc, exc});
  });
  return {bill, rev, doc, exc};
}

class LedgerMigration : public ::testing::TestWithParam<std::string> {};

TEST_P(LedgerMigration, OldRowsSurviveTriggersHoldNewSourceTypesPost) {
  auto t = db::MakeTestDb(GetParam(), /*migrate=*/false);
  if (!t.db) GTEST_SKIP();
  db::Db& d = *t.db;
  MigrateBefore(d);
  auto m = testing::MakeMiniSchool(d, 2);
  const Date today = TodayLocal();
  const auto [bill, rev, doc, exc] = WriteOldRows(d, m, today);
  auto count = [&](const std::string& sql) { return d.Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); }); };
  const int64_t entries = count("SELECT COUNT(*) FROM ledger_entries");
  const int64_t lines = count("SELECT COUNT(*) FROM ledger_lines");
  ASSERT_EQ(entries, 3);

  auto applied = db::Migrate(d);
  ASSERT_FALSE(applied.empty());
  EXPECT_EQ(applied.front(), kFirstNew);

  // The old rows, with their ids, lines and the reversal's link.
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_entries"), entries);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_lines"), lines);
  EXPECT_EQ(count("SELECT reverses_id FROM ledger_entries WHERE id = " + std::to_string(rev)), bill);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id"), lines);
  EXPECT_EQ(count("SELECT total_fen FROM ledger_entries WHERE id = " + std::to_string(bill)), 30000);
  // 0261: the old exception points at its entry.
  EXPECT_EQ(count("SELECT suspense_entry_id FROM fee_exceptions WHERE id = " + std::to_string(exc)),
            count("SELECT id FROM ledger_entries WHERE source_type = 'income' AND source_id = " + std::to_string(doc)));
  if (GetParam() == "sqlite") {
    EXPECT_EQ(count("SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    EXPECT_EQ(count("SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'ledger_entries'"
                    " AND name LIKE 'ledger_entries_%'"),
              3);
  }

  // The never-edit triggers still refuse, whoever writes.
  auto refused = [&](const std::string& sql) {
    try {
      d.Write([&](db::Conn& c) { c.Exec(sql); });
    } catch (const db::DbError&) {
      return true;
    }
    return false;
  };
  EXPECT_TRUE(refused("UPDATE ledger_entries SET memo = 'x' WHERE id = " + std::to_string(bill)));
  EXPECT_TRUE(refused("DELETE FROM ledger_entries WHERE id = " + std::to_string(bill)));
  EXPECT_TRUE(refused("UPDATE ledger_lines SET debit_fen = debit_fen WHERE entry_id = " + std::to_string(bill)));
  // The CHECK still refuses a type nobody posts.
  EXPECT_TRUE(refused("INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, total_fen,"
                      " created_at) VALUES (" +
                      std::to_string(m.school_id) + ", " + std::to_string(m.term_id) + ", '2026-01-01', 'bogus', 1, 1, 1)"));

  // The suspense types post, their lines in 2249.
  for (const char* type : {kSourceSuspenseIn, kSourceSuspenseMatch, kSourceSuspenseRefund}) {
    auto id = d.Write([&](db::Conn& c) {
      Posting p;
      p.school_id = m.school_id;
      p.term_id = m.term_id;
      p.date = today;
      p.source_type = type;
      p.source_id = exc;
      p.source_ref = "T-OLD-1";
      p.lines = {{kAcctWeChat, 100, 0}, {kAcctSuspense, 0, 100}};
      return Post(c, p);
    });
    ASSERT_TRUE(id.ok()) << type << ": " << id.error().message;
    EXPECT_GT(*id, rev);
  }
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_entries WHERE source_type LIKE 'suspense_%'"), 3);
  // The new chart account of 0262.
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_accounts WHERE code = '2205'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Both, LedgerMigration, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::ledger
