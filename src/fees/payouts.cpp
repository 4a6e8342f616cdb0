// payouts.cpp (fees): refund payouts (退费发放, issue 14 §2 "refund files export for the bank";
// service.h). An approved refund stands in 2241 refunds payable (refunds.cpp); the office gathers
// every approved refund not yet in a batch into a payout batch (the bank file, XLSX), the bank pays
// it, and the office marks the batch paid with the bank's reference: each refund then posts
// Dr 2241 refunds payable / Cr 1002 bank (source: the refund, reference: the batch number), all in
// one transaction with its audit row.
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"
#include "people/xlsx.h"

namespace kehou::fees {

using namespace internal;

namespace {

Json BatchJson(const db::Row& r) {
  return {{"id", r.Int("id")},
          {"batch_no", r.Text("batch_no")},
          {"refunds", r.Int("refunds")},
          {"total_fen", r.Int("total_fen")},
          {"status", r.Text("status")},
          {"status_label", r.Text("status") == "paid" ? "已发放" : "已导出待发放"},
          {"created_at", FormatInstant(r.Int("created_at"))},
          {"bank_ref", r.Text("bank_ref")},
          {"paid_at", r.OptInt("paid_at") ? Json(FormatInstant(*r.OptInt("paid_at"))) : Json(nullptr)}};
}

Result<db::Row> LoadBatch(db::Conn& c, int64_t sid, int64_t id) {
  auto r = c.QueryOne(store::kLoadBatch, {sid, id});
  if (!r) return Error::NotFound("退费发放批次不存在", "no such payout batch", "id");
  return *r;
}

}  // namespace

namespace internal {

Status PostRefundPaid(db::Conn& c, int64_t sid, int64_t refund_id, const std::string& batch_no, const Date& day,
                      const Principal* who) {
  auto r = c.QueryOne(store::kRefundForPayout, {sid, refund_id});
  if (!r) return Error::NotFound("退费申请不存在", "no such refund", "id");
  ledger::Posting p;
  p.school_id = sid;
  p.term_id = r->Int("term_id");
  p.date = day;
  p.source_type = ledger::kSourceRefund;
  p.source_id = refund_id;
  p.source_ref = batch_no;
  p.memo = "账单 #" + std::to_string(r->Int("bill_id")) + " 退费发放（批次 " + batch_no + "）";
  if (who && who->user_id) p.created_by = who->user_id;
  p.lines = {{ledger::kAcctRefundsPayable, r->Int("amount_fen"), 0}, {ledger::kAcctBank, 0, r->Int("amount_fen")}};
  KEHOU_TRY(ledger::Post(c, p));
  return Ok();
}

}  // namespace internal

Result<Json> CreatePayoutBatch(db::Db& db, const Principal& who, SchoolArg school, const Date& today) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto refunds = c.Query(store::kUnbatched, {sid});
    if (refunds.empty())
      return Error::Conflict("没有已审批待发放的退费", "no approved refund waits for a payout", "id");
    int64_t total = 0;
    for (const auto& r : refunds) total += r.Int("amount_fen");
    int64_t seq = c.QueryOne(store::kCountPayouts, {sid})->Int("n") + 1;
    std::string day = FormatDate(today);
    std::string batch_no = "TF" + day.substr(0, 4) + day.substr(5, 2) + day.substr(8, 2) + "-" + std::to_string(seq);
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertPayout, {sid, batch_no, static_cast<int64_t>(refunds.size()), total,
                                                 who.user_id ? db::Value(who.user_id) : db::Null(), now});
    for (const auto& r : refunds) c.Exec(store::kSetRefundPayout, {sid, r.Int("id"), id});
    KEHOU_ASSIGN_OR_RETURN(db::Row row, LoadBatch(c, sid, id));
    Json out = BatchJson(row);
    auth::Audit(c, who, {"create", "fee_refund_payout", id, nullptr, &out, sid});
    return out;
  });
}

Result<Json> ListPayoutBatches(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (const auto& r : c.Query(store::kListBatches, {sid, page_size, (page - 1) * page_size}))
      items.push_back(BatchJson(r));
    int64_t waiting = 0, waiting_fen = 0;
    for (const auto& r : c.Query(store::kUnbatched, {sid})) ++waiting, waiting_fen += r.Int("amount_fen");
    return Json{{"items", items},
                {"total", c.QueryOne(store::kCountPayouts, {sid})->Int("n")},
                {"page", page},
                {"page_size", page_size},
                {"waiting", {{"refunds", waiting}, {"total_fen", waiting_fen}}}};
  });
}

Result<FileOut> PayoutFile(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  std::string batch_no;
  int64_t sid = 0;
  auto rows = db.Read([&](db::Conn& c) -> Result<std::vector<std::vector<std::string>>> {
    KEHOU_ASSIGN_OR_RETURN(sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(db::Row b, LoadBatch(c, sid, id));
    batch_no = b.Text("batch_no");
    std::vector<std::vector<std::string>> out;
    int n = 0;
    for (const auto& r : c.Query(store::kBatchRows, {sid, id}))
      out.push_back({std::to_string(++n), batch_no, std::to_string(r.Int("id")), r.Text("student_no"), r.Text("name"),
                     r.Text("class_name"), r.Text("payee"), std::string(PayChannelLabelZh(r.Text("channel"))),
                     r.Text("transaction_id"), FormatYuan(r.Int("amount_fen")), r.Text("reason"),
                     r.Text("approver_name")});
    return out;
  });
  if (!rows.ok()) return rows.error();
  KEHOU_ASSIGN_OR_RETURN(
      std::string book, people::BuildXlsx("退费发放",
                                          {"序号", "批次号", "退费编号", "学号", "学生姓名", "班级", "收款人（监护人）",
                                           "原缴费渠道", "原交易号", "退费金额（元）", "退费原因", "审批人"},
                                          *rows));
  db.Write([&](db::Conn& c) {
    Json what{{"batch_no", batch_no}, {"rows", static_cast<int64_t>(rows->size())}};
    auth::Audit(c, who, {"export", "fee_refund_payout", id, nullptr, &what, sid});
  });
  return FileOut{std::move(book), std::string(people::kXlsxContentType), "退费发放-" + batch_no + ".xlsx"};
}

Result<Json> MarkPayoutPaid(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                            const Date& today) {
  BodyReader r(body);
  auto bank_ref = r.Text("bank_ref", {.required = true, .max_len = 60, .label = "银行回单号"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(db::Row b, LoadBatch(c, sid, id));
    if (b.Text("status") == "paid") return Error::Conflict("该批次已标记发放", "the batch is already paid", "id");
    Json before = BatchJson(b);
    for (const auto& x : c.Query(store::kBatchRefunds, {sid, id}))
      KEHOU_TRY(PostRefundPaid(c, sid, x.Int("id"), b.Text("batch_no"), today, &who));
    c.Exec(store::kMarkPayoutPaid, {sid, id, *bank_ref, who.user_id ? db::Value(who.user_id) : db::Null(), NowMs()});
    KEHOU_ASSIGN_OR_RETURN(db::Row row, LoadBatch(c, sid, id));
    Json after = BatchJson(row);
    auth::Audit(c, who, {"pay", "fee_refund_payout", id, &before, &after, sid});
    return after;
  });
}

}  // namespace kehou::fees
