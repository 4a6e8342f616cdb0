// Safety on both databases: the three concerns linked to the roll call, unwell reports with their
// outbox rows and the doctor's view, handovers acknowledged only by the receiver, health notes
// shown only to the child's teachers, the doctor and the office, insurance coverage, the daily
// site check, incidents with guardian notice, other schools' ids, every export.
#include "attendance/service.h"

#include <gtest/gtest.h>

#include <set>

#include "catalog/test_fixture.h"
#include "db/testing.h"
#include "safety/rules.h"
#include "safety/service.h"
#include "testkit/xlsx_read.h"

namespace kehou::safety {
namespace {

class Safety : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
    m_ = testing::MakeMiniSchool(*t_.db, 4);
    day_ = testing::SessionWednesday();
    db().Write([&](db::Conn& c) {
      const int64_t now = NowMs();
      section_ = testing::AddGoSection(c, m_, "3:after_school");  // students 0..2 on the roster; student 3 is not
      other_staff_ = testing::AddStaff(c, m_, "李老师", "13900000002");
      doctor_staff_ = testing::AddStaff(c, m_, "张校医", "13900000003");
      auto user = [&](const char* login, const char* role, std::optional<int64_t> staff) {
        return c.Insert(
            "INSERT INTO users (login, password_hash, display_name, role, school_id, staff_id, created_at, updated_at)"
            " VALUES ($1, 'x', $1, $2, $3, $4, $5, $5) RETURNING id",
            {std::string(login), std::string(role), m_.school_id, db::Opt(staff), now});
      };
      teacher_ = Who(user("t1", "teacher", m_.staff_id), auth::Role::kTeacher, auth::Scope::kOwnSections, m_.staff_id);
      other_ = Who(user("t2", "teacher", other_staff_), auth::Role::kTeacher, auth::Scope::kOwnSections, other_staff_);
      doctor_ = Who(user("doc", "school_doctor", doctor_staff_), auth::Role::kSchoolDoctor, auth::Scope::kSchool,
                    doctor_staff_);
      guard_ = Who(user("gd", "guard", std::nullopt), auth::Role::kGuard, auth::Scope::kSchool, std::nullopt);
    });
  }
  auth::Principal Who(int64_t user, auth::Role role, auth::Scope scope, std::optional<int64_t> staff) const {
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
  int64_t At(int minutes) const { return LocalInstant(day_, minutes); }
  int64_t Count(const std::string& sql) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql)->Int(0); });
  }
  Json Unwell(size_t child) const {
    return {{"date", FormatDate(day_)},
            {"student_id", m_.students[child]},
            {"symptom", "发烧 38.2℃"},
            {"actions", {"rest", "guardian_called"}},
            {"note", "已在医务室休息"}};
  }
  db::TestDb t_;
  testing::MiniSchool m_;
  Date day_;
  int64_t section_ = 0, other_staff_ = 0, doctor_staff_ = 0;
  auth::Principal teacher_, other_, doctor_, guard_;
};

TEST_P(Safety, UnwellReachesTheDoctorAndTheGuardian) {
  auto early = ReportUnwell(db(), teacher_, std::nullopt, section_, Unwell(0), At(15 * 60));
  ASSERT_FALSE(early.ok());  // before the session starts
  EXPECT_EQ(early.error().code, kRuleBroken);
  auto r = ReportUnwell(db(), teacher_, std::nullopt, section_, Unwell(0), At(16 * 60));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["status"], "open");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'unwell:%' AND recipient_kind = 'guardian'"),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'report_unwell'"), 1);
  auto off_roster = ReportUnwell(db(), teacher_, std::nullopt, section_, Unwell(3), At(16 * 60));
  EXPECT_EQ(off_roster.error().field, "student_id");
  auto theirs = ReportUnwell(db(), other_, std::nullopt, section_, Unwell(1), At(16 * 60));
  EXPECT_EQ(theirs.error().code, kNotFound);  // another teacher's session
  auto list = ListUnwell(db(), doctor_, std::nullopt, ListQuery{});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ((*list)["open"], 1);
  const int64_t id = (*r)["id"];
  auto seen = SeeUnwell(db(), doctor_, std::nullopt, id, {{"note", "已退烧"}}, At(16 * 60 + 10));
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ((*seen)["status"], "seen");
  EXPECT_EQ(SeeUnwell(db(), doctor_, std::nullopt, id, Json::object(), At(17 * 60)).error().code, kConflict);
  EXPECT_EQ((*ListUnwell(db(), doctor_, std::nullopt, ListQuery{}))["open"], 0);
  EXPECT_EQ(SeeUnwell(db(), doctor_, m_.other_school_id, id, Json::object(), At(17 * 60)).error().code, kNotFound);
}

