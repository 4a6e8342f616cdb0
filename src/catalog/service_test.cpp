#include "catalog/service.h"

#include <gtest/gtest.h>

#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::catalog {
namespace {

class CatalogService : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db);
  }
  db::Db& db() { return *t_.db; }
  Json Course() {
    return Json{{"name", "机器人"}, {"category", "science"}, {"grades", {3, 4}}, {"capacity", 90},
                {"teacher_staff_id", m_.staff_id}, {"slots", "2:after_school"}, {"fee_fen", 20000}};
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

// Issue 14: a private boarding school charges nothing (R-SET-4): a course there with fee_fen > 0
// is refused on create and on update; fee 0 is fine. A public school may charge.
TEST_P(CatalogService, PrivateBoardingSchoolCourseCannotCarryAFee) {
  auto charged = CreateCourse(db(), m_.office, std::nullopt, Course());
  ASSERT_TRUE(charged.ok()) << charged.error().message;
  db().Write([&](db::Conn& c) { c.Exec("UPDATE schools SET type = 'private_boarding' WHERE id = $1", {m_.school_id}); });
  auto c = CreateCourse(db(), m_.office, std::nullopt, Course());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, kRuleBroken);
  EXPECT_EQ(c.error().field, "fee_fen");
  Json free = Course();
  free["fee_fen"] = 0;
  auto f = CreateCourse(db(), m_.office, std::nullopt, free);
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto up = UpdateCourse(db(), m_.office, std::nullopt, (*f)["id"], {{"fee_fen", 1}});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().code, kRuleBroken);
  EXPECT_TRUE(UpdateCourse(db(), m_.office, std::nullopt, (*f)["id"], {{"name", "免费课"}}).ok());
}

TEST_P(CatalogService, CourseAndSectionsWithTheFortyFiveLimit) {
  auto c = CreateCourse(db(), m_.office, std::nullopt, Course());
  ASSERT_TRUE(c.ok()) << c.error().message;
  int64_t cid = (*c)["id"];
  auto s45 = CreateSection(db(), m_.office, std::nullopt, cid, {{"capacity", 45}});
  ASSERT_TRUE(s45.ok()) << s45.error().message;
  EXPECT_EQ((*s45)["capacity"], 45);
  auto s46 = CreateSection(db(), m_.office, std::nullopt, cid, {{"capacity", 46}});
  ASSERT_FALSE(s46.ok());
  EXPECT_EQ(s46.error().code, kRuleBroken);
  auto up = UpdateSection(db(), m_.office, std::nullopt, (*s45)["id"], {{"capacity", 46}});
  EXPECT_FALSE(up.ok());
  // The database refuses 46 too, whoever writes.
  int64_t sid = (*s45)["id"];
  EXPECT_THROW(db().Write([&](db::Conn& cn) { cn.Exec("UPDATE sections SET capacity = 46 WHERE id = $1", {sid}); }),
               db::DbError);
  auto list = ListCourses(db(), m_.office, std::nullopt, Json::object());
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["total"], 1);
  EXPECT_EQ((*list)["target"], kCatalogTarget);
  EXPECT_EQ((*list)["items"][0]["section_count"], 1);
  auto audits = db().Read([](db::Conn& cn) {
    return cn.QueryOne("SELECT COUNT(*) FROM audit_log WHERE entity IN ('course','section')")->Int(0);
  });
  EXPECT_EQ(audits, 2);
}

TEST_P(CatalogService, OtherSchoolIdsAreNotFound) {
  auto c = CreateCourse(db(), m_.office, std::nullopt, Course());
  ASSERT_TRUE(c.ok());
  auth::Principal other = m_.office;
  other.school_id = m_.other_school_id;
  auto g = GetCourse(db(), other, std::nullopt, (*c)["id"]);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().code, kNotFound);
}

TEST_P(CatalogService, SubjectCourseMayNotTeachNewLessons) {
  Json b = Course();
  b["subject_qa"] = true;
  b["new_lessons"] = true;
  auto c = CreateCourse(db(), m_.office, std::nullopt, b);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "subject_qa");
}

INSTANTIATE_TEST_SUITE_P(Both, CatalogService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::catalog
