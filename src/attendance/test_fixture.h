// test_fixture.h (attendance, tests only): the mini school with one after-school section of three
// children on a Wednesday two days ahead, a teacher and another staff member; shared by the tests of
// the store and of the roll save (store_test.cpp, roll_save_test.cpp), each deriving its own suite.
#pragma once
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "attendance/service.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::attendance {

class AttendanceFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    // The session day: the first Wednesday at least two days ahead (inside the mini term).
    day_ = testing::SessionWednesday();
    db().Write([&](db::Conn& c) {
      section_ = testing::AddGoSection(c, m_, "3:after_school,5:after_school");
      c.Exec("UPDATE classes SET class_teacher_id = $1 WHERE id = $2", {m_.staff_id, m_.class3});
      other_staff_ = testing::AddStaff(c, m_, "李老师", "13900000002");
    });
    teacher_ = Teacher(m_.staff_id);
  }
  auth::Principal Teacher(int64_t staff) const {
    auth::Principal p;
    p.user_id = 77;
    p.login = "t";
    p.role = auth::Role::kTeacher;
    p.school_id = m_.school_id;
    p.staff_id = staff;
    p.scope = auth::Scope::kOwnSections;
    return p;
  }
  db::Db& db() { return *t_.db; }
  int64_t At(int minutes) const { return LocalInstant(day_, minutes); }
  Json Roll(const std::vector<std::string>& statuses) const {
    Json marks = Json::array();
    for (size_t i = 0; i < statuses.size(); ++i)
      marks.push_back({{"student_id", m_.students[i]}, {"status", statuses[i]}});
    return {{"date", FormatDate(day_)}, {"marks", marks}};
  }
  // The roster line of students[i] (rosters are by class, then student number).
  Json Line(const Json& roster, size_t i) const {
    for (const auto& it : roster["items"])
      if (it["student_id"] == m_.students[i]) return it;
    return Json();
  }
  int64_t Count(const std::string& sql) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  Date day_;
  int64_t section_ = 0, other_staff_ = 0;
  auth::Principal teacher_;
};

}  // namespace kehou::attendance
