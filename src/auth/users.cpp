// users.cpp (auth): the accounts a school or county manages — list, create, update, reset — and
// the rules on who may reach whom (ranks), plus the command line's direct account commands.
#include <sodium.h>

#include <algorithm>
#include <map>
#include <vector>

#include "access/may.h"
#include "auth/audit.h"
#include "auth/service.h"
#include "auth/store.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"

namespace kehou::auth {

using nlohmann::json;

namespace {

Error AccountNotFound() { return Error::NotFound("账号不存在", "no such account"); }

bool MayGrant(const Principal& who, Role target) { return MayGiveRole(who.role, target); }

Error OutranksYou() {
  return MakeError(kForbidden, "该账号的级别不低于您，只能由上级管理（校长账号由县区教育局或系统管理员管理）",
                   "this account is of your rank or above: only a higher rank manages it");
}

// Whether `who` reaches the account in `row`: its school (own school; officers:
// a school of their area) or, for officer accounts, an area under theirs. not_found otherwise,
// as for any id out of scope. A guardian account whose children go to schools outside that reach
// (a family in two schools) is managed only by the county or above: one school may not reset the
// password of a parent who also sees another school's child.
Status ReachAccount(db::Conn& c, const Principal& who, const store::UserRow& row) {
  if (who.role == Role::kSysAdmin) return Ok();
  auto school = row.school_id;
  auto area = row.area_id;
  if (IsSchoolRole(who.role)) {
    if (!school || school != who.school_id) return AccountNotFound();
  } else if (school) {
    if (!ResolveSchool(c, who, *school).ok()) return AccountNotFound();
  } else if (!area || !store::AreaUnder(c, *area, who.area_id)) {
    return AccountNotFound();
  }
  if (auto gid = row.guardian_id)
    for (int64_t s : store::GuardianSchools(c, *gid)) {
      bool reached = IsSchoolRole(who.role) ? who.school_id == s : ResolveSchool(c, who, s).ok();
      if (!reached)
        return MakeError(
            kForbidden,
            "该家长的孩子在多所学校就读，学校不能管理其账号或重置其密码：请为家长打印一次性重置码由本人重置，或由县区教"
            "育局处理",
            "this guardian has children in other schools: only the guardian (one-time code) or the county may do this");
    }
  return Ok();
}

// A notice to the affected user, in the same transaction as the change (GET /auth/me shows it).
void Notify(db::Conn& c, const Principal& who, int64_t user_id, std::optional<int64_t> school, std::string_view kind,
            const std::string& message) {
  std::string by = std::string(RoleLabelZh(who.role)) + " " + (who.display_name.empty() ? who.login : who.display_name);
  store::InsertNotice(c, store::NewNotice{user_id, school, NowMs(), std::string(kind), by + message,
                                          who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt, by});
}

std::string RoleZh(const json& role_name) {
  auto r = ParseRole(role_name.get<std::string>());
  return r ? std::string(RoleLabelZh(*r)) : role_name.get<std::string>();
}

json UserJson(const store::UserRow& r) {
  auto role = ParseRole(r.role);
  return json{{"id", r.id},
              {"login", r.login},
              {"display_name", r.display_name},
              {"role", r.role},
              {"role_label", role ? std::string(RoleLabelZh(*role)) : r.role},
              {"school_id", r.school_id ? json(*r.school_id) : json(nullptr)},
              {"area_id", r.area_id ? json(*r.area_id) : json(nullptr)},
              {"staff_id", r.staff_id ? json(*r.staff_id) : json(nullptr)},
              {"disabled", r.disabled},
              {"must_change_password", r.must_change_password},
              {"created_at", r.created_at}};
}

}  // namespace

Result<json> AuthService::ListUsers(const Principal& who, std::optional<int64_t> school_id, std::string_view q,
                                    std::string_view role, int64_t page, int64_t page_size) {
  return db_.Read([&](db::Conn& c) -> Result<json> {
    store::UserFilter filter{std::nullopt, std::string(q), std::string(role)};
    if (who.role != Role::kSysAdmin || school_id) {
      auto sid = ResolveSchool(c, who, school_id);
      if (!sid.ok()) return sid.error();
      filter.school_id = sid.value();
    }
    int64_t total = store::CountUsers(c, filter);
    json items = json::array();
    for (auto& r : store::UsersPage(c, filter, page_size, (page - 1) * page_size)) items.push_back(UserJson(r));
    // 最近登录: the latest 'login' audit row of each listed account (one grouped query per page;
    // users has no last_login_at column, the audit log is the record of sign-ins).
    if (!items.empty()) {
      std::vector<int64_t> ids;
      for (auto& u : items) ids.push_back(u["id"].get<int64_t>());
      std::map<int64_t, int64_t> last = store::LastLogins(c, ids);
      for (auto& u : items) {
        auto it = last.find(u["id"].get<int64_t>());
        u["last_login_at"] = it == last.end() ? json(nullptr) : json(FormatInstant(it->second));
      }
    }
    return json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

Result<json> AuthService::CreateUser(const Principal& who, const json& body, std::optional<int64_t> school_id) {
  BodyReader in(body);
  std::string login = in.Text("login", {.label = "登录名"}).value_or("");
  std::string name = in.Text("display_name", {.max_len = kMaxDisplayNameChars, .label = "姓名"}).value_or("");
  std::string role_s = in.Text("role", {.label = "角色"}).value_or("");
  std::string password = in.Text("password", {.trim = false, .label = "密码"}).value_or("");
  auto body_school = in.Id("school_id", {.label = "学校"});
  auto body_area = in.Id("area_id", {.label = "所属县区/市"});
  auto body_staff = in.Id("staff_id", {.label = "教职工"});
  KEHOU_TRY(in.Finish());
  if (login.empty() || Utf8Length(login) > kMaxLoginChars)
    return MakeError(kInvalid, "请填写登录名（不超过 64 个字符）", "login is required", "login");
  if (name.empty()) return MakeError(kInvalid, "请填写姓名", "display name is required", "display_name");
  auto role = ParseRole(role_s);
  if (!role) return MakeError(kInvalid, "角色无效", "unknown role", "role");
  if (!MayGrant(who, *role))
    return MakeError(kForbidden, "无权创建该角色的账号（只能授予低于本人级别的角色）", "you may not create this role",
                     "role");
  bool temporary = password.empty();
  if (temporary) password = TemporaryPassword();
  else if (auto s = CheckPasswordStrength(password, "password", login); !s.ok()) return s.error();
  std::string hash = HashPassword(password);
  return db_.Write([&](db::Conn& c) -> Result<json> {
    std::optional<int64_t> sid, aid;
    if (IsSchoolRole(*role)) {
      auto r = ResolveSchool(c, who, school_id ? school_id : body_school);
      if (!r.ok()) return r.error();
      sid = r.value();
    } else if (IsAreaRole(*role)) {
      if (!body_area) return MakeError(kInvalid, "请选择所属县区/市", "area_id is required", "area_id");
      aid = body_area;
      if (!store::AreaExists(c, *aid)) return MakeError(kNotFound, "区域不存在", "no such area", "area_id");
    }
    std::optional<int64_t> staff_id;
    if (body_staff) {
      staff_id = body_staff;
      if (!store::StaffInSchool(c, *staff_id, sid))
        return MakeError(kNotFound, "教职工不存在", "no such staff", "staff_id");
    }
    if (store::LoginTaken(c, login)) return MakeError(kConflict, "登录名已被使用", "login already taken", "login");
    int64_t now = NowMs();
    // A password set by an administrator is changed at first login.
    int64_t id = store::InsertUser(
        c, store::NewUser{login, hash, name, std::string(RoleName(*role)), sid, aid, staff_id, true, now});
    json after = {{"login", login}, {"display_name", name}, {"role", role_s}};
    Audit(c, who, AuditEntry{"create", "user", id, nullptr, &after, sid});
    Notify(c, who, id, sid, "created",
           " 为您创建了账号（角色：" + std::string(RoleLabelZh(*role)) + "），首次登录须修改密码");
    json out = UserJson(*store::UserById(c, id));
    if (temporary) out["temporary_password"] = password;
    return out;
  });
}

Result<json> AuthService::UpdateUser(const Principal& who, int64_t id, const json& body) {
  auto result = db_.Write([&](db::Conn& c) -> Result<json> {
    auto row = store::UserById(c, id);
    if (!row) return AccountNotFound();
    const bool self = id == who.user_id;
    const Role current = ParseRole(row->role).value_or(Role::kGuardian);
    if (!self) {
      if (auto s = ReachAccount(c, who, *row); !s.ok()) return s.error();
      if (!MayManageAccount(who.role, current)) return OutranksYou();
    }
    json before = UserJson(*row), after = before;
    BodyReader in(body);
    auto name_in = in.Text("display_name", {.max_len = kMaxDisplayNameChars, .label = "姓名"});
    auto role_in = in.Text("role", {.label = "角色"});
    auto disabled_in = in.Bool("disabled", {.label = "停用"});
    for (const char* k : {"display_name", "role", "disabled"})
      if (in.IsNull(k)) in.Fail(k, std::string("字段 ") + k + " 不能为空", "must not be null");
    KEHOU_TRY(in.Finish());
    if (name_in) {
      std::string n = *name_in;
      if (n.empty()) return MakeError(kInvalid, "请填写姓名", "display name is required", "display_name");
      after["display_name"] = n;
    }
    if (role_in) {
      auto role = ParseRole(*role_in);
      if (!role) return MakeError(kInvalid, "角色无效", "unknown role", "role");
      if (self && *role != current)
        return MakeError(kForbidden, "不能修改自己的角色", "you cannot change your own role", "role");
      if (!self && *role != current && (!MayGrant(who, *role) || (IsSchoolRole(*role) != row->school_id.has_value())))
        return MakeError(kForbidden, "无权设置该角色（只能授予低于本人级别的角色）", "you may not set this role",
                         "role");
      after["role"] = std::string(RoleName(*role));
    }
    if (disabled_in) {
      if (self && *disabled_in)
        return MakeError(kInvalid, "不能停用自己的账号", "you cannot disable yourself", "disabled");
      after["disabled"] = *disabled_in;
    }
    store::UpdateUser(c, id, after["display_name"].get<std::string>(), after["role"].get<std::string>(),
                      after["disabled"].get<bool>(), NowMs());
    if (after["disabled"].get<bool>()) store::EndSessionsOf(c, id);
    json b = json::object(), a = json::object();
    for (auto& k : {"display_name", "role", "disabled"})
      if (before[k] != after[k]) {
        b[k] = before[k];
        a[k] = after[k];
      }
    Audit(c, who, AuditEntry{"update", "user", id, &b, &a, row->school_id});
    if (!self) {
      auto school = row->school_id;
      if (a.contains("role"))
        Notify(c, who, id, school, "role_changed",
               " 将您的角色由「" + RoleZh(b["role"]) + "」改为「" + RoleZh(a["role"]) + "」");
      if (a.contains("disabled"))
        Notify(c, who, id, school, a["disabled"].get<bool>() ? "disabled" : "enabled",
               a["disabled"].get<bool>() ? " 停用了您的账号" : " 重新启用了您的账号");
      if (a.contains("display_name"))
        Notify(c, who, id, school, "renamed", " 将您的姓名改为「" + a["display_name"].get<std::string>() + "」");
    }
    after["role_label"] = std::string(RoleLabelZh(*ParseRole(after["role"].get<std::string>())));
    return after;
  });
  EvictUser(id);
  return result;
}

Result<json> AuthService::ResetPassword(const Principal& who, int64_t id) {
  std::string temp = TemporaryPassword();
  std::string hash = HashPassword(temp);
  auto r = db_.Write([&](db::Conn& c) -> Result<json> {
    auto row = store::UserById(c, id);
    if (!row) return AccountNotFound();
    if (auto s = ReachAccount(c, who, *row); !s.ok()) return s.error();
    if (!MayManageAccount(who.role, ParseRole(row->role).value_or(Role::kGuardian)) || id == who.user_id)
      return OutranksYou();
    auto school = row->school_id;
    store::SetTemporaryPassword(c, id, hash, NowMs());
    store::EndSessionsOf(c, id);
    Audit(c, who, AuditEntry{"reset_password", "user", id, nullptr, nullptr, school});
    Notify(c, who, id, school, "password_reset", " 重置了您的密码；如非本人申请，请立即联系学校或教育局");
    return json{{"temporary_password", temp}};
  });
  EvictUser(id);
  return r;
}

Result<json> AuthService::IssueResetCode(const Principal& who, int64_t id) {
  std::string code;
  for (int i = 0; i < kResetCodeDigits; ++i) code.push_back(static_cast<char>('0' + randombytes_uniform(10)));
  return db_.Write([&](db::Conn& c) -> Result<json> {
    auto row = store::UserById(c, id);
    if (!row) return AccountNotFound();
    if (row->role != RoleName(Role::kGuardian) || !row->guardian_id)
      return MakeError(kRuleBroken, "一次性重置码只用于家长账号；教职工账号请直接重置密码",
                       "reset codes are for guardian accounts only");
    // Reach: the account's school, or a school where one of the guardian's children is.
    bool reached = who.role == Role::kSysAdmin;
    std::vector<int64_t> schools;
    if (auto s = row->school_id) schools.push_back(*s);
    for (int64_t s : store::GuardianSchools(c, *row->guardian_id)) schools.push_back(s);
    for (int64_t s : schools)
      reached = reached || (IsSchoolRole(who.role) ? who.school_id == s : ResolveSchool(c, who, s).ok());
    if (!reached) return AccountNotFound();
    int64_t now = NowMs();
    store::EndResetCodes(c, id, now);  // older codes end
    store::InsertResetCode(
        c, store::NewResetCode{id, TokenHash(code), now, now + kResetCodeMs,
                               who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt, who.school_id});
    Audit(c, who, AuditEntry{"issue_reset_code", "user", id, nullptr, nullptr, row->school_id});
    Notify(c, who, id, row->school_id, "reset_code",
           " 为您打印了一次性密码重置码（24 小时内有效，只能用一次）；如非本人申请，请联系学校");
    return json{
        {"code", code}, {"expires_at", now + kResetCodeMs}, {"expires_at_text", FormatInstant(now + kResetCodeMs)}};
  });
}

Result<int64_t> AuthService::CreateUserDirect(const std::string& login, const std::string& display_name, Role role,
                                              std::optional<int64_t> school_id, std::optional<int64_t> area_id,
                                              const std::string& password, bool must_change) {
  if (auto s = CheckPasswordStrength(password, "password", login); !s.ok()) return s.error();
  if (IsSchoolRole(role) && !school_id)
    return MakeError(kInvalid, "学校角色需要指定学校", "a school role needs --school", "school_id");
  if (IsAreaRole(role) && !area_id)
    return MakeError(kInvalid, "教育局角色需要指定区域", "an officer role needs --area", "area_id");
  std::string hash = HashPassword(password);
  return db_.Write([&](db::Conn& c) -> Result<int64_t> {
    if (store::LoginTaken(c, login)) return MakeError(kConflict, "登录名已被使用", "login already taken", "login");
    int64_t now = NowMs();
    int64_t id = store::InsertUserDirect(c, store::NewUser{login, hash, display_name, std::string(RoleName(role)),
                                                           school_id, area_id, std::nullopt, must_change, now});
    Principal cli;
    cli.login = "cli";
    cli.display_name = "命令行";
    json after = {{"login", login}, {"role", std::string(RoleName(role))}};
    Audit(c, cli, AuditEntry{"create", "user", id, nullptr, &after, school_id});
    return id;
  });
}

Result<std::string> AuthService::ResetPasswordDirect(const std::string& login) {
  std::string temp = TemporaryPassword();
  std::string hash = HashPassword(temp);
  return db_.Write([&](db::Conn& c) -> Result<std::string> {
    auto row = store::AccountByLogin(c, login);
    if (!row) return AccountNotFound();
    store::SetTemporaryPassword(c, row->id, hash, NowMs());
    store::EndSessionsOf(c, row->id);
    Principal cli;
    cli.login = "cli";
    cli.display_name = "命令行";
    Audit(c, cli, AuditEntry{"reset_password", "user", row->id, nullptr, nullptr, row->school_id});
    return temp;
  });
}

Status AuthService::SetDisabledDirect(const std::string& login, bool disabled) {
  return db_.Write([&](db::Conn& c) -> Status {
    auto row = store::AccountByLogin(c, login);
    if (!row) return AccountNotFound();
    store::SetDisabled(c, row->id, disabled, NowMs());
    if (disabled) store::EndSessionsOf(c, row->id);
    Principal cli;
    cli.login = "cli";
    cli.display_name = "命令行";
    json after = {{"disabled", disabled}};
    Audit(c, cli, AuditEntry{"update", "user", row->id, nullptr, &after, row->school_id});
    return Ok();
  });
}
}  // namespace kehou::auth
