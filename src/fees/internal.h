// internal.h (fees): helpers service.cpp and payments.cpp share. Not for other modules.
#pragma once
#include <optional>
#include <set>
#include <vector>

#include "access/principal.h"
#include "db/db.h"
#include "fees/rules.h"
#include "fees/service.h"
#include "fees/store.h"
#include "ledger/service.h"
#include "school/service.h"

namespace kehou::fees::internal {

// The request's term: ?term_id of the school, else its current term; not_found otherwise.
Result<school::Term> TermArg(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);
// The term's payment window from the school's settings.
Result<DateRange> WindowOf(db::Conn& c, int64_t school_id, const school::Term& t);
std::vector<DateRange> LateWindows(db::Conn& c, int64_t school_id, int64_t term_id);
// Ok when payment is open on `today` for the term (window or a late window), else rule_broken.
Status CheckOpen(db::Conn& c, int64_t school_id, const school::Term& t, const Date& today);
// The bill row (store::kBillOfSchool) the principal may see: a guardian their own child's
// (any school), staff their school's (auth::ResolveSchool). not_found otherwise.
Result<db::Row> BillFor(db::Conn& c, const Principal& who, SchoolArg school, int64_t bill_id);
// Recomputes gross (lines), reduction (exemptions), paid (payments) and the status of a bill.
void Recompute(db::Conn& c, int64_t school_id, int64_t bill_id, int64_t now);
// The bill as JSON; with detail its lines, exemptions, payments and pay window.
Json BillJson(db::Conn& c, const db::Row& bill, bool detail, const Date& today);
Error BillNotFound();
// enrolled.cpp: the children a bill run bills — an approved application whose current version is
// signed, enrolled on the billing day (today, clamped into the term).
std::set<int64_t> ChildrenToBill(db::Conn& c, int64_t sid, const school::Term& t, const Date& today);
// The ledger postings of fees (ledger_posts.cpp), on the caller's transaction: the bill's due
// (only the difference to what is posted), a payment, an approved refund. who may be null.
Status PostBill(db::Conn& c, int64_t school_id, int64_t bill_id, const Principal* who);
// The full posting of a bill with these lines and reduction (PostBill posts its difference to what
// is posted; a new bill's bill run posts it as it is, ledger::PostMany).
ledger::Posting BillPosting(int64_t school_id, int64_t term_id, int64_t bill_id, const std::vector<store::Line>& lines,
                            int64_t reduction, const Principal* who);
// A payment debits its channel's clearing account and credits the receivable, and recognises the
// same amount as income (Dr 2205 / Cr 4102 materials first, then 4101). A payment matched out of
// suspense (exception_id) debits 2249 instead and posts as source suspense_match of the exception.
// Returns the entry id.
Result<int64_t> PostPayment(db::Conn& c, int64_t school_id, int64_t bill_id, int64_t payment_id, const Principal* who,
                            int64_t exception_id = 0);
// The ledger account a channel's money arrives in (1012 WeChat, 1013 Alipay, 1001 cash, 1002 bank).
const char* ClearingOf(const std::string& channel);
// suspense.cpp: an exception just filed (inside the callback's transaction): when the money was
// taken (fees::MoneyTaken) it is posted to suspense in the school's current open term.
Status PostExceptionToSuspense(db::Conn& c, int64_t school_id, int64_t exception_id);
// Refund payouts (payouts.cpp): the posting of a paid refund (Dr 2241 / Cr 1002).
Status PostRefundPaid(db::Conn& c, int64_t school_id, int64_t refund_id, const std::string& batch_no, const Date& day,
                      const Principal* who);
Status PostRefund(db::Conn& c, int64_t school_id, int64_t refund_id, const Principal* who);

}  // namespace kehou::fees::internal
