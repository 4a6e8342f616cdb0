// The permission table. Every route the server registers has exactly one row, declared beside its
// handler (http::Router::Get(path, Allow{...}, handler) -> DeclarePermission); only the health
// check is listed here. app/routes_test.cpp and tests/api walk every route with every role against it.
#include "access/permissions.h"

#include <mutex>
#include <stdexcept>

#include "access/grants.h"
#include "access/may.h"

namespace kehou::auth {
namespace {

Permission Public(std::string m, std::string p, bool csrf_exempt = false) {
  return Permission{std::move(m), std::move(p), {}, true, csrf_exempt};
}

std::vector<Permission> Build() {
  return {
      // The one route outside a module: the server's health check (src/app). Every other route is
      // declared with its handler and grants (src/<module>/http*.cpp: r.Get(path, http::Allow{...},
      // handler)) and adds its row here at start-up (DeclarePermission).
      Public("GET", "/api/v1/health"),
  };
}

}  // namespace

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kPublic: return "public";
    case Scope::kSelf: return "self";
    case Scope::kSchool: return "school";
    case Scope::kGrade: return "grade";
    case Scope::kOwnClass: return "own_class";
    case Scope::kOwnSections: return "own_sections";
    case Scope::kOwnChildren: return "own_children";
    case Scope::kArea: return "area";
    case Scope::kAll: return "all";
  }
  return "?";
}

namespace {
std::deque<Permission>& Table() {
  static std::deque<Permission> table = [] {
    auto rows = Build();
    return std::deque<Permission>(std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
  }();
  return table;
}
std::mutex g_declare_mutex;  // start-up only; readers come after
}  // namespace

const std::deque<Permission>& PermissionTable() { return Table(); }

const Permission* FindPermission(std::string_view method, std::string_view pattern) {
  for (const auto& p : PermissionTable())
    if (p.method == method && p.pattern == pattern) return &p;
  return nullptr;
}

void DeclarePermission(Permission p) {
  std::lock_guard lock(g_declare_mutex);
  if (const Permission* old = FindPermission(p.method, p.pattern)) {
    if (old->grants == p.grants && old->is_public == p.is_public && old->csrf_exempt == p.csrf_exempt) return;
    throw std::logic_error("permission declared twice with other grants: " + p.method + " " + p.pattern);
  }
  if (!p.is_public && p.grants.empty())
    throw std::logic_error("a route with no grant (deny by default: declare it public or grant a role): " + p.method +
                           " " + p.pattern);
  Table().push_back(std::move(p));
}

std::optional<Scope> ScopeFor(const Permission& p, Role r) {
  if (p.is_public) return Scope::kPublic;
  for (const auto& g : p.grants)
    if (g.roles & Bit(r)) return g.scope;
  return std::nullopt;
}

std::vector<std::string> RoutesAllowed(Role r) {
  std::vector<std::string> out;
  for (const auto& p : PermissionTable())
    if (!p.is_public && ScopeFor(p, r)) out.push_back(p.method + " " + p.pattern);
  return out;
}

}  // namespace kehou::auth
