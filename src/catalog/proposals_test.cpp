#include "catalog/proposals.h"

#include <gtest/gtest.h>

#include "catalog/internal.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::catalog {
namespace {

class Proposals : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db);
    teacher_ = Person(2, auth::Role::kTeacher, auth::Scope::kOwnSections, m_.staff_id);
    other_teacher_ = Person(3, auth::Role::kTeacher, auth::Scope::kOwnSections, std::nullopt);
    group_ = Person(4, auth::Role::kCourseGroup, auth::Scope::kSchool, std::nullopt);
    principal_ = Person(5, auth::Role::kPrincipal, auth::Scope::kSchool, std::nullopt);
  }
  auth::Principal Person(int64_t user, auth::Role role, auth::Scope scope, std::optional<int64_t> staff) {
    auth::Principal p;
    p.user_id = user;
    p.login = "u" + std::to_string(user);
    p.display_name = "用户" + std::to_string(user);
    p.role = role;
    p.school_id = m_.school_id;
    p.staff_id = staff;
    p.scope = scope;
    return p;
  }
  db::Db& db() { return *t_.db; }
  static Json Plan(const std::string& name, const std::string& bytes) {
    return {{"filename", name}, {"content_base64", internal::EncodeBase64(bytes)}};
  }
  Json Body(const std::string& name = "纸艺手工") {
    return Json{{"name", name},   {"category", "arts"},        {"grades", {3, 4}},
                {"capacity", 40}, {"slots", "3:after_school"}, {"plan", Plan("纸艺教案.pdf", testing::MakePdf(2000))}};
  }
  int64_t Submit() {
    auto p = CreateProposal(db(), teacher_, std::nullopt, Body());
    EXPECT_TRUE(p.ok()) << p.error().message;
    return p.ok() ? (*p)["id"].get<int64_t>() : 0;
  }
  int64_t Audits(const char* action) {
    return db().Read([&](db::Conn& c) {
      return c
          .QueryOne("SELECT COUNT(*) FROM audit_log WHERE entity = 'course_proposal' AND action = $1",
                    {std::string(action)})
          ->Int(0);
    });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  auth::Principal teacher_, other_teacher_, group_, principal_;
};

TEST_P(Proposals, SubmitReviewApproveOpensTheCourse) {
  auto before = ListCourses(db(), m_.office, std::nullopt, Json::object());
  ASSERT_TRUE(before.ok());
  EXPECT_EQ((*before)["extension_count"], 0);

  auto p = CreateProposal(db(), teacher_, std::nullopt, Body());
  ASSERT_TRUE(p.ok()) << p.error().message;
  int64_t id = (*p)["id"];
  int64_t course = (*p)["course_id"];
  EXPECT_EQ((*p)["state"], "submitted");
  EXPECT_EQ((*p)["course"]["status"], "submitted");
  EXPECT_EQ((*p)["course"]["teacher_staff_id"], m_.staff_id);
  EXPECT_EQ((*p)["plan"]["content_type"], kPdfType);
  EXPECT_EQ((*p)["plan"]["size_bytes"], 2000);
  EXPECT_EQ((*p)["plan"]["sha256"].get<std::string>().size(), 64u);
  EXPECT_EQ((*p)["proposer"]["kind"], "teacher");

  // Not approved yet: no section, and not counted.
  auto sec = CreateSection(db(), m_.office, std::nullopt, course, {{"capacity", 30}});
  ASSERT_FALSE(sec.ok());
  EXPECT_EQ(sec.error().code, kRuleBroken);
  // Leadership cannot skip the course group.
  auto early = DecideProposal(db(), principal_, std::nullopt, id, {{"decision", "approve"}});
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, kConflict);
  // Nor can PUT /courses approve it.
  auto put = UpdateCourse(db(), m_.office, std::nullopt, course, {{"status", "approved"}});
  ASSERT_FALSE(put.ok());
  EXPECT_EQ(put.error().field, "status");

  auto reviewed = ReviewProposal(db(), group_, std::nullopt, id, {{"decision", "approve"}, {"reason", "内容充实"}});
  ASSERT_TRUE(reviewed.ok()) << reviewed.error().message;
  EXPECT_EQ((*reviewed)["state"], "reviewed");
  EXPECT_EQ((*reviewed)["review"]["by_name"], "用户4");
  EXPECT_EQ((*reviewed)["review"]["reason"], "内容充实");
  EXPECT_FALSE(CreateSection(db(), m_.office, std::nullopt, course, {{"capacity", 30}}).ok());

  auto approved = DecideProposal(db(), principal_, std::nullopt, id, {{"decision", "approve"}});
  ASSERT_TRUE(approved.ok()) << approved.error().message;
  EXPECT_EQ((*approved)["state"], "approved");
  EXPECT_EQ((*approved)["course"]["status"], "approved");
  EXPECT_FALSE((*approved)["decision"]["at"].is_null());
  ASSERT_EQ((*approved)["decisions"].size(), 3u);
  EXPECT_EQ((*approved)["decisions"][0]["step"], "submit");
  EXPECT_EQ((*approved)["decisions"][2]["step"], "decide");

  EXPECT_TRUE(CreateSection(db(), m_.office, std::nullopt, course, {{"capacity", 30}}).ok());
  auto after = ListCourses(db(), m_.office, std::nullopt, Json::object());
  EXPECT_EQ((*after)["extension_count"], 1);
  EXPECT_EQ((*after)["target"], kExtensionCourseTarget);
  EXPECT_EQ(Audits("create"), 1);
  EXPECT_EQ(Audits("review"), 1);
  EXPECT_EQ(Audits("decide"), 1);
}

