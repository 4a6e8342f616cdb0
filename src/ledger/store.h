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
// The disclosure's three windows in one pass over the term's entries dated up to $4 with ids up to
// $5: per account the month's (dated from $3), the term's (all of them) and the corrections'
// (dated up to $6 with ids above $7) debits and credits.
inline constexpr const char* kMovementsDisclosure =
    "SELECT l.account_code,"
    " SUM(CASE WHEN e.entry_date >= $3 THEN l.debit_fen ELSE 0 END),"
    " SUM(CASE WHEN e.entry_date >= $3 THEN l.credit_fen ELSE 0 END), SUM(l.debit_fen), SUM(l.credit_fen),"
    " SUM(CASE WHEN e.entry_date <= $6 AND e.id > $7 THEN l.debit_fen ELSE 0 END),"
    " SUM(CASE WHEN e.entry_date <= $6 AND e.id > $7 THEN l.credit_fen ELSE 0 END)"
    " FROM ledger_lines l JOIN ledger_entries e ON e.id = l.entry_id AND l.school_id = e.school_id"
    " WHERE e.school_id = $1 AND e.term_id = $2 AND e.entry_date <= $4 AND e.id <= $5 GROUP BY l.account_code";

}  // namespace kehou::ledger::store
