#include "pickup/internal.h"

#include <sodium.h>

#include "auth/audit.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "school/service.h"

namespace kehou::pickup::internal {

Error ChildNotFound() { return Error::NotFound("学生不存在或无权访问", "no such child", "student_id"); }

bool IsGuardian(const auth::Principal& who) { return who.role == auth::Role::kGuardian; }

Result<int64_t> SchoolForChild(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school,
                               int64_t student_id) {
  if (IsGuardian(who)) {
    if (!who.guardian_id) return ChildNotFound();
    auto [is_guardian, sid] =
        db::FetchAll(c, store::IsGuardianOfFetch(*who.guardian_id, student_id), store::SchoolOfChildFetch(student_id));
    if (!is_guardian || !sid) return ChildNotFound();
    return *sid;
  }
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
  if (!store::ChildOf(c, sid, student_id)) return ChildNotFound();
  return sid;
}

std::map<int64_t, BatchInfo> Batches(db::Conn& c, int64_t school_id) {
  std::map<int64_t, BatchInfo> out;
  for (const auto& b : enroll::BatchesOf(c, school_id, false))
    out[b.id] = {b.id, b.name, b.leave_time, ParseTimeOfDay(b.leave_time).value_or(0)};
  return out;
}

std::map<int64_t, int64_t> BatchOfChildren(db::Conn& c, int64_t school_id, const Date& day) {
  std::map<int64_t, int64_t> out;
  if (auto t = school::CurrentTerm(c, school_id))
    for (const auto& e : enroll::ApprovedOf(c, school_id, t->id, std::nullopt))
      if (e.dismissal_batch_id) out[e.student_id] = *e.dismissal_batch_id;
  for (auto [child, batch] : store::ChosenBatches(c, school_id, FormatDate(day))) out[child] = batch;
  return out;
}

std::optional<int64_t> BatchOfChild(db::Conn& c, int64_t school_id, int64_t student_id, const Date& day) {
  return store::BatchIdOf(c, school_id, student_id, FormatDate(day), FormatDate(TodayLocal()));
}

namespace {

std::optional<std::string> RestrictionOn(const std::vector<store::Restriction>& rs, std::string_view kind, int64_t id) {
  for (const auto& r : rs)
    if (r.adult_kind == kind && r.adult_id == id) return r.reason + (r.document.empty() ? "" : "，" + r.document);
  return std::nullopt;
}

Adult GuardianAdult(const store::Guardian& g, const std::vector<store::Restriction>& rs) {
  Adult a;
  a.kind = AdultKind::kGuardian;
  a.id = g.id;
  a.name = g.name;
  a.relation = g.relation;
  a.auth.kind = AdultKind::kGuardian;
  a.auth.restriction = RestrictionOn(rs, "guardian", g.id);
  a.json = {{"kind", "guardian"}, {"id", g.id}, {"name", g.name}, {"relation", g.relation}};
  return a;
}

Adult ProxyAdult(const store::Proxy& p, const std::vector<store::Restriction>& rs) {
  Adult a;
  a.kind = AdultKind::kProxy;
  a.id = p.id;
  a.name = p.name;
  a.relation = p.relation;
  a.auth.kind = AdultKind::kProxy;
  a.auth.valid_from = ParseDate(p.valid_from);
  a.auth.valid_to = ParseDate(p.valid_to);
  a.auth.revoked = p.revoked;
  a.auth.revoke_reason = p.revoke_reason;
  a.auth.restriction = RestrictionOn(rs, "proxy", p.id);
  a.json = {{"kind", "proxy"},        {"id", p.id},
            {"name", p.name},         {"relation", p.relation},
            {"id_last4", p.id_last4}, {"valid_from", p.valid_from},
            {"valid_to", p.valid_to}, {"has_photo", p.has_photo},
            {"revoked", p.revoked},   {"revoke_reason", p.revoke_reason}};
  if (!p.photo.empty()) a.json["photo"] = p.photo;
  return a;
}

}  // namespace

std::vector<Adult> AdultsOf(db::Conn& c, int64_t school_id, int64_t student_id, bool with_photo) {
  auto rs = store::RestrictionsOf(c, school_id, student_id);
  std::vector<Adult> out;
  for (const auto& g : store::GuardiansOf(c, school_id, student_id)) out.push_back(GuardianAdult(g, rs));
  for (const auto& p : store::ProxiesOf(c, school_id, student_id, with_photo)) out.push_back(ProxyAdult(p, rs));
  return out;
}

Adult AdultOf(db::Conn& c, int64_t school_id, int64_t student_id, AdultKind kind, std::optional<int64_t> id,
              bool with_photo) {
  if (kind == AdultKind::kSelf) {
    Adult a;
    a.kind = AdultKind::kSelf;
    a.name = "学生本人";
    a.relation = "独自离校";
    a.auth.kind = AdultKind::kSelf;
    auto sl = store::SelfLeaveOf(c, school_id, student_id);
    a.auth.self_permission = sl && sl->active;
    a.json = {{"kind", "self"}, {"name", a.name}, {"relation", a.relation}};
    return a;
  }
  const auto rs = store::RestrictionsOf(c, school_id, student_id);
  const auto gs = id && kind == AdultKind::kGuardian ? store::GuardiansOf(c, school_id, student_id)
                                                     : std::vector<store::Guardian>{};
  const auto proxy = id && kind == AdultKind::kProxy ? store::LoadProxy(c, *id, with_photo) : std::nullopt;
  return AdultAmong(school_id, student_id, kind, id, rs, gs, proxy);
}

Adult AdultAmong(int64_t school_id, int64_t student_id, AdultKind kind, std::optional<int64_t> id,
                 const std::vector<store::Restriction>& rs, const std::vector<store::Guardian>& guardians,
                 const std::optional<store::Proxy>& proxy) {
  if (id && kind == AdultKind::kGuardian)
    for (const auto& g : guardians)
      if (g.id == *id) return GuardianAdult(g, rs);
  if (id && kind == AdultKind::kProxy && proxy && proxy->id == *id && proxy->school_id == school_id &&
      proxy->student_id == student_id)
    return ProxyAdult(*proxy, rs);
  Adult stranger;
  stranger.kind = kind;
  stranger.id = id;
  stranger.name = "未登记的成人";
  stranger.auth.kind = kind;
  stranger.auth.linked = false;
  stranger.json = {{"kind", std::string(AdultKindName(kind))}, {"name", stranger.name}};
  return stranger;
}

Json VerdictJson(const Status& s) {
  if (s.ok()) return {{"ok", true}, {"reason_code", nullptr}, {"reason", nullptr}};
  return {{"ok", false}, {"reason_code", s.error().field}, {"reason", s.error().message}};
}

Json ChildJson(const store::Child& ch) {
  return {{"id", ch.id},
          {"name", ch.name},
          {"student_no", ch.student_no},
          {"class_id", ch.class_id},
          {"class_name", ch.class_name}};
}

std::string NewToken() {
  static constexpr char kAlphabet[] = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";  // 32 symbols: 5 bits each
  std::string out;
  for (size_t i = 0; i < kTokenChars; ++i) out.push_back(kAlphabet[randombytes_uniform(32)]);
  return out;
}

store::Card IssueCardIn(db::Conn& c, int64_t school_id, int64_t student_id, std::string_view kind, int64_t adult_id,
                        int64_t now_ms) {
  store::RevokeCards(c, school_id, student_id, std::string(kind), adult_id, now_ms);
  store::Card k;
  k.school_id = school_id;
  k.student_id = student_id;
  k.adult_kind = std::string(kind);
  k.adult_id = adult_id;
  k.token = NewToken();
  k.code = k.token.substr(0, kCodeChars);
  k.id = store::InsertCard(c, k, now_ms);
  return k;
}

Json CardJson(const store::Card& k) {
  return {{"id", k.id}, {"code", k.code}, {"token", k.token}, {"revoked", k.revoked}};
}

std::string MaskMobile(const std::string& m) {
  if (m.size() < 7) return m;
  return m.substr(0, 3) + "****" + m.substr(m.size() - 4);
}

auth::Principal SystemPrincipal() {
  auth::Principal system;
  system.role = auth::Role::kSysAdmin;
  system.scope = auth::Scope::kAll;
  system.display_name = "系统";
  system.login = "system";
  return system;
}

}  // namespace kehou::pickup::internal
