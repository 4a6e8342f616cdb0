// Registration use cases against a real database: review, the principal's batch, input rules, exits
// and looked-after children (the fixture is in service_test.h).
#include "enroll/service_test.h"

namespace kehou::enroll {
namespace {

using namespace testing_fixture;  // NOLINT

class EnrollReviewTest : public EnrollServiceTest {};

TEST_P(EnrollReviewTest, HistoryCountIsExact) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}, {"reason", "同意"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt,
                       Json{{"ids", {id}}, {"decision", "return"}, {"reason", "协议未填全"}}));
  Json full = Must(GetApplication(*db_, Office(), std::nullopt, id, today_));
  ASSERT_EQ(full["history"].size(), 3u);
  EXPECT_EQ(full["status"], "returned");
  EXPECT_EQ(full["history"][2]["reason"], "协议未填全");
  EXPECT_TRUE(full["editable"].get<bool>());
}

TEST_P(EnrollReviewTest, NobodyIsEnrolledWithoutASignedSubmittedApplication) {
  int64_t ag = Agreement();
  // An unsigned draft: no step of the chain can move it past submission.
  Json a = Must(CreateApplication(*db_, Guardian(g1_), Form(s1_), today_));
  int64_t id = a["id"];
  EXPECT_FALSE(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_).ok());
  EXPECT_FALSE(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}).ok());
  EXPECT_FALSE(SubmitApplication(*db_, Guardian(g1_), id, today_).ok());
  EXPECT_FALSE(Enrolled(s1_, today_));

  // Even if the status were forced past the chain, an unsigned application enrols nobody and
  // cannot be approved.
  db_->Write([&](db::Conn& c) { c.Exec("UPDATE applications SET status = 'class_approved' WHERE id = $1", {id}); });
  EXPECT_EQ(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}).error().code,
            kRuleBroken);
  db_->Write([&](db::Conn& c) { c.Exec("UPDATE applications SET status = 'approved' WHERE id = $1", {id}); });
  EXPECT_FALSE(Enrolled(s1_, today_));
  Json roster = Must(Roster(*db_, Office(), std::nullopt, std::nullopt, std::nullopt, std::nullopt, today_));
  EXPECT_EQ(roster["enrolled"], 0);

  // A child without any application is never in the roster either (nobody is forced in).
  int64_t ok = Submitted(g3_, s2_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, ok, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {ok}}, {"decision", "approve"}}));
  roster = Must(Roster(*db_, Office(), std::nullopt, std::nullopt, std::nullopt, std::nullopt, today_));
  ASSERT_EQ(roster["items"].size(), 1u);
  EXPECT_EQ(roster["items"][0]["id"], s2_);
  EXPECT_FALSE(Enrolled(s5_, today_));
}

TEST_P(EnrollReviewTest, PrincipalBatchIsAllOrNothing) {
  int64_t ag = Agreement();
  int64_t a = Submitted(g1_, s1_, ag);
  int64_t b = Submitted(g3_, s2_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, a, Json{{"decision", "approve"}}, today_));
  // b is still only submitted: the batch fails and a stays class_approved.
  auto r = PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {a, b}}, {"decision", "approve"}});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find(std::to_string(b)), std::string::npos);
  EXPECT_EQ(Must(GetApplication(*db_, Office(), std::nullopt, a, today_))["status"], "class_approved");
  Must(ClassReview(*db_, TeacherA(), std::nullopt, b, Json{{"decision", "approve"}}, today_));
  Json ok = Must(PrincipalReview(*db_, Staff(Role::kVicePrincipal, Scope::kSchool), std::nullopt,
                                 Json{{"ids", {a, b}}, {"decision", "approve"}}));
  EXPECT_EQ(ok["decided"], 2);
  // Another school's principal cannot touch them.
  auth::Principal far = Head();
  far.school_id = other_school_;
  EXPECT_EQ(PrincipalReview(*db_, far, std::nullopt, Json{{"ids", {a}}, {"decision", "reject"}, {"reason", "不行"}})
                .error()
                .code,
            kNotFound);
  EXPECT_EQ(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {a, a}}, {"decision", "approve"}}).error().code,
            kInvalid);
}

