// store.h (pay): the SQL of pay runs, slips, invoices, settings and scores as named constants, and
// the loaders that run them on a caller's Conn. The staff's contract terms are read from staff's
// tables (staff_records: hourly rate, contract dates, institution link) like fees reads courses.
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "core/time.h"
#include "db/db.h"
#include "pay/rules.h"

namespace kehou::pay::store {

inline constexpr const char* kLoadRule = "SELECT factor_rule FROM pay_settings WHERE school_id = $1";
inline constexpr const char* kUpsertRule =
    "INSERT INTO pay_settings (school_id, factor_rule, updated_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (school_id) DO UPDATE SET factor_rule = $2, updated_at = $3";
inline constexpr const char* kUpsertScore =
    "INSERT INTO pay_scores (school_id, staff_id, month, score, source, recorded_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (school_id, staff_id, month)"
    " DO UPDATE SET score = $4, source = $5, recorded_by = $6, created_at = $7";
inline constexpr const char* kScores = "SELECT staff_id, score FROM pay_scores WHERE school_id = $1 AND month = $2";
inline constexpr const char* kStaffOfSchool = "SELECT id, name FROM staff WHERE school_id = $1 AND id = $2";
// Contract terms of every staff member of the school.
inline constexpr const char* kTerms =
    "SELECT s.id, s.name, COALESCE(r.hourly_rate_fen, 0), r.contract_start, r.contract_end, r.institution_id,"
    " COALESCE(i.name, '') FROM staff s LEFT JOIN staff_records r ON r.school_id = s.school_id AND r.staff_id = s.id"
    " LEFT JOIN institutions i ON i.id = r.institution_id WHERE s.school_id = $1";

#define KEHOU_RUN_SELECT                                                                                         \
  "SELECT id, school_id, month, status, factor_rule, slips_fen, invoices_fen, sessions, unassigned, created_at," \
  " computed_at, approver_name, approved_at FROM pay_runs"
inline constexpr const char* kRunById = KEHOU_RUN_SELECT " WHERE school_id = $1 AND id = $2";
// The school's runs, newest month first: $2 page size, $3 offset.
inline constexpr const char* kRunsOfSchool =
    KEHOU_RUN_SELECT " WHERE school_id = $1 ORDER BY month DESC LIMIT $2 OFFSET $3";
#undef KEHOU_RUN_SELECT
inline constexpr const char* kRunCount = "SELECT COUNT(*) AS n FROM pay_runs WHERE school_id = $1";
// What PostRunToLedger posts of a run.
inline constexpr const char* kRunForLedger =
    "SELECT month, slips_fen, invoices_fen, approved_by FROM pay_runs WHERE school_id = $1 AND id = $2";
inline constexpr const char* kRunOfMonth = "SELECT id, status FROM pay_runs WHERE school_id = $1 AND month = $2";
inline constexpr const char* kInsertRun =
    "INSERT INTO pay_runs (school_id, month, status, factor_rule, created_by, created_at, computed_at)"
    " VALUES ($1, $2, 'draft', $3, $4, $5, $5) ON CONFLICT (school_id, month) DO NOTHING";
inline constexpr const char* kUpdateRunTotals =
    "UPDATE pay_runs SET factor_rule = $3, slips_fen = $4, invoices_fen = $5, sessions = $6, unassigned = $7,"
    " computed_at = $8 WHERE school_id = $1 AND id = $2 AND status = 'draft'";
inline constexpr const char* kApproveRun =
    "UPDATE pay_runs SET status = 'approved', approved_by = $3, approver_name = $4, approved_at = $5"
    " WHERE school_id = $1 AND id = $2 AND status = 'draft'";
inline constexpr const char* kDeleteLines = "DELETE FROM pay_lines WHERE school_id = $1 AND run_id = $2";
inline constexpr const char* kDeleteSlips = "DELETE FROM pay_slips WHERE school_id = $1 AND run_id = $2";
inline constexpr const char* kDeleteInvoices = "DELETE FROM pay_invoices WHERE school_id = $1 AND run_id = $2";
inline constexpr const char* kInsertSlip =
    "INSERT INTO pay_slips (school_id, run_id, staff_id, staff_name, sessions, minutes, rate_fen, score,"
    " factor_permille, base_fen, amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
inline constexpr const char* kInsertLine =
    "INSERT INTO pay_lines (school_id, run_id, staff_id, institution_id, section_id, day, band, course, minutes)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
inline constexpr const char* kInsertInvoice =
    "INSERT INTO pay_invoices (school_id, run_id, institution_id, institution_name, people, sessions, minutes,"
    " amount_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// A slip with its run's month, status, factor rule, approval and school (read by name: SlipJson).
#define KEHOU_SLIP_SELECT                                                                                           \
  "SELECT p.id, p.run_id, p.staff_id, p.staff_name, p.sessions, p.minutes, p.rate_fen, p.score, p.factor_permille," \
  " p.base_fen, p.amount_fen, r.month, r.status, r.factor_rule, r.approved_at, r.school_id"                         \
  " FROM pay_slips p JOIN pay_runs r ON r.id = p.run_id"
inline constexpr const char* kSlipsOfRun =
    KEHOU_SLIP_SELECT " WHERE p.school_id = $1 AND p.run_id = $2 ORDER BY p.staff_name, p.id";
// A teacher's ($2) slips of approved runs, newest first.
inline constexpr const char* kApprovedSlipsOfStaff =
    KEHOU_SLIP_SELECT " WHERE p.school_id = $1 AND p.staff_id = $2 AND r.status = 'approved' ORDER BY r.month DESC";
inline constexpr const char* kSlipById = KEHOU_SLIP_SELECT " WHERE p.id = $1 AND p.school_id = $2";
// A teacher's ($3) own slip of an approved run.
inline constexpr const char* kOwnApprovedSlip =
    KEHOU_SLIP_SELECT " WHERE p.id = $1 AND p.school_id = $2 AND p.staff_id = $3 AND r.status = 'approved'";
#undef KEHOU_SLIP_SELECT
inline constexpr const char* kInvoicesOfRun =
    "SELECT id, institution_id, institution_name, people, sessions, minutes, amount_fen FROM pay_invoices"
    " WHERE school_id = $1 AND run_id = $2 ORDER BY institution_name, id";
inline constexpr const char* kLinesOf =
    "SELECT day, band, course, minutes, section_id FROM pay_lines WHERE school_id = $1 AND run_id = $2 AND staff_id = "
    "$3"
    " ORDER BY day, band, section_id";

// Contract terms of one person.
struct Terms {
  std::string name;
  int64_t rate_fen = 0;
  std::optional<Date> start, end;
  std::optional<int64_t> institution_id;
  std::string institution_name;
};
std::map<int64_t, Terms> LoadTerms(db::Conn& c, int64_t school_id);
FactorRule LoadRule(db::Conn& c, int64_t school_id);
std::map<int64_t, int> LoadScores(db::Conn& c, int64_t school_id, const std::string& month);

}  // namespace kehou::pay::store
