// The staffing rules where courses and sections get a teacher (issue 12), on both databases.
#include <gtest/gtest.h>

#include "catalog/rules.h"
#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "staff/rules.h"

namespace kehou::catalog {
namespace {

TEST(StaffingRules, EveningOnlyForJuniorMiddleAndNoExcludedWeekday) {
  std::vector<Slot> evening{{2, "evening"}};
  EXPECT_TRUE(CheckEveningGrades(evening, {7, 9}).ok());
  auto s = CheckEveningGrades(evening, {6, 7});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("晚自习"), std::string::npos);
  EXPECT_TRUE(CheckEveningGrades({{2, "after_school"}}, {1}).ok());
  EXPECT_TRUE(CheckExcludedWeekdays({{3, "after_school"}}, {4}).ok());
  auto x = CheckExcludedWeekdays({{4, "after_school"}}, {4});
  ASSERT_FALSE(x.ok());
  EXPECT_NE(x.error().message.find("周四"), std::string::npos);
}

TEST(StaffingRules, InstitutionCoursesAreNonSubject) {
  CourseInput c{"机器人", "science", "",    {3}, 30, "classroom", std::nullopt, "青山科创", 1, {{2, "after_school"}},
                0,        false,     false, ""};
  EXPECT_TRUE(ValidateCourse(c).ok());
  c.subject_qa = true;
  auto s = ValidateCourse(c);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("非学科类"), std::string::npos);
}

TEST(StaffingRules, EveryCatalogCategoryIsANonSubjectCategoryOfTheStaffModule) {
  for (auto& c : Categories()) EXPECT_TRUE(staff::IsNonSubjectCategory(c)) << c;
}

class Staffing : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 2);
    db().Write([&](db::Conn& c) {
      int64_t now = NowMs();
      unchecked_ = c.Insert(
          "INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
          " VALUES ($1, '李老师', 'in_school', '13900000002', $2, $2) RETURNING id",
          {m_.school_id, now});
    });
  }
  db::Db& db() { return *t_.db; }
  Json Course(const char* slots, std::optional<int64_t> teacher) {
    Json b{{"name", std::string("课程") + slots},
           {"category", "arts"},
           {"grades", {3}},
           {"capacity", 30},
           {"slots", slots}};
    if (teacher) b["teacher_staff_id"] = *teacher;
    else b["institution"] = "青山科创";
    return b;
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  int64_t unchecked_ = 0;
};

TEST_P(Staffing, AnUncheckedTeacherIsRefusedOnCourseAndSection) {
  auto c = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("2:after_school", unchecked_)));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, kRuleBroken);
  EXPECT_NE(c.error().message.find("没有违法犯罪信息查询记录"), std::string::npos) << c.error().message;
  auto ok = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("2:after_school", std::nullopt)));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  int64_t cid = (*ok)["id"];
  auto s = CreateSection(db(), m_.office, std::nullopt, cid, {{"capacity", 20}, {"teacher_staff_id", unchecked_}});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().field, "teacher_staff_id");
  auto s2 = CreateSection(db(), m_.office, std::nullopt, cid, {{"capacity", 20}});
  ASSERT_TRUE(s2.ok());
  auto up = UpdateSection(db(), m_.office, std::nullopt, (*s2)["id"], {{"teacher_staff_id", unchecked_}});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().code, kRuleBroken);
  EXPECT_TRUE(UpdateSection(db(), m_.office, std::nullopt, (*s2)["id"], {{"teacher_staff_id", m_.staff_id}}).ok());
}

TEST_P(Staffing, ATeacherServesTwoDaysAWeekNotThree) {
  ASSERT_TRUE(
      CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("1:after_school", m_.staff_id))).ok());
  ASSERT_TRUE(
      CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("3:noon,3:after_school", m_.staff_id)))
          .ok());
  ASSERT_TRUE(CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("1:noon", m_.staff_id)))
                  .ok());  // day 1 again
  auto third = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("5:after_school", m_.staff_id)));
  ASSERT_FALSE(third.ok());
  EXPECT_EQ(third.error().code, kRuleBroken);
  EXPECT_NE(third.error().message.find("不超过 2 天"), std::string::npos) << third.error().message;
  // A section of another teacher's course counts too.
  auto other = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("4:after_school", std::nullopt)));
  ASSERT_TRUE(other.ok());
  auto sec = CreateSection(db(), m_.office, std::nullopt, (*other)["id"],
                           {{"capacity", 20}, {"teacher_staff_id", m_.staff_id}});
  ASSERT_FALSE(sec.ok());
}

TEST_P(Staffing, ExcludedWeekdayAndEveningAndInstitutionSubjectThroughTheService) {
  db().Write([&](db::Conn& c) { c.Exec("UPDATE terms SET excluded_weekdays = '4' WHERE id = $1", {m_.term_id}); });
  auto thu = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("4:after_school", m_.staff_id)));
  ASSERT_FALSE(thu.ok());
  EXPECT_EQ(thu.error().field, "slots");
  auto eve = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course("2:evening", m_.staff_id)));
  ASSERT_FALSE(eve.ok());
  EXPECT_EQ(eve.error().field, "slots");
  Json subj = Course("2:after_school", std::nullopt);
  subj["subject_qa"] = true;
  subj["subject"] = "数学";
  auto s = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(subj));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  // An institution's staff member may not take a subject course either.
  db().Write([&](db::Conn& c) { c.Exec("UPDATE staff SET kind = 'institution' WHERE id = $1", {m_.staff_id}); });
  Json by_staff = Course("2:after_school", m_.staff_id);
  by_staff["subject_qa"] = true;
  by_staff["subject"] = "数学";
  auto t = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(by_staff));
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("非学科类"), std::string::npos) << t.error().message;
}

INSTANTIATE_TEST_SUITE_P(Both, Staffing, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::catalog
