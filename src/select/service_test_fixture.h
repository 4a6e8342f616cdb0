// service_test_fixture.h (select, tests only): the fixture of the select service tests
// (service_test.cpp: seats and families; rounds_test.cpp: rounds, allocation, terms, exits): a
// mini school on each database, a course with a section, a round. One class for both files (gtest
// runs the TEST_Ps of both under one INSTANTIATE, in service_test.cpp).
#pragma once
#include <gtest/gtest.h>

#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "select/service.h"

namespace kehou::select {

class SelectService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ClearSeatsCache();
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 60);
  }
  db::Db& db() { return *t_.db; }
  int64_t Course(const char* name, const char* slots, int64_t cap, const char* grades = "3,4") {
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
  int64_t Round(const char* mode = "fcfs", int max_per_child = 2) {
    int64_t now = NowMs();
    auto r = CreateRound(db(), m_.office, std::nullopt,
                         {{"name", "第一轮"},
                          {"mode", mode},
                          {"grades", {3, 4}},
                          {"opens_at", now - 1000},
                          {"closes_at", now + 3600000},
                          {"max_per_child", max_per_child}});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return (*r)["id"];
  }
  int64_t Taken(int64_t section) {
    return db().Read(
        [&](db::Conn& c) { return c.QueryOne("SELECT taken FROM sections WHERE id = $1", {section})->Int(0); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

}  // namespace kehou::select
