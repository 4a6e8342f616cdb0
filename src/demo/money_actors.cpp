// money_actors.cpp (demo): see money_actors.h.
#include "demo/money_actors.h"

#include "demo/logins.h"

namespace kehou::demo {

Result<MoneyActors> LoadMoneyActors(db::Db& db, int64_t school_id) {
  std::optional<auth::Principal> office, leader, teacher;
  db.Read([&](db::Conn& c) {
    office = DemoLogin(c, school_id, "office", auth::Role::kOfficeDirector);
    leader = DemoLogin(c, school_id, "principal", auth::Role::kPrincipal);
    teacher = DemoLogin(c, school_id, "teacher", auth::Role::kTeacher);
  });
  if (!office || !leader) return Error::Internal("演示学校没有 office/principal 账号", "missing demo logins");
  return MoneyActors{*office, *leader, teacher};
}

Error DemoStepFailed(const std::string& area_zh, const std::string& area_en, const std::string& what, const Error& e) {
  return Error::Make(e.code, "演示" + area_zh + "：" + what + "失败：" + e.message,
                     "demo " + area_en + ": " + what + ": " + e.message, e.field);
}

}  // namespace kehou::demo
