// slips.cpp (pay): JSON of runs and slips, and the slips a teacher reads (service.h).
#include <cstdio>

#include "auth/audit.h"
#include "pay/internal.h"
#include "pay/service.h"
#include "pay/store.h"

namespace kehou::pay {
namespace internal {

Error RunNotFound() { return Error::NotFound("课酬核算不存在", "no such pay run", "id"); }
Error SlipNotFound() { return Error::NotFound("工资条不存在", "no such pay slip", "id"); }

std::string Yuan(int64_t fen) {
  char buf[32];
  const char* sign = fen < 0 ? "-" : "";
  int64_t a = fen < 0 ? -fen : fen;
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign, static_cast<long long>(a / 100),
                static_cast<long long>(a % 100));
  return buf;
}

namespace {
std::string Factor(int64_t permille) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(permille / 1000),
                static_cast<long long>(permille % 1000));
  std::string s = buf;
  while (s.back() == '0' && s[s.size() - 2] != '.') s.pop_back();
  return s;
}
}  // namespace

Json RunJson(const db::Row& r) {
  return Json{{"id", r.Int("id")},
              {"month", r.Text("month")},
              {"status", r.Text("status")},
              {"factor_rule", r.Text("factor_rule")},
              {"slips_fen", r.Int("slips_fen")},
              {"invoices_fen", r.Int("invoices_fen")},
              {"total_fen", r.Int("slips_fen") + r.Int("invoices_fen")},
              {"sessions", r.Int("sessions")},
              {"unassigned", r.Int("unassigned")},
              {"computed_at", r.Int("computed_at")},
              {"approver_name", r.Text("approver_name")},
              {"approved_at", r.OptInt("approved_at") ? Json(*r.OptInt("approved_at")) : Json(nullptr)}};
}

Json SlipJson(db::Conn& c, const db::Row& r, bool lines) {
  auto rule = ParseFactorRule(r.Text("factor_rule")).value_or(FactorRule::kFlat);
  const auto score = r.OptInt("score");
  Json out{{"id", r.Int("id")},
           {"run_id", r.Int("run_id")},
           {"staff_id", r.Int("staff_id")},
           {"staff_name", r.Text("staff_name")},
           {"sessions", r.Int("sessions")},
           {"minutes", r.Int("minutes")},
           {"rate_fen", r.Int("rate_fen")},
           {"score", score ? Json(*score) : Json(nullptr)},
           {"factor_permille", r.Int("factor_permille")},
           {"factor", Factor(r.Int("factor_permille"))},
           {"base_fen", r.Int("base_fen")},
           {"amount_fen", r.Int("amount_fen")},
           {"month", r.Text("month")},
           {"status", r.Text("status")},
           {"factor_rule", FactorRuleName(rule)},
           {"factor_rule_text", FactorRuleText(rule)}};
  if (lines) {
    Json items = Json::array();
    for (auto& l : c.Query(store::kLinesOf, {r.Int("school_id"), r.Int("run_id"), r.Int("staff_id")}))
      items.push_back({{"day", l.Text("day")},
                       {"band", l.Text("band")},
                       {"course", l.Text("course")},
                       {"minutes", l.Int("minutes")}});
    out["lines"] = std::move(items);
  }
  return out;
}

}  // namespace internal

using namespace internal;

namespace {
bool OwnOnly(const Principal& who) { return who.scope == auth::Scope::kSelf; }
}  // namespace

Result<Json> MySlips(db::Db& db, const Principal& who) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    Json items = Json::array();
    if (who.staff_id && who.school_id) {
      for (auto& r : c.Query(store::kApprovedSlipsOfStaff, {*who.school_id, *who.staff_id}))
        items.push_back(SlipJson(c, r, false));
    }
    return Json{{"items", items}};
  });
}

Result<Json> GetSlip(db::Db& db, const Principal& who, SchoolArg school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    if (OwnOnly(who)) {
      // A teacher: their own slip of an approved run; anything else is not found.
      if (!who.staff_id || !who.school_id) return SlipNotFound();
      auto r = c.QueryOne(store::kOwnApprovedSlip, {id, *who.school_id, *who.staff_id});
      if (!r) return SlipNotFound();
      return SlipJson(c, *r, true);
    }
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto r = c.QueryOne(store::kSlipById, {id, sid});
    if (!r) return SlipNotFound();
    return SlipJson(c, *r, true);
  });
}

}  // namespace kehou::pay
