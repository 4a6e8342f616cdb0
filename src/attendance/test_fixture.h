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
    day_ = AddDays(TodayLocal(), 2);
    while (IsoWeekday(day_) != 3) day_ = AddDays(day_, 1);
    db().Write([&](db::Conn& c) {
      const int64_t now = NowMs();
      c.Exec(
          "INSERT INTO service_bands (school_id, term_id, kind, start_time, end_time) VALUES ($1, $2, 'after_school',"
          " '15:30', '17:30')",
          {m_.school_id, m_.term_id});
      int64_t course = c.Insert(
          "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, teacher_staff_id, slots, "
          "created_at,"
          " updated_at) VALUES ($1, $2, '围棋', 'interest', '3,4', 40, $3, '3:after_school,5:after_school', $4, $4) "
          "RETURNING id",
          {m_.school_id, m_.term_id, m_.staff_id, now});
      section_ = c.Insert(
          "INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at) VALUES ($1, $2, '围棋1班',"
          " 40, 3, $3) RETURNING id",
          {m_.school_id, course, now});
      for (int i = 0; i < 3; ++i)
        c.Exec(
            "INSERT INTO selections (school_id, section_id, student_id, source, created_at) VALUES ($1, $2, $3, "
            "'manual', $4)",
            {m_.school_id, section_, m_.students[static_cast<size_t>(i)], now});
      c.Exec("UPDATE classes SET class_teacher_id = $1 WHERE id = $2", {m_.staff_id, m_.class3});
      other_staff_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, '李老师',"
          " 'in_school', '13900000002', $2, $2) RETURNING id",
          {m_.school_id, now});
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
