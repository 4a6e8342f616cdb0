// settings.cpp (pay): the school's factor rule and the teachers' quality scores (service.h).
#include "auth/audit.h"
#include "core/body.h"
#include "pay/internal.h"
#include "pay/service.h"
#include "pay/store.h"

namespace kehou::pay {

namespace {
Json SettingsJson(FactorRule rule) {
  Json rules = Json::array();
  for (auto r : {FactorRule::kFlat, FactorRule::kTiered, FactorRule::kLinear})
    rules.push_back({{"name", FactorRuleName(r)}, {"text", FactorRuleText(r)}});
  return Json{{"factor_rule", FactorRuleName(rule)}, {"factor_rule_text", FactorRuleText(rule)}, {"rules", rules}};
}
}  // namespace

Result<Json> GetSettings(db::Db& db, const Principal& who, SchoolArg school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    return SettingsJson(store::LoadRule(c, sid));
  });
}

Result<Json> PutSettings(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto name = r.Text("factor_rule", {.required = true, .max_len = 10, .label = "绩效系数规则"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto rule = ParseFactorRule(*name);
  if (!rule)
    return Error::Invalid("绩效系数规则须为 flat、tiered 或 linear", "factor_rule must be flat, tiered or linear",
                          "factor_rule");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json before{{"factor_rule", FactorRuleName(store::LoadRule(c, sid))}};
    c.Exec(store::kUpsertRule, {sid, std::string(FactorRuleName(*rule)), NowMs()});
    Json after{{"factor_rule", FactorRuleName(*rule)}};
    auth::Audit(c, who, {"update", "pay_settings", sid, &before, &after, sid});
    return SettingsJson(*rule);
  });
}

Result<Json> PutScore(db::Db& db, const Principal& who, SchoolArg school, const Json& body) {
  BodyReader r(body);
  auto staff = r.Id("staff_id", {.required = true, .label = "教师"});
  auto month = r.Text("month", {.required = true, .max_len = 7, .label = "月份"});
  auto score = r.Int("score", {.required = true, .min = 0, .max = 100, .label = "质量评价分"});
  auto source = r.Text("source", {.max_len = 100, .label = "评价来源"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  auto m = ParseMonth(*month);
  if (!m) return Error::Invalid("月份格式应为 YYYY-MM", "month must be YYYY-MM", "month");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto st = c.QueryOne(store::kStaffOfSchool, {sid, *staff});
    if (!st) return Error::NotFound("教师不存在", "no such staff member", "staff_id");
    c.Exec(store::kUpsertScore, {sid, *staff, m->Text(), *score, source.value_or(""),
                                 who.user_id ? db::Value(who.user_id) : db::Null(), NowMs()});
    Json after{{"staff_id", *staff}, {"month", m->Text()}, {"score", *score}};
    auth::Audit(c, who, {"pay_score", "staff", *staff, nullptr, &after, sid});
    return Json{{"staff_id", *staff}, {"staff_name", st->Text("name")}, {"month", m->Text()}, {"score", *score}};
  });
}

}  // namespace kehou::pay
