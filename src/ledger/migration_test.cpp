// sql/0260-0262 on both databases: a ledger written before them (entries, lines, a reversal, a
// suspense document of an exception) survives the rebuild of ledger_entries (SQLite) or the new
// CHECK (PostgreSQL) with its ids; the never-edit triggers still refuse an UPDATE or DELETE; the
// suspense source types post and an unknown one is still refused; 0261 gives the old exception
// its entry. sql/0310-0312: bills and payments posted under the old rule (income when billed) are
// reclassified by new entries with audit rows to the balances of the received basis, and the
// monthly sums are filled from the lines.
#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "ledger/service.h"

namespace kehou::ledger {
namespace {

constexpr int kFirstNew = 260;

// Applies the migrations before first_new exactly as db::Migrate does.
void MigrateBefore(db::Db& d, int first_new) {
  d.Write([](db::Conn& c) {
    c.Exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
        " applied_at BIGINT NOT NULL)");
  });
  for (const auto& m : db::AllMigrations()) {
    if (m.version >= first_new) break;
    if (m.only && *m.only != d.dialect()) continue;
    d.Write([&](db::Conn& c) {
      c.ExecScript(db::Portable(m.sql, c.dialect()));
      c.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
             {int64_t{m.version}, m.name, NowMs()});
    });
  }
}

// An entry and its lines written as the code of that time did (raw rows: today's Post also keeps
// tables of later migrations).
int64_t OldEntry(db::Conn& c, const testing::MiniSchool& m, Date day, const std::string& type, int64_t source_id,
                 const std::string& ref, std::optional<int64_t> reverses, const std::vector<PostingLine>& lines) {
  int64_t id = c.Insert(
      "INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, source_ref, memo,"
      " reverses_id, total_fen, created_at) VALUES ($1, $2, $3, $4, $5, $6, '', $7, $8, $9) RETURNING id",
      {m.school_id, m.term_id, FormatDate(day), type, source_id, ref, db::Opt(reverses), TotalDebit(lines), NowMs()});
  for (const auto& l : lines)
    c.Exec(
        "INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen)"
        " VALUES ($1, $2, $3, $4, $5)",
        {m.school_id, id, l.account, l.debit_fen, l.credit_fen});
  return id;
}

// Before the migration: a bill, its reversal, and an exception held in suspense by a ledger document.
struct OldRows {
  int64_t bill = 0, rev = 0, doc = 0, exc = 0;
};
OldRows WriteOldRows(db::Db& d, const testing::MiniSchool& m, Date today) {
  int64_t bill = 0, rev = 0, doc = 0, exc = 0;
  d.Write([&](db::Conn& c) {
    bill = OldEntry(c, m, today, kSourceBill, 7, "", std::nullopt,
                    {{kAcctReceivable, 30000, 0}, {kAcctFeeIncome, 0, 30000}});
    rev = OldEntry(c, m, today, "reversal", 7, "", bill, {{kAcctFeeIncome, 30000, 0}, {kAcctReceivable, 0, 30000}});
    exc = c.Insert(
        "INSERT INTO fee_exceptions (school_id, channel, transaction_id, amount_fen, reason_code, reason,"
        " payload, received_at) VALUES ($1, 'wechat', 'T-OLD-1', 500, 'unknown_order', '找不到账单', '{}', $2)"
        " RETURNING id",
        {m.school_id, NowMs()});
    // The suspense document as fees wrote it then: a ledger_documents row and its income entry.
    doc = c.Insert(
        "INSERT INTO ledger_documents (school_id, term_id, kind, doc_date, account_code, via_code,"
        " amount_fen, invoice_no, created_at) VALUES ($1, $2, 'income', $3, $4, $5, 500, 'T-OLD-1', $6)"
        " RETURNING id",
        {m.school_id, m.term_id, FormatDate(today), std::string(kAcctSuspense), std::string(kAcctWeChat), NowMs()});
    OldEntry(c, m, today, kSourceIncome, doc, "T-OLD-1", std::nullopt,
             {{kAcctWeChat, 500, 0}, {kAcctSuspense, 0, 500}});
    c.Exec("UPDATE fee_exceptions SET suspense_doc_id = $1 WHERE id = $2", {doc, exc});
  });
  return {bill, rev, doc, exc};
}

class LedgerMigration : public ::testing::TestWithParam<std::string> {};

