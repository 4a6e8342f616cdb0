// money_actors.cpp (demo): see money_actors.h.
#include "demo/money_actors.h"

namespace kehou::demo {

namespace {

std::optional<auth::Principal> Login(db::Conn& c, int64_t school_id, const char* login, auth::Role role) {
  auto u = c.QueryOne("SELECT id, display_name, staff_id FROM users WHERE login = $1 AND school_id = $2",
                      {std::string(login), school_id});
  if (!u) return std::nullopt;
  auth::Principal p;
  p.user_id = u->Int(0);
  p.display_name = u->Text(1);
  p.staff_id = u->OptInt(2);
  p.login = login;
  p.role = role;
  p.school_id = school_id;
  p.scope = auth::Scope::kSchool;
  p.client = "kehou demo";
  return p;
}

}  // namespace

Result<MoneyActors> LoadMoneyActors(db::Db& db, int64_t school_id) {
  std::optional<auth::Principal> office, leader, teacher;
  db.Read([&](db::Conn& c) {
    office = Login(c, school_id, "office", auth::Role::kOfficeDirector);
    leader = Login(c, school_id, "principal", auth::Role::kPrincipal);
    teacher = Login(c, school_id, "teacher", auth::Role::kTeacher);
  });
  if (!office || !leader) return Error::Internal("演示学校没有 office/principal 账号", "missing demo logins");
  return MoneyActors{*office, *leader, teacher};
}

Error DemoStepFailed(const std::string& area_zh, const std::string& area_en, const std::string& what, const Error& e) {
  return Error::Make(e.code, "演示" + area_zh + "：" + what + "失败：" + e.message,
                     "demo " + area_en + ": " + what + ": " + e.message, e.field);
}

}  // namespace kehou::demo
