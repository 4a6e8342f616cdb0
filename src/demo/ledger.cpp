// ledger.cpp (demo): see ledger.h.
#include "demo/ledger.h"

#include <nlohmann/json.hpp>

#include "access/principal.h"
#include "demo/logins.h"
#include "ledger/service.h"
#include "school/service.h"

namespace kehou::demo {

namespace {

using Json = nlohmann::json;

Error Failed(const std::string& what, const Error& e) {
  return Error::Make(e.code, "演示账务数据：" + what + "失败：" + e.message, "demo ledger: " + what + ": " + e.message,
                     e.field);
}

struct DemoDocument {
  const char* kind;
  int day;  // >= 0: days after the term's start; < 0: days before today (clipped to the term)
  const char* account;
  const char* via;
  int64_t amount_fen;
  const char* invoice_no;
  const char* payee;
  const char* memo;
};

constexpr DemoDocument kDocuments[] = {
    {"income", 10, ledger::kAcctSubsidy, ledger::kAcctBank, 6000000, "青财教〔2026〕45号", "县财政局",
     "课后服务财政补助（第一批）"},
    {"expense", 12, ledger::kAcctMaterials, ledger::kAcctBank, 386000, "No.31520871", "青山文具店",
     "活动材料（美术、科学）"},
    {"expense", -25, ledger::kAcctVenue, ledger::kAcctBank, 125000, "No.31520990", "青山建筑维修队",
     "功能教室照明维修"},
    {"expense", -20, ledger::kAcctInstitutions, ledger::kAcctBank, 960000, "No.44018823", "青少年体育俱乐部",
     "校外机构课程服务费"},
    {"expense", -18, ledger::kAcctTeacherPay, ledger::kAcctBank, 2280000, "补〔2026〕11号", "本校教师",
     "教师课后服务补助（按课时）"},
    {"expense", -2, ledger::kAcctMaterials, ledger::kAcctCash, 45600, "No.31521302", "青山文具店", "手工材料补充"},
};

// The budget of the term by line, in fen.
const std::pair<const char*, int64_t> kBudget[] = {{"fee_income", 90000000},   {"materials_income", 4000000},
                                                   {"subsidy", 12000000},      {"teacher_pay", 60000000},
                                                   {"materials", 4000000},     {"venue", 3000000},
                                                   {"institutions", 20000000}, {"other", 1000000}};

}  // namespace

Result<DemoLedger> CreateDemoLedger(db::Db& db, int64_t school_id) {
  DemoLedger out;
  auto u = db.Read([&](db::Conn& c) { return DemoLogin(c, school_id, "office", auth::Role::kOfficeDirector); });
  if (!u) return Error::Internal("演示学校没有 office 账号", "missing demo login");
  const auth::Principal& office = *u;
  auto term = school::CurrentTerm(db, school_id);
  if (!term) return Error::Internal("演示学校没有当前学期", "the demo school has no current term");
  const Date today = TodayLocal();
  if (today < term->dates.start) return out;  // nothing has happened in the term yet

  Json lines = Json::object();
  for (const auto& [key, fen] : kBudget) lines[key] = fen;
  auto b = ledger::PutBudget(db, office, std::nullopt, {{"term_id", term->id}, {"lines", lines}});
  if (!b.ok()) return Failed("预算", b.error());

  const Date last = term->dates.end < today ? term->dates.end : today;
  for (const auto& d : kDocuments) {
    Date on = d.day >= 0 ? AddDays(term->dates.start, d.day) : AddDays(last, d.day);
    if (last < on) on = last;
    if (on < term->dates.start) on = term->dates.start;
    auto r = ledger::CreateDocument(db, office, std::nullopt,
                                    {{"kind", d.kind},
                                     {"term_id", term->id},
                                     {"doc_date", FormatDate(on)},
                                     {"account", d.account},
                                     {"via", d.via},
                                     {"amount_fen", d.amount_fen},
                                     {"invoice_no", d.invoice_no},
                                     {"payee", d.payee},
                                     {"memo", d.memo}},
                                    today);
    if (!r.ok()) return Failed("收支凭证", r.error());
    ++out.documents;
  }
  // The disclosure of the last month that has ended within the term, else of the current month.
  ledger::Month month = ledger::MonthOf(last);
  ledger::Month prev = month.m == 1 ? ledger::Month{month.y - 1, 12} : ledger::Month{month.y, month.m - 1};
  if (!(ledger::LastDay(prev) < term->dates.start) && ledger::LastDay(month) > last) month = prev;
  auto p = ledger::PublishDisclosure(db, office, std::nullopt,
                                     {{"month", ledger::FormatMonth(month)}, {"term_id", term->id}}, today);
  if (!p.ok()) return Failed("收支公示", p.error());
  ++out.disclosures;
  return out;
}

}  // namespace kehou::demo
