// runs.cpp (pay): the monthly pay run: compute (idempotent per month), approve (freeze), list,
// read, export (service.h).
#include <map>
#include <set>

#include "attendance/service.h"
#include "auth/audit.h"
#include "core/body.h"
#include "pay/internal.h"
#include "pay/service.h"
#include "pay/store.h"
#include "people/xlsx.h"
#include "timetable/service.h"

namespace kehou::pay {

using namespace internal;

namespace {

struct Acc {
  int sessions = 0;
  int64_t minutes = 0;
  std::vector<const attendance::HeldSession*> held;
};

bool UnderContract(const store::Terms& t, const Date& day) {
  if (t.rate_fen <= 0) return false;
  if (t.start && day < *t.start) return false;
  if (t.end && *t.end < day) return false;
  return true;
}

void InsertLines(db::Conn& c, int64_t sid, int64_t run, int64_t staff, std::optional<int64_t> inst, const Acc& a) {
  for (const auto* h : a.held)
    c.Exec(store::kInsertLine, {sid, run, staff, db::Opt(inst), h->section_id, FormatDate(h->day), h->band, h->course,
                                static_cast<int64_t>(h->minutes)});
}

Result<db::Row> RunRow(db::Conn& c, int64_t sid, int64_t id) {
  auto r = c.QueryOne(store::kRunById, {sid, id});
  if (!r) return RunNotFound();
  return *r;
}

Json RunDetail(db::Conn& c, int64_t sid, int64_t id) {
  Json out = RunJson(*RunRow(c, sid, id));
  out["factor_rule_text"] =
      FactorRuleText(ParseFactorRule(out["factor_rule"].get<std::string>()).value_or(FactorRule::kFlat));
  Json slips = Json::array();
  for (auto& r : c.Query(store::kSlipsOfRun, {sid, id})) slips.push_back(SlipJson(c, r, false));
  Json invoices = Json::array();
  for (auto& r : c.Query(store::kInvoicesOfRun, {sid, id}))
    invoices.push_back({{"id", r.Int("id")},
                        {"institution_id", r.Int("institution_id")},
                        {"institution_name", r.Text("institution_name")},
                        {"people", r.Int("people")},
                        {"sessions", r.Int("sessions")},
                        {"minutes", r.Int("minutes")},
                        {"amount_fen", r.Int("amount_fen")}});
  out["slips"] = std::move(slips);
  out["invoices"] = std::move(invoices);
  return out;
}

}  // namespace

Result<int64_t> ComputeRun(db::Conn& c, int64_t sid, const Month& month, std::optional<int64_t> user_id, bool* frozen) {
  const std::string m = month.Text();
  const FactorRule rule = store::LoadRule(c, sid);
  int64_t now = NowMs();
  c.Exec(store::kInsertRun, {sid, m, std::string(FactorRuleName(rule)), db::Opt(user_id), now});
  auto row = c.QueryOne(store::kRunOfMonth, {sid, m});
  int64_t run = row->Int("id");
  if (frozen) *frozen = row->Text("status") == "approved";
  if (row->Text("status") == "approved") return run;
  c.Exec(store::kDeleteLines, {sid, run});
  c.Exec(store::kDeleteSlips, {sid, run});
  c.Exec(store::kDeleteInvoices, {sid, run});

  const auto held = attendance::HeldSessions(c, sid, month.First(), month.Last());
  const auto terms = store::LoadTerms(c, sid);
  const auto scores = store::LoadScores(c, sid, m);
  std::map<int64_t, Acc> people;  // staff id -> sessions (school's own and institutions')
  int unassigned = 0;
  for (const auto& h : held) {
    // Who taught: a substitution the timetable recorded for the session decides (the substitute
    // is paid even when the office took the roll), else who attendance names.
    std::optional<int64_t> teacher = h.teacher_staff_id;
    if (auto sub = timetable::WhoTaught(c, sid, h.section_id, h.day, h.band)) teacher = sub;
    auto t = teacher ? terms.find(*teacher) : terms.end();
    if (t == terms.end() || !UnderContract(t->second, h.day)) {
      ++unassigned;
      continue;
    }
    Acc& a = people[t->first];
    ++a.sessions;
    a.minutes += h.minutes;
    a.held.push_back(&h);
  }
  int64_t slips_fen = 0, invoices_fen = 0;
  struct Inv {
    std::string name;
    int people = 0, sessions = 0;
    int64_t minutes = 0, fen = 0;
  };
  std::map<int64_t, Inv> invoices;
  for (const auto& [staff, a] : people) {
    const auto& t = terms.at(staff);
    InsertLines(c, sid, run, staff, t.institution_id, a);
    if (t.institution_id) {
      Inv& inv = invoices[*t.institution_id];
      inv.name = t.institution_name;
      ++inv.people;
      inv.sessions += a.sessions;
      inv.minutes += a.minutes;
      inv.fen += PayFen(a.minutes, t.rate_fen, kFactorOne);
      continue;
    }
    auto s = scores.find(staff);
    std::optional<int> score = s == scores.end() ? std::nullopt : std::optional<int>(s->second);
    int factor = FactorPermille(rule, score);
    int64_t amount = PayFen(a.minutes, t.rate_fen, factor);
    slips_fen += amount;
    c.Exec(store::kInsertSlip, {sid, run, staff, t.name, static_cast<int64_t>(a.sessions), a.minutes, t.rate_fen,
                                score ? db::Value(static_cast<int64_t>(*score)) : db::Null(),
                                static_cast<int64_t>(factor), PayFen(a.minutes, t.rate_fen, kFactorOne), amount});
  }
  for (const auto& [inst, inv] : invoices) {
    invoices_fen += inv.fen;
    c.Exec(store::kInsertInvoice, {sid, run, inst, inv.name, static_cast<int64_t>(inv.people),
                                   static_cast<int64_t>(inv.sessions), inv.minutes, inv.fen});
  }
  c.Exec(store::kUpdateRunTotals, {sid, run, std::string(FactorRuleName(rule)), slips_fen, invoices_fen,
                                   static_cast<int64_t>(held.size()), static_cast<int64_t>(unassigned), now});
  return run;
}

Status ApproveRunOn(db::Conn& c, int64_t sid, int64_t run_id, int64_t user_id, const std::string& approver) {
  KEHOU_ASSIGN_OR_RETURN(db::Row r, RunRow(c, sid, run_id));
  if (r.Text("status") != "draft")
    return Error::Conflict("该月课酬已审批并冻结", "the pay run is approved and frozen already", "id");
  c.Exec(store::kApproveRun, {sid, run_id, user_id ? db::Value(user_id) : db::Null(), approver, NowMs()});
  return PostRunToLedger(c, sid, run_id);
}

Result<Json> RunMonth(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today) {
  BodyReader r(body);
  auto text = r.Text("month", {.required = true, .max_len = 7, .label = "月份"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto month = ParseMonth(*text);
  if (!month) return Error::Invalid("月份格式应为 YYYY-MM", "month must be YYYY-MM", "month");
  KEHOU_TRY(CheckMonthEnded(*month, today));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    bool frozen = false;
    KEHOU_ASSIGN_OR_RETURN(
        int64_t run, ComputeRun(c, sid, *month, who.user_id ? std::optional(who.user_id) : std::nullopt, &frozen));
    Json out = RunDetail(c, sid, run);
    if (!frozen) {
      Json after{{"month", month->Text()},
                 {"slips_fen", out["slips_fen"]},
                 {"invoices_fen", out["invoices_fen"]},
                 {"sessions", out["sessions"]}};
      auth::Audit(c, who, {"pay_run", "pay_run", run, nullptr, &after, sid});
    }
    out["frozen"] = frozen;
    return out;
  });
}

Result<Json> ApproveRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_TRY(ApproveRunOn(c, sid, id, who.user_id, who.display_name.empty() ? who.login : who.display_name));
    Json out = RunDetail(c, sid, id);
    Json after{{"status", "approved"}, {"slips_fen", out["slips_fen"]}, {"invoices_fen", out["invoices_fen"]}};
    auth::Audit(c, who, {"pay_approve", "pay_run", id, nullptr, &after, sid});
    return out;
  });
}

