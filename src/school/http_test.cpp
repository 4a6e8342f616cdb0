// The school routes: exactly the permission table's "school setup" section, and the handlers'
// parse -> service -> answer path, called through the router without a server.
#include "school/http.h"

#include <gtest/gtest.h>

#include <set>

#include "access/permissions.h"
#include "db/testing.h"
#include "school/service.h"

namespace kehou::school {
namespace {

bool IsSchoolSetup(const std::string& pattern) {
  for (const char* p :
       {"/api/v1/schools", "/api/v1/areas/", "/api/v1/terms", "/api/v1/grades", "/api/v1/classes", "/api/v1/rooms"})
    if (pattern.rfind(p, 0) == 0) return pattern != "/api/v1/classes/:id/students";
  return false;
}

TEST(SchoolRoutes, ExactlyTheSchoolSetupSectionOfThePermissionTable) {
  auto db = db::MakeTestDb("sqlite", /*migrate=*/false);
  http::Router r;
  RegisterRoutes(r, *db.db);  // throws if a route has no permission entry
  std::set<std::string> registered, declared;
  for (const auto& route : r.routes()) registered.insert(route.method + " " + route.pattern);
  for (const auto& p : auth::PermissionTable())
    if (IsSchoolSetup(p.pattern)) declared.insert(p.method + " " + p.pattern);
  EXPECT_EQ(registered, declared);
  EXPECT_FALSE(registered.empty());  // no count to bump: a new route is its declaration (+ openapi)
  // Officers read only: no write grant for them in this section.
  for (const auto& p : auth::PermissionTable()) {
    if (!IsSchoolSetup(p.pattern) || p.method == "GET") continue;
    EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kCountyOfficer)) << p.method << " " << p.pattern;
    EXPECT_FALSE(auth::ScopeFor(p, auth::Role::kCityOfficer)) << p.method << " " << p.pattern;
  }
}

class SchoolHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb("sqlite");
    t_.db->Write([&](db::Conn& c) {
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '东城区') RETURNING id", {});
      school_ = CreateSchool(c, {area, "实验学校", Level::kNineYear, SchoolType::kPublic, ""}).value();
    });
    RegisterRoutes(router_, *t_.db);
    me_.user_id = 1;
    me_.role = auth::Role::kPrincipal;
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
  int64_t school_ = 0;
};

TEST_F(SchoolHttpTest, TermsAndBandsThroughTheHandlers) {
  auto created = Call("POST", "/api/v1/terms",
                      R"({"name":"2025秋","start_date":"2025-09-01","end_date":"2026-01-16","excluded_weekdays":[4]})");
  ASSERT_EQ(created.status, 201) << created.body;
  int64_t term = Body(created)["id"];
  std::string bands_path = "/api/v1/terms/" + std::to_string(term) + "/bands";

  auto bad = Call("PUT", bands_path, R"({"bands":[{"kind":"after_school","start_time":"15:20","end_time":"17:19"}]})");
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(Body(bad)["error"]["field"], "bands[0].end_time");
  EXPECT_NE(Body(bad)["error"]["message"].get<std::string>().find("违反规则"), std::string::npos);

  auto malformed =
      Call("PUT", bands_path, R"({"bands":[{"kind":"after_school","start_time":"3pm","end_time":"17:30"}]})");
  EXPECT_EQ(malformed.status, 400);
  EXPECT_EQ(Body(malformed)["error"]["field"], "bands[0].start_time");

  auto ok = Call("PUT", bands_path, R"({"bands":[{"kind":"after_school","start_time":"15:20","end_time":"17:20"}]})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(Body(ok)["deviations"].size(), 1u);
  EXPECT_EQ(Body(Call("GET", bands_path))["items"].size(), 1u);

  EXPECT_EQ(Call("GET", "/api/v1/terms?school_id=abc").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/terms?school_id=" + std::to_string(school_ + 1)).status, 404);
  EXPECT_EQ(Call("PUT", "/api/v1/terms/" + std::to_string(term), "not json").status, 400);
}

TEST_F(SchoolHttpTest, ClassesRoomsAndSchools) {
  auto grades = Body(Call("GET", "/api/v1/grades"));
  ASSERT_EQ(grades["items"].size(), 9u);
  int64_t g1 = grades["items"][0]["id"];
  auto k = Call("POST", "/api/v1/classes", R"({"grade_id":)" + std::to_string(g1) + R"(,"number":1})");
  ASSERT_EQ(k.status, 201) << k.body;
  EXPECT_EQ(Body(k)["name"], "一年级(1)班");
  EXPECT_EQ(Call("POST", "/api/v1/classes", R"({"grade_id":)" + std::to_string(g1) + R"(,"number":1})").status, 409);
  EXPECT_EQ(Body(Call("GET", "/api/v1/classes?grade_id=" + std::to_string(g1)))["total"], 1);

  auto room = Call("POST", "/api/v1/rooms", R"({"name":"操场","kind":"sports_ground","capacity":500})");
  ASSERT_EQ(room.status, 201) << room.body;
  int64_t rid = Body(room)["id"];
  EXPECT_EQ(Call("PUT", "/api/v1/rooms/" + std::to_string(rid), R"({"capacity":0})").status, 422);
  EXPECT_EQ(Body(Call("DELETE", "/api/v1/rooms/" + std::to_string(rid)))["deleted"], true);

  EXPECT_EQ(Body(Call("GET", "/api/v1/schools"))["items"].size(), 1u);
  auto put = Call("PUT", "/api/v1/schools/" + std::to_string(school_), R"({"address":"人民路1号","type":"private"})");
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(Body(put)["type"], "private");
  EXPECT_EQ(Call("GET", "/api/v1/schools/999").status, 404);
}

}  // namespace
}  // namespace kehou::school
