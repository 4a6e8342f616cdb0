// service.h (ledger): the door of the double-entry ledger (issue 14 §3, R-FEE-4/5).
//
// Other modules post from inside their own write transaction: fees posts a bill, a payment, a
// refund; pay posts a pay run. Post() checks the entry balances (debits == credits, every account
// in the chart, see rules.h) and that the term's final accounts are not approved, then writes the
// entry and its lines on the caller's Conn, so the entry commits or rolls back with the caller's
// document. Entries are never edited: Reverse() posts the mirror entry referencing the original.
// The caller's transaction carries the audit row of its document; the ledger's own use cases
// (expenses, reversals, budgets, final accounts, disclosures) write their own.
//
// Thread-safety: stateless functions; a Conn belongs to one callback (db.h).
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "ledger/rules.h"

namespace kehou::ledger {

// The kinds of source document an entry comes from (ledger_entries.source_type).
inline constexpr const char* kSourceBill = "bill";        // fee_bills.id
inline constexpr const char* kSourcePayment = "payment";  // fee_payments.id
inline constexpr const char* kSourceRefund = "refund";    // fee_refunds.id
inline constexpr const char* kSourcePayRun = "pay_run";   // the pay module's run id
inline constexpr const char* kSourceExpense = "expense";  // ledger_documents.id (with invoice number)
inline constexpr const char* kSourceIncome = "income";    // ledger_documents.id (e.g. a subsidy)
// A payment callback the fees module could not match (fee_exceptions.id, source_ref its transaction
// id): held in 2249 suspense, matched to a bill from there, or sent back to the payer (sql/0260).
inline constexpr const char* kSourceSuspenseIn = "suspense_in";
inline constexpr const char* kSourceSuspenseMatch = "suspense_match";
inline constexpr const char* kSourceSuspenseRefund = "suspense_refund";

struct Posting {
  int64_t school_id = 0;
  int64_t term_id = 0;                // the term the document belongs to (budget, disclosure)
  Date date;                          // the entry's school-local date
  std::string source_type;            // kSource*
  int64_t source_id = 0;              // the document's id
  std::string source_ref;             // its outside reference: invoice number, transaction id (may be "")
  std::string memo;                   // a short text for the journal
  std::vector<PostingLine> lines;     // account code, debit_fen or credit_fen
  std::optional<int64_t> created_by;  // the user, if any
};

// What each source posts (the accounts of rules.h):
//   bill     Dr 1122 receivable / Cr 2205 billed, not yet received (the due, after exemptions)
//   payment  Dr 1012 WeChat (1013 Alipay, 1002 bank, 1001 cash) / Cr 1122 receivable, and the
//            income received: Dr 2205 / Cr 4102 materials (first), Cr 4101 service fees
//   suspense_in Dr clearing / Cr 2249; suspense_match as a payment with Dr 2249 for the clearing;
//            suspense_refund Dr 2249 / Cr clearing
//   refund   Dr 4109 refunds / Cr 2241 refunds payable (on a leader's approval)
//   pay_run  Dr 5101 teacher pay / Cr 2211 teacher pay payable; an institution's invoice
//            Dr 5104 institution payments / Cr 2202 payable to institutions
//   expense  Dr 51xx / Cr 1002 bank, 1001 cash or a payable; income Dr 1002 or 1001 / Cr 4201
// Writes one balanced entry on the caller's transaction. Refuses (nothing written): an unbalanced
// or malformed posting (rules::CheckBalanced), an unknown source type, a term of another school,
// a term whose final accounts are approved (rule_broken). Returns the entry id.
Result<int64_t> Post(db::Conn& c, const Posting& p);

// Posts many entries at once on the caller's transaction, as Post each (same checks, the term
// checked once per term), with the lines written in multi-row inserts: for bulk documents (a
// bill run). All or nothing: the first refusal is returned and the caller rolls back.
Status PostMany(db::Conn& c, const std::vector<Posting>& ps);

// Posts what is missing for the source document to stand at `target`: the difference, account by
// account, between target.lines (net) and every entry already posted for (source_type, source_id).
// Nothing is posted when they agree (returns nullopt). Used when a document's amount changes (a
// bill refreshed or reduced): earlier entries stay as they are.
Result<std::optional<int64_t>> PostToTarget(db::Conn& c, const Posting& target);

// Posts the reversal of entry `entry_id` of the school (each line's sides swapped, source_type
// 'reversal', reverses_id = the original) dated `date`. An entry is reversed at most once and a
// reversal is not itself reversed (conflict). Returns the reversal's id.
Result<int64_t> Reverse(db::Conn& c, int64_t school_id, int64_t entry_id, const Date& date, const std::string& memo,
                        std::optional<int64_t> by);

// True when the term's final accounts are approved: Post refuses entries of the term.
bool TermClosed(db::Conn& c, int64_t school_id, int64_t term_id);

// The debits and credits of every account that moved for the school, optionally only the
// entries of one term. For tests, the bench and the pages.
std::map<std::string, Movement> Movements(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);

// ---- the ledger's own use cases (journal.cpp, budget.cpp, disclosure.cpp) ----------------------
// Scope: the school of a request comes from auth::ResolveSchool (another school's ids answer
// not_found). Guardians read only published disclosures of their children's schools.
using Json = nlohmann::json;
using auth::Principal;
using SchoolArg = std::optional<int64_t>;

// The largest amount of a document the office enters: 10 million yuan.
inline constexpr int64_t kMaxDocumentFen = 1'000'000'000;

// GET /ledger/accounts?term_id -> {term, items:[{code, name, name_en, kind, line, debit_fen, credit_fen,
// balance_fen}], debit_fen, credit_fen}: the chart with the term's movements (debits == credits).
Result<Json> ListAccounts(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);

struct JournalQuery {
  std::optional<int64_t> term_id;
  std::string source_type;  // "" or kSource* or "reversal"
  std::string account;      // "" or a code: entries with a line on it
  std::string month;        // "" or YYYY-MM
  std::string q;            // in the reference or the memo
  int64_t page = 1, page_size = 20;
};
// GET /ledger/entries -> {term, items:[entry with lines, reversed_by], total, page, page_size,
// debit_fen, credit_fen (of the whole filter)}
Result<Json> ListJournal(db::Db& db, const Principal& who, SchoolArg school, const JournalQuery& q);
// GET /ledger/entries?format=xlsx: every line of the filter as a workbook (audited).
Result<FileOut> ExportJournal(db::Db& db, const Principal& who, SchoolArg school, const JournalQuery& q);
// POST /ledger/entries/:id/reverse {reason} (office): the reversal entry, dated today. -> 201 the reversal.
Result<Json> ReverseEntry(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                          const Date& today);
// POST /ledger/documents {kind: expense|income, term_id?, doc_date, account, via, amount_fen, invoice_no,
// payee?, memo?} (office): an expense with its invoice number (debit an expense account, credit
// cash, bank or a payable) or an income such as a subsidy (debit cash or bank). -> 201 {document, entry_id}
Result<Json> CreateDocument(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);

// GET /ledger/budget?term_id -> {term, lines:[{key, name, income, budget_fen, actual_fen, variance_fen}],
// totals, final: null | {status, prepared_at, approver_name, approved_at, snapshot}}
Result<Json> GetBudget(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);
// PUT /ledger/budget {term_id?, lines:{key: amount_fen}} (office): sets the given lines; refused once
// the final accounts are approved.
Result<Json> PutBudget(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
// POST /ledger/final-accounts {term_id?} (office): prepares the final accounts (决算) from the term's
// last day on (rule_broken before): a snapshot of budget and actual by line. Again while not approved.
Result<Json> PrepareFinalAccounts(db::Db& db, const Principal& who, SchoolArg school, const Json& body,
                                  const Date& today);
// POST /ledger/final-accounts/approve {term_id?} (principal, vice principal): approves the prepared
// final accounts (snapshot taken again at approval); the term takes no more entries.
Result<Json> ApproveFinalAccounts(db::Db& db, const Principal& who, SchoolArg school, const Json& body);

// GET /ledger/disclosure-preview?month&term_id (office): what publishing the month would freeze.
Result<Json> PreviewDisclosure(db::Db& db, const Principal& who, SchoolArg school, const std::string& month,
                               std::optional<int64_t> term_id, const Date& today);
// POST /ledger/disclosures {month, term_id?} (office): publishes the month's disclosure (公示), a
// frozen snapshot: income and expense by line for the month and the term so far, and the corrections
// posted since the previous disclosure to months it covered. Once per month (conflict). -> 201
Result<Json> PublishDisclosure(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);
// GET /ledger/disclosures?term_id (office) -> {items:[{id, month, published_at, totals}]}
Result<Json> ListDisclosures(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);
// GET /ledger/disclosures/:id: the published snapshot (staff of the school; guardians of a child of it).
Result<Json> GetDisclosure(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// GET /ledger/disclosures/:id?format=pdf: the same, printable.
Result<FileOut> DisclosurePdf(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// GET /ledger/my-disclosures (guardian) -> {items} the published disclosures of their children's schools.
Result<Json> MyDisclosures(db::Db& db, const Principal& who);

// The figures of a disclosure of `month` of the term as of now (the snapshot's JSON; its
// cutoff_entry_id is the school's last entry): the month and the term to its end from the monthly
// sums (sql/0310, kept by every posting), the corrections of the previous disclosure from the lines.
// For the service and the tests (the property test checks it equals the ledger).
Json ComputeDisclosure(db::Conn& c, int64_t school_id, int64_t term_id, const Month& month);

}  // namespace kehou::ledger
