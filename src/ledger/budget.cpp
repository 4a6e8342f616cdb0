// budget.cpp (ledger): the budget per term by line, the actual against it, and the final accounts
// (决算): prepared by the office from the term's last day, approved by the leadership, then frozen
// (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "ledger/internal.h"
#include "ledger/store.h"

namespace kehou::ledger {

using namespace internal;

namespace {

// Budget and actual by line for the term, with totals (the live figures).
Json Figures(db::Conn& c, int64_t sid, int64_t term_id) {
  std::map<std::string, int64_t> budget;
  for (const auto& r : c.Query(store::kBudgets, {sid, term_id})) budget[r.Text("line")] = r.Int("amount_fen");
  auto actual = ByLine(Movements(c, sid, term_id));
  Json lines = Json::array();
  int64_t bi = 0, be = 0, ai = 0, ae = 0;
  for (const auto& l : Lines()) {
    int64_t b = budget.count(l.key) ? budget[l.key] : 0, a = actual[l.key];
    (l.income ? bi : be) += b;
    (l.income ? ai : ae) += a;
    lines.push_back({{"key", l.key},
                     {"name", l.name},
                     {"name_en", l.name_en},
                     {"income", l.income},
                     {"budget_fen", b},
                     {"actual_fen", a},
                     {"variance_fen", a - b}});
  }
  return {{"lines", lines},
          {"totals",
           {{"budget_income_fen", bi},
            {"budget_expense_fen", be},
            {"actual_income_fen", ai},
            {"actual_expense_fen", ae},
            {"budget_surplus_fen", bi - be},
            {"actual_surplus_fen", ai - ae}}}};
}

std::optional<db::Row> FinalOf(db::Conn& c, int64_t sid, int64_t term_id) {
  return c.QueryOne(store::kFinalAccounts, {sid, term_id});
}

Json FinalJson(const std::optional<db::Row>& f) {
  if (!f) return nullptr;
  return {{"status", f->Text("status")},
          {"prepared_at", FormatInstant(f->Int("prepared_at"))},
          {"approver_name", f->Text("approver_name")},
          {"approved_at", !f->OptInt("approved_at") ? Json(nullptr) : Json(FormatInstant(f->Int("approved_at")))},
          {"snapshot", Json::parse(f->Text("snapshot"))}};
}

Result<school::Term> TermOfBody(db::Conn& c, int64_t sid, const Json& body) {
  BodyReader r(body);
  auto term_id = r.Id("term_id", {.label = "学期"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return TermArg(c, sid, term_id);
}

}  // namespace

Result<Json> GetBudget(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
    Json out = Figures(c, sid, t.id);
    out["term"] = TermJson(t);
    out["final"] = FinalJson(FinalOf(c, sid, t.id));
    return out;
  });
}

Result<Json> PutBudget(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto term_id = r.Id("term_id", {.label = "学期"});
  const Json* lines = r.Raw("lines", true, "预算", Json::value_t::object);
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  // One amount per known line; an unknown line is refused by name.
  BodyReader lr(*lines, "lines.");
  std::map<std::string, int64_t> amounts;
  for (const auto& l : Lines())
    if (auto v = lr.Int(l.key, {.min = 0, .max = kMaxLineFen, .label = l.name})) amounts[l.key] = *v;
  KEHOU_TRY(lr.Finish(UnknownFields::kRefuse));
  if (amounts.empty())
    return Error::Invalid("预算须按项目填写金额（分）", "lines must name at least one line", "lines");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermArg(c, sid, term_id));
    if (TermClosed(c, sid, t.id))
      return Error::RuleBroken("该学期决算已批准，预算已冻结", "the term is closed", "term_id");
    Json before = Json::object(), after = Json::object();
    int64_t now = NowMs();
    for (const auto& [key, fen] : amounts) {
      auto old = c.QueryOne(store::kBudgetLine, {sid, t.id, key});
      if (old && old->Int("amount_fen") == fen) continue;
      if (old) {
        before[key] = old->Int("amount_fen");
        c.Exec(store::kUpdateBudgetLine, {sid, t.id, key, fen, UserOf(who), now});
      } else {
        c.Exec(store::kInsertBudgetLine, {sid, t.id, key, fen, UserOf(who), now});
      }
      after[key] = fen;
    }
    if (!after.empty()) auth::Audit(c, who, {"update", "ledger_budget", t.id, &before, &after, sid});
    Json out = Figures(c, sid, t.id);
    out["term"] = TermJson(t);
    out["final"] = FinalJson(FinalOf(c, sid, t.id));
    return out;
  });
}

Result<Json> PrepareFinalAccounts(db::Db& db, const Principal& who, SchoolArg school, const Json& body,
                                  const Date& today) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermOfBody(c, sid, body));
    if (today < t.dates.end)
      return Error::RuleBroken("决算须在学期最后一天（" + FormatDate(t.dates.end) + "）及以后编制",
                               "final accounts are prepared from the term's last day on", "term_id");
    auto f = FinalOf(c, sid, t.id);
    if (f && f->Text("status") == "approved") return Error::Conflict("该学期决算已批准", "already approved", "term_id");
    Json snap = Figures(c, sid, t.id);
    int64_t now = NowMs();
    if (f) c.Exec(store::kUpdatePreparedFinal, {sid, t.id, snap.dump(), UserOf(who), now});
    else c.Exec(store::kInsertPreparedFinal, {sid, t.id, snap.dump(), UserOf(who), now});
    auth::Audit(c, who, {"prepare", "ledger_final_accounts", t.id, nullptr, &snap["totals"], sid});
    return FinalJson(FinalOf(c, sid, t.id));
  });
}

Result<Json> ApproveFinalAccounts(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(school::Term t, TermOfBody(c, sid, body));
    auto f = FinalOf(c, sid, t.id);
    if (!f) return Error::RuleBroken("决算尚未编制", "the final accounts are not prepared", "term_id");
    if (f->Text("status") == "approved") return Error::Conflict("该学期决算已批准", "already approved", "term_id");
    Json snap = Figures(c, sid, t.id);
    c.Exec(store::kApproveFinal, {sid, t.id, snap.dump(), UserOf(who), NameOf(who), NowMs()});
    auth::Audit(c, who, {"approve", "ledger_final_accounts", t.id, nullptr, &snap["totals"], sid});
    return FinalJson(FinalOf(c, sid, t.id));
  });
}

}  // namespace kehou::ledger
