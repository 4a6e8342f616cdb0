// store.h (ledger): the SQL of the ledger as named constants (PostgreSQL-style $n; the SQLite
// driver binds by name). Thread-safety: constants only.
#pragma once

namespace kehou::ledger::store {

inline constexpr const char* kInsertEntry =
    "INSERT INTO ledger_entries (school_id, term_id, entry_date, source_type, source_id, source_ref, memo,"
    " reverses_id, total_fen, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
    " RETURNING id";
inline constexpr const char* kInsertLine =
    "INSERT INTO ledger_lines (school_id, entry_id, account_code, debit_fen, credit_fen) VALUES ($1, $2, $3, $4, $5)";
inline constexpr const char* kTermSchool = "SELECT school_id FROM terms WHERE id = $1";
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
    "SELECT account_code, SUM(debit_fen), SUM(credit_fen) FROM ("
    " SELECT l.account_code, l.debit_fen, l.credit_fen FROM ledger_entries e CROSS JOIN ledger_lines l"
    " WHERE l.school_id = e.school_id AND l.entry_id = e.id AND e.school_id = $1 AND e.source_type = $2"
    " AND e.source_id = $3"
    " UNION ALL"
    " SELECT l.account_code, l.debit_fen, l.credit_fen FROM ledger_entries o"
    " CROSS JOIN ledger_entries r CROSS JOIN ledger_lines l WHERE r.reverses_id = o.id"
    " AND l.school_id = r.school_id AND l.entry_id = r.id AND o.school_id = $1 AND o.source_type = $2 AND o.source_id "
    "= $3) x GROUP BY account_code";
inline constexpr const char* kMovementsAll =
    "SELECT account_code, SUM(debit_fen), SUM(credit_fen) FROM ledger_lines WHERE school_id = $1 GROUP BY account_code";
inline constexpr const char* kMovementsTerm =
    "SELECT l.account_code, SUM(l.debit_fen), SUM(l.credit_fen) FROM ledger_lines l"
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
    "SELECT account_code, SUM(CASE WHEN month = $3 THEN debit_fen ELSE 0 END),"
    " SUM(CASE WHEN month = $3 THEN credit_fen ELSE 0 END), SUM(debit_fen), SUM(credit_fen)"
    " FROM ledger_month_sums WHERE school_id = $1 AND term_id = $2 AND month <= $3 GROUP BY account_code";
// The corrections of the previous disclosure: entries of the term dated up to its month's end ($3)
// posted after its cutoff ($4), by account. CROSS JOIN: the few entries first (by the term index),
// then their lines.
inline constexpr const char* kMovementsCorrections =
    "SELECT l.account_code, SUM(l.debit_fen), SUM(l.credit_fen) FROM ledger_entries e CROSS JOIN ledger_lines l"
    " WHERE e.school_id = $1 AND e.term_id = $2 AND e.entry_date <= $3 AND e.id > $4"
    " AND l.school_id = e.school_id AND l.entry_id = e.id GROUP BY l.account_code";
// The entries a disclosure counts: the term's dated up to the month's end ($3).
inline constexpr const char* kCountTermEntries =
    "SELECT COUNT(*) FROM ledger_entries WHERE school_id = $1 AND term_id = $2 AND entry_date <= $3";

}  // namespace kehou::ledger::store
