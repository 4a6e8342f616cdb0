// Attendance on both databases: sessions from weekly slots, the roll call's window and audit,
// alerts with their outbox rows, leave on the roster, swipes de-duplicated and reconciled.
#include <gtest/gtest.h>

#include "attendance/service.h"
#include "attendance/store.h"
#include "catalog/test_fixture.h"
#include "db/testing.h"

namespace kehou::attendance {
namespace {

class Attendance : public ::testing::TestWithParam<std::string> {
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
      c.Exec("INSERT INTO service_bands (school_id, term_id, kind, start_time, end_time) VALUES ($1, $2, 'after_school',"
             " '15:30', '17:30')",
             {m_.school_id, m_.term_id});
      int64_t course = c.Insert(
          "INSERT INTO courses (school_id, term_id, name, category, grades, capacity, teacher_staff_id, slots, created_at,"
          " updated_at) VALUES ($1, $2, '围棋', 'interest', '3,4', 40, $3, '3:after_school,5:after_school', $4, $4) RETURNING id",
          {m_.school_id, m_.term_id, m_.staff_id, now});
      section_ = c.Insert("INSERT INTO sections (school_id, course_id, name, capacity, taken, created_at) VALUES ($1, $2, '围棋1班',"
                          " 40, 3, $3) RETURNING id",
                          {m_.school_id, course, now});
      for (int i = 0; i < 3; ++i)
        c.Exec("INSERT INTO selections (school_id, section_id, student_id, source, created_at) VALUES ($1, $2, $3, 'manual', $4)",
               {m_.school_id, section_, m_.students[static_cast<size_t>(i)], now});
      c.Exec("UPDATE classes SET class_teacher_id = $1 WHERE id = $2", {m_.staff_id, m_.class3});
      other_staff_ = c.Insert("INSERT INTO staff (school_id, name, kind, mobile, created_at, updated_at) VALUES ($1, '李老师',"
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
    for (size_t i = 0; i < statuses.size(); ++i) marks.push_back({{"student_id", m_.students[i]}, {"status", statuses[i]}});
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

TEST_P(Attendance, SessionsComeFromSlotsOnTeachingDays) {
  auto s = db().Read([&](db::Conn& c) { return store::SessionsOn(c, m_.school_id, day_); });
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].section_id, section_);
  EXPECT_EQ(s[0].time.start, 15 * 60 + 30);
  EXPECT_EQ(s[0].teacher, "王老师");
  Date thursday = AddDays(day_, 1), saturday = AddDays(day_, 3);
  EXPECT_TRUE(db().Read([&](db::Conn& c) { return store::SessionsOn(c, m_.school_id, thursday); }).empty());
  EXPECT_TRUE(db().Read([&](db::Conn& c) { return store::SessionsOn(c, m_.school_id, saturday); }).empty());
  // A teacher sees their own sessions only.
  auto mine = ListSessions(db(), teacher_, std::nullopt, day_, At(600));
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["total"], 1);
  EXPECT_EQ((*ListSessions(db(), Teacher(other_staff_), std::nullopt, day_, At(600)))["total"], 0);
  auto theirs = SessionRoster(db(), Teacher(other_staff_), std::nullopt, section_, day_, "", At(600));
  ASSERT_FALSE(theirs.ok());
  EXPECT_EQ(theirs.error().code, kNotFound);
  // Another school's office: not found.
  auth::Principal stranger = m_.office;
  stranger.school_id = m_.other_school_id;
  EXPECT_EQ(SessionRoster(db(), stranger, std::nullopt, section_, day_, "", At(600)).error().code, kNotFound);
}

TEST_P(Attendance, RollSavedWholeEditableUntilTheEndThenOfficeAudited) {
  auto partial = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "late"}), At(16 * 60));
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.error().code, kInvalid);
  auto ok = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "late", "present"}), At(17 * 60 + 29));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["counts"]["late"], 1);
  auto after = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "present"}), At(17 * 60 + 30));
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, kRuleBroken);
  auto office = SaveRoll(db(), m_.office, std::nullopt, section_, Roll({"present", "present", "present"}), At(18 * 60));
  ASSERT_TRUE(office.ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'roll_call'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'roll_call_late_edit'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE status = 'present'"), 3);
}

