// Registration use cases against a real database: SQLite always, PostgreSQL too when
// KEHOU_TEST_PG holds a URL (skipped otherwise).
#include "enroll/service.h"

#include <gtest/gtest.h>

#include <set>

#include "db/testing.h"
#include "enroll/rules.h"

namespace kehou::enroll {
namespace {

using auth::Role;
using auth::Scope;

Date D(const char* s) { return *ParseDate(s); }

class EnrollServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "KEHOU_TEST_PG not set";
    db_ = t_.db.get();
    db_->Write([&](db::Conn& c) {
      int64_t area = c.Insert("INSERT INTO areas (kind, name) VALUES ('county', '东城区') RETURNING id", {});
      auto school = [&](const char* name) {
        return c.Insert("INSERT INTO schools (area_id, name, level, type, created_at) VALUES ($1, $2, 'nine_year',"
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
        return c.Insert("INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at)"
                        " VALUES ($1, $2, 'in_school', $3, 0, 0) RETURNING id",
                        {s, std::string(name), std::string(mobile)});
      };
      teacher_a_ = staff(school_, "王老师", "13800000001");
      teacher_b_ = staff(school_, "李老师", "13800000002");
      int64_t g3 = grade(school_, 3), g8 = grade(school_, 8), og3 = grade(other_school_, 3);
      auto cls = [&](int64_t s, int64_t g, int n, const char* name, std::optional<int64_t> t) {
        return c.Insert("INSERT INTO classes (school_id, grade_id, name, number, class_teacher_id)"
                        " VALUES ($1, $2, $3, $4, $5) RETURNING id",
                        {s, g, std::string(name), int64_t{n}, db::Opt(t)});
      };
      class_a_ = cls(school_, g3, 1, "三年级(1)班", teacher_a_);
      class_b_ = cls(school_, g3, 2, "三年级(2)班", teacher_b_);
      class_j_ = cls(school_, g8, 1, "八年级(1)班", std::nullopt);  // no class teacher
      int64_t other_class = cls(other_school_, og3, 1, "三年级(1)班", std::nullopt);
      auto student = [&](int64_t s, int64_t k, const char* no, const char* name) {
        return c.Insert("INSERT INTO students (school_id, student_no, name, gender, class_id, created_at, updated_at)"
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
      term_ = c.Insert("INSERT INTO terms (school_id, name, start_date, end_date, excluded_weekdays, is_current)"
                       " VALUES ($1, '2025秋季学期', '2025-09-01', '2026-01-16', '4', 1) RETURNING id",
                       {school_});
      other_term_ = c.Insert("INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
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

  Json ans{{"wants_service", true}, {"days", {1, 2}}, {"bands", {"after_school"}}, {"interests", {"sports"}},
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
  Json bad{{"term_id", term_}, {"title", "x"}, {"grades", {3}}, {"bands", {"evening"}},
           {"opens_on", "2025-09-01"}, {"closes_on", "2025-09-15"}};
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

TEST_P(EnrollServiceTest, TheWholeChainWithSignatureAndHistory) {
  int64_t old_agreement = Agreement("旧版协议");
  int64_t agreement = Agreement("托管协议正文：每日 17:30 前接回。");
  Json a = Must(CreateApplication(*db_, Guardian(g1_), Form(s1_, Json{{"mode", "guardian"}, {"guardian_id", g2_}}), today_));
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
  EXPECT_EQ(SignApplication(*db_, Guardian(g1_), id, Json{{"agreement_id", agreement}, {"agreement_hash", "00"}}, {}, today_)
                .error()
                .code,
            kConflict);
  ExpectTheFirstSignature(Must(SignApplication(
      *db_, Guardian(g1_), id, Json{{"agreement_id", agreement}, {"agreement_hash", TextHash("托管协议正文：每日 17:30 前接回。")}},
      {"Mozilla/5.0 (iPhone)", "10.1.2.3"}, today_)));
  EXPECT_EQ(SignApplication(*db_, Guardian(g2_), id, Json{{"agreement_id", agreement}}, {}, today_).error().code,
            kConflict);  // this version is already signed

  Json sub = Must(SubmitApplication(*db_, Guardian(g1_), id, today_));
  EXPECT_EQ(sub["status"], "submitted");
  EXPECT_FALSE(sub["editable"].get<bool>());
  EXPECT_EQ(UpdateApplication(*db_, Guardian(g1_), id, Json{{"days", {1}}}, today_).error().code, kRuleBroken);

  // Class review: another class's teacher cannot see it; a return needs a reason.
  EXPECT_EQ(ClassReview(*db_, TeacherB(), std::nullopt, id, Json{{"decision", "approve"}}, today_).error().code, kNotFound);
  EXPECT_EQ(ClassReview(*db_, Office(), std::nullopt, id, Json{{"decision", "approve"}}, today_).error().code, kForbidden);
  EXPECT_EQ(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "return"}}, today_).error().code, kInvalid);
  Json ret = Must(ClassReview(*db_, TeacherA(), std::nullopt, id,
                              Json{{"decision", "return"}, {"reason", "请补充接送人信息"}}, today_));
  EXPECT_EQ(ret["status"], "returned");

  // The guardian edits (version 3): the old signature stays but no longer covers the application.
  Json v3 = Must(UpdateApplication(*db_, Guardian(g1_), id,
                                   Json{{"pickup", {{"mode", "proxy"}, {"proxy_name", "王阿姨"}, {"proxy_mobile", "13912345678"}}}},
                                   today_));
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

TEST_P(EnrollServiceTest, HistoryCountIsExact) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}, {"reason", "同意"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "return"}, {"reason", "协议未填全"}}));
  Json full = Must(GetApplication(*db_, Office(), std::nullopt, id, today_));
  ASSERT_EQ(full["history"].size(), 3u);
  EXPECT_EQ(full["status"], "returned");
  EXPECT_EQ(full["history"][2]["reason"], "协议未填全");
  EXPECT_TRUE(full["editable"].get<bool>());
}

TEST_P(EnrollServiceTest, NobodyIsEnrolledWithoutASignedSubmittedApplication) {
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

TEST_P(EnrollServiceTest, PrincipalBatchIsAllOrNothing) {
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

TEST_P(EnrollServiceTest, OfficeReviewsAClassWithoutClassTeacher) {
  int64_t ag = Agreement();
  Json a = Must(CreateApplication(*db_, Guardian(g1_),
                                  Json{{"student_id", s3_}, {"days", {1}}, {"bands", {"evening"}}, {"pickup", {{"mode", "self"}}}},
                                  today_));
  int64_t id = a["id"];
  Must(SignApplication(*db_, Guardian(g1_), id, Json{{"agreement_id", ag}}, {}, today_));
  Must(SubmitApplication(*db_, Guardian(g1_), id, today_));
  EXPECT_EQ(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_).error().code, kNotFound);
  Json ok = Must(ClassReview(*db_, Office(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  EXPECT_EQ(ok["status"], "class_approved");
  // Evening for a grade-3 child is refused at application time too.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g3_),
                              Json{{"student_id", s2_}, {"days", {1}}, {"bands", {"evening"}}, {"pickup", {{"mode", "self"}}}},
                              today_)
                .error()
                .code,
            kRuleBroken);
}

// Issue 11: a grade leader who is also a class teacher (one account, Scope::kGrade) reads the grade
// they lead and reviews their own class's applications as its class teacher; another class of
// the grade they read but do not review; a grade they do not lead they do not see.
TEST_P(EnrollServiceTest, AGradeLeaderWhoIsAClassTeacherReviewsTheirClass) {
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

TEST_P(EnrollServiceTest, ApplicationInputRules) {
  // The pickup guardian must be the child's guardian; a proxy needs a valid mobile.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s1_, Json{{"mode", "guardian"}, {"guardian_id", g3_}}), today_)
                .error()
                .code,
            kInvalid);
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_),
                              Form(s1_, Json{{"mode", "proxy"}, {"proxy_name", "王阿姨"}, {"proxy_mobile", "123"}}), today_)
                .error()
                .field,
            "pickup.proxy_mobile");
  // Another family's child: not found.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s2_), today_).error().code, kNotFound);
  // After the term: refused.
  EXPECT_EQ(CreateApplication(*db_, Guardian(g1_), Form(s1_), D("2026-01-17")).error().code, kRuleBroken);
  // When the school has dismissal batches, an after-school application names one.
  int64_t batch = Must(CreateBatch(*db_, Office(), std::nullopt, Json{{"name", "第一批"}, {"leave_time", "17:10"}}))["id"];
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

TEST_P(EnrollServiceTest, ExitEndsTheServiceAndTheRecordStays) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  // Only an approved application can end.
  EXPECT_EQ(CreateExit(*db_, Guardian(g1_), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-01"}}, today_)
                .error()
                .code,
            kRuleBroken);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  Date today = D("2025-10-10");
  // A guardian cannot backdate; nobody goes before the term start; a teacher cannot end it.
  EXPECT_EQ(CreateExit(*db_, Guardian(g1_), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-09"}}, today)
                .error()
                .code,
            kRuleBroken);
  EXPECT_EQ(CreateExit(*db_, Office(), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-08-31"}}, today)
                .error()
                .code,
            kRuleBroken);
  EXPECT_EQ(CreateExit(*db_, TeacherA(), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
                .error()
                .code,
            kForbidden);
  EXPECT_EQ(CreateExit(*db_, Guardian(g3_), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
                .error()
                .code,
            kNotFound);
  Json e = Must(CreateExit(*db_, Office(), std::nullopt,
                           Json{{"application_id", id}, {"effective_date", "2025-10-08"}, {"reason", "家长申请退出"}}, today));
  EXPECT_EQ(e["effective_date"], "2025-10-08");
  EXPECT_EQ(CreateExit(*db_, Guardian(g2_), std::nullopt, Json{{"application_id", id}, {"effective_date", "2025-10-20"}}, today)
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

TEST_P(EnrollServiceTest, LookedAfterChildrenAppearInTheRosterWithANeutralLabel) {
  int64_t ag = Agreement();
  int64_t id = Submitted(g1_, s1_, ag);
  Must(ClassReview(*db_, TeacherA(), std::nullopt, id, Json{{"decision", "approve"}}, today_));
  Must(PrincipalReview(*db_, Head(), std::nullopt, Json{{"ids", {id}}, {"decision", "approve"}}));
  // s2 is not enrolled but stays for a special reason.
  Json la = Must(CreateLookedAfter(*db_, TeacherA(), std::nullopt,
                                   Json{{"student_id", s2_}, {"reason", "家长临时出差"}, {"start_date", "2025-09-08"},
                                        {"end_date", "2025-09-19"}},
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
  EXPECT_EQ(CreateLookedAfter(*db_, Office(), std::nullopt, Json{{"student_id", s5_}, {"reason", ""}}, today_).error().code,
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
  EXPECT_EQ(Must(Roster(*db_, Office(), std::nullopt, std::nullopt, std::nullopt, D("2025-09-22"), today_))["items"].size(), 1u);
  Json upd = Must(UpdateLookedAfter(*db_, Office(), std::nullopt, la["id"], Json{{"end_date", "2025-09-12"}}));
  EXPECT_EQ(upd["end_date"], "2025-09-12");
  EXPECT_EQ(Must(ListLookedAfter(*db_, TeacherA(), std::nullopt, std::nullopt, std::nullopt))["items"].size(), 1u);
  EXPECT_EQ(Must(ListLookedAfter(*db_, TeacherB(), std::nullopt, std::nullopt, std::nullopt))["items"].size(), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'looked_after'"), 2);
}

std::string DialectName(const ::testing::TestParamInfo<std::string>& p) { return p.param; }
INSTANTIATE_TEST_SUITE_P(Db, EnrollServiceTest, ::testing::Values("sqlite", "postgres"), DialectName);

}  // namespace
}  // namespace kehou::enroll