TEST_P(Safety, ConcernsFollowTheRollCall) {
  Json marks = Json::array();
  for (size_t i = 0; i < 3; ++i)
    marks.push_back({{"student_id", m_.students[i]}, {"status", i == 1 ? "absent" : "present"}});
  ASSERT_TRUE(attendance::SaveRoll(db(), teacher_, std::nullopt, section_,
                                   {{"date", FormatDate(day_)}, {"marks", marks}}, At(15 * 60 + 40))
                  .ok());
  Json body = {
      {"date", FormatDate(day_)}, {"absent", Json::array()}, {"late_pickup", Json::array()}, {"all_on_time", true}};
  auto missing = SaveConcerns(db(), teacher_, std::nullopt, section_, body, At(17 * 60 + 40));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, kRuleBroken);  // the roll's absence has no follow-up
  body["absent"] = {{{"student_id", m_.students[1]}, {"note", "已电话联系家长：在家发烧"}}};
  body["late_pickup"] = {{{"student_id", m_.students[2]}, {"note", "18:05 爷爷接走"}}};
  body["all_on_time"] = false;
  auto ok = SaveConcerns(db(), teacher_, std::nullopt, section_, body, At(17 * 60 + 40));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["concerns"]["absent"].size(), 1u);
  EXPECT_EQ((*ok)["concerns"]["late_pickup"].size(), 1u);
  EXPECT_FALSE((*ok)["concerns"]["all_on_time"].get<bool>());
  // saved again: replaced, not added
  ASSERT_TRUE(SaveConcerns(db(), teacher_, std::nullopt, section_, body, At(17 * 60 + 50)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM safety_concern_items"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'record_concerns'"), 2);
  auto read = SessionConcerns(db(), teacher_, std::nullopt, section_, day_, "", At(18 * 60));
  ASSERT_TRUE(read.ok());
  EXPECT_TRUE((*read)["roster"][1]["unexcused"].get<bool>() || (*read)["roster"][0]["unexcused"].get<bool>() ||
              (*read)["roster"][2]["unexcused"].get<bool>());
  EXPECT_EQ(SessionConcerns(db(), other_, std::nullopt, section_, day_, "", At(18 * 60)).error().code, kNotFound);
}

TEST_P(Safety, HandoverAcknowledgedOnlyByTheReceiver) {
  Json body = {{"to_user_id", doctor_.user_id},
               {"place", "医务室"},
               {"student_ids", {m_.students[0], m_.students[1]}},
               {"watch", "学生0 对花生过敏"}};
  auto h = CreateHandover(db(), teacher_, std::nullopt, body, NowMs());
  ASSERT_TRUE(h.ok()) << h.error().message;
  EXPECT_EQ((*h)["children"].size(), 2u);
  EXPECT_EQ((*h)["status"], "pending");
  const int64_t id = (*h)["id"];
  EXPECT_EQ(AcknowledgeHandover(db(), other_, std::nullopt, id, Json::object(), NowMs()).error().code, kNotFound);
  EXPECT_EQ(AcknowledgeHandover(db(), teacher_, std::nullopt, id, Json::object(), NowMs()).error().code, kForbidden);
  auto ack = AcknowledgeHandover(db(), doctor_, std::nullopt, id, {{"note", "已接"}}, NowMs());
  ASSERT_TRUE(ack.ok());
  EXPECT_EQ((*ack)["status"], "acknowledged");
  EXPECT_FALSE((*ack)["ack_at"].is_null());
  EXPECT_EQ(AcknowledgeHandover(db(), doctor_, std::nullopt, id, Json::object(), NowMs()).error().code, kConflict);
  EXPECT_EQ((*ListHandovers(db(), other_, std::nullopt, ListQuery{}))["items"].size(), 0u);  // not theirs
  EXPECT_EQ((*ListHandovers(db(), m_.office, std::nullopt, ListQuery{}))["items"].size(), 1u);
  body["to_user_id"] = teacher_.user_id;
  EXPECT_EQ(CreateHandover(db(), teacher_, std::nullopt, body, NowMs()).error().field, "to_user_id");  // self
  body["to_user_id"] = guard_.user_id;  // a guard without a staff record is not a recipient
  EXPECT_EQ(CreateHandover(db(), teacher_, std::nullopt, body, NowMs()).error().code, kNotFound);
}

