// suspense.cpp (fees): the exceptions queue and its suspense account (待查明款项, issue 14 §2-3;
// service.h). A callback filed as an exception whose money reached the school (fees::MoneyTaken)
// is posted at once to 2249 (source suspense_in of the exception: Dr the channel's clearing /
// Cr 2249, the transaction id its reference); the office resolves it by matching it to a bill (a
// payment of the bill dated when the money arrived, source suspense_match: Dr 2249 / Cr
// receivable, and the income received) or by refunding the payer (source suspense_refund: Dr 2249
// / Cr clearing), each step in one transaction with its audit row. An exception with no money
// taken is settled by a note only. Exceptions held before sql/0261 posted ledger documents
// (suspense_doc_id, settle_doc_id); 0261 gave them their entries.
#include "auth/audit.h"
#include "core/body.h"
#include "fees/internal.h"
#include "fees/service.h"
#include "fees/store.h"
#include "ledger/service.h"

namespace kehou::fees {

using namespace internal;

namespace {

// The state the office reads: in suspense (money held, to be matched or refunded), to note (no
// money taken), or settled.
std::string StateOf(const db::Row& r) {
  if (r.OptInt("resolved_at")) return "resolved";
  return r.OptInt("suspense_entry_id") ? "in_suspense" : "to_note";
}

Json ExceptionJson(const db::Row& r) {
  auto opt = [&](const char* k) { return r.OptInt(k) ? Json(*r.OptInt(k)) : Json(nullptr); };
  std::string state = StateOf(r);
  static const std::map<std::string, std::string> kStateZh{
      {"resolved", "已处理"}, {"in_suspense", "待查明（已记入待查明款项）"}, {"to_note", "待登记（未收到款项）"}};
  return {{"id", r.Int("id")},
          {"channel", r.Text("channel")},
          {"channel_label", PayChannelLabelZh(r.Text("channel"))},
          {"transaction_id", r.Text("transaction_id")},
          {"out_trade_no", r.Text("out_trade_no")},
          {"bill_id", opt("bill_id")},
          {"amount_fen", r.Int("amount_fen")},
          {"reason_code", r.Text("reason_code")},
          {"reason", r.Text("reason")},
          {"received_at", FormatInstant(r.Int("received_at"))},
          {"resolved", r.OptInt("resolved_at").has_value()},
          {"resolution", r.Text("resolution")},
          {"money_taken", MoneyTaken(r.Text("reason_code"))},
          {"in_suspense", state == "in_suspense"},
          {"state", state},
          {"state_label", kStateZh.at(state)},
          {"suspense_doc_id", opt("suspense_doc_id")},
          {"settle_kind", r.Text("settle_kind")},
          {"settle_label", r.Text("settle_kind").empty() ? "" : std::string(SettleKindLabelZh(r.Text("settle_kind")))},
          {"payment_id", opt("payment_id")},
          {"settle_doc_id", opt("settle_doc_id")},
          {"suspense_entry_id", opt("suspense_entry_id")},
          {"settle_entry_id", opt("settle_entry_id")}};
}

// The open term suspense moves in: the school's current term, unless its accounts are closed.
std::optional<school::Term> SuspenseTerm(db::Conn& c, int64_t sid) {
  auto t = school::CurrentTerm(c, sid);
  if (!t || ledger::TermClosed(c, sid, t->id)) return std::nullopt;
  return t;
}

// match: the exception's money pays `bill_id` (the whole of it, at most the bill's outstanding).
// Returns the payment and its entry (source suspense_match of the exception).
Result<std::pair<int64_t, int64_t>> MatchToBill(db::Conn& c, const Principal& who, int64_t sid, const db::Row& x,
                                                int64_t bill_id) {
  auto b = c.QueryOne(store::kBillToMatch, {sid, bill_id});
  if (!b) return Error::NotFound("账单不存在", "no such bill", "bill_id");
  if (ledger::TermClosed(c, sid, b->Int("term_id")))
    return Error::RuleBroken("账单所在学期决算已批准，账目已冻结，只能退回付款人",
                             "the bill's term is closed: refund the payer instead", "bill_id");
  int64_t outstanding = b->Int("gross_fen") - b->Int("reduction_fen") - b->Int("paid_fen");
  int64_t amount = x.Int("amount_fen");
  if (amount > outstanding)
    return Error::RuleBroken("该笔款项 " + FormatYuan(amount) + " 超过账单待缴 " +
                                 FormatYuan(outstanding < 0 ? 0 : outstanding) + "，不能匹配（多收的款项须退回付款人）",
                             "the amount exceeds the bill's outstanding: refund the payer instead", "bill_id");
  int64_t now = NowMs();
  int64_t pid =
      c.Insert(store::kInsertPayment, {sid, bill_id, x.Text("channel"), x.Text("transaction_id"), amount,
                                       x.Int("received_at"), who.user_id ? db::Value(who.user_id) : db::Null(), now});
  Recompute(c, sid, bill_id, now);
  KEHOU_ASSIGN_OR_RETURN(int64_t entry, PostPayment(c, sid, bill_id, pid, &who, x.Int("id")));
  return std::pair{pid, entry};
}

// The posting of an exception's money into (in) or out of (refund to the payer) suspense.
ledger::Posting SuspensePosting(int64_t sid, int64_t term_id, const db::Row& x, bool in, const Date& day,
                                std::optional<int64_t> by) {
  ledger::Posting p;
  p.school_id = sid;
  p.term_id = term_id;
  p.date = day;
  p.source_type = in ? ledger::kSourceSuspenseIn : ledger::kSourceSuspenseRefund;
  p.source_id = x.Int("id");
  p.source_ref = x.Text("transaction_id");
  p.memo = "异常收款 #" + std::to_string(x.Int("id")) + (in ? " 待查明" : " 退回付款人");
  p.created_by = by;
  int64_t fen = x.Int("amount_fen");
  const char* clearing = ClearingOf(x.Text("channel"));
  if (in) p.lines = {{clearing, fen, 0}, {ledger::kAcctSuspense, 0, fen}};
  else p.lines = {{ledger::kAcctSuspense, fen, 0}, {clearing, 0, fen}};
  return p;
}

}  // namespace

namespace internal {

Status PostExceptionToSuspense(db::Conn& c, int64_t sid, int64_t exception_id) {
  auto x = c.QueryOne(store::kLoadException, {sid, exception_id});
  if (!x || !MoneyTaken(x->Text("reason_code")) || x->Int("amount_fen") <= 0) return Ok();
  auto t = SuspenseTerm(c, sid);
  if (!t) return Ok();  // no open term to hold it: the office settles it by hand (to_note)
  KEHOU_ASSIGN_OR_RETURN(int64_t entry,
                         ledger::Post(c, SuspensePosting(sid, t->id, *x, true, LocalDate(x->Int("received_at")), {})));
  c.Exec(store::kSetSuspenseEntry, {sid, exception_id, entry});
  return Ok();
}

}  // namespace internal

Result<Json> ListExceptions(db::Db& db, const Principal& who, SchoolArg school, const std::string& state, int64_t page,
                            int64_t page_size) {
  if (!state.empty() && state != "open" && state != "resolved")
    return Error::Invalid("状态须为 open 或 resolved", "state must be open or resolved", "state");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (const auto& r : c.Query(store::kListExceptionsFull, {sid, state, page_size, (page - 1) * page_size}))
      items.push_back(ExceptionJson(r));
    auto n = c.QueryOne(store::kCountExceptionsFull, {sid, state});
    return Json{{"items", items},
                {"total", n->Int("n")},
                {"suspense_fen", n->Int("suspense_fen")},
                {"page", page},
                {"page_size", page_size}};
  });
}

