// logins.h (demo): the demo school's accounts as the principals the demo scripts act as. One way
// for every script (attendance, safety, pickup, ...), rather than a copy of the lookup in each.
// Thread-safety: pure (reads through the connection given).
#pragma once
#include <optional>
#include <string>

#include "access/principal.h"
#include "db/db.h"
#include "demo/store.h"

namespace kehou::demo {

// The account `login` of the school acting as `role` with `scope`, or nullopt when the school has
// no such login.
inline std::optional<auth::Principal> DemoLogin(db::Conn& c, int64_t school_id, const char* login, auth::Role role,
                                                auth::Scope scope = auth::Scope::kSchool) {
  auto u = store::UserByLogin(c, school_id, login);
  if (!u) return std::nullopt;
  auth::Principal p;
  p.user_id = u->id;
  p.display_name = u->display_name;
  p.staff_id = u->staff_id;
  p.login = login;
  p.role = role;
  p.school_id = school_id;
  p.scope = scope;
  p.client = "kehou demo";
  return p;
}

}  // namespace kehou::demo
