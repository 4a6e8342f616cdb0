// permissions.h: the one permission table, endpoint x role -> allowed scope.
// Deny by default: a route with no entry cannot be registered, and a role with no scope on an
// entry gets 403. Services read Principal-independent Scope to narrow what they return.
// Rows come from two places: a module declares its routes with their grants beside their
// handlers (http::Router::Get(path, Allow{...}, handler) -> DeclarePermission), and the rows of
// modules not converted yet are listed in permissions.cpp. The named grants are in grants.h.
// Thread-safety: rows are declared at start-up, while the routes are registered and before the
// server runs a request; afterwards the table is read-only and read concurrently.
#pragma once
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"

namespace kehou::auth {

std::string_view ScopeName(Scope s);

// Bit per role, for the table.
using RoleMask = uint32_t;
constexpr RoleMask Bit(Role r) { return RoleMask{1} << static_cast<int>(r); }

struct Grant {
  RoleMask roles;
  Scope scope;
  bool operator==(const Grant&) const = default;
};

struct Permission {
  std::string method;
  std::string pattern;
  std::vector<Grant> grants;  // empty grants + public=true for public routes
  bool is_public = false;
  bool csrf_exempt = false;  // login (no session yet)
};

// Every row: the listed ones, then the declared ones (in declaration order). Rows never move.
const std::deque<Permission>& PermissionTable();
// Adds a module's row (start-up only). Declaring the same row again is a no-op (several routers
// in one test process); the same method and pattern with other grants throws std::logic_error.
void DeclarePermission(Permission p);
const Permission* FindPermission(std::string_view method, std::string_view pattern);
// The scope a role has on an endpoint, or nullopt (forbidden).
std::optional<Scope> ScopeFor(const Permission& p, Role r);

}  // namespace kehou::auth
