// store.cpp (ledger): the statements built for a number of rows or the journal's filter, and the
// journal's reads over that filter (store.h).
#include "ledger/store.h"

namespace kehou::ledger::store {

std::string InsertLinesSql(size_t rows) {
  std::string sql = "INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen) VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    size_t b = i * 5;
    sql += (i ? ", ($" : "($") + std::to_string(b + 1) + ", $" + std::to_string(b + 2) + ", $" + std::to_string(b + 3) +
           ", $" + std::to_string(b + 4) + ", $" + std::to_string(b + 5) + ")";
  }
  return sql;
}

std::string MonthSumsUpsertSql(size_t rows) {
  std::string sql =
      "INSERT INTO ledger_month_sums (school_id, term_id, month, account_code, debit_fen, credit_fen) VALUES ";
  for (size_t i = 0; i < rows; ++i) {
    sql += i ? ", (" : "(";
    for (size_t k = 1; k <= 6; ++k) sql += (k > 1 ? ", $" : "$") + std::to_string(i * 6 + k);
    sql += ")";
  }
  return sql + kMonthSumsConflict;
}

JournalFilter JournalWhere(int64_t school_id, int64_t term_id, const JournalFilterOf& of) {
  JournalFilter f{" FROM ledger_entries e WHERE e.school_id = $1 AND e.term_id = $2", {school_id, term_id}};
  auto add = [&](const std::string& cond, db::Value v) {
    f.params.push_back(std::move(v));
    std::string n = "$" + std::to_string(f.params.size());
    std::string c = cond;
    for (size_t p; (p = c.find("$?")) != std::string::npos;) c.replace(p, 2, n);
    f.where += " AND " + c;
  };
  if (!of.source_type.empty()) add("e.source_type = $?", of.source_type);
  if (!of.account.empty())
    add("EXISTS (SELECT 1 FROM ledger_lines l WHERE l.school_id = e.school_id AND l.entry_id = e.id AND l.account_code "
        "= $?)",
        of.account);
  if (!of.from.empty()) add("e.entry_date >= $?", of.from);
  if (!of.to.empty()) add("e.entry_date <= $?", of.to);
  if (!of.q.empty()) add("(e.source_ref LIKE $? OR e.memo LIKE $?)", "%" + of.q + "%");
  return f;
}

int64_t CountJournal(db::Conn& c, const JournalFilter& f) {
  return c.QueryOne("SELECT COUNT(*)" + f.where, f.params)->Int(0);
}

Movement JournalSums(db::Conn& c, const JournalFilter& f) {
  auto sums = c.QueryOne(
      "SELECT COALESCE(SUM(l.debit_fen), 0), COALESCE(SUM(l.credit_fen), 0) FROM ledger_lines l"
      " WHERE l.school_id = $1 AND l.entry_id IN (SELECT e.id" +
          f.where + ")",
      f.params);
  return {sums->Int(0), sums->Int(1)};
}

db::Rows JournalPage(db::Conn& c, const JournalFilter& f, int64_t page_size, int64_t offset) {
  db::Params p = f.params;
  p.insert(p.end(), {db::Value(page_size), db::Value(offset)});
  std::string n = std::to_string(p.size());
  return c.Query(kEntryColumns + f.where + " ORDER BY e.entry_date DESC, e.id DESC LIMIT $" +
                     std::to_string(p.size() - 1) + " OFFSET $" + n,
                 p);
}

db::Rows JournalExportLines(db::Conn& c, const JournalFilter& f) {
  return c.Query(
      "SELECT e.id, e.entry_date, e.source_type, e.source_id, e.source_ref, e.memo,"
      " l.account_code, l.debit_fen, l.credit_fen FROM ledger_lines l JOIN ledger_entries e"
      " ON e.id = l.entry_id WHERE l.school_id = $1 AND e.id IN (SELECT e.id" +
          f.where +
          ")"
          " ORDER BY e.entry_date, e.id, l.id",
      f.params);
}

}  // namespace kehou::ledger::store