TEST_P(LedgerMigration, OldRowsSurviveTriggersHoldNewSourceTypesPost) {
  auto t = db::MakeTestDb(GetParam(), /*migrate=*/false);
  if (!t.db) GTEST_SKIP();
  db::Db& d = *t.db;
  MigrateBefore(d, kFirstNew);
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
  EXPECT_TRUE(
      refused("INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, total_fen,"
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

// Old-rule books (before 0310): bill A (300 service + 20 materials) paid in two payments (200 by
// WeChat, then 120 in cash), bill B (the same) half exempted and unpaid, as fees posted them then:
// a bill Dr 1122 due, Dr 4108 its exemption / Cr 4101, Cr 4102; a payment Dr clearing / Cr 1122.
struct OldRuleBooks {
  int64_t bill_a = 0, bill_b = 0, entries = 0, last_entry = 0;
};
OldRuleBooks WriteOldRuleBooks(db::Db& d, const testing::MiniSchool& m, Date today) {
  OldRuleBooks out;
  d.Write([&](db::Conn& c) {
    auto bill = [&](int64_t student, int64_t reduction, int64_t paid) {
      int64_t id = c.Insert(
          "INSERT INTO fee_bills (school_id, term_id, student_id, gross_fen, reduction_fen, paid_fen,"
          " status, issued_at, updated_at) VALUES ($1, $2, $3, 32000, $4, $5, $6, 1, 1) RETURNING id",
          {m.school_id, m.term_id, student, reduction, paid, std::string(paid ? "paid" : "unpaid")});
      c.Exec(
          "INSERT INTO fee_bill_lines (school_id, bill_id, kind, name, amount_fen) VALUES ($1, $2, 'basic', '基本', "
          "30000),"
          " ($1, $2, 'materials', '材料', 2000)",
          {m.school_id, id});
      std::vector<PostingLine> lines{{kAcctReceivable, 32000 - reduction, 0}};
      if (reduction) lines.push_back({kAcctReductions, reduction, 0});
      lines.insert(lines.end(), {{kAcctFeeIncome, 0, 30000}, {kAcctMaterialsIncome, 0, 2000}});
      OldEntry(c, m, today, kSourceBill, id, "", std::nullopt, lines);
      return id;
    };
    auto payment = [&](int64_t bill_id, const char* channel, const char* clearing, int64_t fen, const char* txn) {
      int64_t id = c.Insert(
          "INSERT INTO fee_payments (school_id, bill_id, channel, transaction_id, amount_fen, paid_at,"
          " created_at) VALUES ($1, $2, $3, $4, $5, 1, 1) RETURNING id",
          {m.school_id, bill_id, std::string(channel), std::string(txn), fen});
      OldEntry(c, m, today, kSourcePayment, id, txn, std::nullopt, {{clearing, fen, 0}, {kAcctReceivable, 0, fen}});
    };
    out.bill_a = bill(m.students.at(0), 0, 32000);
    payment(out.bill_a, "wechat", kAcctWeChat, 20000, "T-OLD-A1");
    payment(out.bill_a, "cash", kAcctCash, 12000, "XJ-OLD-A2");
    out.bill_b = bill(m.students.at(1), 16000, 0);
    out.entries = c.QueryOne("SELECT COUNT(*) FROM ledger_entries")->Int(0);
    out.last_entry = c.QueryOne("SELECT MAX(id) FROM ledger_entries")->Int(0);
  });
  return out;
}

TEST_P(LedgerMigration, OldRuleBooksReclassifiedToReceivedBasis) {
  auto t = db::MakeTestDb(GetParam(), /*migrate=*/false);
  if (!t.db) GTEST_SKIP();
  db::Db& d = *t.db;
  MigrateBefore(d, 310);
  auto m = testing::MakeMiniSchool(d, 2);
  const Date today = TodayLocal();
  const OldRuleBooks old = WriteOldRuleBooks(d, m, today);
  auto count = [&](const std::string& sql) { return d.Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); }); };
  const int64_t old_lines = count("SELECT COUNT(*) FROM ledger_lines");
  ASSERT_EQ(db::Migrate(d).front(), 310);

  // The new rule's balances: income is what was received (materials first), 4108 nothing, the
  // unpaid due of B a receivable against 2205; clearing accounts as they were.
  auto mv = d.Read([&](db::Conn& c) { return Movements(c, m.school_id, m.term_id); });
  auto credit = [&](const char* a) { return mv[a].credit_fen - mv[a].debit_fen; };
  EXPECT_EQ(credit(kAcctFeeIncome), 30000);       // 180 of the first payment + 120 of the second
  EXPECT_EQ(credit(kAcctMaterialsIncome), 2000);  // all in the first
  EXPECT_EQ(credit(kAcctReductions), 0);
  EXPECT_EQ(credit(kAcctBilledUnreceived), 16000);
  EXPECT_EQ(-credit(kAcctReceivable), 16000);
  EXPECT_EQ(-credit(kAcctWeChat), 20000);
  EXPECT_EQ(-credit(kAcctCash), 12000);
  // New entries (two bills, two payments), each with its audit row; the old ones untouched.
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_entries"), old.entries + 4);
  EXPECT_EQ(count("SELECT COUNT(*) FROM ledger_lines WHERE entry_id <= " + std::to_string(old.last_entry)), old_lines);
  EXPECT_EQ(count("SELECT COUNT(*) FROM audit_log a JOIN ledger_entries e ON e.id = a.entity_id"
                  " WHERE a.action = 'reclassify' AND a.entity = 'ledger_entry'"),
            4);
  EXPECT_EQ(count("SELECT COALESCE(SUM(debit_fen - credit_fen), 0) FROM ledger_lines"), 0);
  // Each document now stands where the new rule puts it: refreshing B to its due posts nothing.
  auto again = d.Write([&](db::Conn& c) {
    Posting p;
    p.school_id = m.school_id;
    p.term_id = m.term_id;
    p.date = today;
    p.source_type = kSourceBill;
    p.source_id = old.bill_b;
    p.lines = {{kAcctReceivable, 16000, 0}, {kAcctBilledUnreceived, 0, 16000}};
    return PostToTarget(c, p);
  });
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(again->has_value());
  // 0312: the monthly sums are the lines, and the disclosure reads them.
  EXPECT_EQ(count("SELECT COALESCE(SUM(debit_fen), 0) FROM ledger_month_sums"),
            count("SELECT COALESCE(SUM(debit_fen), 0) FROM ledger_lines"));
  Json j = d.Read([&](db::Conn& c) { return ComputeDisclosure(c, m.school_id, m.term_id, MonthOf(today)); });
  EXPECT_EQ(j["receivable_fen"].get<int64_t>(), 16000);
  EXPECT_EQ(j["term_totals"]["income_fen"].get<int64_t>(), 32000);
  // Once applied, nothing more.
  EXPECT_TRUE(db::Migrate(d).empty());
}

INSTANTIATE_TEST_SUITE_P(Both, LedgerMigration, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::ledger
