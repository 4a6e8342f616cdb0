// The people routes: registered exactly as the permission table lists them, and the handlers
// answer the shapes of docs/api-contract.md (called directly, no server).
#include "people/http.h"

#include <gtest/gtest.h>

#include <set>

#include "access/permissions.h"
#include "core/time.h"
#include "db/testing.h"
#include "testkit/xlsx_read.h"

namespace kehou::people {
namespace {

const std::set<std::string> kPeoplePatterns = {"/api/v1/students",
                                               "/api/v1/students/:id",
                                               "/api/v1/classes/:id/students",
                                               "/api/v1/guardians",
                                               "/api/v1/staff",
                                               "/api/v1/staff/:id",
                                               "/api/v1/imports/:kind/template",
                                               "/api/v1/imports/:kind/preview",
                                               "/api/v1/imports/:kind",
                                               "/api/v1/exports/:list",
                                               "/api/v1/me/children"};

TEST(PeopleRoutes, ExactlyThePeopleSectionOfThePermissionTable) {
  auto t = db::MakeTestDb("sqlite");
  http::Router r;
  RegisterRoutes(r, *t.db);
  std::set<std::string> registered;
  for (const auto& route : r.routes()) registered.insert(route.method + " " + route.pattern);
  std::set<std::string> expected;
  for (const auto& p : auth::PermissionTable())
    if (kPeoplePatterns.count(p.pattern)) expected.insert(p.method + " " + p.pattern);
  EXPECT_EQ(registered, expected);
  for (const auto& route : r.routes()) {
    if (route.pattern.rfind("/api/v1/imports/:kind", 0) == 0 && route.method == "POST") {
      EXPECT_EQ(route.options.max_body, http::kImportBodyLimit) << route.pattern;
    }
  }
}

class PeopleHttp : public ::testing::Test {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb("sqlite");
    t_.db->Write([&](db::Conn& c) {
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '县') RETURNING id", {});
      school_ = c.Insert(
          "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, '小学', 'primary',"
          " 'public', $2) RETURNING id",
          {area, NowMs()});
      int64_t g =
          c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, 3, '三年级') RETURNING id", {school_});
      class_ = c.Insert(
          "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '三年级(1)班', 1)"
          " RETURNING id",
          {school_, g});
    });
    RegisterRoutes(router_, *t_.db);
  }

  http::Response Call(const std::string& method, const std::string& path, const std::string& body = "",
                      const std::string& query = "") {
    http::Request req;
    req.method = method;
    req.path = path;
    req.query_string = query;
    req.body = body;
    auth::Principal p;
    p.role = auth::Role::kPrincipal;
    p.scope = auth::Scope::kSchool;
    p.school_id = school_;
    p.display_name = "校长";
    req.user = p;
    const http::Route* route = router_.Match(method, path, req.params);
    EXPECT_NE(route, nullptr) << method << " " << path;
    if (!route) return {};
    return route->handler(req);
  }

  db::TestDb t_;
  http::Router router_;
  int64_t school_ = 0, class_ = 0;
};

TEST_F(PeopleHttp, ImportAnswers422WithRowsThen200) {
  std::string header = "学号,姓名,性别,年级,班级,监护人姓名,监护人手机\r\n";
  nlohmann::json bad = {{"csv", header + "S1,王一,男,3,1,王父,13800000001\r\nS2,王二,男,3,7,王父,13800000001\r\n"}};
  auto preview = Call("POST", "/api/v1/imports/students/preview", bad.dump());
  EXPECT_EQ(preview.status, 200);
  auto pj = nlohmann::json::parse(preview.body);
  EXPECT_EQ(pj["ok"], false);
  EXPECT_EQ(pj["errors"][0]["row"], 3);

  auto r = Call("POST", "/api/v1/imports/students", bad.dump());
  EXPECT_EQ(r.status, 422);
  auto j = nlohmann::json::parse(r.body);
  EXPECT_EQ(j["error"]["code"], "rule_broken");
  EXPECT_EQ(j["errors"][0]["column"], "班级");

  nlohmann::json rows = {{"rows",
                          {{{"学号", "S1"},
                            {"姓名", "王一"},
                            {"性别", "男"},
                            {"年级", 3},
                            {"班级", 1},
                            {"监护人姓名", "王父"},
                            {"监护人手机", "13800000001"}}}}};
  auto ok = Call("POST", "/api/v1/imports/students", rows.dump());
  EXPECT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(nlohmann::json::parse(ok.body)["created"], 1);

  auto list = Call("GET", "/api/v1/students", "", "q=%E7%8E%8B&page=1&page_size=10");  // q=王
  ASSERT_EQ(list.status, 200) << list.body;
  auto lj = nlohmann::json::parse(list.body);
  EXPECT_EQ(lj["total"], 1);
  EXPECT_EQ(lj["page_size"], 10);

  auto cls = Call("GET", "/api/v1/classes/" + std::to_string(class_) + "/students");
  ASSERT_EQ(cls.status, 200);
  EXPECT_EQ(nlohmann::json::parse(cls.body)["items"].size(), 1u);
}

TEST_F(PeopleHttp, FilesAndErrors) {
  auto csv = Call("GET", "/api/v1/imports/students/template", "", "format=csv");
  EXPECT_EQ(csv.status, 200);
  EXPECT_NE(csv.content_type.find("text/csv"), std::string::npos);
  auto xlsx = Call("GET", "/api/v1/exports/students");
  EXPECT_EQ(xlsx.status, 200);
  EXPECT_NE(xlsx.content_type.find("spreadsheetml"), std::string::npos);
  auto book = testkit::ReadXlsx(xlsx.body);
  ASSERT_TRUE(book.ok()) << book.error;
  EXPECT_EQ(book.sheets[0].Cell(0, 0), "学号");
  EXPECT_EQ(Call("GET", "/api/v1/exports/nothing").status, 404);
  auto audit = Call("GET", "/api/v1/exports/audit");  // the principal exports the audit log
  EXPECT_EQ(audit.status, 200);
  auto log = testkit::ReadXlsx(audit.body);
  ASSERT_TRUE(log.ok()) << log.error;
  EXPECT_EQ(log.sheets[0].Cell(0, 2), "操作");
  EXPECT_EQ(Call("GET", "/api/v1/students", "", "class_id=abc").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/students/999").status, 404);
  EXPECT_EQ(Call("POST", "/api/v1/students", "{\"name\":\"x\"}").status, 400);
  EXPECT_EQ(Call("GET", "/api/v1/me/children").status, 200);
}

}  // namespace
}  // namespace kehou::people
