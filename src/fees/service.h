// service.h (fees): the use cases of fees, bills, exemptions and payments (issue 14 §1-2, R-FEE-1..3),
// one function each. Reads run in one db.Read; every write runs in ONE db.Write with its audit row.
//
// Scope: finance data is for the school's office and leadership (the permission table); the
// school of a request comes from auth::ResolveSchool, so another school's ids answer not_found.
// A guardian (kOwnChildren) reads and pays only the bills of their own children (others: not_found).
// The payment callback is public but accepts only bodies signed by the school's payment platform
// (wechatpay.h); every verified callback either pays a bill or lands in the exceptions queue.
// `today` is the school-local date the window rule uses (the HTTP layer passes TodayLocal()).
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "fees/wechatpay.h"

namespace kehou::fees {

using Json = nlohmann::json;
using auth::Principal;
using SchoolArg = std::optional<int64_t>;

// GET /fees/settings -> {pay_from_week, pay_to_week, default_from_week, default_to_week, charges_fee}
Result<Json> GetSettings(db::Db& db, const Principal& who, SchoolArg school);
// PUT /fees/settings {pay_from_week, pay_to_week}
Result<Json> PutSettings(db::Db& db, const Principal& who, SchoolArg school, const Json& body);

// GET /fees/standards?term_id (default: current term) -> {term, charges_fee, pay_window, late_windows, items}
Result<Json> ListStandards(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);
// POST {term_id, kind: basic|course|materials, course_id (course), name?, amount_fen, doc_ref}
Result<Json> CreateStandard(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
// PUT {name?, amount_fen?, doc_ref?}
Result<Json> UpdateStandard(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body);
// DELETE: only while no bill line uses it.
Result<Json> DeleteStandard(db::Db& db, const Principal& who, SchoolArg school, int64_t id);

// POST /fees/late-windows {term_id, opens_on, closes_on, reason}: the office opens late payment.
Result<Json> OpenLateWindow(db::Db& db, const Principal& who, SchoolArg school, const Json& body);

// POST /fees/bills/issue {term_id}: one bill per enrolled child of the term from the term's
// standards (basic, materials) and the child's confirmed courses that have a standard. Idempotent:
// a re-run creates missing bills, refreshes unpaid bills whose lines changed, keeps paid ones.
// -> {term_id, children, created, updated, unchanged, kept_paid, total_due_fen}
Result<Json> IssueBills(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);

struct BillQuery {
  std::optional<int64_t> term_id, class_id;
  std::string status;  // "" | unpaid | paid | exempted
  std::string q;       // name or student number
  int64_t page = 1, page_size = 20;
};
// GET /fees/bills -> {items, total, page, page_size, sums:{due_fen, paid_fen, reduction_fen}, term}
Result<Json> ListBills(db::Db& db, const Principal& who, SchoolArg school, const BillQuery& q);
// GET /fees/bills?format=xlsx: every bill of the query (no paging) as a workbook.
Result<FileOut> ExportBills(db::Db& db, const Principal& who, SchoolArg school, const BillQuery& q);
// GET /fees/bills/:id -> the bill with lines, exemptions, payments, pay window (guardians: own child).
Result<Json> GetBill(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today);
// GET /fees/my-bills (guardian) -> {items:[bill...]} of their children, newest term first.
Result<Json> MyBills(db::Db& db, const Principal& who, const Date& today);

// POST /fees/bills/:id/exemptions {category, mode: full|amount|percent, value?, reason?, decided_by,
// decided_on, decision_ref}: the leadership group's decision, recorded; the bill is recomputed.
Result<Json> AddExemption(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                          const Date& today);

// POST /fees/bills/:id/cash {amount_fen, receipt_no}: cash paid at the office (the whole
// outstanding amount), inside the payment window or a late window.
Result<Json> RecordCash(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                        const Date& today);

// POST /fees/bills/:id/pay (guardian): pays the outstanding amount through the school's local test
// provider (the demo's WeChat Pay stand-in): it signs and encrypts a notification exactly as
// WeChat Pay does, which then goes through the same verification as the public callback.
Result<Json> PayWithTestProvider(db::Db& db, const Principal& who, int64_t bill_id, const Date& today);
// For the demo: pays each bill's outstanding amount through the school's local test provider, as
// PayWithTestProvider does one (a notification signed and encrypted by the provider, verified and
// decrypted as the callback does, matched: paid, posted to the ledger, audited as the callback),
// all in one transaction. Bills not payable (paid, exempted, unknown) are skipped. Returns how
// many were paid; conflict when the school's merchant is not a test provider.
Result<int64_t> PayManyWithTestProvider(db::Db& db, int64_t school_id, const std::vector<int64_t>& bill_ids,
                                        const std::string& client);

// POST /fees/test-provider/notifications {bill_id, amount_fen, transaction_id?}: the school's
// local test provider makes (does not send) a signed notification -> {headers:{...}, body}.
// conflict when the school's merchant is not a test provider.
Result<Json> MakeTestNotification(db::Db& db, const Principal& who, SchoolArg school, const Json& body);

// POST /fees/callback/wechatpay/:school_id (public): verify, decrypt, match. -> {code:"SUCCESS",
// outcome: paid|exception|duplicate}. Forged, stale or wrongly keyed: unauthenticated, nothing written.
Result<Json> HandleWeChatPayCallback(db::Db& db, int64_t school_id, const wechatpay::Headers& h,
                                     const std::string& body, int64_t now_ms, const std::string& client);

// GET /fees/exceptions?state=open|resolved -> {items (state in_suspense|to_note|resolved, ...), total,
// suspense_fen (money held in 2249 待查明款项, unresolved), page, page_size} (suspense.cpp)
Result<Json> ListExceptions(db::Db& db, const Principal& who, SchoolArg school, const std::string& state, int64_t page,
                            int64_t page_size);

// POST /fees/exceptions/:id/resolve {action: match|refund|note, bill_id (match), resolution} (office):
// money in suspense is matched to a bill (a payment: Dr 2249 / Cr receivable; at most the bill's
// outstanding, its term open) or refunded to the payer (Dr 2249 / Cr the channel's clearing); an
// exception with no money taken only takes a note (the default action). Each in one transaction
// with its ledger entry and audit row; a resolved one stays in the list. -> the exception.
Result<Json> ResolveException(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body);

// For the demo and `kehou` tooling: gives the school a local test provider as its payment merchant
// (fresh keys) unless it has a merchant. Runs on the caller's transaction. Returns true if made.
Result<bool> EnsureTestMerchant(db::Conn& c, int64_t school_id);

}  // namespace kehou::fees

namespace kehou::fees {

// ---- refunds (R-FEE-3; refunds.cpp) -----------------------------------------------------------------
// POST /fees/bills/:id/refunds {kind: full|prorated|course, reason, effective_date (prorated),
// course_id (course)} (office): the amount is computed (full: what was paid and not yet refunded;
// prorated: fees::ProratedRefundFen from effective_date; course: the cancelled course's line),
// never more than what is left to refund. Requested until a leader approves. -> 201 the bill.
Result<Json> RequestRefund(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id, const Json& body,
                           const Date& today);
// POST /fees/refunds/:id/approve (principal, vice principal): the approver is recorded. -> the bill.
Result<Json> ApproveRefund(db::Db& db, const Principal& who, SchoolArg school, int64_t refund_id, const Date& today);
// ---- refund payouts (payouts.cpp) --------------------------------------------------------------
// POST /fees/refund-payouts (office): a batch (TFyyyymmdd-n) of every approved refund in no batch
// yet, for the bank; conflict when there is none. -> 201 the batch {id, batch_no, refunds,
// total_fen, status: exported}
Result<Json> CreatePayoutBatch(db::Db& db, const Principal& who, SchoolArg school, const Date& today);
// GET /fees/refund-payouts -> {items, total, page, page_size, waiting: {refunds, total_fen}}
Result<Json> ListPayoutBatches(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size);
// GET /fees/refund-payouts/:id/file: the bank file (XLSX: child, payee, original payment, amount,
// reason, approver), audited.
Result<FileOut> PayoutFile(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// POST /fees/refund-payouts/:id/paid {bank_ref} (office): the bank paid the batch: each refund posts
// Dr 2241 refunds payable / Cr 1002 bank dated today; conflict when already paid. -> the batch.
Result<Json> MarkPayoutPaid(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                            const Date& today);

// GET /fees/refunds?status=requested|approved -> {items, total, page, page_size}
Result<Json> ListRefunds(db::Db& db, const Principal& who, SchoolArg school, const std::string& status, int64_t page,
                         int64_t page_size);

}  // namespace kehou::fees

namespace kehou::fees {

// ---- reminders, reconciliation, receipts (issue 14 §1-2, §5; reminders.cpp, reconcile.cpp,
// receipts.cpp) ---------------------------------------------------------------------------------
// A bill is reminded at most once per kReminderEveryDays (1: once a day), keyed by the bill and
// the school-local day (fee_reminders unique, and the outbox event key carries the day).
inline constexpr int kReminderEveryDays = 1;
// POST /fees/reminders {term_id} (office): while payment is open (the term's pay weeks or a late
// window; otherwise rule_broken naming the rule) each unpaid bill not reminded today gets one
// message to each of the child's guardians through the outbox, in one transaction.
// -> {day, unpaid, reminded, already_today, messages}
Result<Json> SendReminders(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);
// The same on the caller's transaction, without a principal (the demo, a scheduler).
Result<Json> RemindUnpaid(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id, const Date& today);

// POST /fees/reconciliations {date, csv} (office): imports the provider's statement of a day
// (fees/statement.h names the columns) and reconciles it with our WeChat Pay payments and
// exception-queue callbacks of that day. All or nothing: a bad row answers {ok:false, errors:
// [{row, field, message}]} (the route: 422) and writes nothing. Re-importing a day replaces its
// result. -> {ok:true, ...the reconciliation with its items}.
Result<Json> ImportStatement(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
// Same on the caller's transaction (demo, bench); user_id for imported_by.
Result<Json> ImportStatementOn(db::Conn& c, int64_t school_id, const Date& day, std::string_view csv,
                               std::optional<int64_t> user_id);
// GET /fees/reconciliations -> {items, total, page, page_size}
Result<Json> ListReconciliations(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size);
// GET /fees/reconciliations/:id -> the reconciliation with every item (exceptions first).
Result<Json> GetReconciliation(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// The provider's statement CSV of a day as the local test provider would issue it: our WeChat Pay
// payments and exception callbacks of the day (the demo and tests start from it).
std::string TestProviderStatement(db::Conn& c, int64_t school_id, const Date& day);

// GET /fees/bills/:id/receipt (guardian: own child's; office): the PDF receipt of a paid bill.
// not_found for another family's bill; rule_broken while the bill is not paid.
Result<FileOut> Receipt(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id);

}  // namespace kehou::fees