TEST_P(Safety, HealthNotesOnlyForTheChildsTeachersTheDoctorAndTheOffice) {
  for (size_t i : {size_t{0}, size_t{3}})
    ASSERT_TRUE(
        CreateHealthNote(
            db(), doctor_, std::nullopt,
            {{"student_id", m_.students[i]}, {"kind", "allergy"}, {"detail", "花生过敏"}, {"care", "肾上腺素笔"}},
            NowMs())
            .ok());
  EXPECT_EQ(CreateHealthNote(db(), teacher_, std::nullopt,
                             {{"student_id", m_.students[0]}, {"kind", "allergy"}, {"detail", "x"}}, NowMs())
                .error()
                .code,
            kForbidden);
  EXPECT_EQ((*ListHealthNotes(db(), m_.office, std::nullopt, ListQuery{}))["items"].size(), 2u);
  EXPECT_EQ((*ListHealthNotes(db(), doctor_, std::nullopt, ListQuery{}))["items"].size(), 2u);
  // the teacher: only the children of their sessions (student 3 is not on their roster)
  auto mine = ListHealthNotes(db(), teacher_, std::nullopt, ListQuery{});
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ((*mine)["items"].size(), 1u);
  EXPECT_EQ((*mine)["items"][0]["student_id"], m_.students[0]);
  ListQuery q3;
  q3.student_id = m_.students[3];
  EXPECT_EQ(ListHealthNotes(db(), teacher_, std::nullopt, q3).error().code, kForbidden);
  ListQuery q0;
  q0.student_id = m_.students[0];
  EXPECT_TRUE(ListHealthNotes(db(), teacher_, std::nullopt, q0).ok());
  EXPECT_EQ(ListHealthNotes(db(), other_, std::nullopt, q0).error().code, kForbidden);  // another teacher
  EXPECT_EQ((*ListHealthNotes(db(), other_, std::nullopt, ListQuery{}))["items"].size(), 0u);
  EXPECT_EQ(ListHealthNotes(db(), guard_, std::nullopt, ListQuery{}).error().code, kForbidden);
  EXPECT_EQ(ListHealthNotes(db(), guard_, std::nullopt, q0).error().code, kForbidden);
  EXPECT_EQ(ListHealthNotes(db(), m_.office, m_.other_school_id, q0).error().code, kNotFound);
  EXPECT_GE(Count("SELECT COUNT(*) FROM read_log WHERE list = 'health_notes'"), 4);
}

TEST_P(Safety, InsuranceCoverageFlagsGapsAndUncoveredChildren) {
  auto term = db().Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT start_date, end_date FROM terms WHERE id = $1", {m_.term_id}); });
  const Date start = *ParseDate(term->Text(0)), end = *ParseDate(term->Text(1));
  ASSERT_TRUE(CreateInsurance(db(), m_.office, std::nullopt,
                              {{"kind", "liability"},
                               {"policy_no", "L-1"},
                               {"insurer", "人保"},
                               {"from_date", FormatDate(start)},
                               {"to_date", FormatDate(AddDays(end, -10))}},
                              NowMs())
                  .ok());
  ASSERT_TRUE(CreateInsurance(db(), m_.office, std::nullopt,
                              {{"kind", "accident"},
                               {"policy_no", "A-1"},
                               {"insurer", "平安"},
                               {"from_date", FormatDate(start)},
                               {"to_date", FormatDate(end)},
                               {"student_ids", {m_.students[0], m_.students[1]}}},
                              NowMs())
                  .ok());
  auto bad = CreateInsurance(db(), m_.office, std::nullopt,
                             {{"kind", "accident"},
                              {"policy_no", "A-2"},
                              {"insurer", "平安"},
                              {"from_date", FormatDate(end)},
                              {"to_date", FormatDate(start)}},
                             NowMs());
  EXPECT_EQ(bad.error().field, "to_date");
  auto list = ListInsurance(db(), m_.office, std::nullopt, ListQuery{}, TodayLocal());
  ASSERT_TRUE(list.ok()) << list.error().message;
  const Json& cov = (*list)["coverage"];
  EXPECT_EQ(cov["enrolled"], 4);
  EXPECT_EQ(cov["uncovered"].size(), 2u);
  ASSERT_EQ(cov["liability_gaps"].size(), 1u);
  EXPECT_EQ(cov["liability_gaps"][0]["to"], FormatDate(end));
  EXPECT_TRUE(cov["accident_gaps"].empty());
  EXPECT_FALSE(cov["ok"].get<bool>());
}

