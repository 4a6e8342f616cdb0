// test_base.h (select, tests only): the base of the select tests' fixtures: a mini school of
// `children` on each database (the test's parameter), a course with one section, a round, and a
// count read back. service_test_fixture.h, seats_test_fixture.h, report_test.cpp and
// verify_test.cpp derive from it.
#pragma once
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "select/service.h"

namespace kehou::select {

class SelectTest : public ::testing::TestWithParam<std::string> {
 protected:
  explicit SelectTest(int children) : children_(children) {}
  void SetUp() override {
    ClearSeatsCache();
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, children_);
  }
  db::Db& db() { return *t_.db; }
  // A course for `grades` meeting in `slots`, approved with its plan (note 31), and one section of
  // it with `cap` seats; the section's id.
  int64_t Section(const char* name, const char* slots, int64_t cap, const char* grades = "3,4") {
    auto c = catalog::CreateCourse(db(), m_.principal, std::nullopt,
                                   testing::Planned({{"name", name},
                                                     {"category", "arts"},
                                                     {"grades", grades},
                                                     {"capacity", 90},
                                                     {"institution", "少年宫"},
                                                     {"slots", slots}}));
    EXPECT_TRUE(c.ok()) << c.error().message;
    auto s = catalog::CreateSection(db(), m_.office, std::nullopt, (*c)["id"], {{"capacity", cap}});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return (*s)["id"];
  }
  // A round for grades 3 and 4, open from a second ago for an hour; `more` adds or replaces fields.
  int64_t Round(const char* mode = "fcfs", int max_per_child = 2,
                const nlohmann::json& more = nlohmann::json::object()) {
    int64_t now = NowMs();
    nlohmann::json body = {{"name", "第一轮"},           {"mode", mode},
                           {"grades", {3, 4}},           {"opens_at", now - 1000},
                           {"closes_at", now + 3600000}, {"max_per_child", max_per_child}};
    body.update(more);
    auto r = CreateRound(db(), m_.office, std::nullopt, body);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return (*r)["id"];
  }
  // The first column of the first row of `sql`.
  int64_t Count(const std::string& sql, db::Params p = {}) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;

 private:
  int children_;
};

}  // namespace kehou::select