TEST_P(Attendance, UnexcusedAbsenceAlertsOnceAndLeaveExcuses) {
  // Child 1 (grade 4) has leave, asked the day before; child 2 is absent without leave.
  auto leave = CreateLeave(db(), m_.Guardian(1), {{"student_id", m_.students[1]}, {"from_date", FormatDate(day_)},
                                                  {"to_date", FormatDate(day_)}, {"reason", "发烧"}},
                           At(-600));
  ASSERT_TRUE(leave.ok()) << leave.error().message;
  EXPECT_FALSE(CreateLeave(db(), m_.Guardian(0), {{"student_id", m_.students[1]}, {"from_date", FormatDate(day_)},
                                                  {"to_date", FormatDate(day_)}, {"reason", "x"}},
                           At(-600)).ok());  // not their child
  auto roster = SessionRoster(db(), teacher_, std::nullopt, section_, day_, "", At(15 * 60));
  ASSERT_TRUE(roster.ok());
  EXPECT_EQ(Line(*roster, 1)["status"], "leave");
  EXPECT_TRUE(Line(*roster, 0)["status"].is_null());
  auto saved = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60));
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'open'"), 1);  // child 1 is excused
  // The guardian and the class teacher (class 3 only: child 2 is in grade 3).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox"), 2);
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60 + 1)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox"), 2);  // nothing twice
  auto board = Board(db(), m_.office, std::nullopt, day_);
  ASSERT_TRUE(board.ok());
  ASSERT_EQ((*board)["alerts"].size(), 1u);
  EXPECT_EQ((*board)["totals"]["absent"], 2);
  int64_t alert = (*board)["alerts"][0]["id"];
  EXPECT_FALSE(ResolveAlert(db(), m_.office, std::nullopt, alert, Json::object(), At(16 * 60)).ok());  // note required
  ASSERT_TRUE(ResolveAlert(db(), m_.office, std::nullopt, alert, {{"note", "家长来电，已接回"}}, At(16 * 60)).ok());
  EXPECT_EQ((*Board(db(), m_.office, std::nullopt, day_))["alerts"].size(), 0u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'resolve' AND entity = 'absence_alert'"), 1);
  // Corrected to present, then absent again: the alert is back on the board, no message twice.
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "present"}), At(16 * 60 + 2)).ok());
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60 + 3)).ok());
  EXPECT_EQ((*Board(db(), m_.office, std::nullopt, day_))["alerts"].size(), 1u);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox"), 2);
  // Leaves: the class teacher and section teacher sees them; the guardian their own.
  EXPECT_EQ((*ListLeaves(db(), teacher_, std::nullopt, day_))["total"], 1);
  EXPECT_EQ((*ListLeaves(db(), m_.Guardian(1), std::nullopt, day_))["total"], 1);
  EXPECT_EQ((*ListLeaves(db(), m_.Guardian(0), std::nullopt, day_))["total"], 0);
  EXPECT_EQ((*ListLeaves(db(), Teacher(other_staff_), std::nullopt, day_))["total"], 0);
}

TEST_P(Attendance, SwipesDedupedOutOfOrderAndReconciled) {
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "东门闸机"}});
  ASSERT_TRUE(dev.ok());
  const std::string auth = "Device " + (*dev)["key"].get<std::string>();
  ASSERT_TRUE(PutCard(db(), m_.office, std::nullopt, {{"card_no", "C0"}, {"student_id", m_.students[0]}}).ok());
  const int64_t now = At(16 * 60);
  Json batch{{"swipes", {{{"uid", "u2"}, {"card_no", "C0"}, {"at_ms", At(15 * 60 + 40)}},
                         {{"uid", "u1"}, {"card_no", "C0"}, {"at_ms", At(15 * 60 + 20)}},  // earlier, sent later
                         {{"uid", "u1"}, {"card_no", "C0"}, {"at_ms", At(15 * 60 + 20)}},
                         {{"uid", "u3"}, {"card_no", "NOPE"}, {"at_ms", At(15 * 60)}},
                         {{"uid", "u4"}, {"card_no", "C0"}, {"at_ms", now + kSwipeMaxSkewMs + 1}}}}};
  auto out = IngestSwipes(db(), auth, "test", batch, now);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["accepted"], 2);
  EXPECT_EQ((*out)["duplicate"], 1);
  EXPECT_EQ((*out)["unknown_card"], 1);
  EXPECT_EQ((*out)["rejected"], 1);
  auto again = IngestSwipes(db(), auth, "test", batch, now);  // the reader resends the whole batch
  EXPECT_EQ((*again)["accepted"], 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes"), 3);
  EXPECT_EQ(IngestSwipes(db(), "Device 1.wrong", "t", batch, now).error().code, kUnauthenticated);
  EXPECT_EQ(IngestSwipes(db(), "", "t", batch, now).error().code, kUnauthenticated);
  // Marked absent although swiped in: shown as a conflict, the mark stays.
  auto saved = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"absent", "present", "present"}), now);
  ASSERT_TRUE(saved.ok());
  // The save's own answer shows it already.
  EXPECT_EQ(Line(*saved, 0)["conflict"], "swiped_absent");
  EXPECT_EQ(Line(*saved, 0)["swiped_at"], FormatLocalMinute(At(15 * 60 + 20)));
  EXPECT_TRUE(Line(*saved, 1)["swiped_at"].is_null());
  auto roster = SessionRoster(db(), teacher_, std::nullopt, section_, day_, "", now);
  EXPECT_EQ(Line(*roster, 0)["conflict"], "swiped_absent");
  EXPECT_EQ(Line(*roster, 0)["status"], "absent");
  EXPECT_EQ(Line(*roster, 0)["swiped_at"], FormatLocalMinute(At(15 * 60 + 20)));  // the earliest
  EXPECT_TRUE(Line(*roster, 1)["conflict"].is_null());
  ASSERT_TRUE(DisableDevice(db(), m_.office, std::nullopt, (*dev)["id"]).ok());
  EXPECT_EQ(IngestSwipes(db(), auth, "t", batch, now).error().code, kUnauthenticated);
}

INSTANTIATE_TEST_SUITE_P(Db, Attendance, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::attendance
