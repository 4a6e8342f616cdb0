// permissions.h: the one declared permission table, endpoint x role -> allowed scope.
// Deny by default: a route with no entry cannot be registered, and a role with no scope on an
// entry gets 403. Services read Principal-independent Scope to narrow what they return.
// Thread-safety: the table is immutable after static initialisation.
#pragma once
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
};

struct Permission {
  std::string method;
  std::string pattern;
  std::vector<Grant> grants;  // empty grants + public=true for public routes
  bool is_public = false;
  bool csrf_exempt = false;   // login (no session yet)
};

const std::vector<Permission>& PermissionTable();
const Permission* FindPermission(std::string_view method, std::string_view pattern);
// The scope a role has on an endpoint, or nullopt (forbidden).
std::optional<Scope> ScopeFor(const Permission& p, Role r);

}  // namespace kehou::auth