Result<Json> ListRuns(db::Db& db, const Principal& who, SchoolArg school, int64_t page, int64_t page_size) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = Json::array();
    for (auto& r : c.Query(store::kRunsOfSchool, {sid, page_size, (page - 1) * page_size})) items.push_back(RunJson(r));
    int64_t total = c.QueryOne(store::kRunCount, {sid})->Int("n");
    return Json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

Result<Json> GetRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_TRY(RunRow(c, sid, id));
    return RunDetail(c, sid, id);
  });
}

Result<FileOut> ExportRun(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  KEHOU_ASSIGN_OR_RETURN(Json run, GetRun(db, who, school, id));
  std::vector<std::vector<std::string>> rows;
  for (const auto& s : run["slips"]) {
    rows.push_back({"教师", s["staff_name"], std::to_string(s["sessions"].get<int64_t>()),
                    std::to_string(s["minutes"].get<int64_t>()), Yuan(s["rate_fen"]),
                    s["score"].is_null() ? "" : std::to_string(s["score"].get<int64_t>()),
                    s["factor"].get<std::string>(), Yuan(s["base_fen"]), Yuan(s["amount_fen"])});
  }
  for (const auto& i : run["invoices"]) {
    rows.push_back({"机构", i["institution_name"], std::to_string(i["sessions"].get<int64_t>()),
                    std::to_string(i["minutes"].get<int64_t>()), "", "", "", Yuan(i["amount_fen"]),
                    Yuan(i["amount_fen"])});
  }
  KEHOU_ASSIGN_OR_RETURN(std::string book, people::BuildXlsx("课酬" + run["month"].get<std::string>(),
                                                             {"类型", "姓名/机构", "课次", "分钟", "课时费(元/时)",
                                                              "评价分", "系数", "基础课酬(元)", "应发(元)"},
                                                             rows));
  return FileOut{std::move(book), std::string(people::kXlsxContentType),
                 "课酬-" + run["month"].get<std::string>() + ".xlsx"};
}

}  // namespace kehou::pay
