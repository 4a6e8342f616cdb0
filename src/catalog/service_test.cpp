#include "catalog/service.h"

#include <gtest/gtest.h>

#include "catalog/proposals.h"
#include "catalog/test_files.h"
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
    return Json{{"name", "机器人"}, {"category", "science"},           {"grades", {3, 4}},
                {"capacity", 90},   {"teacher_staff_id", m_.staff_id}, {"slots", "2:after_school"},
                {"fee_fen", 20000}};
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

// Issue 14: a private boarding school charges nothing (R-SET-4): a course there with fee_fen > 0
// is refused on create and on update; fee 0 is fine. A public school may charge.
TEST_P(CatalogService, PrivateBoardingSchoolCourseCannotCarryAFee) {
  auto charged = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course()));
  ASSERT_TRUE(charged.ok()) << charged.error().message;
  db().Write(
      [&](db::Conn& c) { c.Exec("UPDATE schools SET type = 'private_boarding' WHERE id = $1", {m_.school_id}); });
  auto c = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course()));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, kRuleBroken);
  EXPECT_EQ(c.error().field, "fee_fen");
  Json free = Course();
  free["fee_fen"] = 0;
  auto f = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(free));
  ASSERT_TRUE(f.ok()) << f.error().message;
  auto up = UpdateCourse(db(), m_.office, std::nullopt, (*f)["id"], {{"fee_fen", 1}});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().code, kRuleBroken);
  EXPECT_TRUE(UpdateCourse(db(), m_.office, std::nullopt, (*f)["id"], {{"name", "免费课"}}).ok());
}

TEST_P(CatalogService, CourseAndSectionsWithTheFortyFiveLimit) {
  auto c = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course()));
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
  auto c = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(Course()));
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
  auto c = CreateCourse(db(), m_.principal, std::nullopt, testing::Planned(b));
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().field, "subject_qa");
}

// Issue 11: a course the office posts is not approved at once: without a plan it is a draft, with
// one it is submitted; no section opens until the course group reviews and the leadership decides.
// The principal posting with the plan decides it there: approved, plan stored, decision recorded.
TEST_P(CatalogService, OfficeCourseIsReviewedWithItsPlanBeforeSectionsOpen) {
  auto draft = CreateCourse(db(), m_.office, std::nullopt, Course());
  ASSERT_TRUE(draft.ok()) << draft.error().message;
  EXPECT_EQ((*draft)["status"], "draft");
  EXPECT_EQ((*draft)["proposal_state"], "draft");
  auto no_section = CreateSection(db(), m_.office, std::nullopt, (*draft)["id"], {{"capacity", 20}});
  ASSERT_FALSE(no_section.ok());
  EXPECT_EQ(no_section.error().code, kRuleBroken);
  EXPECT_EQ(no_section.error().field, "course_id");

  Json body = testing::Planned(Course());
  body["name"] = "机器人二";
  auto sub = CreateCourse(db(), m_.office, std::nullopt, body);
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_EQ((*sub)["status"], "submitted");
  int64_t pid = (*sub)["proposal_id"];
  EXPECT_FALSE(CreateSection(db(), m_.office, std::nullopt, (*sub)["id"], {{"capacity", 20}}).ok());
  // The principal cannot skip the course group's review.
  EXPECT_EQ(DecideProposal(db(), m_.principal, std::nullopt, pid, {{"decision", "approve"}}).error().code, kConflict);
  auth::Principal group = m_.office;
  group.role = auth::Role::kCourseGroup;
  ASSERT_TRUE(ReviewProposal(db(), group, std::nullopt, pid, {{"decision", "approve"}}).ok());
  auto decided = DecideProposal(db(), m_.principal, std::nullopt, pid, {{"decision", "approve"}});
  ASSERT_TRUE(decided.ok()) << decided.error().message;
  EXPECT_EQ((*decided)["course"]["status"], "approved");
  EXPECT_TRUE(CreateSection(db(), m_.office, std::nullopt, (*sub)["id"], {{"capacity", 20}}).ok());

  body["name"] = "机器人三";
  auto at_once = CreateCourse(db(), m_.principal, std::nullopt, body);
  ASSERT_TRUE(at_once.ok()) << at_once.error().message;
  EXPECT_EQ((*at_once)["status"], "approved");
  auto p = GetProposal(db(), m_.principal, std::nullopt, (*at_once)["proposal_id"]);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*p)["state"], "approved");
  EXPECT_EQ((*p)["plan"]["content_type"], "application/pdf");
  ASSERT_EQ((*p)["decisions"].size(), 2u);
  EXPECT_EQ((*p)["decisions"][1]["step"], "decide");
  EXPECT_EQ((*p)["decision"]["by_name"], "校长");
  int64_t audits = db().Read([&](db::Conn& c) {
    return c
        .QueryOne(
            "SELECT COUNT(*) FROM audit_log WHERE entity = 'course_proposal' AND entity_id = $1 AND action = 'decide'",
            {(*at_once)["proposal_id"].get<int64_t>()})
        ->Int(0);
  });
  EXPECT_EQ(audits, 1);
  // Without a plan, even the principal's course waits as a draft.
  body.erase("plan");
  body["name"] = "机器人四";
  auto leader_draft = CreateCourse(db(), m_.principal, std::nullopt, body);
  ASSERT_TRUE(leader_draft.ok());
  EXPECT_EQ((*leader_draft)["status"], "draft");
}

// Issue 11, R-CRS 3: a subject course is stored with its subject, marked Q&A, and never charged as
// an extension course.
TEST_P(CatalogService, SubjectCourseIsStoredQaOnlyAndFree) {
  Json b = testing::Planned(Course());
  b["subject"] = "数学";
  auto unmarked = CreateCourse(db(), m_.principal, std::nullopt, b);
  ASSERT_FALSE(unmarked.ok());
  EXPECT_EQ(unmarked.error().code, kRuleBroken);
  EXPECT_EQ(unmarked.error().field, "subject_qa");
  b["subject_qa"] = true;
  auto charged = CreateCourse(db(), m_.principal, std::nullopt, b);
  ASSERT_FALSE(charged.ok());
  EXPECT_EQ(charged.error().code, kRuleBroken);
  EXPECT_EQ(charged.error().field, "fee_fen");
  b["fee_fen"] = 0;
  auto ok = CreateCourse(db(), m_.principal, std::nullopt, b);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  auto got = GetCourse(db(), m_.office, std::nullopt, (*ok)["id"]);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ((*got)["subject"], "数学");
  EXPECT_EQ((*got)["subject_qa"], true);
  // The stored course cannot be turned into a fee-charging one later.
  auto up = UpdateCourse(db(), m_.office, std::nullopt, (*ok)["id"], {{"fee_fen", 100}});
  ASSERT_FALSE(up.ok());
  EXPECT_EQ(up.error().field, "fee_fen");
  auto unmark = UpdateCourse(db(), m_.office, std::nullopt, (*ok)["id"], {{"subject_qa", false}});
  ASSERT_FALSE(unmark.ok());
  EXPECT_EQ(unmark.error().field, "subject_qa");
}

INSTANTIATE_TEST_SUITE_P(Both, CatalogService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::catalog
