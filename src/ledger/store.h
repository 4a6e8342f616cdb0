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
// Net of every entry posted for one source document (and their reversals), by account.
inline constexpr const char* kSourceMovements =
    "SELECT l.account_code, SUM(l.debit_fen), SUM(l.credit_fen) FROM ledger_lines l"
    " JOIN ledger_entries e ON e.id = l.entry_id"
    " WHERE e.school_id = $1 AND ((e.source_type = $2 AND e.source_id = $3) OR e.reverses_id IN"
    " (SELECT o.id FROM ledger_entries o WHERE o.school_id = $1 AND o.source_type = $2 AND o.source_id = $3))"
    " GROUP BY l.account_code";
inline constexpr const char* kMovementsAll =
    "SELECT account_code, SUM(debit_fen), SUM(credit_fen) FROM ledger_lines WHERE school_id = $1 GROUP BY account_code";
inline constexpr const char* kMovementsTerm =
    "SELECT l.account_code, SUM(l.debit_fen), SUM(l.credit_fen) FROM ledger_lines l"
    " JOIN ledger_entries e ON e.id = l.entry_id WHERE e.school_id = $1 AND e.term_id = $2 GROUP BY l.account_code";
// Movements of a term's entries dated in [from, to] with ids in (after_id, upto_id].
inline constexpr const char* kMovementsWindow =
    "SELECT l.account_code, SUM(l.debit_fen), SUM(l.credit_fen) FROM ledger_lines l"
    " JOIN ledger_entries e ON e.id = l.entry_id WHERE e.school_id = $1 AND e.term_id = $2"
    " AND e.entry_date >= $3 AND e.entry_date <= $4 AND e.id > $5 AND e.id <= $6 GROUP BY l.account_code";

}  // namespace kehou::ledger::store
