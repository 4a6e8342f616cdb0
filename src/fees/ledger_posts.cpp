// ledger_posts.cpp (fees): what fees posts to the ledger, inside the write of its own document
// (issue 14 §3: every fen traces bill -> payment -> ledger). Income is recognised when received
// (docs/ARCHITECTURE.md, money): a bill posts what it is due as a receivable against 2205 billed,
// not yet received (exemptions are already off the due; when its lines or exemptions change, only
// the difference, ledger::PostToTarget); a payment moves the receivable to the channel's clearing
// account and the same amount from 2205 to income (materials first, then service fees); an approved
// refund moves income to refunds payable.
#include "fees/internal.h"
#include "fees/rules.h"
#include "fees/store.h"
#include "ledger/service.h"

namespace kehou::fees::internal {

const char* ClearingOf(const std::string& channel) {
  if (channel == "wechat") return ledger::kAcctWeChat;
  if (channel == "alipay") return ledger::kAcctAlipay;
  if (channel == "cash") return ledger::kAcctCash;
  return ledger::kAcctBank;
}

namespace {
std::optional<int64_t> By(const Principal* who) {
  if (!who || !who->user_id) return std::nullopt;
  return who->user_id;
}
}  // namespace

ledger::Posting BillPosting(int64_t sid, int64_t term_id, int64_t bill_id, const std::vector<store::Line>& lines,
                            int64_t reduction, const Principal* who) {
  int64_t service = 0, materials = 0;
  for (const auto& l : lines) (l.kind == "materials" ? materials : service) += l.amount_fen;
  ledger::Posting p;
  p.school_id = sid;
  p.term_id = term_id;
  p.date = TodayLocal();
  p.source_type = ledger::kSourceBill;
  p.source_id = bill_id;
  p.memo = "账单 #" + std::to_string(bill_id);
  p.created_by = By(who);
  auto add = [&](const char* acct, int64_t debit, int64_t credit) {
    if (debit > 0 || credit > 0) p.lines.push_back({acct, debit, credit});
  };
  int64_t due = service + materials - reduction;
  add(ledger::kAcctReceivable, due, 0);
  add(ledger::kAcctBilledUnreceived, 0, due);
  return p;
}

Status PostBill(db::Conn& c, int64_t sid, int64_t bill_id, const Principal* who) {
  auto b = c.QueryOne(store::kBillForPosting, {sid, bill_id});
  if (!b) return BillNotFound();
  KEHOU_TRY(ledger::PostToTarget(c, BillPosting(sid, b->Int("term_id"), bill_id, store::BillLines(c, sid, bill_id),
                                                b->Int("reduction_fen"), who)));
  return Ok();
}

Result<int64_t> PostPayment(db::Conn& c, int64_t sid, int64_t bill_id, int64_t payment_id, const Principal* who,
                            int64_t exception_id) {
  auto pay = c.QueryOne(store::kPaymentForPosting, {sid, payment_id, bill_id});
  if (!pay) return Error::NotFound("缴费记录不存在", "no such payment", "payment_id");
  int64_t amount = pay->Int("amount_fen");
  int64_t materials = MaterialsReceivedFen(pay->Int("gross_fen") - pay->Int("reduction_fen"), pay->Int("materials_fen"),
                                           pay->Int("paid_before_fen"), amount);
  ledger::Posting p;
  p.school_id = sid;
  p.term_id = pay->Int("term_id");
  p.date = LocalDate(pay->Int("paid_at"));
  p.source_type = exception_id ? ledger::kSourceSuspenseMatch : ledger::kSourcePayment;
  p.source_id = exception_id ? exception_id : payment_id;
  p.source_ref = pay->Text("transaction_id");
  p.memo = "账单 #" + std::to_string(bill_id) + " 缴费" +
           (exception_id
                ? "（异常收款 #" + std::to_string(exception_id) + " 匹配，缴费 #" + std::to_string(payment_id) + "）"
                : std::string());
  p.created_by = By(who);
  p.lines = {{exception_id ? ledger::kAcctSuspense : ClearingOf(pay->Text("channel")), amount, 0},
             {ledger::kAcctReceivable, 0, amount},
             {ledger::kAcctBilledUnreceived, amount, 0}};
  if (amount - materials > 0) p.lines.push_back({ledger::kAcctFeeIncome, 0, amount - materials});
  if (materials > 0) p.lines.push_back({ledger::kAcctMaterialsIncome, 0, materials});
  return ledger::Post(c, p);
}

Status PostRefund(db::Conn& c, int64_t sid, int64_t refund_id, const Principal* who) {
  auto r = c.QueryOne(store::kRefundForPosting, {sid, refund_id});
  if (!r) return Error::NotFound("退费申请不存在", "no such refund", "id");
  int64_t amount = r->Int("amount_fen");
  ledger::Posting p;
  p.school_id = sid;
  p.term_id = r->Int("term_id");
  p.date = LocalDate(r->Int("approved_at"));
  p.source_type = ledger::kSourceRefund;
  p.source_id = refund_id;
  p.memo = "账单 #" + std::to_string(r->Int("bill_id")) + " 退费（" + r->Text("kind") + "）";
  p.created_by = By(who);
  p.lines = {{ledger::kAcctRefunds, amount, 0}, {ledger::kAcctRefundsPayable, 0, amount}};
  KEHOU_TRY(ledger::Post(c, p));
  return Ok();
}

}  // namespace kehou::fees::internal
