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
    "UPDATE fee_standards SET name = $3, amount_fen = $4, doc_ref = $5, updated_at = $6 WHERE school_id = $1 AND id = $2";
inline constexpr const char* kDeleteStandard = "DELETE FROM fee_standards WHERE school_id = $1 AND id = $2";
inline constexpr const char* kStandardBilled =
    "SELECT 1 FROM fee_bill_lines WHERE school_id = $1 AND standard_id = $2 LIMIT 1";
inline constexpr const char* kCourseOfSchool =
    "SELECT id, name, fee_fen FROM courses WHERE school_id = $1 AND id = $2";

// Confirmed seats of the term's courses (select's selections: a seat is confirmed while status is
// 'confirmed'; a course's term is its own or, for a course without one, its round's).
inline constexpr const char* kConfirmedCourses =
    "SELECT DISTINCT x.student_id, c.id AS course_id FROM selections x"
    " JOIN sections s ON s.id = x.section_id JOIN courses c ON c.id = s.course_id"
    " LEFT JOIN select_rounds r ON r.id = x.round_id"
    " WHERE x.school_id = $1 AND x.status = 'confirmed' AND COALESCE(c.term_id, r.term_id) = $2";

inline constexpr const char* kBillColumns =
    "b.id, b.term_id, b.student_id, b.gross_fen, b.reduction_fen, b.paid_fen, b.status, b.issued_at, b.updated_at,"
    " st.name AS student_name, st.student_no, cl.name AS class_name, t.name AS term_name";
inline constexpr const char* kBillFrom =
    " FROM fee_bills b JOIN students st ON st.id = b.student_id JOIN classes cl ON cl.id = st.class_id"
    " JOIN terms t ON t.id = b.term_id";
inline constexpr const char* kTermBills =
    "SELECT id, student_id, gross_fen, reduction_fen, paid_fen, status FROM fee_bills WHERE school_id = $1 AND term_id = $2";
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
    "INSERT INTO fee_bill_lines (school_id, bill_id, kind, standard_id, name, amount_fen) VALUES ($1, $2, $3, $4, $5, $6)";
inline constexpr const char* kGuardianOf =
    "SELECT 1 FROM student_guardians WHERE student_id = $1 AND guardian_id = $2";

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
inline constexpr const char* kPaymentByTxn = "SELECT id, bill_id FROM fee_payments WHERE channel = $1 AND transaction_id = $2";
inline constexpr const char* kInsertPayment =
    "INSERT INTO fee_payments (school_id, bill_id, channel, transaction_id, amount_fen, paid_at, recorded_by, created_at)"
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
