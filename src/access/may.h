// may.h: what a role may do, read from the one permission table and the account rules, for
// GET /auth/me (the console builds its menus, page guards and role choices from the answer instead
// of a copy of the table). Thread-safety: call after start-up, once every route is declared (the
// table is then read-only).
#pragma once
#include <string>
#include <vector>

#include "access/principal.h"

namespace kehou::auth {

// "METHOD /pattern" of every row that grants the role a scope (public rows left out), in table order.
std::vector<std::string> RoutesAllowed(Role r);
// The roles `actor` may give an account: below their own rank; outside the system administrator,
// school roles only (officer accounts are made by the administrator). GrantableRoles lists them in
// AllRoles() order.
bool MayGiveRole(Role actor, Role target);
std::vector<Role> GrantableRoles(Role actor);

}  // namespace kehou::auth