TEST_P(Proposals, ReturnWithReasonThenResubmit) {
  int64_t id = Submit();
  auto no_reason = ReviewProposal(db(), group_, std::nullopt, id, {{"decision", "return"}});
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().field, "reason");
  auto returned =
      ReviewProposal(db(), group_, std::nullopt, id, {{"decision", "return"}, {"reason", "请补充安全预案"}});
  ASSERT_TRUE(returned.ok()) << returned.error().message;
  EXPECT_EQ((*returned)["state"], "returned");
  EXPECT_EQ((*returned)["course"]["status"], "draft");
  auto again = SubmitProposal(db(), teacher_, std::nullopt, id,
                              {{"description", "含安全预案"}, {"plan", Plan("教案v2.docx", testing::MakeDocx())}});
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ((*again)["state"], "submitted");
  EXPECT_EQ((*again)["course"]["description"], "含安全预案");
  EXPECT_EQ((*again)["plan"]["content_type"], kDocxType);
  EXPECT_FALSE(SubmitProposal(db(), teacher_, std::nullopt, id, Json::object()).ok());  // already submitted
  auto rej = DecideProposal(db(), principal_, std::nullopt, id, {{"decision", "reject"}, {"reason", "x"}});
  EXPECT_EQ(rej.error().code, kConflict);  // not reviewed yet
  ASSERT_TRUE(ReviewProposal(db(), group_, std::nullopt, id, {{"decision", "approve"}}).ok());
  EXPECT_FALSE(DecideProposal(db(), principal_, std::nullopt, id, {{"decision", "reject"}}).ok());  // no reason
  auto rejected = DecideProposal(db(), principal_, std::nullopt, id, {{"decision", "reject"}, {"reason", "经费不足"}});
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ((*rejected)["course"]["status"], "rejected");
  EXPECT_EQ((*rejected)["decisions"].size(), 5u);
}

