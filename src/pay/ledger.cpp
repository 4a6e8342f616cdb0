// ledger.cpp (pay): the one place an approved pay run posts to the double-entry ledger (issue 14
// §3-4), on the approval's transaction, so the run is approved only if its entry is written.
// Entry (dated the day of approval, the term the month falls in): debit 教师课后服务补助 (5101)
// with the slips' total and 机构服务费 (5104) with the invoices' total; credit 应付教师课后服务补助
// (2211) and 应付机构服务费 (2202). A run of 0 fen posts nothing. Source: pay_run / the run id.
#include "ledger/service.h"
#include "pay/internal.h"
#include "pay/rules.h"
#include "pay/store.h"
#include "school/service.h"

namespace kehou::pay::internal {

Status PostRunToLedger(db::Conn& c, int64_t school_id, int64_t run_id) {
  auto r = c.QueryOne(store::kRunForLedger, {school_id, run_id});
  if (!r) return RunNotFound();
  const int64_t slips = r->Int("slips_fen"), invoices = r->Int("invoices_fen");
  if (slips + invoices == 0) return Ok();
  auto month = ParseMonth(r->Text("month"));
  auto term = school::TermOverlapping(c, school_id, month->First(), month->Last());
  if (!term)
    return Error::RuleBroken("该月不在任何学期内，无法记账", "the month falls in no term of the school", "month");
  ledger::Posting p;
  p.school_id = school_id;
  p.term_id = term->id;
  p.date = TodayLocal();
  p.source_type = ledger::kSourcePayRun;
  p.source_id = run_id;
  p.source_ref = month->Text();
  p.memo = "课酬 " + month->Text();
  p.created_by = r->OptInt("approved_by");
  if (slips > 0) {
    p.lines.push_back({ledger::kAcctTeacherPay, slips, 0});
    p.lines.push_back({ledger::kAcctTeacherPayPayable, 0, slips});
  }
  if (invoices > 0) {
    p.lines.push_back({ledger::kAcctInstitutions, invoices, 0});
    p.lines.push_back({ledger::kAcctInstitutionsPayable, 0, invoices});
  }
  KEHOU_TRY(ledger::Post(c, p));
  return Ok();
}

}  // namespace kehou::pay::internal
