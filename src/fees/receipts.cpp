// receipts.cpp (fees): the PDF receipt of a paid bill (service.h), drawn with pdf::RenderTable.
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"
#include "pdf/table.h"

namespace kehou::fees {

using namespace internal;

namespace {

std::string Yuan(int64_t fen) {
  std::string f = std::to_string((fen < 0 ? -fen : fen) % 100);
  return std::string(fen < 0 ? "-" : "") + std::to_string((fen < 0 ? -fen : fen) / 100) + "." +
         (f.size() < 2 ? "0" + f : f);
}

}  // namespace

Result<FileOut> Receipt(db::Db& db, const Principal& who, SchoolArg school, int64_t bill_id) {
  pdf::TableDocument doc;
  std::string number;
  KEHOU_TRY(db.Read([&](db::Conn& c) -> Status {
    KEHOU_ASSIGN_OR_RETURN(db::Row b, BillFor(c, who, school, bill_id));
    if (b.Text("status") != "paid")
      return Error::RuleBroken("账单尚未缴清，缴清后才能下载收据", "the bill is not paid yet", "id");
    int64_t sid = b.Int("school_id");
    auto s = c.QueryOne(store::kSchoolName, {sid});
    number = "KH" + std::to_string(bill_id);
    doc.title = "课后服务费收据";
    doc.header_left = s ? s->Text("name") : "";
    doc.subtitles = {
        "收款单位：" + doc.header_left, "收据编号：" + number + "　学期：" + b.Text("term_name"),
        "学生：" + b.Text("student_name") + "（" + b.Text("class_name") + "，学号 " + b.Text("student_no") + "）",
        "应收 " + Yuan(b.Int("gross_fen")) + " 元，减免 " + Yuan(b.Int("reduction_fen")) + " 元，实缴 " +
            Yuan(b.Int("paid_fen")) + " 元"};
    doc.columns = {{"项目", 3}, {"说明", 4}, {"金额（元）", 2, pdf::Align::kEnd}};
    for (const auto& l : store::BillLines(c, sid, bill_id))
      doc.rows.push_back({l.name, "收费标准", Yuan(l.amount_fen)});
    if (b.Int("reduction_fen") > 0) doc.rows.push_back({"减免", "领导小组决定", Yuan(-b.Int("reduction_fen"))});
    for (auto& p : c.Query(store::kPayments, {sid, bill_id}))
      doc.rows.push_back({"缴费：" + std::string(PayChannelLabelZh(p.Text("channel"))),
                          "交易号 " + p.Text("transaction_id") + "，" + FormatLocalMinute(p.Int("paid_at")),
                          Yuan(p.Int("amount_fen"))});
    doc.footer_left = "本收据由课后服务平台生成 · " + FormatLocalMinute(NowMs());
    return Ok();
  }));
  KEHOU_ASSIGN_OR_RETURN(pdf::RenderedPdf out, pdf::RenderTable(doc));
  return FileOut{std::move(out.bytes), std::string(pdf::kPdfContentType), "课后服务费收据-" + number + ".pdf"};
}

}  // namespace kehou::fees
