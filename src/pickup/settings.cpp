// settings.cpp (pickup): the school's pickup settings — the late-collection escalation minutes
// (pickup_settings; the defaults of rules.h when the school has set none).
#include "auth/audit.h"
#include "core/body.h"
#include "pickup/internal.h"
#include "pickup/service.h"

namespace kehou::pickup {
namespace {

Json RuleJson(const LateRule& r) {
  return {{"late_guardian_minutes", r.guardian}, {"late_office_minutes", r.office}, {"late_leader_minutes", r.leader}};
}

}  // namespace

Result<Json> GetSettings(db::Db& db, const auth::Principal& who, SchoolArg school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json out = RuleJson(store::LateRuleOf(c, sid));
    out["max_minutes"] = kMaxLateMinutes;
    return out;
  });
}

Result<Json> PutSettings(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto guardian = r.Int("late_guardian_minutes", {.min = 1, .max = kMaxLateMinutes, .label = "通知家长"});
  auto office = r.Int("late_office_minutes", {.min = 1, .max = kMaxLateMinutes, .label = "通知班主任和办公室"});
  auto leader = r.Int("late_leader_minutes", {.min = 1, .max = kMaxLateMinutes, .label = "通知校领导"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const LateRule before = store::LateRuleOf(c, sid);
    LateRule rule = before;
    if (guardian) rule.guardian = static_cast<int>(*guardian);
    if (office) rule.office = static_cast<int>(*office);
    if (leader) rule.leader = static_cast<int>(*leader);
    KEHOU_TRY(CheckLateRule(rule));
    store::PutLateRule(c, sid, rule, who.user_id, now_ms);
    Json b = RuleJson(before), a = RuleJson(rule);
    auth::Audit(c, who, {"update", "pickup_settings", sid, &b, &a, sid});
    a["max_minutes"] = kMaxLateMinutes;
    return a;
  });
}

}  // namespace kehou::pickup
