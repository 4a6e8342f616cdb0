// store.h (fees): the SQL of fee standards, bills, exemptions, payments, exceptions and the
// school's payment merchant, as named constants, and the functions that run them on a Conn
// (inside the caller's transaction). Tested on both databases (store_test.cpp).
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::fees::store {

inline constexpr const char* kLoadSettings = "SELECT pay_from_week, pay_to_week FROM fee_settings WHERE school_id = $1";
inline constexpr const char* kUpsertSettings =
    "INSERT INTO fee_settings (school_id, pay_from_week, pay_to_week, updated_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (school_id) DO UPDATE SET pay_from_week = $2, pay_to_week = $3, updated_at = $4";

inline constexpr const char* kStandardColumns =
    "s.id, s.term_id, s.kind, s.course_key, s.name, s.amount_fen, s.doc_ref, s.created_at, s.updated_at";
inline constexpr const char* kListStandards =
    "SELECT s.id, s.term_id, s.kind, s.course_key, s.name, s.amount_fen, s.doc_ref, s.created_at, s.updated_at"
    " FROM fee_standards s WHERE s.school_id = $1 AND s.term_id = $2 ORDER BY s.kind, s.name, s.id";
inline constexpr const char* kLoadStandard =
    "SELECT s.id, s.term_id, s.kind, s.course_key, s.name, s.amount_fen, s.doc_ref, s.created_at, s.updated_at"
    " FROM fee_standards s WHERE s.school_id = $1 AND s.id = $2";
inline constexpr const char* kFindStandard =
    "SELECT id FROM fee_standards WHERE school_id = $1 AND term_id = $2 AND kind = $3 AND course_key = $4";
inline constexpr const char* kInsertStandard =
    "INSERT INTO fee_standards (school_id, term_id, kind, course_key, name, amount_fen, doc_ref, created_by,"
    " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
inline constexpr const char* kUpdateStandard =
    "UPDATE fee_standards SET name = $3, amount_fen = $4, doc_ref = $5, updated_at = $6 WHERE school_id = $1 AND id = "
    "$2";
inline constexpr const char* kDeleteStandard = "DELETE FROM fee_standards WHERE school_id = $1 AND id = $2";
inline constexpr const char* kStandardBilled =
    "SELECT 1 FROM fee_bill_lines WHERE school_id = $1 AND standard_id = $2 LIMIT 1";
inline constexpr const char* kCourseOfSchool = "SELECT id, name, fee_fen FROM courses WHERE school_id = $1 AND id = $2";

// Confirmed seats of the term's courses (select's selections: a seat is confirmed while status is
// 'confirmed'; a course's term is its own or, for a course without one, its round's).
inline constexpr const char* kConfirmedCourses =
    "SELECT DISTINCT x.student_id, c.id AS course_id FROM selections x"
    " JOIN sections s ON s.id = x.section_id JOIN courses c ON c.id = s.course_id"
    " LEFT JOIN select_rounds r ON r.id = x.round_id"
    " WHERE x.school_id = $1 AND x.status = 'confirmed' AND COALESCE(c.term_id, r.term_id) = $2";

// A bill row as internal::BillJson reads it (by name), with its child, class and term.
#define KEHOU_BILL_COLUMNS                                                                                        \
  "b.id, b.term_id, b.student_id, b.gross_fen, b.reduction_fen, b.paid_fen, b.status, b.issued_at, b.updated_at," \
  " st.name AS student_name, st.student_no, cl.name AS class_name, t.name AS term_name"
#define KEHOU_BILL_FROM                                                                               \
  " FROM fee_bills b JOIN students st ON st.id = b.student_id JOIN classes cl ON cl.id = st.class_id" \
  " JOIN terms t ON t.id = b.term_id"
// The office's bill filter: $1 school, $2 term, $3 status or '', $4 class or 0, $5 name/number LIKE or ''.
#define KEHOU_BILL_FILTER                                                                                      \
  " WHERE b.school_id = $1 AND b.term_id = $2 AND ($3 = '' OR b.status = $3) AND ($4 = 0 OR st.class_id = $4)" \
  " AND ($5 = '' OR st.name LIKE $5 OR st.student_no LIKE $5)"
inline constexpr const char* kBillOfGuardian =
    "SELECT " KEHOU_BILL_COLUMNS ", b.school_id" KEHOU_BILL_FROM
    " JOIN student_guardians g ON g.student_id = b.student_id WHERE b.id = $1 AND g.guardian_id = $2";
inline constexpr const char* kBillOfSchool =
    "SELECT " KEHOU_BILL_COLUMNS ", b.school_id" KEHOU_BILL_FROM " WHERE b.id = $1 AND b.school_id = $2";
inline constexpr const char* kBillSums =
    "SELECT COUNT(*) AS n, COALESCE(SUM(b.gross_fen - b.reduction_fen), 0) AS due_fen,"
    " COALESCE(SUM(b.paid_fen), 0) AS paid_fen, COALESCE(SUM(b.reduction_fen), 0) AS reduction_fen" KEHOU_BILL_FROM
        KEHOU_BILL_FILTER;
inline constexpr const char* kBillsPage =  // $6 page size, $7 offset
    "SELECT " KEHOU_BILL_COLUMNS ", b.school_id" KEHOU_BILL_FROM KEHOU_BILL_FILTER
    " ORDER BY cl.name, st.student_no, b.id LIMIT $6 OFFSET $7";
inline constexpr const char* kBillsExport =
    "SELECT " KEHOU_BILL_COLUMNS KEHOU_BILL_FROM KEHOU_BILL_FILTER " ORDER BY cl.name, st.student_no, b.id";
inline constexpr const char* kBillsOfGuardian =
    "SELECT " KEHOU_BILL_COLUMNS ", b.school_id" KEHOU_BILL_FROM
    " JOIN student_guardians g ON g.student_id = b.student_id WHERE g.guardian_id = $1"
    " ORDER BY t.start_date DESC, st.name, b.id";
#undef KEHOU_BILL_COLUMNS
#undef KEHOU_BILL_FROM
#undef KEHOU_BILL_FILTER
inline constexpr const char* kTermBills =
    "SELECT id, student_id, gross_fen, reduction_fen, paid_fen, status FROM fee_bills WHERE school_id = $1 AND term_id "
    "= $2";
inline constexpr const char* kInsertBill =
    "INSERT INTO fee_bills (school_id, term_id, student_id, gross_fen, reduction_fen, paid_fen, status, issued_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, 0, $6, $7, $7) RETURNING id";
inline constexpr const char* kUpdateBillAmounts =
    "UPDATE fee_bills SET gross_fen = $3, reduction_fen = $4, paid_fen = $5, status = $6, updated_at = $7"
    " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kBillLines =
    "SELECT kind, standard_id, name, amount_fen FROM fee_bill_lines WHERE school_id = $1 AND bill_id = $2 ORDER BY id";
inline constexpr const char* kTermBillLines =
    "SELECT l.bill_id, l.kind, l.standard_id, l.name, l.amount_fen FROM fee_bill_lines l"
    " JOIN fee_bills b ON b.id = l.bill_id WHERE b.school_id = $1 AND b.term_id = $2 ORDER BY l.id";
inline constexpr const char* kDeleteBillLines = "DELETE FROM fee_bill_lines WHERE school_id = $1 AND bill_id = $2";
inline constexpr const char* kInsertBillLine =
    "INSERT INTO fee_bill_lines (school_id, bill_id, kind, standard_id, name, amount_fen) VALUES ($1, $2, $3, $4, $5, "
    "$6)";
inline constexpr const char* kGuardianOf = "SELECT 1 FROM student_guardians WHERE student_id = $1 AND guardian_id = $2";

inline constexpr const char* kExemptions =
    "SELECT id, category, mode, value, reason, decided_by, decided_on, decision_ref, created_at FROM fee_exemptions"
    " WHERE school_id = $1 AND bill_id = $2 ORDER BY id";
inline constexpr const char* kInsertExemption =
    "INSERT INTO fee_exemptions (school_id, bill_id, category, mode, value, reason, decided_by, decided_on,"
    " decision_ref, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";

inline constexpr const char* kLateWindows =
    "SELECT id, opens_on, closes_on, reason, created_at FROM fee_late_windows WHERE school_id = $1 AND term_id = $2"
    " ORDER BY opens_on, id";
inline constexpr const char* kInsertLateWindow =
    "INSERT INTO fee_late_windows (school_id, term_id, opens_on, closes_on, reason, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";

inline constexpr const char* kPayments =
    "SELECT id, channel, transaction_id, amount_fen, paid_at FROM fee_payments WHERE school_id = $1 AND bill_id = $2"
    " ORDER BY id";
inline constexpr const char* kPaymentByTxn =
    "SELECT id, bill_id FROM fee_payments WHERE channel = $1 AND transaction_id = $2";
inline constexpr const char* kInsertPayment =
    "INSERT INTO fee_payments (school_id, bill_id, channel, transaction_id, amount_fen, paid_at, recorded_by, "
    "created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";

inline constexpr const char* kExceptionByTxn =
    "SELECT id FROM fee_exceptions WHERE school_id = $1 AND channel = $2 AND transaction_id = $3";
inline constexpr const char* kInsertException =
    "INSERT INTO fee_exceptions (school_id, channel, transaction_id, out_trade_no, bill_id, amount_fen, reason_code,"
    " reason, payload, received_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
inline constexpr const char* kLoadMerchant =
    "SELECT mchid, appid, api_v3_key, platform_serial, platform_public_pem, test_private_pem FROM fee_merchants"
    " WHERE school_id = $1";
inline constexpr const char* kInsertMerchant =
    "INSERT INTO fee_merchants (school_id, mchid, appid, api_v3_key, platform_serial, platform_public_pem,"
    " test_private_pem, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";

// the use-case files
// ledger_posts.cpp
inline constexpr const char* kBillForPosting =
    "SELECT term_id, gross_fen, reduction_fen FROM fee_bills WHERE school_id = $1 AND id = $2";
inline constexpr const char* kPaymentForPosting =
    "SELECT p.channel, p.transaction_id, p.amount_fen, p.paid_at, b.term_id, b.gross_fen, b.reduction_fen,"
    " (SELECT COALESCE(SUM(l.amount_fen), 0) FROM fee_bill_lines l WHERE l.bill_id = b.id AND l.kind = 'materials')"
    " AS materials_fen,"
    " (SELECT COALESCE(SUM(q.amount_fen), 0) FROM fee_payments q WHERE q.bill_id = b.id AND q.id < p.id) AS "
    "paid_before_fen"
    " FROM fee_payments p JOIN fee_bills b ON b.id = p.bill_id WHERE p.school_id = $1 AND p.id = $2 AND p.bill_id = $3";
inline constexpr const char* kRefundForPosting =
    "SELECT r.bill_id, r.kind, r.amount_fen, r.approved_at, b.term_id FROM fee_refunds r"
    " JOIN fee_bills b ON b.id = r.bill_id WHERE r.school_id = $1 AND r.id = $2";

// payments.cpp
inline constexpr const char* kBillToPay =
    "SELECT id, school_id, term_id, gross_fen, reduction_fen, paid_fen, status FROM fee_bills"
    " WHERE id = $1 AND school_id = $2";
inline constexpr const char* kBillAmounts =
    "SELECT gross_fen, reduction_fen, paid_fen, status FROM fee_bills WHERE id = $1 AND school_id = $2";

// receipts.cpp
inline constexpr const char* kSchoolName = "SELECT name FROM schools WHERE id = $1";

// refunds.cpp
#define KEHOU_REFUNDS_FROM                                                                            \
  " FROM fee_refunds r JOIN fee_bills b ON b.id = r.bill_id JOIN students st ON st.id = b.student_id" \
  " WHERE r.school_id = $1 AND ($2 = '' OR r.status = $2)"
// A school's refunds ($2 status or ''), newest first, $3 page size, $4 offset.
inline constexpr const char* kCountRefunds = "SELECT COUNT(*) AS n" KEHOU_REFUNDS_FROM;
inline constexpr const char* kListRefunds =
    "SELECT r.id, r.bill_id, r.kind, r.amount_fen, r.reason, r.effective_date, r.course_id, r.status, r.approver_name,"
    " r.created_at, r.approved_at, st.name AS student_name" KEHOU_REFUNDS_FROM " ORDER BY r.id DESC LIMIT $3 OFFSET $4";
#undef KEHOU_REFUNDS_FROM
inline constexpr const char* kRefundedFen =
    "SELECT COALESCE(SUM(amount_fen), 0) AS refunded_fen FROM fee_refunds WHERE school_id = $1 AND bill_id = $2";
inline constexpr const char* kInsertRefund =
    "INSERT INTO fee_refunds (school_id, bill_id, kind, amount_fen, reason, effective_date, course_id, status,"
    " requested_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'requested', $8, $9) RETURNING id";
inline constexpr const char* kLoadRefund =
    "SELECT bill_id, status, amount_fen FROM fee_refunds WHERE school_id = $1 AND id = $2";
inline constexpr const char* kApproveRefund =
    "UPDATE fee_refunds SET status = 'approved', approved_by = $3, approver_name = $4, approved_at = $5"
    " WHERE school_id = $1 AND id = $2";

// reminders.cpp
inline constexpr const char* kUnpaid =
    "SELECT b.id, b.student_id, b.gross_fen - b.reduction_fen - b.paid_fen AS due_fen, st.name FROM fee_bills b"
    " JOIN students st ON st.id = b.student_id"
    " WHERE b.school_id = $1 AND b.term_id = $2 AND b.status = 'unpaid' AND b.gross_fen - b.reduction_fen - b.paid_fen "
    "> 0"
    " ORDER BY b.id";
inline constexpr const char* kLastReminder =
    "SELECT MAX(day) AS last_day FROM fee_reminders WHERE school_id = $1 AND bill_id = $2";
inline constexpr const char* kInsertReminder =
    "INSERT INTO fee_reminders (school_id, bill_id, day, guardians, created_at) VALUES ($1, $2, $3, $4, $5)";
inline constexpr const char* kGuardians =
    "SELECT guardian_id FROM student_guardians WHERE student_id = $1 ORDER BY guardian_id";

// scheduler.cpp
// Schools with an unpaid bill in a term that contains today.
inline constexpr const char* kOpenTerms =
    "SELECT DISTINCT b.school_id, b.term_id FROM fee_bills b JOIN terms t ON t.id = b.term_id"
    " WHERE b.status = 'unpaid' AND t.start_date <= $1 AND t.end_date >= $1 ORDER BY b.school_id, b.term_id";

// service.cpp
inline constexpr const char* kBillRefunds =
    "SELECT id, kind, amount_fen, reason, status, approver_name, effective_date FROM fee_refunds"
    " WHERE school_id = $1 AND bill_id = $2 ORDER BY id";
inline constexpr const char* kBillDue = "SELECT gross_fen - reduction_fen AS due_fen FROM fee_bills WHERE id = $1";

// suspense.cpp
inline constexpr const char* kLoadException =
    "SELECT id, channel, transaction_id, out_trade_no, bill_id, amount_fen, reason_code, reason, received_at,"
    " resolved_at, resolution, suspense_doc_id, settle_kind, payment_id, settle_doc_id, suspense_entry_id,"
    " settle_entry_id FROM fee_exceptions"
    " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kListExceptionsFull =
    "SELECT id, channel, transaction_id, out_trade_no, bill_id, amount_fen, reason_code, reason, received_at,"
    " resolved_at, resolution, suspense_doc_id, settle_kind, payment_id, settle_doc_id, suspense_entry_id,"
    " settle_entry_id FROM fee_exceptions"
    " WHERE school_id = $1 AND ($2 = '' OR ($2 = 'open' AND resolved_at IS NULL) OR ($2 = 'resolved' AND resolved_at"
    " IS NOT NULL)) ORDER BY id DESC LIMIT $3 OFFSET $4";
inline constexpr const char* kCountExceptionsFull =
    "SELECT COUNT(*) AS n, COALESCE(SUM(CASE WHEN suspense_entry_id IS NOT NULL AND resolved_at IS NULL THEN amount_fen"
    " ELSE 0 END), 0) AS suspense_fen FROM fee_exceptions WHERE school_id = $1 AND ($2 = '' OR ($2 = 'open' AND "
    "resolved_at IS NULL)"
    " OR ($2 = 'resolved' AND resolved_at IS NOT NULL))";
inline constexpr const char* kSettle =
    "UPDATE fee_exceptions SET resolved_at = $3, resolved_by = $4, resolution = $5, settle_kind = $6, payment_id = $7,"
    " settle_entry_id = $8 WHERE school_id = $1 AND id = $2 AND resolved_at IS NULL";
inline constexpr const char* kBillToMatch =
    "SELECT id, term_id, gross_fen, reduction_fen, paid_fen, status FROM fee_bills"
    " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kSetSuspenseEntry =
    "UPDATE fee_exceptions SET suspense_entry_id = $3 WHERE school_id = $1 AND id = $2";

// reconcile.cpp
inline constexpr const char* kOurPayments =
    "SELECT transaction_id, bill_id, amount_fen, paid_at FROM fee_payments WHERE school_id = $1 AND channel = 'wechat'"
    " AND paid_at >= $2 AND paid_at < $3 ORDER BY paid_at, id";
inline constexpr const char* kOurExceptions =
    "SELECT transaction_id, bill_id, amount_fen, received_at, out_trade_no FROM fee_exceptions WHERE school_id = $1"
    " AND channel = 'wechat' AND received_at >= $2 AND received_at < $3"
    " AND settle_kind <> 'match' ORDER BY received_at, id";  // a matched one is counted as its payment
#define KEHOU_REC_COLUMNS                                                                                              \
  "id, day, channel, rows_read, matched, amount_differs, missing_in_ours, missing_in_theirs, statement_fen, ours_fen," \
  " created_at"
inline constexpr const char* kLoadRec =
    "SELECT " KEHOU_REC_COLUMNS " FROM fee_reconciliations WHERE school_id = $1 AND id = $2";
inline constexpr const char* kListRecs =
    "SELECT " KEHOU_REC_COLUMNS
    " FROM fee_reconciliations WHERE school_id = $1 ORDER BY day DESC, id DESC LIMIT $2 OFFSET $3";
#undef KEHOU_REC_COLUMNS
inline constexpr const char* kInsertRec =
    "INSERT INTO fee_reconciliations (school_id, day, channel, rows_read, matched, amount_differs, missing_in_ours,"
    " missing_in_theirs, statement_fen, ours_fen, imported_by, created_at)"
    " VALUES ($1, $2, 'wechat', $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
inline constexpr const char* kInsertItem =
    "INSERT INTO fee_reconciliation_items (school_id, reconciliation_id, kind, transaction_id, out_trade_no, bill_id,"
    " ours_fen, theirs_fen, at_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";
inline constexpr const char* kRecItems =
    "SELECT kind, transaction_id, out_trade_no, bill_id, ours_fen, theirs_fen, at_text FROM"
    " fee_reconciliation_items WHERE school_id = $1 AND reconciliation_id = $2"
    " ORDER BY CASE kind WHEN 'matched' THEN 1 ELSE 0 END, id";
inline constexpr const char* kFindRec =
    "SELECT id FROM fee_reconciliations WHERE school_id = $1 AND channel = 'wechat' AND day = $2";
inline constexpr const char* kDeleteRecItems =
    "DELETE FROM fee_reconciliation_items WHERE school_id = $1 AND reconciliation_id = $2";
inline constexpr const char* kDeleteRec = "DELETE FROM fee_reconciliations WHERE school_id = $1 AND id = $2";
inline constexpr const char* kCountRecs = "SELECT COUNT(*) AS n FROM fee_reconciliations WHERE school_id = $1";
inline constexpr const char* kRecExists = "SELECT 1 FROM fee_reconciliations WHERE school_id = $1 AND id = $2";

// payouts.cpp
#define KEHOU_BATCH_COLUMNS \
  "id, batch_no, refunds, total_fen, status, created_at, bank_ref, paid_at FROM fee_refund_payouts"
inline constexpr const char* kLoadBatch = "SELECT " KEHOU_BATCH_COLUMNS " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kListBatches =
    "SELECT " KEHOU_BATCH_COLUMNS " WHERE school_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3";
#undef KEHOU_BATCH_COLUMNS
// Approved refunds in no batch yet.
inline constexpr const char* kUnbatched =
    "SELECT id, amount_fen FROM fee_refunds WHERE school_id = $1 AND status = 'approved' AND payout_id IS NULL"
    " ORDER BY id";
// The bank file's rows: the refund, the child, the payee (the primary guardian first), the payment
// the money came with (the bill's last).
inline constexpr const char* kBatchRows =
    "SELECT r.id, r.amount_fen, r.reason, r.kind, r.approver_name, st.student_no, st.name,"
    " COALESCE(cl.name, '') AS class_name,"
    " COALESCE((SELECT g.name FROM student_guardians sg JOIN guardians g ON g.id = sg.guardian_id"
    "  WHERE sg.student_id = st.id ORDER BY sg.is_primary DESC, g.id LIMIT 1), '') AS payee,"
    " COALESCE((SELECT p.channel FROM fee_payments p WHERE p.bill_id = b.id ORDER BY p.paid_at DESC, p.id DESC"
    "  LIMIT 1), '') AS channel,"
    " COALESCE((SELECT p.transaction_id FROM fee_payments p WHERE p.bill_id = b.id ORDER BY p.paid_at DESC, p.id DESC"
    "  LIMIT 1), '') AS transaction_id"
    " FROM fee_refunds r JOIN fee_bills b ON b.id = r.bill_id JOIN students st ON st.id = b.student_id"
    " LEFT JOIN classes cl ON cl.id = st.class_id WHERE r.school_id = $1 AND r.payout_id = $2 ORDER BY r.id";
inline constexpr const char* kRefundForPayout =
    "SELECT r.bill_id, r.amount_fen, b.term_id FROM fee_refunds r JOIN fee_bills b ON b.id = r.bill_id"
    " WHERE r.school_id = $1 AND r.id = $2";
inline constexpr const char* kCountPayouts = "SELECT COUNT(*) AS n FROM fee_refund_payouts WHERE school_id = $1";
inline constexpr const char* kInsertPayout =
    "INSERT INTO fee_refund_payouts (school_id, batch_no, refunds, total_fen, status, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, 'exported', $5, $6) RETURNING id";
inline constexpr const char* kSetRefundPayout =
    "UPDATE fee_refunds SET payout_id = $3 WHERE school_id = $1 AND id = $2";
inline constexpr const char* kBatchRefunds =
    "SELECT id FROM fee_refunds WHERE school_id = $1 AND payout_id = $2 ORDER BY id";
inline constexpr const char* kMarkPayoutPaid =
    "UPDATE fee_refund_payouts SET status = 'paid', bank_ref = $3, paid_by = $4, paid_at = $5"
    " WHERE school_id = $1 AND id = $2";

struct Settings {
  int pay_from_week = 0, pay_to_week = 0;
};
// The school's pay weeks (the policy default when it has set none).
Settings LoadSettings(db::Conn& c, int64_t school_id);

struct Merchant {
  std::string mchid, appid, api_v3_key, platform_serial, platform_public_pem;
  std::optional<std::string> test_private_pem;
};
std::optional<Merchant> LoadMerchant(db::Conn& c, int64_t school_id);

struct Line {
  std::string kind;
  std::optional<int64_t> standard_id;
  std::string name;
  int64_t amount_fen = 0;
  bool operator==(const Line&) const = default;
};
// The lines of every bill of the term, by bill id.
std::map<int64_t, std::vector<Line>> TermLines(db::Conn& c, int64_t school_id, int64_t term_id);
std::vector<Line> BillLines(db::Conn& c, int64_t school_id, int64_t bill_id);
void ReplaceLines(db::Conn& c, int64_t school_id, int64_t bill_id, const std::vector<Line>& lines);
// The lines of new bills (no lines yet), kLinesPerInsert rows a statement (a bill run).
inline constexpr size_t kLinesPerInsert = 200;
void InsertLines(db::Conn& c, int64_t school_id,
                 const std::vector<std::pair<int64_t, const std::vector<Line>*>>& bills);

}  // namespace kehou::fees::store
