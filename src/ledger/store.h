// store.h (ledger): the SQL of the ledger as named constants (PostgreSQL-style $n; the SQLite
// driver binds by name), and the statements built for a number of rows or a filter (store.cpp).
// Rows are read by column name; sums and counts carry `AS` names.
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <string>

#include "db/db.h"
#include "ledger/rules.h"

namespace kehou::ledger::store {

inline constexpr const char* kInsertEntry =
    "INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, source_ref, memo,"
    " reverses_id, total_fen, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    " RETURNING id";
inline constexpr const char* kInsertLine =
    "INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen) VALUES ($1, $2, $3, $4, $5)";
inline constexpr const char* kTermClosed =
    "SELECT 1 FROM ledger_final_accounts WHERE school_id = $1 AND term_id = $2 AND status = 'approved'";
inline constexpr const char* kLoadEntry =
    "SELECT id, school_id, term_id, entry_date, source_type, source_id, source_ref, memo, reverses_id, total_fen,"
    " created_by, created_at FROM ledger_entries WHERE school_id = $1 AND id = $2";
inline constexpr const char* kEntryLines =
    "SELECT account_code, debit_fen, credit_fen FROM ledger_lines WHERE school_id = $1 AND entry_id = $2 ORDER BY id";
inline constexpr const char* kReversalOf = "SELECT id FROM ledger_entries WHERE school_id = $1 AND reverses_id = $2";
// Net of every entry posted for one source document (and their reversals), by account. CROSS JOIN
// keeps SQLite's join order: the document's few entries first, then their lines by (school_id, entry_id).
inline constexpr const char* kSourceMovements =
    "SELECT account_code, SUM(debit_fen) AS debit_fen, SUM(credit_fen) AS credit_fen FROM ("
    " SELECT l.account_code, l.debit_fen, l.credit_fen FROM ledger_entries e CROSS JOIN ledger_lines l"
    " WHERE l.school_id = e.school_id AND l.entry_id = e.id AND e.school_id = $1 AND e.source_type = $2"
    " AND e.source_id = $3"
    " UNION ALL"
    " SELECT l.account_code, l.debit_fen, l.credit_fen FROM ledger_entries o"
    " CROSS JOIN ledger_entries r CROSS JOIN ledger_lines l WHERE r.reverses_id = o.id"
    " AND l.school_id = r.school_id AND l.entry_id = r.id AND o.school_id = $1 AND o.source_type = $2 AND o.source_id "
    "= $3) x GROUP BY account_code";
inline constexpr const char* kMovementsAll =
    "SELECT account_code, SUM(debit_fen) AS debit_fen, SUM(credit_fen) AS credit_fen FROM ledger_lines WHERE school_id "
    "= $1"
    " GROUP BY account_code";
inline constexpr const char* kMovementsTerm =
    "SELECT l.account_code, SUM(l.debit_fen) AS debit_fen, SUM(l.credit_fen) AS credit_fen FROM ledger_lines l"
    " JOIN ledger_entries e ON e.id = l.entry_id AND l.school_id = e.school_id WHERE e.school_id = $1 AND e.term_id = "
    "$2 GROUP BY l.account_code";
// The tail of the multi-row upsert into ledger_month_sums (posting.cpp AddToMonthSums).
inline constexpr const char* kMonthSumsConflict =
    " ON CONFLICT (school_id, term_id, month, account_code) DO UPDATE SET"
    " debit_fen = ledger_month_sums.debit_fen + excluded.debit_fen,"
    " credit_fen = ledger_month_sums.credit_fen + excluded.credit_fen";
// The disclosure's month ($3, YYYY-MM) and the term to its end from the monthly sums: per account
// the month's debits and credits and the term's.
inline constexpr const char* kMonthSumsDisclosure =
    "SELECT account_code, SUM(CASE WHEN month = $3 THEN debit_fen ELSE 0 END) AS month_debit_fen,"
    " SUM(CASE WHEN month = $3 THEN credit_fen ELSE 0 END) AS month_credit_fen, SUM(debit_fen) AS term_debit_fen,"
    " SUM(credit_fen) AS term_credit_fen"
    " FROM ledger_month_sums WHERE school_id = $1 AND term_id = $2 AND month <= $3 GROUP BY account_code";
// The corrections of the previous disclosure: entries of the term dated up to its month's end ($3)
// posted after its cutoff ($4), by account. CROSS JOIN: the few entries first (by the term index),
// then their lines.
inline constexpr const char* kMovementsCorrections =
    "SELECT l.account_code, SUM(l.debit_fen) AS debit_fen, SUM(l.credit_fen) AS credit_fen"
    " FROM ledger_entries e CROSS JOIN ledger_lines l"
    " WHERE e.school_id = $1 AND e.term_id = $2 AND e.entry_date <= $3 AND e.id > $4"
    " AND l.school_id = e.school_id AND l.entry_id = e.id GROUP BY l.account_code";
// The entries a disclosure counts: the term's dated up to the month's end ($3).
inline constexpr const char* kCountTermEntries =
    "SELECT COUNT(*) AS n FROM ledger_entries WHERE school_id = $1 AND term_id = $2 AND entry_date <= $3";

// ---- journal.cpp
#define KEHOU_ENTRY_COLUMNS                                                                                     \
  "SELECT e.id, e.entry_date, e.source_type, e.source_id, e.source_ref, e.memo, e.reverses_id, e.total_fen,"    \
  " e.created_at, (SELECT r.id FROM ledger_entries r WHERE r.school_id = e.school_id AND r.reverses_id = e.id)" \
  " AS reversed_by"
inline constexpr const char* kEntryColumns = KEHOU_ENTRY_COLUMNS;
inline constexpr const char* kEntryById =
    KEHOU_ENTRY_COLUMNS " FROM ledger_entries e WHERE e.school_id = $1 AND e.id = $2";
#undef KEHOU_ENTRY_COLUMNS
inline constexpr const char* kInsertDocument =
    "INSERT INTO ledger_documents (school_id, term_id, kind, doc_date, account_code, via_code, amount_fen, "
    "invoice_no,"
    " payee, memo, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";

// The journal's filter: " FROM ledger_entries e WHERE ..." and its parameters ($1 school, $2 term,
// then one each for the parts named, in this order).
struct JournalFilter {
  std::string where;
  db::Params params;
};
struct JournalFilterOf {
  std::string source_type;  // "" any
  std::string account;      // "" any: entries with a line on it
  std::string from, to;     // "" both: any date
  std::string q;            // "" any: in the reference or the memo
};
JournalFilter JournalWhere(int64_t school_id, int64_t term_id, const JournalFilterOf& f);
// The filter's entries: how many; the sums of their lines (debit_fen, credit_fen); one page newest
// first (kEntryColumns); their lines for the XLSX (id, entry_date, source_type, source_id,
// source_ref, memo, account_code, debit_fen, credit_fen), oldest first.
int64_t CountJournal(db::Conn& c, const JournalFilter& f);
Movement JournalSums(db::Conn& c, const JournalFilter& f);
db::Rows JournalPage(db::Conn& c, const JournalFilter& f, int64_t page_size, int64_t offset);
db::Rows JournalExportLines(db::Conn& c, const JournalFilter& f);

// ---- posting.cpp: one statement for many rows
// INSERT of `rows` ledger lines (5 parameters a row: school, entry, account, debit, credit).
std::string InsertLinesSql(size_t rows);
// The upsert of `rows` ledger_month_sums rows (6 parameters a row) with kMonthSumsConflict.
std::string MonthSumsUpsertSql(size_t rows);

// ---- budget.cpp
inline constexpr const char* kBudgets =
    "SELECT line, amount_fen FROM ledger_budgets WHERE school_id = $1 AND term_id = $2";
inline constexpr const char* kFinalAccounts =
    "SELECT status, snapshot, prepared_at, approver_name, approved_at FROM ledger_final_accounts"
    " WHERE school_id = $1 AND term_id = $2";
inline constexpr const char* kBudgetLine =
    "SELECT amount_fen FROM ledger_budgets WHERE school_id = $1 AND term_id = $2 AND line = $3";
inline constexpr const char* kUpdateBudgetLine =
    "UPDATE ledger_budgets SET amount_fen = $4, updated_by = $5, updated_at = $6"
    " WHERE school_id = $1 AND term_id = $2 AND line = $3";
inline constexpr const char* kInsertBudgetLine =
    "INSERT INTO ledger_budgets (school_id, term_id, line, amount_fen, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)";
inline constexpr const char* kUpdatePreparedFinal =
    "UPDATE ledger_final_accounts SET snapshot = $3, prepared_by = $4, prepared_at = $5"
    " WHERE school_id = $1 AND term_id = $2";
inline constexpr const char* kInsertPreparedFinal =
    "INSERT INTO ledger_final_accounts (school_id, term_id, status, snapshot, prepared_by, prepared_at)"
    " VALUES ($1, $2, 'prepared', $3, $4, $5)";
inline constexpr const char* kApproveFinal =
    "UPDATE ledger_final_accounts SET status = 'approved', snapshot = $3, approved_by = $4, approver_name = $5,"
    " approved_at = $6 WHERE school_id = $1 AND term_id = $2";

// ---- disclosure.cpp
inline constexpr const char* kLastEntryId =
    "SELECT COALESCE(MAX(id), 0) AS id FROM ledger_entries WHERE school_id = $1";
inline constexpr const char* kSchoolName = "SELECT name FROM schools WHERE id = $1";
#define KEHOU_DISCLOSURE_COLUMNS \
  "SELECT id, school_id, term_id, month, cutoff_entry_id, snapshot, published_at FROM ledger_disclosures"
// One disclosure ($1) of a school of a guardian's ($2) children.
inline constexpr const char* kDisclosureOfGuardian = KEHOU_DISCLOSURE_COLUMNS
    " WHERE id = $1 AND school_id IN (SELECT st.school_id FROM students st JOIN student_guardians g"
    " ON g.student_id = st.id WHERE g.guardian_id = $2)";
inline constexpr const char* kDisclosureOfSchool = KEHOU_DISCLOSURE_COLUMNS " WHERE id = $1 AND school_id = $2";
// The school's, of a term ($2; 0 every term), newest first.
inline constexpr const char* kDisclosuresOfSchool = KEHOU_DISCLOSURE_COLUMNS
    " WHERE school_id = $1 AND ($2 = 0 OR term_id = $2)"
    " ORDER BY month DESC, id DESC";
// Those of the schools of a guardian's ($1) children, newest first.
inline constexpr const char* kDisclosuresOfGuardian = KEHOU_DISCLOSURE_COLUMNS
    " WHERE school_id IN (SELECT st.school_id FROM students st JOIN student_guardians g"
    " ON g.student_id = st.id WHERE g.guardian_id = $1) ORDER BY month DESC, id DESC";
#undef KEHOU_DISCLOSURE_COLUMNS
// The previous published disclosure of the term (before month $3).
inline constexpr const char* kPreviousDisclosure =
    "SELECT id, month, cutoff_entry_id FROM ledger_disclosures WHERE school_id = $1 AND term_id = $2"
    " AND month < $3 ORDER BY month DESC";
inline constexpr const char* kPublishedId =
    "SELECT id FROM ledger_disclosures WHERE school_id = $1 AND term_id = $2 AND month = $3";
inline constexpr const char* kPublished =
    "SELECT 1 FROM ledger_disclosures WHERE school_id = $1 AND term_id = $2 AND month = $3";
inline constexpr const char* kInsertDisclosure =
    "INSERT INTO ledger_disclosures (school_id, term_id, month, cutoff_entry_id, snapshot, published_by,"
    " published_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

}  // namespace kehou::ledger::store