TEST_P(Safety, SiteChecksPatrolsIncidentsVisitorsAndExports) {
  auto issue = SaveSiteCheck(db(), guard_, std::nullopt,
                             {{"doors", "ok"}, {"windows", "issue"}, {"equipment", "ok"}, {"wiring", "ok"}}, NowMs());
  EXPECT_EQ(issue.error().field, "note");
  ASSERT_TRUE(
      SaveSiteCheck(
          db(), guard_, std::nullopt,
          {{"doors", "ok"}, {"windows", "issue"}, {"equipment", "ok"}, {"wiring", "ok"}, {"note", "三楼窗锁坏"}},
          NowMs())
          .ok());
  auto checks = ListSiteChecks(db(), m_.office, std::nullopt, ListQuery{}, NowMs());
  ASSERT_TRUE(checks.ok());
  EXPECT_EQ((*checks)["today"]["state"], "done");
  EXPECT_EQ((*checks)["items"][0]["issues"], 1);
  // Every past school day of the term (weekdays since it began 30 days ago) had no check.
  int weekdays = 0;
  for (int back = 1; back <= kMissedCheckDays; ++back)
    if (IsoWeekday(AddDays(TodayLocal(), -back)) <= 5 && !(AddDays(TodayLocal(), -back) < AddDays(TodayLocal(), -30)))
      ++weekdays;
  EXPECT_EQ((*checks)["missed_days"].size(), static_cast<size_t>(weekdays));
  auto p =
      CreatePatrol(db(), guard_, std::nullopt, {{"area", "操场"}, {"ok", false}, {"findings", "围栏松动"}}, NowMs());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ((*ListPatrols(db(), m_.office, std::nullopt, ListQuery{}))["open"], 1);
  ASSERT_TRUE(FollowUpPatrol(db(), m_.office, std::nullopt, (*p)["id"], {{"follow_up", "已加固"}}, NowMs()).ok());
  EXPECT_EQ((*ListPatrols(db(), m_.office, std::nullopt, ListQuery{}))["open"], 0);
  auto inc = CreateIncident(db(), m_.office, std::nullopt,
                            {{"level", "minor"},
                             {"student_id", m_.students[2]},
                             {"place", "操场"},
                             {"description", "跑步摔倒擦伤膝盖"},
                             {"actions", "校医消毒包扎"}},
                            NowMs());
  ASSERT_TRUE(inc.ok()) << inc.error().message;
  EXPECT_TRUE((*inc)["guardian_notified"].get<bool>());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox WHERE event_key LIKE 'incident:%'"), 1);
  auto v = CreateVisitor(db(), guard_, std::nullopt,
                         {{"name", "赵师傅"}, {"purpose", "维修电路"}, {"mobile", "13912345678"}}, NowMs());
  ASSERT_TRUE(v.ok());
  EXPECT_EQ((*ListVisitors(db(), guard_, std::nullopt, ListQuery{}))["inside"], 1);
  ASSERT_TRUE(VisitorOut(db(), guard_, std::nullopt, (*v)["id"], NowMs()).ok());
  EXPECT_EQ(VisitorOut(db(), guard_, std::nullopt, (*v)["id"], NowMs()).error().code, kConflict);
  ASSERT_TRUE(CreateDrill(db(), m_.office, std::nullopt,
                          {{"date", FormatDate(TodayLocal())},
                           {"kind", "消防疏散"},
                           {"participants", 300},
                           {"record", "3 分钟疏散完毕"}},
                          NowMs())
                  .ok());
  auto sum = Summary(db(), m_.office, std::nullopt, std::nullopt, NowMs());
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ((*sum)["site_check"], "done");
  EXPECT_EQ((*sum)["incidents_today"], 1);
  EXPECT_EQ((*sum)["drill"], "done");
  for (const char* list : {"unwell", "handovers", "health_notes", "insurance", "site_checks", "patrols", "incidents",
                           "drills", "visitors"}) {
    auto f = Export(db(), m_.office, std::nullopt, list, ListQuery{}, NowMs());
    ASSERT_TRUE(f.ok()) << list;
    auto book = testkit::ReadXlsx(f->bytes);
    ASSERT_TRUE(book.ok()) << list << ": " << book.error;
    EXPECT_FALSE(book.sheets[0].Cell(0, 0).empty()) << list << ": a header row";
    const std::set<std::string_view> made_above = {"site_checks", "patrols", "incidents", "drills", "visitors"};
    if (made_above.count(list)) {
      EXPECT_GE(book.sheets[0].rows.size(), 2u) << list << ": the records made above";
    }
  }
  EXPECT_EQ(Export(db(), guard_, std::nullopt, "health_notes", ListQuery{}, NowMs()).error().code, kForbidden);
  EXPECT_EQ(Export(db(), guard_, std::nullopt, "incidents", ListQuery{}, NowMs()).error().code, kForbidden);
  EXPECT_TRUE(Export(db(), guard_, std::nullopt, "visitors", ListQuery{}, NowMs()).ok());
}

INSTANTIATE_TEST_SUITE_P(Db, Safety, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::safety
