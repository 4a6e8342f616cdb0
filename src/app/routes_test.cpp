// Every registered route has a permission row (Router::Add enforces it), every permission row
// has a route, and every route is described in docs/openapi.yaml.
#include "app/routes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

#include "access/permissions.h"
#include "db/testing.h"

namespace kehou::app {
namespace {

std::string g_openapi_path;

std::string OpenApiPath(const std::string& pattern) {
  std::string out;
  bool in_param = false;
  for (char c : pattern) {
    if (c == ':') {
      out += '{';
      in_param = true;
      continue;
    }
    if (in_param && c == '/') {
      out += '}';
      in_param = false;
    }
    out += c;
  }
  if (in_param) out += '}';
  return out;
}

// "path method" pairs from a YAML file with paths at 2 spaces and methods at 4.
std::set<std::string> ReadOpenApi(const std::string& file) {
  std::ifstream in(file);
  std::set<std::string> out;
  std::string line, path;
  bool in_paths = false;
  while (std::getline(in, line)) {
    if (line.rfind("paths:", 0) == 0) {
      in_paths = true;
      continue;
    }
    if (!in_paths) continue;
    if (!line.empty() && line[0] != ' ' && line[0] != '#') in_paths = false;
    if (line.rfind("  /", 0) == 0 && line.find(':') != std::string::npos) {
      path = line.substr(2, line.rfind(':') - 2);
      if (path.size() >= 2 && (path.front() == '"' || path.front() == '\'')) path = path.substr(1, path.size() - 2);
    } else if (line.size() > 4 && line.rfind("    ", 0) == 0 && line[4] != ' ') {
      auto m = line.substr(4, line.find(':') - 4);
      for (auto v : {"get", "post", "put", "delete", "patch"})
        if (m == v) out.insert(path + " " + m);
    }
  }
  return out;
}

TEST(Routes, TableAndRoutesAndOpenApiAgree) {
  auto t = db::MakeTestDb("sqlite");
  auth::AuthService auth(*t.db);
  http::Router router;
  RegisterAllRoutes(router, *t.db, auth);
  std::set<std::string> registered;
  for (auto& r : router.routes()) registered.insert(r.method + " " + r.pattern);
  for (auto& p : auth::PermissionTable())
    EXPECT_TRUE(registered.count(p.method + " " + p.pattern))
        << "permission row without a route: " << p.method << " " << p.pattern;
  auto documented = ReadOpenApi(g_openapi_path);
  ASSERT_FALSE(documented.empty()) << "no paths read from " << g_openapi_path;
  for (auto& r : router.routes()) {
    std::string m = r.method;
    for (auto& c : m) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_TRUE(documented.count(OpenApiPath(r.pattern) + " " + m))
        << "not in docs/openapi.yaml: " << r.method << " " << r.pattern;
  }
  // The whole table (listed rows and the rows modules declare with their routes): unique, deny by
  // default, and officers only ever read (as auth_test checks for the listed rows).
  std::set<std::string> seen;
  for (auto& p : auth::PermissionTable()) {
    EXPECT_TRUE(seen.insert(p.method + " " + p.pattern).second) << "duplicate " << p.pattern;
    if (!p.is_public) {
      EXPECT_FALSE(p.grants.empty()) << p.pattern;
    }
    if (p.method == "GET" || p.is_public || auth::ScopeFor(p, auth::Role::kCountyOfficer) == auth::Scope::kSelf)
      continue;
    if (p.pattern.rfind("/api/v1/users", 0) == 0) continue;         // accounts of their area (issue 10)
    if (p.pattern.rfind("/api/v1/institutions", 0) == 0) continue;  // the county's approved list (issue 12)
    EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kCountyOfficer)) << p.method << " " << p.pattern;
    EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kCityOfficer)) << p.method << " " << p.pattern;
  }
  EXPECT_EQ(seen.size(), router.routes().size());                    // every row has its route
  auto* students = auth::FindPermission("GET", "/api/v1/students");  // declared in people/http.cpp
  ASSERT_TRUE(students);
  EXPECT_EQ(auth::ScopeFor(*students, auth::Role::kPrincipal), auth::Scope::kSchool);
  EXPECT_EQ(auth::ScopeFor(*students, auth::Role::kClassTeacher), auth::Scope::kOwnClass);
  EXPECT_FALSE(auth::ScopeFor(*students, auth::Role::kGuardian));
  EXPECT_FALSE(auth::ScopeFor(*students, auth::Role::kCountyOfficer));
  EXPECT_FALSE(auth::ScopeFor(*students, auth::Role::kParentCommittee));
}

}  // namespace
}  // namespace kehou::app

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  if (argc > 1) kehou::app::g_openapi_path = argv[1];
  return RUN_ALL_TESTS();
}
