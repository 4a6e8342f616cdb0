#include "auth/audit.h"

#include "auth/store.h"
#include "core/text.h"
#include "core/time.h"

namespace kehou::auth {
namespace {
std::optional<std::string> JsonOrNull(const nlohmann::json* j) {
  if (!j || j->is_null()) return std::nullopt;
  return j->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<int64_t> UserIdOf(const Principal& who) {
  return who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt;
}
}  // namespace

void Audit(db::Conn& c, const Principal& who, const AuditEntry& e) {
  std::optional<int64_t> school = e.school_id ? e.school_id : who.school_id;
  store::InsertAudit(
      c, store::NewAuditRow{school, UserIdOf(who), who.display_name.empty() ? who.login : who.display_name, NowMs(),
                            std::string(e.action), std::string(e.entity), e.entity_id, JsonOrNull(e.before),
                            JsonOrNull(e.after), who.client, who.request_id});
}

void AuditAnonymous(db::Conn& c, std::string_view login, std::string_view client, const AuditEntry& e) {
  // The login is what a stranger typed: only its first kMaxAuditLoginChars are kept.
  store::InsertAudit(c,
                     store::NewAuditRow{e.school_id, std::nullopt, TruncateUtf8(login, kMaxAuditLoginChars), NowMs(),
                                        std::string(e.action), std::string(e.entity), e.entity_id, JsonOrNull(e.before),
                                        JsonOrNull(e.after), std::string(client), std::string()});
}

void LogListRead(db::Conn& c, const Principal& who, const ListRead& r) {
  std::optional<int64_t> school = r.school_id && *r.school_id > 0 ? r.school_id : who.school_id;
  store::InsertReadLog(
      c, store::NewReadLogRow{school, UserIdOf(who), who.display_name.empty() ? who.login : who.display_name,
                              std::string(RoleName(who.role)), NowMs(), std::string(r.list), r.query, r.rows,
                              r.full_fields, who.client, who.request_id});
}

void LogListRead(db::Db& db, const Principal& who, const ListRead& r) {
  db.Write([&](db::Conn& c) { LogListRead(c, who, r); });
}

Result<int64_t> ResolveSchool(db::Conn& c, const Principal& who, std::optional<int64_t> requested) {
  auto not_found = [] { return MakeError(kNotFound, "学校不存在或无权访问", "no such school", "school_id"); };
  if (IsSchoolRole(who.role)) {
    if (!who.school_id) return not_found();
    if (requested && *requested != *who.school_id) return not_found();
    return *who.school_id;
  }
  if (!requested) {
    return MakeError(kInvalid, "请选择学校（school_id）", "choose a school (school_id)", "school_id");
  }
  if (who.role == Role::kSysAdmin) {
    if (!store::SchoolExists(c, *requested)) return not_found();
    return *requested;
  }
  // Officers: the school's area is theirs or below theirs (a city over its counties).
  if (!store::SchoolInArea(c, *requested, who.area_id)) return not_found();
  return *requested;
}

std::string MaskIdNumber(std::string_view id) {
  if (id.size() < 8) return std::string(id.size(), '*');
  return std::string(id.substr(0, 3)) + std::string(id.size() - 7, '*') + std::string(id.substr(id.size() - 4));
}

std::string MaskMobile(std::string_view m) {
  if (m.size() != 11)
    return m.size() > 4 ? std::string(m.size() - 4, '*') + std::string(m.substr(m.size() - 4)) : std::string(m);
  return std::string(m.substr(0, 3)) + "****" + std::string(m.substr(7));
}

}  // namespace kehou::auth
