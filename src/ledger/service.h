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
#include <optional>
#include <string>
#include <vector>

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

// Writes one balanced entry on the caller's transaction. Refuses (nothing written): an unbalanced
// or malformed posting (rules::CheckBalanced), an unknown source type, a term of another school,
// a term whose final accounts are approved (rule_broken). Returns the entry id.
Result<int64_t> Post(db::Conn& c, const Posting& p);

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

}  // namespace kehou::ledger
