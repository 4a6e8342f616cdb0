// money_actors.h (demo): who acts on the demo school's money in fees.cpp and pay.cpp: the demo
// office director, the principal (for the leadership group) and the demo teacher, as principals of
// the school (the demo's accounts, audited like a school's own), and the wrapping of a failed step.
// Thread-safety: stateless functions (through Db).
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct MoneyActors {
  auth::Principal office, leader;
  std::optional<auth::Principal> teacher;  // the demo teacher, when the school has one
};

// The demo logins office and principal (internal error when one is missing) and teacher.
Result<MoneyActors> LoadMoneyActors(db::Db& db, int64_t school_id);

// The error of a failed step of a money demo: "演示<area_zh>：<what>失败：…" / "demo <area_en>: …".
Error DemoStepFailed(const std::string& area_zh, const std::string& area_en, const std::string& what, const Error& e);

}  // namespace kehou::demo
