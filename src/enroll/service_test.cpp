// Registration use cases against a real database: surveys, agreements and the whole application chain.
#include "enroll/service_test.h"

namespace kehou::enroll {
namespace {

using namespace testing_fixture;  // NOLINT

// ---- surveys -------------------------------------------------------------------------------------

TEST_P(EnrollServiceTest, SurveyAnswersAndResultsPerClassAndGrade) {
  Json s = Must(CreateSurvey(*db_, Office(), std::nullopt,
                             Json{{"term_id", term_},
                                  {"title", "秋季课后服务需求征询"},
                                  {"grades", {3, 8}},
                                  {"opens_on", "2025-09-01"},
                                  {"closes_on", "2025-09-15"}}));
  int64_t id = s["id"];
  EXPECT_EQ(s["bands"].size(), 4u);  // evening added for grade 8 by default
  EXPECT_EQ(s["interests"].size(), 8u);

  // A guardian sees the survey with both children in scope.
  Json mine = Must(ListSurveys(*db_, Guardian(g1_), std::nullopt, std::nullopt, today_));
  ASSERT_EQ(mine["items"].size(), 1u);
  EXPECT_EQ(mine["items"][0]["children"].size(), 2u);

  Json ans{{"wants_service", true},
           {"days", {1, 2}},
           {"bands", {"after_school"}},
           {"interests", {"sports"}},
           {"free_text", "希望多些体育活动"}};
  Must(PutSurveyAnswer(*db_, Guardian(g1_), id, s1_, ans, today_));
  // The other guardian edits the same one answer: still one row.
  ans["days"] = {1, 2, 5};
  Must(PutSurveyAnswer(*db_, Guardian(g2_), id, s1_, ans, today_));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM survey_answers WHERE student_id = $1", {s1_}), 1);
  // Evening for a grade-3 child is refused; for grade 8 it is fine.
  Json eve{{"wants_service", true}, {"days", {1}}, {"bands", {"evening"}}};
  EXPECT_EQ(PutSurveyAnswer(*db_, Guardian(g1_), id, s1_, eve, today_).error().code, kRuleBroken);
  Must(PutSurveyAnswer(*db_, Guardian(g1_), id, s3_, eve, today_));
  // Another family's child: not found. Closed survey: refused.
  EXPECT_EQ(PutSurveyAnswer(*db_, Guardian(g1_), id, s2_, ans, today_).error().code, kNotFound);
  EXPECT_EQ(PutSurveyAnswer(*db_, Guardian(g1_), id, s1_, ans, D("2025-09-16")).error().code, kRuleBroken);
  EXPECT_EQ(PutSurveyAnswer(*db_, Guardian(g1_), id, s1_, ans, D("2025-08-31")).error().code, kRuleBroken);

  Json r = Must(SurveyResults(*db_, Office(), std::nullopt, id));
  EXPECT_EQ(r["total"]["children"], 4);  // s1, s2, s5 in grade 3; s3 in grade 8
  EXPECT_EQ(r["total"]["answered"], 2);
  EXPECT_DOUBLE_EQ(r["total"]["response_rate"].get<double>(), 0.5);
  EXPECT_EQ(r["total"]["days"]["5"], 1);
  EXPECT_EQ(r["total"]["bands"]["evening"], 1);
  ASSERT_EQ(r["grades"].size(), 2u);
  EXPECT_EQ(r["grades"][0]["grade"], 3);
  EXPECT_EQ(r["grades"][0]["children"], 3);
  EXPECT_EQ(r["grades"][0]["answered"], 1);
  ASSERT_EQ(r["classes"].size(), 3u);
  EXPECT_EQ(r["classes"][0]["class_name"], "三年级(1)班");
  EXPECT_DOUBLE_EQ(r["classes"][0]["response_rate"].get<double>(), 0.5);
  EXPECT_EQ(r["free_texts"].size(), 1u);

  // A class teacher sees their own class only.
  Json mine_a = Must(SurveyResults(*db_, TeacherA(), std::nullopt, id));
  EXPECT_EQ(mine_a["total"]["children"], 2);
  ASSERT_EQ(mine_a["classes"].size(), 1u);

  // Scope changes are refused once answers exist; dates may still move.
  EXPECT_EQ(UpdateSurvey(*db_, Office(), std::nullopt, id, Json{{"grades", {3}}}).error().code, kConflict);
  Must(UpdateSurvey(*db_, Office(), std::nullopt, id, Json{{"closes_on", "2025-09-20"}}));

  auto x = Must(ExportSurvey(*db_, Office(), std::nullopt, id, "summary"));
  EXPECT_EQ(x.bytes.substr(0, 2), "PK");
  auto y = Must(ExportSurvey(*db_, TeacherA(), std::nullopt, id, "answers"));
  EXPECT_EQ(y.bytes.substr(0, 2), "PK");
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'survey_answer'"), 3);
}

TEST_P(EnrollServiceTest, SurveyDefinitionRules) {
  Json bad{
      {"term_id", term_},         {"title", "x"}, {"grades", {3}}, {"bands", {"evening"}}, {"opens_on", "2025-09-01"},
      {"closes_on", "2025-09-15"}};
  EXPECT_EQ(CreateSurvey(*db_, Office(), std::nullopt, bad).error().code, kRuleBroken);
  bad["bands"] = {"after_school"};
  bad["closes_on"] = "2026-01-17";  // after the term
  EXPECT_EQ(CreateSurvey(*db_, Office(), std::nullopt, bad).error().code, kRuleBroken);
  bad["closes_on"] = "2026-01-16";
  bad["term_id"] = other_term_;  // another school's term
  EXPECT_EQ(CreateSurvey(*db_, Office(), std::nullopt, bad).error().code, kNotFound);
}

// ---- agreements ----------------------------------------------------------------------------------

TEST_P(EnrollServiceTest, AgreementVersionsOneCurrent) {
  int64_t v1 = Agreement("第一版");
  int64_t v2 = Agreement("第二版");
  Json cur = Must(CurrentAgreement(*db_, Guardian(g1_), std::nullopt, std::nullopt, s1_));
  EXPECT_EQ(cur["id"], v2);
  EXPECT_EQ(cur["version"], 2);
  EXPECT_EQ(cur["body_hash"], TextHash("第二版"));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM agreements WHERE is_current = 1"), 1);
  EXPECT_FALSE(Must(GetAgreement(*db_, Office(), std::nullopt, v1))["is_current"].get<bool>());
  // A family of another school cannot read it.
  EXPECT_EQ(GetAgreement(*db_, Guardian(g2_ + 100), std::nullopt, v1).error().code, kNotFound);
}

// ---- applications --------------------------------------------------------------------------------

// TheWholeChainWithSignatureAndHistory's checks of the first signature and of the record the guardian
// reads at the end (approved, the history with reviewer, time and reason, both signatures as signed).
void ExpectTheFirstSignature(const Json& signed_) {
  EXPECT_TRUE(signed_["signed_current_version"].get<bool>());
  EXPECT_EQ(signed_["signature"]["text_hash"], TextHash("托管协议正文：每日 17:30 前接回。"));
  EXPECT_EQ(signed_["signature"]["device"], "Mozilla/5.0 (iPhone)");
  EXPECT_EQ(signed_["signature"]["client"], "10.1.2.3");
  EXPECT_EQ(signed_["signature"]["signer_name"], "张爸爸");
  EXPECT_EQ(signed_["signature"]["application_version"], 2);
}
void ExpectTheChainsRecord(const Json& full) {
  EXPECT_EQ(full["status"], "approved");
  EXPECT_TRUE(full["enrolled_today"].get<bool>());
  ASSERT_EQ(full["history"].size(), 5u);  // submit, class_return, submit, class_approve, approve
  EXPECT_EQ(full["history"][1]["action"], "class_return");
  EXPECT_EQ(full["history"][1]["reason"], "请补充接送人信息");
  EXPECT_EQ(full["history"][1]["role"], "class_teacher");
  EXPECT_FALSE(full["history"][1]["at"].get<std::string>().empty());
  EXPECT_EQ(full["history"][4]["action"], "approve");
  EXPECT_EQ(full["history"][4]["user_name"], "校长");
  // Both signatures are kept as they were signed.
  ASSERT_EQ(full["signatures"].size(), 2u);
  EXPECT_EQ(full["signatures"][0]["application_version"], 2);
  EXPECT_EQ(full["signatures"][0]["form"]["pickup"]["mode"], "guardian");
  EXPECT_EQ(full["signatures"][1]["form"]["pickup"]["mode"], "proxy");
}

// Class review: another class's teacher cannot see the application, the office may not review it
// for the class, and a return needs a reason.
void ExpectOnlyTheClassTeacherReviewsWithAReason(db::Db& db, const auth::Principal& other_teacher,
                                                 const auth::Principal& office, const auth::Principal& teacher,
                                                 int64_t id, Date today) {
  EXPECT_EQ(ClassReview(db, other_teacher, std::nullopt, id, Json{{"decision", "approve"}}, today).error().code,
            kNotFound);
  EXPECT_EQ(ClassReview(db, office, std::nullopt, id, Json{{"decision", "approve"}}, today).error().code, kForbidden);
  EXPECT_EQ(ClassReview(db, teacher, std::nullopt, id, Json{{"decision", "return"}}, today).error().code, kInvalid);
}

TEST_P(EnrollServiceTest, TheWholeChainWithSignatureAndHistory) {
  int64_t old_agreement = Agreement("旧版协议");
  int64_t agreement = Agreement("托管协议正文：每日 17:30 前接回。");
  Json a =
      Must(CreateApplication(*db_, Guardian(g1_), Form(s1_, Json{{"mode", "guardian"}, {"guardian_id", g2_}}), today_));
  int64_t id = a["id"];
  EXPECT_EQ(a["status"], "draft");
  EXPECT_EQ(a["pickup"]["guardian_name"], "张妈妈");

  // The other guardian sees the same one application; a second one is refused.
  auto again = CreateApplication(*db_, Guardian(g2_), Form(s1_), today_);
  EXPECT_EQ(again.error().code, kConflict);
  Json list = Must(ListApplications(*db_, Guardian(g2_), std::nullopt, {}));
  ASSERT_EQ(list["total"], 1);
  EXPECT_EQ(list["items"][0]["id"], id);
  // And edits it (a new version).
  Json edited = Must(UpdateApplication(*db_, Guardian(g2_), id, Json{{"days", {1, 2, 3, 5}}, {"version", 1}}, today_));
  EXPECT_EQ(edited["version"], 2);
  // A stale version is refused.
  EXPECT_EQ(UpdateApplication(*db_, Guardian(g1_), id, Json{{"days", {1}}, {"version", 1}}, today_).error().code,
            kConflict);
  // Thursday is excluded this term.
  EXPECT_EQ(UpdateApplication(*db_, Guardian(g1_), id, Json{{"days", {4}}}, today_).error().code, kRuleBroken);

  // Submitting unsigned is refused; signing an old version of the agreement too.
  EXPECT_EQ(SubmitApplication(*db_, Guardian(g1_), id, today_).error().code, kRuleBroken);
  EXPECT_EQ(SignApplication(*db_, Guardian(g1_), id, Json{{"agreement_id", old_agreement}}, {}, today_).error().code,
            kConflict);
  EXPECT_EQ(
      SignApplication(*db_, Guardian(g1_), id, Json{{"agreement_id", agreement}, {"agreement_hash", "00"}}, {}, today_)
          .error()
          .code,
      kConflict);
  ExpectTheFirstSignature(Must(SignApplication(
      *db_, Guardian(g1_), id,
      Json{{"agreement_id", agreement}, {"agreement_hash", TextHash("托管协议正文：每日 17:30 前接回。")}},
      {"Mozilla/5.0 (iPhone)", "10.1.2.3"}, today_)));
  EXPECT_EQ(SignApplication(*db_, Guardian(g2_), id, Json{{"agreement_id", agreement}}, {}, today_).error().code,
            kConflict);  // this version is already signed

  Json sub = Must(SubmitApplication(*db_, Guardian(g1_), id, today_));
  EXPECT_EQ(sub["status"], "submitted");
  EXPECT_FALSE(sub["editable"].get<bool>());
  EXPECT_EQ(UpdateApplication(*db_, Guardian(g1_), id, Json{{"days", {1}}}, today_).error().code, kRuleBroken);

  ExpectOnlyTheClassTeacherReviewsWithAReason(*db_, TeacherB(), Office(), TeacherA(), id, today_);
  Json ret = Must(ClassReview(*db_, TeacherA(), std::nullopt, id,
                              Json{{"decision", "return"}, {"reason", "请补充接送人信息"}}, today_));
  EXPECT_EQ(ret["status"], "returned");

  // The guardian edits (version 3): the old signature stays but no longer covers the application.
  Json v3 = Must(UpdateApplication(
      *db_, Guardian(g1_), id,
      Json{{"pickup", {{"mode", "proxy"}, {"proxy_name", "王阿姨"}, {"proxy_mobile", "13912345678"}}}}, today_));
  EXPECT_EQ(v3["version"], 3);
  EXPECT_FALSE(v3["signed_current_version"].get<bool>());
  EXPECT_EQ(SubmitApplication(*db_, Guardian(g1_), id, today_).error().code, kRuleBroken);
  Must(SignApplication(*db_, Guardian(g2_), id, Json{{"agreement_id", agreement}}, {"UA2", "10.0.0.2"}, today_));
  Must(SubmitApplication(*db_, Guardian(g2_), id, today_));
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));

