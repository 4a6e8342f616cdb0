// The registration routes: exactly the permission table's "registration" section, and the
// handlers' parse -> service -> answer path, called through the router without a server.
#include "enroll/http.h"

#include <gtest/gtest.h>

#include <set>

#include "access/permissions.h"
#include "db/testing.h"

namespace kehou::enroll {
namespace {

bool IsRegistration(const std::string& pattern) {
  for (const char* p : {"/api/v1/surveys", "/api/v1/dismissal-batches", "/api/v1/agreements", "/api/v1/applications",
                        "/api/v1/exits", "/api/v1/looked-after"})
    if (pattern.rfind(p, 0) == 0) return true;
  return false;
}

TEST(EnrollRoutes, ExactlyTheRegistrationSectionOfThePermissionTable) {
  auto t = db::MakeTestDb("sqlite", /*migrate=*/false);
  http::Router r;
  RegisterRoutes(r, *t.db);  // throws if a route has no permission entry
  std::set<std::string> registered, declared;
  for (const auto& route : r.routes()) registered.insert(route.method + " " + route.pattern);
  for (const auto& p : auth::PermissionTable())
    if (IsRegistration(p.pattern)) declared.insert(p.method + " " + p.pattern);
  EXPECT_EQ(registered, declared);
  EXPECT_FALSE(registered.empty());  // no count to bump: a new route is its declaration (+ openapi)
  for (const auto& p : auth::PermissionTable()) {
    if (!IsRegistration(p.pattern)) continue;
    // Officers see nothing of a family's registration; writes are never the sysadmin's.
    EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kCountyOfficer)) << p.method << " " << p.pattern;
    if (p.method != "GET") {
      EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kSysAdmin)) << p.method << " " << p.pattern;
    }
    // A guardian only ever has their own children.
    auto g = auth::ScopeFor(p, auth::Role::kGuardian);
    if (g) {
      EXPECT_EQ(*g, auth::Scope::kOwnChildren) << p.method << " " << p.pattern;
    }
    // Plain teachers and the working groups have nothing here (deny by default), except batches.
    if (p.pattern != "/api/v1/dismissal-batches") {
      EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kTeacher)) << p.method << " " << p.pattern;
    }
  }
  // Only the principal and vice principal decide the batch.
  const auto* pr = auth::FindPermission("POST", "/api/v1/applications/principal-review");
  ASSERT_NE(pr, nullptr);
  for (auto role : auth::AllRoles())
    EXPECT_EQ(auth::ScopeFor(*pr, role).has_value(),
              role == auth::Role::kPrincipal || role == auth::Role::kVicePrincipal);
}

class EnrollHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb("sqlite");
    t_.db->Write([&](db::Conn& c) {
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '东城区') RETURNING id", {});
      school_ = c.Insert(
          "INSERT INTO schools (area_id, name, level, type, created_at)"
          " VALUES ($1, '实验学校', 'primary', 'public', 0) RETURNING id",
          {area});
      term_ = c.Insert(
          "INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
          " VALUES ($1, '2025秋', '2025-09-01', '2099-01-16', 1) RETURNING id",
          {school_});
    });
    RegisterRoutes(router_, *t_.db);
    me_.user_id = 1;
    me_.display_name = "办公室主任";
    me_.role = auth::Role::kOfficeDirector;
    me_.school_id = school_;
    me_.scope = auth::Scope::kSchool;
  }

  http::Response Call(const std::string& method, const std::string& target, const std::string& body = {}) {
    http::Request req;
    req.method = method;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    if (q != std::string::npos) req.query_string = target.substr(q + 1);
    req.body = body;
    req.user = me_;
    req.headers.push_back({"User-Agent", "test-agent"});
    req.remote = "127.0.0.1";
    const http::Route* route = router_.Match(method, req.path, req.params);
    if (!route) {
      ADD_FAILURE() << "no route for " << method << " " << target;
      return {};
    }
    return route->handler(req);
  }
  static http::Json Body(const http::Response& r) { return http::Json::parse(r.body); }

  db::TestDb t_;
  http::Router router_;
  auth::Principal me_;
  int64_t school_ = 0, term_ = 0;
};

TEST_F(EnrollHttpTest, AgreementsAndSurveysThroughTheHandlers) {
  auto created = Call("POST", "/api/v1/agreements",
                      R"({"term_id":)" + std::to_string(term_) + R"(,"title":"托管协议","body":"正文"})");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(Body(created)["version"], 1);
  auto cur = Call("GET", "/api/v1/agreements/current");
  ASSERT_EQ(cur.status, 200) << cur.body;
  EXPECT_EQ(Body(cur)["body"], "正文");

  auto bad = Call("POST", "/api/v1/surveys",
                  R"({"term_id":)" + std::to_string(term_) +
                      R"(,"title":"征询","grades":[3],)"
                      R"("bands":["evening"],"opens_on":"2025-09-01","closes_on":"2025-09-15"})");
  EXPECT_EQ(bad.status, 422) << bad.body;
  EXPECT_EQ(Body(bad)["error"]["field"], "bands");
  auto ok = Call("POST", "/api/v1/surveys",
                 R"({"term_id":)" + std::to_string(term_) +
                     R"(,"title":"征询","grades":[3],)"
                     R"("opens_on":"2025-09-01","closes_on":"2025-09-15"})");
  ASSERT_EQ(ok.status, 201) << ok.body;
  std::string id = std::to_string(Body(ok)["id"].get<int64_t>());
  auto res = Call("GET", "/api/v1/surveys/" + id + "/results");
  ASSERT_EQ(res.status, 200);
  EXPECT_EQ(Body(res)["total"]["children"], 0);
  auto x = Call("GET", "/api/v1/surveys/" + id + "/export?kind=answers");
  EXPECT_EQ(x.status, 200);
  EXPECT_EQ(x.body.substr(0, 2), "PK");
  EXPECT_EQ(Call("GET", "/api/v1/surveys/" + id + "/export?kind=pdf").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/surveys/999999").status, 404);
  EXPECT_EQ(Call("GET", "/api/v1/applications?status=nonsense").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/applications/roster?date=2025-13-01").status, 400);
  auto roster = Call("GET", "/api/v1/applications/roster?date=2025-09-10");
  ASSERT_EQ(roster.status, 200) << roster.body;
  EXPECT_EQ(Body(roster)["items"].size(), 0u);
  EXPECT_EQ(Call("POST", "/api/v1/exits", "not json").status, 400);
}

}  // namespace
}  // namespace kehou::enroll