TEST_P(EnrollReviewTest, OfficeReviewsAClassWithoutClassTeacher) {
  int64_t ag = Agreement();
  Json a = Must(CreateApplication(
      *db_, Guardian(g1_),
      Json{{"student_id", s3_}, {"days", {1}}, {"bands", {"evening"}}, {"pickup", {{"mode", "self"}}}}, today_));
  int64_t id = a["id"];
  Must(SignApplication(*db_, Guardian(g1_), id, Json{{"agreement_id", ag}}, {}, today_));
  Must(SubmitApplication(*db_, Guardian(g1_), id, today_));
  EXPECT_EQ(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_).error().code,
            kNotFound);
  Json ok = Must(ClassReview(*db_, Office(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  EXPECT_EQ(ok["status"], "class_approved");
  // Evening for a grade-3 child is refused at application time too.
  EXPECT_EQ(
      CreateApplication(
          *db_, Guardian(g3_),
          Json{{"student_id", s2_}, {"days", {1}}, {"bands", {"evening"}}, {"pickup", {{"mode", "self"}}}}, today_)
          .error()
          .code,
      kRuleBroken);
}

// Issue 11: a grade leader who is also a class teacher (one account, Scope::kGrade) reads the grade
// they lead and reviews their own class's applications as its class teacher; another class of
// the grade they read but do not review; a grade they do not lead they do not see.
TEST_P(EnrollReviewTest, AGradeLeaderWhoIsAClassTeacherReviewsTheirClass) {
  db_->Write([&](db::Conn& c) {
    c.Exec("UPDATE grades SET leader_staff_id = $1 WHERE school_id = $2 AND number = 3", {teacher_a_, school_});
    c.Exec("INSERT INTO student_guardians (school_id, student_id, guardian_id, relation) VALUES ($1, $2, $3, '母亲')",
           {school_, s5_, g2_});
  });
  int64_t ag = Agreement();
  int64_t own = Submitted(g1_, s1_, ag);    // class A: teacher A's class
  int64_t other = Submitted(g2_, s5_, ag);  // class B of the same grade: teacher B's
  int64_t j = Submitted(g1_, s3_, ag);      // grade 8: not led by teacher A
  auth::Principal leader = Staff(Role::kGradeLeader, Scope::kGrade, teacher_a_);
  Json list = Must(ListApplications(*db_, leader, std::nullopt, {}));
  std::set<int64_t> seen;
  for (const auto& it : list["items"]) seen.insert(it["id"].get<int64_t>());
  EXPECT_TRUE(seen.count(own));
  EXPECT_TRUE(seen.count(other));
  EXPECT_FALSE(seen.count(j));
  EXPECT_EQ(GetApplication(*db_, leader, std::nullopt, j, today_).error().code, kNotFound);
  Json done = Must(ClassReview(*db_, leader, std::nullopt, own, Json{{"decision", "approve"}}, today_));
  EXPECT_EQ(done["status"], "class_approved");
  auto refused = ClassReview(*db_, leader, std::nullopt, other, Json{{"decision", "approve"}}, today_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().code, kNotFound);  // visible, but not theirs to review
  // A plain class teacher of another class still sees neither.
  EXPECT_EQ(GetApplication(*db_, TeacherB(), std::nullopt, own, today_).error().code, kNotFound);
}

TEST_P(EnrollReviewTest, ApplicationInputRules) {
  // The pickup guardian must be the child's guardian; a proxy needs a valid mobile.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s1_, Json{{"mode", "guardian"}, {"guardian_id", g3_}}), today_)
                .error()
                .code,
            kInvalid);
  EXPECT_EQ(
      CreateApplication(*db_, Guardian(g1_),
                        Form(s1_, Json{{"mode", "proxy"}, {"proxy_name", "王阿姨"}, {"proxy_mobile", "123"}}), today_)
          .error()
          .field,
      "pickup.proxy_mobile");
  // Another family's child: not found.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s2_), today_).error().code, kNotFound);
  // After the term: refused.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s1_), D("2026-01-17")).error().code, kRuleBroken);
  // When the school has dismissal batches, an after-school application names one.
  int64_t batch =
      Must(CreateBatch(*db_, Office(), std::nullopt, Json{{"name", "第一批"}, {"leave_time", "17:10"}}))["id"];
  EXPECT_EQ(CreateBatch(*db_, Office(), std::nullopt, Json{{"name", "第一批"}, {"leave_time", "17:40"}}).error().code,
            kConflict);
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s1_), today_).error().field, "dismissal_batch_id");
  Json f = Form(s1_);
  f["dismissal_batch_id"] = batch;
  Json ok = Must(CreateApplication(*db_, Guardian(g1_), f, today_));
  EXPECT_EQ(ok["dismissal_batch"]["name"], "第一批");
  // Guardians list the batches of their child's school only.
  EXPECT_EQ(Must(ListBatches(*db_, Guardian(g1_), std::nullopt, s1_, false))["items"].size(), 1u);
  EXPECT_EQ(ListBatches(*db_, Guardian(g1_), std::nullopt, s2_, false).error().code, kNotFound);
}

// ---- exits and looked-after ----------------------------------------------------------------------

