// ledger.cpp (pay): the one place an approved pay run posts to the double-entry ledger (issue 14
// §3-4), on the approval's transaction, so the run is approved only if its entry is written.
// Entry (dated the day of approval, the term the month falls in): debit 教师课后服务补助 (5101)
// with the slips' total and 机构服务费 (5104) with the invoices' total; credit 应付教师课后服务补助
// (2211) and 应付机构服务费 (2202). A run of 0 fen posts nothing. Source: pay_run / the run id.
#include "ledger/service.h"
#include "pay/internal.h"
#include "pay/rules.h"
#include "school/service.h"

namespace kehou::pay::internal {

Status PostRunToLedger(db::Conn& c, int64_t school_id, int64_t run_id) {
  auto r =
      c.QueryOne("SELECT month, slips_fen, invoices_fen, approved_by FROM pay_runs WHERE school_id = $1 AND id = $2",
                 {school_id, run_id});
  if (!r) return RunNotFound();
  const int64_t slips = r->Int(1), invoices = r->Int(2);
  if (slips + invoices == 0) return Ok();
  auto month = ParseMonth(r->Text(0));
  auto term = c.QueryOne(
      "SELECT id FROM terms WHERE school_id = $1 AND start_date <= $2 AND end_date >= $3"
      " ORDER BY start_date DESC LIMIT 1",
      {school_id, FormatDate(month->Last()), FormatDate(month->First())});
  if (!term)
    return Error::RuleBroken("该月不在任何学期内，无法记账", "the month falls in no term of the school", "month");
  ledger::Posting p;
  p.school_id = school_id;
  p.term_id = term->Int(0);
  p.date = TodayLocal();
  p.source_type = ledger::kSourcePayRun;
  p.source_id = run_id;
  p.source_ref = month->Text();
  p.memo = "课酬 " + month->Text();
  p.created_by = r->OptInt(3);
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
