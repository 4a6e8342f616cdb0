// reconcile.cpp (fees): the daily reconciliation against the provider's statement file (service.h,
// the file's columns in statement.h).
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/statement.h"
#include "people/csv.h"

namespace kehou::fees {

using namespace internal;

namespace {

constexpr const char* kOurPayments =
    "SELECT transaction_id, bill_id, amount_fen, paid_at FROM fee_payments WHERE school_id = $1 AND channel = 'wechat'"
    " AND paid_at >= $2 AND paid_at < $3 ORDER BY paid_at, id";
constexpr const char* kOurExceptions =
    "SELECT transaction_id, bill_id, amount_fen, received_at, out_trade_no FROM fee_exceptions WHERE school_id = $1"
    " AND channel = 'wechat' AND received_at >= $2 AND received_at < $3"
    " AND settle_kind <> 'match' ORDER BY received_at, id";  // a matched one is counted as its payment
constexpr const char* kRecColumns =
    "id, day, channel, rows_read, matched, amount_differs, missing_in_ours, missing_in_theirs, statement_fen, ours_fen,"
    " created_at";
constexpr const char* kInsertRec =
    "INSERT INTO fee_reconciliations (school_id, day, channel, rows_read, matched, amount_differs, missing_in_ours,"
    " missing_in_theirs, statement_fen, ours_fen, imported_by, created_at)"
    " VALUES ($1, $2, 'wechat', $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
constexpr const char* kInsertItem =
    "INSERT INTO fee_reconciliation_items (school_id, reconciliation_id, kind, transaction_id, out_trade_no, bill_id,"
    " ours_fen, theirs_fen, at_text) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

std::vector<OurPayment> Ours(db::Conn& c, int64_t sid, const Date& day) {
  std::vector<OurPayment> out;
  db::Params range{sid, LocalInstant(day, 0), LocalInstant(AddDays(day, 1), 0)};
  for (auto& r : c.Query(kOurPayments, range))
    out.push_back({r.Text(0), "KH" + std::to_string(r.Int(1)), r.Int(1), r.Int(2), FormatLocalMinute(r.Int(3))});
  for (auto& r : c.Query(kOurExceptions, range))
    out.push_back({r.Text(0), r.Text(4), r.OptInt(1), r.Int(2), FormatLocalMinute(r.Int(3))});
  return out;
}

Json RecJson(const db::Row& r) {
  return Json{{"id", r.Int(0)},
              {"date", r.Text(1)},
              {"channel", r.Text(2)},
              {"rows", r.Int(3)},
              {"matched", r.Int(4)},
              {"amount_differs", r.Int(5)},
              {"missing_in_ours", r.Int(6)},
              {"missing_in_theirs", r.Int(7)},
              {"statement_fen", r.Int(8)},
              {"ours_fen", r.Int(9)},
              {"created_at", r.Int(10)},
              {"exceptions", r.Int(5) + r.Int(6) + r.Int(7)}};
}

Json Detail(db::Conn& c, int64_t sid, int64_t id) {
  auto r = c.QueryOne(
      std::string("SELECT ") + kRecColumns + " FROM fee_reconciliations WHERE school_id = $1 AND id = $2", {sid, id});
  Json out = RecJson(*r);
  Json items = Json::array();
  for (auto& i : c.Query("SELECT kind, transaction_id, out_trade_no, bill_id, ours_fen, theirs_fen, at_text FROM"
                         " fee_reconciliation_items WHERE school_id = $1 AND reconciliation_id = $2"
                         " ORDER BY CASE kind WHEN 'matched' THEN 1 ELSE 0 END, id",
                         {sid, id}))
    items.push_back({{"kind", i.Text(0)},
                     {"transaction_id", i.Text(1)},
                     {"out_trade_no", i.Text(2)},
                     {"bill_id", i.OptInt(3) ? Json(*i.OptInt(3)) : Json(nullptr)},
                     {"ours_fen", i.OptInt(4) ? Json(*i.OptInt(4)) : Json(nullptr)},
                     {"theirs_fen", i.OptInt(5) ? Json(*i.OptInt(5)) : Json(nullptr)},
                     {"at", i.Text(6)}});
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
  if (auto old = c.QueryOne(
          "SELECT id FROM fee_reconciliations WHERE school_id = $1 AND channel = 'wechat' AND day = $2", {sid, d})) {
    c.Exec("DELETE FROM fee_reconciliation_items WHERE school_id = $1 AND reconciliation_id = $2", {sid, old->Int(0)});
    c.Exec("DELETE FROM fee_reconciliations WHERE school_id = $1 AND id = $2", {sid, old->Int(0)});
  }
  int64_t id = c.Insert(kInsertRec, {sid, d, static_cast<int64_t>(st.rows.size()), counts[0], counts[1], counts[2],
                                     counts[3], theirs, ours, db::Opt(user_id), NowMs()});
  for (const auto& i : items)
    c.Exec(kInsertItem, {sid, id, i.kind, i.transaction_id, i.out_trade_no, db::Opt(i.bill_id), db::Opt(i.ours_fen),
                         db::Opt(i.theirs_fen), i.at});
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
    for (auto& r :
         c.Query(std::string("SELECT ") + kRecColumns +
                     " FROM fee_reconciliations WHERE school_id = $1 ORDER BY day DESC, id DESC LIMIT $2 OFFSET $3",
                 {sid, page_size, (page - 1) * page_size}))
      items.push_back(RecJson(r));
    int64_t total = c.QueryOne("SELECT COUNT(*) FROM fee_reconciliations WHERE school_id = $1", {sid})->Int(0);
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

Result<Json> GetReconciliation(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    if (!c.QueryOne("SELECT 1 FROM fee_reconciliations WHERE school_id = $1 AND id = $2", {sid, id}))
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