TEST_P(EnrollReviewTest, ExitEndsTheServiceAndTheRecordStays) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  // Only an approved application can end.
  EXPECT_EQ(CreateExit(*db_, Guardian(g1_), std::nullopt,
                       Json{{"application_id", id}, {"effective_date", "2025-10-01"}}, today_)
                .error()
                .code,
            kRuleBroken);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  Date today = D("2025-10-10");
  // A guardian cannot backdate; nobody goes before the term start; a teacher cannot end it.
  EXPECT_EQ(CreateExit(*db_, Guardian(g1_), std::nullopt,
                       Json{{"application_id", id}, {"effective_date", "2025-10-09"}}, today)
                .error()
                .code,
            kRuleBroken);
  EXPECT_EQ(
      CreateExit(*db_, Office(), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-08-31"}}, today)
          .error()
          .code,
      kRuleBroken);
  EXPECT_EQ(
      CreateExit(*db_, TeacherA(), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
          .error()
          .code,
      kForbidden);
  EXPECT_EQ(CreateExit(*db_, Guardian(g3_), std::nullopt,
                       Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
                .error()
                .code,
            kNotFound);
  Json e = Must(CreateExit(*db_, Office(), std::nullopt,
                           Json{{"application_id", id}, {"effective_date", "2025-10-08"}, {"reason", "家长申请退出"}},
                           today));
  EXPECT_EQ(e["effective_date"], "2025-10-08");
  EXPECT_EQ(CreateExit(*db_, Guardian(g2_), std::nullopt,
                       Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
                .error()
                .code,
            kConflict);
  EXPECT_TRUE(Enrolled(s1_, D("2025-10-07")));
  EXPECT_FALSE(Enrolled(s1_, D("2025-10-08")));
  // The record stays: the application is still approved and the exit is listed for the family.
  EXPECT_EQ(Must(GetApplication(*db_, Guardian(g2_), std::nullopt, id, today))["exit"]["id"], e["id"]);
  EXPECT_EQ(Must(ListExits(*db_, Guardian(g2_), std::nullopt, std::nullopt))["items"].size(), 1u);
  EXPECT_EQ(Must(ListExits(*db_, TeacherB(), std::nullopt, std::nullopt))["items"].size(), 0u);
  EXPECT_EQ(Must(GetExit(*db_, TeacherA(), std::nullopt, e["id"]))["student"]["id"], s1_);
}

TEST_P(EnrollReviewTest, LookedAfterChildrenAppearInTheRosterWithANeutralLabel) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  // s2 is not enrolled but stays for a special reason.
  Json la = Must(CreateLookedAfter(
      *db_, TeacherA(), std::nullopt,
      Json{{"student_id", s2_}, {"reason", "家长临时出差"}, {"start_date", "2025-09-08"}, {"end_date", "2025-09-19"}},
      today_));
  EXPECT_EQ(la["recorded_by"], "班主任");
  EXPECT_EQ(CreateLookedAfter(*db_, Office(), std::nullopt,
                              Json{{"student_id", s2_}, {"reason", "重复登记"}, {"start_date", "2025-09-19"}}, today_)
                .error()
                .code,
            kConflict);
  // An enrolled child needs no such record; another class's teacher cannot record it.
  EXPECT_EQ(CreateLookedAfter(*db_, Office(), std::nullopt,
                              Json{{"student_id", s1_}, {"reason", "临时"}, {"start_date", "2025-09-10"}}, today_)
                .error()
                .code,
            kRuleBroken);
  EXPECT_EQ(CreateLookedAfter(*db_, TeacherB(), std::nullopt,
                              Json{{"student_id", s2_}, {"reason", "临时"}, {"start_date", "2025-09-22"}}, today_)
                .error()
                .code,
            kNotFound);
  EXPECT_EQ(
      CreateLookedAfter(*db_, Office(), std::nullopt, Json{{"student_id", s5_}, {"reason", ""}}, today_).error().code,
      kInvalid);

  Json roster = Must(Roster(*db_, TeacherA(), std::nullopt, std::nullopt, std::nullopt, D("2025-09-10"), today_));
  ASSERT_EQ(roster["items"].size(), 2u);
  EXPECT_EQ(roster["items"][0]["id"], s1_);
  EXPECT_EQ(roster["items"][0]["kind"], "enrolled");
  EXPECT_EQ(roster["items"][1]["id"], s2_);
  EXPECT_EQ(roster["items"][1]["kind"], "looked_after");
  EXPECT_EQ(roster["items"][1]["label"], "在校看护");
  EXPECT_EQ(roster["looked_after"], 1);
  // After the end date the child is no longer listed; closing the record early works too.
  EXPECT_EQ(
      Must(Roster(*db_, Office(), std::nullopt, std::nullopt, std::nullopt, D("2025-09-22"), today_))["items"].size(),
      1u);
  Json upd = Must(UpdateLookedAfter(*db_, Office(), std::nullopt, la["id"], Json{{"end_date", "2025-09-12"}}));
  EXPECT_EQ(upd["end_date"], "2025-09-12");
  EXPECT_EQ(Must(ListLookedAfter(*db_, TeacherA(), std::nullopt, std::nullopt, std::nullopt))["items"].size(), 1u);
  EXPECT_EQ(Must(ListLookedAfter(*db_, TeacherB(), std::nullopt, std::nullopt, std::nullopt))["items"].size(), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'looked_after'"), 2);
}

INSTANTIATE_TEST_SUITE_P(Db, EnrollReviewTest, ::testing::Values("sqlite", "postgres"), DialectName);

}  // namespace
}  // namespace kehou::enroll