  // Principal's batch: only leaders; a return needs a reason.
  EXPECT_EQ(PrincipalReview(*db_, Office(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}).error().code,
            kForbidden);
  EXPECT_EQ(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "reject"}}).error().code,
            kInvalid);
  EXPECT_FALSE(Enrolled(s1_, today_));
  Json batch = Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  EXPECT_EQ(batch["decided"], 1);
  EXPECT_TRUE(Enrolled(s1_, today_));

  // The guardian sees status and the whole history with reviewer, time and reason.
  Json full = Must(GetApplication(*db_, Guardian(g2_), std::nullopt, id, today_));
  ExpectTheChainsRecord(full);
  // Another family and another class teacher see nothing.
  EXPECT_EQ(GetApplication(*db_, Guardian(g3_), std::nullopt, id, today_).error().code, kNotFound);
  EXPECT_EQ(GetApplication(*db_, TeacherB(), std::nullopt, id, today_).error().code, kNotFound);
  EXPECT_GE(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'application' AND entity_id = $1", {id}), 9);
}

// What other modules read (ApprovedOf, which joins the signatures in one statement since session
// 20, docs/ARCHITECTURE.md note 15): one row for an application however many of its versions are
// signed, signed only while its current version is.
TEST_P(EnrollServiceTest, ApprovedOfReadsOneRowSignedOnlyForTheCurrentVersion) {
  int64_t id = Submitted(g1_, s1_, Agreement());
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  auto approved = [&] { return db_->Read([&](db::Conn& c) { return ApprovedOf(c, school_, term_, std::nullopt); }); };
  auto bump = [&](bool sign) {  // the next version, signed again or not
    db_->Write([&](db::Conn& c) {
      c.Exec("UPDATE applications SET version = version + 1 WHERE id = $1", {id});
      if (sign)
        c.Exec(
            "INSERT INTO application_signatures (school_id, application_id, application_version, agreement_id,"
            " agreement_version, text_hash, form_json, user_id, guardian_id, signer_name, device, client, signed_at)"
            " SELECT s.school_id, s.application_id, a.version, s.agreement_id, s.agreement_version, s.text_hash,"
            " s.form_json, s.user_id, s.guardian_id, s.signer_name, s.device, s.client, s.signed_at"
            " FROM application_signatures s JOIN applications a ON a.id = s.application_id"
            " WHERE s.application_id = $1 AND s.application_version = a.version - 1",
            {id});
    });
  };
  std::vector<Enrolment> rows = approved();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].application_id, id);
  EXPECT_EQ(rows[0].student_id, s1_);
  EXPECT_TRUE(rows[0].signed_current_version);
  bump(true);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM application_signatures WHERE application_id = $1", {id}), 2);
  rows = approved();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_TRUE(rows[0].signed_current_version);
  EXPECT_TRUE(Enrolled(s1_, today_));
  bump(false);
  rows = approved();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_FALSE(rows[0].signed_current_version);
  EXPECT_FALSE(Enrolled(s1_, today_));
}

INSTANTIATE_TEST_SUITE_P(Db, EnrollServiceTest, ::testing::Values("sqlite", "postgres"), DialectName);

}  // namespace
}  // namespace kehou::enroll
