// reconcile.cpp (fees): the daily reconciliation against the provider's statement file (service.h,
// the file's columns in statement.h).
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/statement.h"
#include "fees/store.h"
#include "people/csv.h"

namespace kehou::fees {

using namespace internal;

namespace {

std::vector<OurPayment> Ours(db::Conn& c, int64_t sid, const Date& day) {
  std::vector<OurPayment> out;
  db::Params range{sid, LocalInstant(day, 0), LocalInstant(AddDays(day, 1), 0)};
  for (auto& r : c.Query(store::kOurPayments, range))
    out.push_back({r.Text("transaction_id"), "KH" + std::to_string(r.Int("bill_id")), r.Int("bill_id"),
                   r.Int("amount_fen"), FormatLocalMinute(r.Int("paid_at"))});
  for (auto& r : c.Query(store::kOurExceptions, range))
    out.push_back({r.Text("transaction_id"), r.Text("out_trade_no"), r.OptInt("bill_id"), r.Int("amount_fen"),
                   FormatLocalMinute(r.Int("received_at"))});
  return out;
}

Json RecJson(const db::Row& r) {
  const int64_t differs = r.Int("amount_differs"), not_ours = r.Int("missing_in_ours"),
                not_theirs = r.Int("missing_in_theirs");
  return Json{{"id", r.Int("id")},
              {"date", r.Text("day")},
              {"channel", r.Text("channel")},
              {"rows", r.Int("rows_read")},
              {"matched", r.Int("matched")},
              {"amount_differs", differs},
              {"missing_in_ours", not_ours},
              {"missing_in_theirs", not_theirs},
              {"statement_fen", r.Int("statement_fen")},
              {"ours_fen", r.Int("ours_fen")},
              {"created_at", r.Int("created_at")},
              {"exceptions", differs + not_ours + not_theirs}};
}

Json Detail(db::Conn& c, int64_t sid, int64_t id) {
  auto r = c.QueryOne(store::kLoadRec, {sid, id});
  Json out = RecJson(*r);
  Json items = Json::array();
  for (auto& i : c.Query(store::kRecItems, {sid, id}))
    items.push_back({{"kind", i.Text("kind")},
                     {"transaction_id", i.Text("transaction_id")},
                     {"out_trade_no", i.Text("out_trade_no")},
                     {"bill_id", i.OptInt("bill_id") ? Json(*i.OptInt("bill_id")) : Json(nullptr)},
                     {"ours_fen", i.OptInt("ours_fen") ? Json(*i.OptInt("ours_fen")) : Json(nullptr)},
                     {"theirs_fen", i.OptInt("theirs_fen") ? Json(*i.OptInt("theirs_fen")) : Json(nullptr)},
                     {"at", i.Text("at_text")}});
  out["items"] = std::move(items);
  return out;
}

std::string YuanText(int64_t fen) {
  std::string f = std::to_string(fen % 100);
  return std::to_string(fen / 100) + "." + (f.size() < 2 ? "0" + f : f);
}

}  // namespace

Result<Json> ImportStatementOn(db::Conn& c, int64_t sid, const Date& day, std::string_view csv,
                               std::optional<int64_t> user_id) {
  KEHOU_ASSIGN_OR_RETURN(Statement st, ParseStatement(csv, day));
  if (!st.errors.empty()) {
    Json errors = Json::array();
    for (const auto& e : st.errors) errors.push_back({{"row", e.row}, {"field", e.field}, {"message", e.message}});
    return Json{{"ok", false}, {"rows", st.rows.size()}, {"errors", errors}};
  }
  auto items = Reconcile(st.rows, Ours(c, sid, day));
  int64_t counts[4] = {0, 0, 0, 0}, theirs = 0, ours = 0;
  for (const auto& i : items) {
    int k = i.kind == "matched" ? 0 : i.kind == "amount_differs" ? 1 : i.kind == "missing_in_ours" ? 2 : 3;
    ++counts[k];
    theirs += i.theirs_fen.value_or(0);
    ours += i.ours_fen.value_or(0);
  }
  const std::string d = FormatDate(day);
  if (auto old = c.QueryOne(store::kFindRec, {sid, d})) {
    c.Exec(store::kDeleteRecItems, {sid, old->Int("id")});
    c.Exec(store::kDeleteRec, {sid, old->Int("id")});
  }
  int64_t id = c.Insert(store::kInsertRec, {sid, d, static_cast<int64_t>(st.rows.size()), counts[0], counts[1],
                                            counts[2], counts[3], theirs, ours, db::Opt(user_id), NowMs()});
  for (const auto& i : items)
    c.Exec(store::kInsertItem, {sid, id, i.kind, i.transaction_id, i.out_trade_no, db::Opt(i.bill_id),
                                db::Opt(i.ours_fen), db::Opt(i.theirs_fen), i.at});
  Json out = Detail(c, sid, id);
  out["ok"] = true;
  return out;
}

Result<Json> ImportStatement(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "对账日期"});
  auto csv = r.Text("csv", {.required = true, .max_len = 8'000'000, .multiline = true, .label = "对账单"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(
        Json out, ImportStatementOn(c, sid, *day, *csv, who.user_id ? std::optional(who.user_id) : std::nullopt));
    if (!out["ok"].get<bool>()) return out;  // row errors: nothing written
    Json after{
        {"date", out["date"]}, {"rows", out["rows"]}, {"matched", out["matched"]}, {"exceptions", out["exceptions"]}};
    auth::Audit(c, who, {"fee_reconcile", "fee_reconciliation", out["id"].get<int64_t>(), nullptr, &after, sid});
    return out;
  });
}

Result<Json> ListReconciliations(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (auto& r : c.Query(store::kListRecs, {sid, page_size, (page - 1) * page_size})) items.push_back(RecJson(r));
    int64_t total = c.QueryOne(store::kCountRecs, {sid})->Int("n");
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

Result<Json> GetReconciliation(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (!c.QueryOne(store::kRecExists, {sid, id}))
      return Error::NotFound("对账记录不存在", "no such reconciliation", "id");
    return Detail(c, sid, id);
  });
}

std::string TestProviderStatement(db::Conn& c, int64_t sid, const Date& day) {
  std::string out(people::kUtf8Bom);
  people::AppendCsvRecord(out,
                          {"交易时间", "公众账号ID", "商户号", "商户订单号", "微信支付单号", "交易状态", "订单金额"});
  for (const auto& o : Ours(c, sid, day))
    people::AppendCsvRecord(out, {"`" + o.at + ":00", "`wx-test", "`test", "`" + o.out_trade_no, "`" + o.transaction_id,
                                  "`SUCCESS", "`" + YuanText(o.amount_fen)});
  people::AppendCsvRecord(out, {"总交易单数", "应结订单总金额"});
  return out;
}

}  // namespace kehou::fees