TEST_P(Proposals, LessonPlanIsStoredByteForByte) {
  // Bytes that text columns would mangle: NULs, invalid UTF-8, every byte value.
  std::string png("\x89PNG\r\n\x1a\n", 8);
  for (int i = 0; i < 256 * 4; ++i) png.push_back(static_cast<char>(i & 0xFF));
  Json b = Body();
  b["plan"] = Plan("第1页.png", png);
  auto p = CreateProposal(db(), teacher_, std::nullopt, b);
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto f = LessonPlanFile(db(), teacher_, std::nullopt, (*p)["id"]);
  ASSERT_TRUE(f.ok()) << f.error().message;
  EXPECT_EQ(f->bytes, png);
  EXPECT_EQ(f->content_type, kPngType);
  EXPECT_EQ(f->filename, "第1页.png");
  // Stored as a binary value (SQLite BLOB, PostgreSQL bytea), its length the file's.
  db().Read([&](db::Conn& c) {
    EXPECT_EQ(c.QueryOne("SELECT length(content) FROM lesson_plans")->Int(0), static_cast<int64_t>(png.size()));
    if (c.dialect() == db::Dialect::kSqlite) {
      EXPECT_EQ(c.QueryOne("SELECT typeof(content) FROM lesson_plans")->Text(0), "blob");
    }
  });
  // The course group reads it too; another teacher and another school do not.
  EXPECT_TRUE(LessonPlanFile(db(), group_, std::nullopt, (*p)["id"]).ok());
  EXPECT_EQ(LessonPlanFile(db(), other_teacher_, std::nullopt, (*p)["id"]).error().code, kNotFound);
  auth::Principal elsewhere = group_;
  elsewhere.school_id = m_.other_school_id;
  EXPECT_EQ(LessonPlanFile(db(), elsewhere, std::nullopt, (*p)["id"]).error().code, kNotFound);
  EXPECT_EQ(GetProposal(db(), elsewhere, std::nullopt, (*p)["id"]).error().code, kNotFound);
  EXPECT_EQ(ReviewProposal(db(), elsewhere, std::nullopt, (*p)["id"], {{"decision", "approve"}}).error().code,
            kNotFound);
  // Lists: the teacher sees their own, another teacher none, the course group all.
  EXPECT_EQ((*ListProposals(db(), teacher_, std::nullopt, Json::object()))["total"], 1);
  EXPECT_EQ((*ListProposals(db(), other_teacher_, std::nullopt, Json::object()))["total"], 0);
  auto all = ListProposals(db(), group_, std::nullopt, {{"state", "submitted"}});
  EXPECT_EQ((*all)["total"], 1);
  EXPECT_EQ((*all)["counts"]["submitted"], 1);
  EXPECT_EQ((*ListProposals(db(), group_, std::nullopt, {{"state", "approved"}}))["total"], 0);
}

TEST_P(Proposals, BadFilesAreRefusedAndNothingIsWritten) {
  Json b = Body();
  b["plan"] = Plan("教案.pdf", "MZ\x90 an executable");
  auto bad = CreateProposal(db(), teacher_, std::nullopt, b);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, kRuleBroken);
  EXPECT_EQ(bad.error().field, "plan");
  b["plan"] = Plan("教案.pdf", testing::MakePdf(kMaxLessonPlanBytes + 1));
  auto big = CreateProposal(db(), teacher_, std::nullopt, b);
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, kTooLarge);
  b["plan"] = Plan("教案.pdf", testing::MakePdf(kMaxLessonPlanBytes));
  EXPECT_TRUE(CreateProposal(db(), teacher_, std::nullopt, b).ok());
  b["plan"] = {{"filename", "a.pdf"}, {"content_base64", "%%%not base64"}};
  EXPECT_EQ(CreateProposal(db(), teacher_, std::nullopt, b).error().code, kInvalid);
  b.erase("plan");
  EXPECT_EQ(CreateProposal(db(), teacher_, std::nullopt, b).error().field, "plan");  // submit needs a plan
  b["submit"] = false;
  auto draft = CreateProposal(db(), teacher_, std::nullopt, b);
  ASSERT_TRUE(draft.ok());
  EXPECT_EQ((*draft)["state"], "draft");
  EXPECT_EQ(SubmitProposal(db(), teacher_, std::nullopt, (*draft)["id"], Json::object()).error().field, "plan");
  // A teacher proposes only courses they teach.
  Json someone_else = Body();
  someone_else["teacher_staff_id"] = m_.staff_id;
  EXPECT_EQ(CreateProposal(db(), other_teacher_, std::nullopt, someone_else).error().code, kForbidden);
  int64_t proposals =
      db().Read([](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM course_proposals")->Int(0); });
  int64_t plans = db().Read([](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM lesson_plans")->Int(0); });
  EXPECT_EQ(proposals, 2);  // the 10 MiB one and the draft
  EXPECT_EQ(plans, 1);
}

INSTANTIATE_TEST_SUITE_P(Both, Proposals, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::catalog
