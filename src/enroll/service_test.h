// The registration use-case tests' fixture: a school with two classes, guardians, children and a
// term, on SQLite always and on PostgreSQL when KEHOU_TEST_PG holds a URL (skipped otherwise).
#pragma once

#include <gtest/gtest.h>

#include <set>

#include "db/testing.h"
#include "enroll/rules.h"
#include "enroll/service.h"

namespace kehou::enroll::testing_fixture {

using auth::Role;
using auth::Scope;

inline Date D(const char* s) { return *ParseDate(s); }

class EnrollServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "KEHOU_TEST_PG not set";
    db_ = t_.db.get();
    db_->Write([&](db::Conn& c) {
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '东城区') RETURNING id", {});
      auto school = [&](const char* name) {
        return c.Insert(
            "INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, $2, 'nine_year',"
            " 'public', 0) RETURNING id",
            {area, std::string(name)});
      };
      school_ = school("实验学校");
      other_school_ = school("第二小学");
      auto grade = [&](int64_t s, int n) {
        return c.Insert("INSERT INTO grades (school_id, number, name) VALUES ($1, $2, $3) RETURNING id",
                        {s, int64_t{n}, std::to_string(n) + "年级"});
      };
      auto staff = [&](int64_t s, const char* name, const char* mobile) {
        return c.Insert(
            "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
            " VALUES ($1, $2, 'in_school', $3, 0, 0) RETURNING id",
            {s, std::string(name), std::string(mobile)});
      };
      teacher_a_ = staff(school_, "王老师", "13800000001");
      teacher_b_ = staff(school_, "李老师", "13800000002");
      int64_t g3 = grade(school_, 3), g8 = grade(school_, 8), og3 = grade(other_school_, 3);
      auto cls = [&](int64_t s, int64_t g, int n, const char* name, std::optional<int64_t> t) {
        return c.Insert(
            "INSERT INTO classes (school_id, grade_id, name, number, class_teacher_id)"
            " VALUES ($1, $2, $3, $4, $5) RETURNING id",
            {s, g, std::string(name), int64_t{n}, db::Opt(t)});
      };
      class_a_ = cls(school_, g3, 1, "三年级(1)班", teacher_a_);
      class_b_ = cls(school_, g3, 2, "三年级(2)班", teacher_b_);
      class_j_ = cls(school_, g8, 1, "八年级(1)班", std::nullopt);  // no class teacher
      int64_t other_class = cls(other_school_, og3, 1, "三年级(1)班", std::nullopt);
      auto student = [&](int64_t s, int64_t k, const char* no, const char* name) {
        return c.Insert(
            "INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
            " VALUES ($1, $2, $3, 'M', $4, 0, 0) RETURNING id",
            {s, std::string(no), std::string(name), k});
      };
      s1_ = student(school_, class_a_, "S001", "张小明");
      s2_ = student(school_, class_a_, "S002", "刘小红");
      s3_ = student(school_, class_j_, "S003", "张大明");
      s5_ = student(school_, class_b_, "S005", "陈小乐");
      s4_ = student(other_school_, other_class, "T001", "赵小虎");
      auto guardian = [&](const char* mobile, const char* name) {
        return c.Insert("INSERT INTO guardians (mobile, name, created_at) VALUES ($1, $2, 0) RETURNING id",
                        {std::string(mobile), std::string(name)});
      };
      g1_ = guardian("13900000001", "张爸爸");
      g2_ = guardian("13900000002", "张妈妈");
      g3_ = guardian("13900000003", "刘妈妈");
      auto link = [&](int64_t s, int64_t st, int64_t g, const char* rel) {
        c.Exec("INSERT INTO student_guardians (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, $4)",
               {s, st, g, std::string(rel)});
      };
      link(school_, s1_, g1_, "父亲");
      link(school_, s1_, g2_, "母亲");
      link(school_, s3_, g1_, "父亲");
      link(school_, s2_, g3_, "母亲");
      link(other_school_, s4_, g3_, "母亲");
      term_ = c.Insert(
          "INSERT INTO terms (school_id, name, start_date, end_date, excluded_weekdays, is_current)"
          " VALUES ($1, '2025秋季学期', '2025-09-01', '2026-01-16', '4', 1) RETURNING id",
          {school_});
      other_term_ = c.Insert(
          "INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
          " VALUES ($1, '2025秋季学期', '2025-09-01', '2026-01-16', 1) RETURNING id",
          {other_school_});
    });
  }

  auth::Principal Staff(Role r, Scope s, std::optional<int64_t> staff = std::nullopt) {
    auth::Principal p;
    p.user_id = 100 + static_cast<int>(r);
    p.login = "staff";
    p.display_name = std::string(auth::RoleLabelZh(r));
    p.role = r;
    p.scope = s;
    p.school_id = school_;
    p.staff_id = staff;
    p.client = "127.0.0.1";
    return p;
  }
  auth::Principal Office() { return Staff(Role::kOfficeDirector, Scope::kSchool); }
  auth::Principal Head() { return Staff(Role::kPrincipal, Scope::kSchool); }
  auth::Principal TeacherA() { return Staff(Role::kClassTeacher, Scope::kOwnClass, teacher_a_); }
  auth::Principal TeacherB() { return Staff(Role::kClassTeacher, Scope::kOwnClass, teacher_b_); }
  auth::Principal Guardian(int64_t g) {
    auth::Principal p;
    p.user_id = 1000 + g;
    p.login = "g" + std::to_string(g);
    p.display_name = "家长";
    p.role = Role::kGuardian;
    p.scope = Scope::kOwnChildren;
    p.guardian_id = g;
    return p;
  }

  static std::string Msg(const Error& e) { return std::string(ErrorCodeName(e.code)) + ": " + e.message; }
  template <class T>
  static T Must(Result<T> r) {
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : Msg(r.error()));
    if (!r.ok()) throw std::runtime_error("result failed");
    return std::move(r).value();
  }

  int64_t Agreement(const char* body = "甲方（学校）与乙方（监护人）约定：……") {
    Json a = Must(CreateAgreement(*db_, Office(), std::nullopt,
                                  Json{{"term_id", term_}, {"title", "课后服务协议"}, {"body", body}}));
    return a["id"];
  }
  Json Form(int64_t student, Json pickup = Json{{"mode", "self"}}) {
    return Json{{"student_id", student}, {"days", {1, 2, 3}}, {"bands", {"after_school"}}, {"pickup", pickup}};
  }
  // A guardian applies, signs and submits; returns the application id.
  int64_t Submitted(int64_t guardian, int64_t student, int64_t agreement) {
    Json a = Must(CreateApplication(*db_, Guardian(guardian), Form(student), today_));
    int64_t id = a["id"];
    Must(SignApplication(*db_, Guardian(guardian), id, Json{{"agreement_id", agreement}}, {"UA", "10.0.0.1"}, today_));
    Must(SubmitApplication(*db_, Guardian(guardian), id, today_));
    return id;
  }
  int64_t Count(const std::string& sql, db::Params p = {}) {
    return db_->Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
  }
  bool Enrolled(int64_t student, Date day) {
    return db_->Read([&](db::Conn& c) { return IsEnrolled(c, school_, student, term_, day); });
  }

  db::TestDb t_;
  db::Db* db_ = nullptr;
  int64_t school_ = 0, other_school_ = 0, teacher_a_ = 0, teacher_b_ = 0, class_a_ = 0, class_b_ = 0, class_j_ = 0;
  int64_t s1_ = 0, s2_ = 0, s3_ = 0, s4_ = 0, s5_ = 0, g1_ = 0, g2_ = 0, g3_ = 0, term_ = 0, other_term_ = 0;
  Date today_ = D("2025-09-10");
};

inline std::string DialectName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }

}  // namespace kehou::enroll::testing_fixture