Result<Json> ResolveException(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body) {
  BodyReader r(body);
  auto resolution = r.Text("resolution", {.required = true, .max_len = 200, .label = "处理结果"});
  auto action = r.Text("action", {.max_len = 10, .label = "处理方式"});
  auto bill_id = r.Id("bill_id", {.label = "账单"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  std::string kind = action.value_or("");
  if (!kind.empty() && !IsSettleKind(kind))
    return Error::Invalid("处理方式须为 match（匹配账单）、refund（退回付款人）或 note（登记说明）",
                          "action must be match, refund or note", "action");
  if (kind == "match" && !bill_id) return Error::Invalid("匹配账单须指定账单", "match needs bill_id", "bill_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto x = c.QueryOne(store::kLoadException, {sid, id});
    if (!x) return Error::NotFound("异常收款记录不存在", "no such exception", "id");
    if (x->OptInt("resolved_at")) return Error::Conflict("该异常已处理", "the exception is already resolved", "id");
    const bool held = x->OptInt("suspense_entry_id").has_value();
    if (kind.empty()) kind = held ? "" : "note";
    if (held && kind != "match" && kind != "refund")
      return Error::RuleBroken("该笔款项已记入待查明款项，须匹配到账单或退回付款人",
                               "the money is in suspense: match it to a bill or refund the payer", "action");
    if (!held && kind != "note")
      return Error::RuleBroken("该通知未收到款项（" + x->Text("reason") + "），只能登记处理说明",
                               "no money was taken for this callback: record a note", "action");
    std::optional<int64_t> payment, entry;
    if (kind == "match") {
      KEHOU_ASSIGN_OR_RETURN(auto made, MatchToBill(c, who, sid, *x, *bill_id));
      payment = made.first;
      entry = made.second;
    } else if (kind == "refund") {
      auto t = SuspenseTerm(c, sid);
      if (!t) return Error::RuleBroken("当前学期不存在或已决算，不能记账", "no open current term", "action");
      std::optional<int64_t> by = who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
      KEHOU_ASSIGN_OR_RETURN(int64_t e, ledger::Post(c, SuspensePosting(sid, t->id, *x, false, TodayLocal(), by)));
      entry = e;
    }
    Json before = ExceptionJson(*x);
    c.Exec(store::kSettle, {sid, id, NowMs(), who.user_id ? db::Value(who.user_id) : db::Null(), *resolution, kind,
                            db::Opt(payment), db::Opt(entry)});
    Json after = ExceptionJson(*c.QueryOne(store::kLoadException, {sid, id}));
    auth::Audit(c, who, {"resolve", "fee_exception", id, &before, &after, sid});
    return after;
  });
}

}  // namespace kehou::fees
