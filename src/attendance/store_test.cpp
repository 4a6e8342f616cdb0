// Attendance on both databases: sessions from weekly slots, the roll call's window and audit,
// alerts with their outbox rows, leave on the roster, swipes de-duplicated and reconciled.
#include "attendance/store.h"

#include <gtest/gtest.h>

#include "attendance/present.h"
#include "attendance/service.h"
#include "attendance/test_fixture.h"
#include "db/testing.h"
#include "db/trace.h"

namespace kehou::attendance {
namespace {

class Attendance : public AttendanceFixture {};

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

// A roll save's checks read the session and its roster together (SessionWithRosterOf): on
// PostgreSQL one round trip for the term with its bands, the day's substitutes, the section, its
// children and the day's leave (as LeavesOn). The section's course must be of the current term (or
// of none), checked after the read; a substitute assigned for the day teaches the session.
TEST_P(Attendance, SessionAndRosterReadTogetherInOneRoundTrip) {
  db().Write([&](db::Conn& c) {
    store::LeaveRow l;
    l.student_id = m_.students[0];
    l.from_date = l.to_date = FormatDate(day_);
    l.sections = std::to_string(section_);
    l.reason = "看病";
    l.created_at = 1234;
    store::InsertLeave(c, m_.school_id, l, m_.guardians[0]);
    l.student_id = m_.students[3];  // another day's leave: not read
    l.from_date = l.to_date = FormatDate(AddDays(day_, 1));
    l.sections = "";
    store::InsertLeave(c, m_.school_id, l, m_.guardians[3]);
  });
  const auto read = [&] {
    return db().Read([&](db::Conn& c) { return store::SessionWithRosterOf(c, m_.school_id, section_, day_, ""); });
  };
  db::trace::Record rec;
  auto found = db().Read([&](db::Conn& c) {
    store::SessionWithRosterOf(c, m_.school_id, section_, day_, "");  // its statements prepared on this connection
    db::trace::current = &rec;
    auto out = store::SessionWithRosterOf(c, m_.school_id, section_, day_, "after_school");
    db::trace::current = nullptr;
    return out;
  });
  ASSERT_TRUE(found.session);
  EXPECT_EQ(found.session->section_id, section_);
  EXPECT_EQ(found.session->teacher, "王老师");
  EXPECT_EQ(found.roster.size(), 3u);
  ASSERT_EQ(found.leaves.size(), 1u);
  EXPECT_EQ(found.leaves.begin()->first, m_.students[0]);
  EXPECT_EQ(found.leaves.begin()->second.from, day_);
  EXPECT_EQ(found.leaves.begin()->second.sections, std::vector<int64_t>{section_});
  EXPECT_EQ(found.leaves.begin()->second.created_ms, 1234);
  EXPECT_EQ(db().Read([&](db::Conn& c) { return store::LeavesOn(c, m_.school_id, day_).size(); }), 1u);
  if (db().dialect() == db::Dialect::kPostgres) {
    EXPECT_EQ(rec.round_trips, 1);
  }
  EXPECT_FALSE(
      db().Read([&](db::Conn& c) { return store::SessionWithRosterOf(c, m_.school_id, section_, day_, "morning"); })
          .session);
  EXPECT_FALSE(db().Read([&](db::Conn& c) {
                     return store::SessionWithRosterOf(c, m_.school_id, section_, AddDays(day_, 1), "");
                   })
                   .session);  // Thursday: no slot
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO timetable_substitutions (school_id, term_id, section_id, day, band, absent_staff_id,"
        " substitute_staff_id,"
        " source, status, reason, reported_by, reported_at) VALUES ($1, $2, $3, $4, 'after_school', $5, $6, 'office',"
        " 'assigned', 'ill', 0, 0)",
        {m_.school_id, m_.term_id, section_, FormatDate(day_), m_.staff_id, other_staff_});
  });
  EXPECT_EQ(read().session->teacher, "李老师");
  // A course of no term is of every term; a course of another term is not today's.
  db().Write([&](db::Conn& c) { c.Exec("UPDATE courses SET term_id = NULL WHERE school_id = $1", {m_.school_id}); });
  EXPECT_TRUE(read().session);
  db().Write([&](db::Conn& c) {
    const int64_t next = c.Insert(
        "INSERT INTO terms (school_id, name, start_date, end_date, is_current) VALUES ($1, '下学期', '2099-02-01',"
        " '2099-06-30', 0) RETURNING id",
        {m_.school_id});
    c.Exec("UPDATE courses SET term_id = $2 WHERE school_id = $1", {m_.school_id, next});
  });
  auto gone = read();
  EXPECT_FALSE(gone.session);
  EXPECT_EQ(gone.roster.size(), 3u);  // the roster is read alike; the caller goes no further without a session
}

TEST_P(Attendance, RollSavedWholeEditableUntilTheEndThenOfficeAudited) {
  auto partial = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "late"}), At(16 * 60));
  ASSERT_FALSE(partial.ok());
  EXPECT_EQ(partial.error().code, kInvalid);
  auto ok = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "late", "present"}), At(17 * 60 + 29));
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ((*ok)["counts"]["late"], 1);
  auto after =
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "present"}), At(17 * 60 + 30));
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
  auto leave = CreateLeave(db(), m_.Guardian(1),
                           {{"student_id", m_.students[1]},
                            {"from_date", FormatDate(day_)},
                            {"to_date", FormatDate(day_)},
                            {"reason", "发烧"}},
                           At(-600));
  ASSERT_TRUE(leave.ok()) << leave.error().message;
  EXPECT_FALSE(CreateLeave(db(), m_.Guardian(0),
                           {{"student_id", m_.students[1]},
                            {"from_date", FormatDate(day_)},
                            {"to_date", FormatDate(day_)},
                            {"reason", "x"}},
                           At(-600))
                   .ok());  // not their child
  auto roster = SessionRoster(db(), teacher_, std::nullopt, section_, day_, "", At(15 * 60));
  ASSERT_TRUE(roster.ok());
  EXPECT_EQ(Line(*roster, 1)["status"], "leave");
  EXPECT_TRUE(Line(*roster, 0)["status"].is_null());
  auto saved = SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60));
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'open'"), 1);  // child 1 is excused
  // The guardian and the class teacher (class 3 only: child 2 is in grade 3).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox"), 2);
  ASSERT_TRUE(
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60 + 1)).ok());
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
  ASSERT_TRUE(
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "present"}), At(16 * 60 + 2)).ok());
  ASSERT_TRUE(
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "absent"}), At(16 * 60 + 3)).ok());
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
  Json batch{{"swipes",
              {{{"uid", "u2"}, {"card_no", "C0"}, {"at_ms", At(15 * 60 + 40)}},
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

// A batch is stored by one statement: every row still answered on its own (accepted, unknown card
// stored for later, duplicate within the batch or resent, rejected), matched to its child by card,
// and one audit row for the batch naming its counts.
TEST_P(Attendance, SwipeBatchOneStatementAnswersEachRow) {
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "北门闸机"}});
  ASSERT_TRUE(dev.ok());
  const std::string auth = "Device " + (*dev)["key"].get<std::string>();
  for (size_t i = 0; i < 3; ++i)
    ASSERT_TRUE(
        PutCard(db(), m_.office, std::nullopt, {{"card_no", "K" + std::to_string(i)}, {"student_id", m_.students[i]}})
            .ok());
  const int64_t now = At(16 * 60);
  // 120 swipes: uid b0..b119, cards K0, K1, K2, X (unknown) in turn, times descending (out of order).
  Json swipes = Json::array();
  for (int i = 0; i < 120; ++i)
    swipes.push_back({{"uid", "b" + std::to_string(i)},
                      {"card_no", i % 4 == 3 ? std::string("X") : "K" + std::to_string(i % 4)},
                      {"at_ms", At(15 * 60 + 59) - i * 1000}});
  swipes.push_back({{"uid", "b7"}, {"card_no", "K0"}, {"at_ms", At(15 * 60)}});                 // the same uid again
  swipes.push_back({{"uid", "bad"}, {"card_no", "K0"}, {"at_ms", now + kSwipeMaxSkewMs + 1}});  // a clock ahead
  auto out = IngestSwipes(db(), auth, "test", {{"swipes", swipes}}, now);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ((*out)["accepted"], 90);
  EXPECT_EQ((*out)["unknown_card"], 30);
  EXPECT_EQ((*out)["duplicate"], 1);
  EXPECT_EQ((*out)["rejected"], 1);
  ASSERT_EQ((*out)["results"].size(), 122u);
  EXPECT_EQ((*out)["results"][0]["result"], "accepted");
  EXPECT_EQ((*out)["results"][3]["result"], "unknown_card");
  EXPECT_EQ((*out)["results"][120]["result"], "duplicate");
  EXPECT_EQ((*out)["results"][121]["result"], "rejected");
  EXPECT_EQ((*out)["results"][121]["error"]["field"], "at_ms");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes"), 120);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes WHERE student_id IS NULL AND card_no = 'X'"), 30);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes WHERE uid = 'b5' AND student_id = " +
                  std::to_string(m_.students[1]) + " AND day = '" + FormatDate(day_) + "'"),
            1);
  // One audit row for the batch, naming the counts (never one per swipe).
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'swipe_batch'"), 1);
  auto audit = db().Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT after_json FROM audit_log WHERE action = 'swipe_batch'"); });
  ASSERT_TRUE(audit);
  EXPECT_EQ(Json::parse(audit->Text(0))["accepted"], 90);
  // The reader resends the second half with ten new swipes: only the new ones are stored.
  Json resend = Json::array();
  for (int i = 60; i < 130; ++i)
    resend.push_back({{"uid", "b" + std::to_string(i)}, {"card_no", "K0"}, {"at_ms", At(15 * 60 + 10)}});
  auto again = IngestSwipes(db(), auth, "test", {{"swipes", resend}}, now);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["accepted"], 10);
  EXPECT_EQ((*again)["duplicate"], 60);
  EXPECT_EQ((*again)["results"][0]["result"], "duplicate");
  EXPECT_EQ((*again)["results"][69]["result"], "accepted");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes"), 130);
  EXPECT_EQ(Count("SELECT COUNT(DISTINCT uid) FROM attendance_swipes"), 130);
  // The roster shows each child's earliest swipe of the session window, whatever the order.
  auto roster = SessionRoster(db(), teacher_, std::nullopt, section_, day_, "", now);
  ASSERT_TRUE(roster.ok());
  // K0: b0, b4, ..., b116 (15:59 back to 15:57), then b120..b129 at 15:10 (the resend's b60..b119
  // were stored already with their first card); K1: b1 ... b117, the earliest 15:59 - 117 s.
  EXPECT_EQ(Line(*roster, 0)["swiped_at"], FormatLocalMinute(At(15 * 60 + 10)));
  EXPECT_EQ(Line(*roster, 1)["swiped_at"], FormatLocalMinute(At(15 * 60 + 59) - 117 * 1000));
}

// The batch's audit row and the device's last_seen_at, on both databases (on PostgreSQL written
// by the batch's one call, sql/0530; on SQLite by auth::Audit in the batch's transaction): the
// same row, with the counts the answer gives, and none for a batch that stored nothing.
TEST_P(Attendance, SwipeBatchAuditsItsCountsOnceAndOnlyWhenItStored) {
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "北门闸机"}});
  ASSERT_TRUE(dev.ok());
  const std::string auth = "Device " + (*dev)["key"].get<std::string>();
  const int64_t device_id = (*dev)["id"].get<int64_t>();
  ASSERT_TRUE(PutCard(db(), m_.office, std::nullopt, {{"card_no", "K0"}, {"student_id", m_.students[0]}}).ok());
  const int64_t now = At(16 * 60);
  auto swipe = [&](const std::string& uid, const std::string& card, int64_t at) {
    return Json{{"uid", uid}, {"card_no", card}, {"at_ms", at}};
  };
  auto audits = [&] {
    return db().Read([&](db::Conn& c) {
      return c.Query(
          "SELECT school_id, user_id, user_name, entity, entity_id, before_json, after_json, client, request_id, at"
          " FROM audit_log WHERE action = 'swipe_batch' ORDER BY id");
    });
  };
  auto seen = [&](int64_t at) {
    return Count("SELECT COUNT(*) FROM attendance_devices WHERE id = " + std::to_string(device_id) +
                 " AND last_seen_at = " + std::to_string(at));
  };
  // 3 accepted, 2 unknown cards, a uid twice, one refused.
  Json first = Json::array({swipe("a1", "K0", now - 1000), swipe("a2", "K0", now - 2000), swipe("a3", "K0", now - 500),
                            swipe("u1", "X", now - 100), swipe("u2", "Y", now - 100), swipe("a1", "K0", now),
                            swipe("bad", "K0", now + kSwipeMaxSkewMs + 1)});
  const int64_t wall = NowMs();
  auto out = IngestSwipes(db(), auth, "10.0.0.7", {{"swipes", first}}, now);
  ASSERT_TRUE(out.ok()) << out.error().message;
  EXPECT_EQ(
      *out,
      (Json{{"results", (*out)["results"]}, {"accepted", 3}, {"unknown_card", 2}, {"duplicate", 1}, {"rejected", 1}}));
  auto rows = audits();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].Int(0), m_.school_id);
  EXPECT_FALSE(rows[0].OptInt(1));
  EXPECT_EQ(rows[0].Text(2), "设备 北门闸机");
  EXPECT_EQ(rows[0].Text(3), "attendance_device");
  EXPECT_EQ(rows[0].Int(4), device_id);
  EXPECT_FALSE(rows[0].OptText(5));
  EXPECT_EQ(rows[0].Text(6), R"({"accepted":3,"duplicate":1,"rejected":1,"unknown_card":2})");
  EXPECT_EQ(rows[0].Text(7), "10.0.0.7");
  EXPECT_EQ(rows[0].Text(8), "");
  EXPECT_GE(rows[0].Int(9), wall);  // the clock's time, as auth::Audit's (not the request's `now`)
  EXPECT_LE(rows[0].Int(9), NowMs());
  EXPECT_EQ(seen(now), 1);
  // Resent with one new swipe: the resends count as duplicates in the row.
  Json second = Json::array({swipe("a1", "K0", now - 1000), swipe("a2", "K0", now - 2000), swipe("u1", "X", now - 100),
                             swipe("a4", "K0", now - 10)});
  ASSERT_TRUE(IngestSwipes(db(), auth, "10.0.0.7", {{"swipes", second}}, now + 1000).ok());
  rows = audits();
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].Text(6), R"({"accepted":1,"duplicate":3,"rejected":0,"unknown_card":0})");
  EXPECT_EQ(seen(now + 1000), 1);
  // Nothing new stored (resends and a refused row): answered row by row, the device touched, no row.
  Json third = Json::array({swipe("a3", "K0", now - 500), swipe("u2", "Y", now - 100),
                            swipe("late", "K0", now + 2000 + kSwipeMaxSkewMs + 1)});
  auto none = IngestSwipes(db(), auth, "10.0.0.7", {{"swipes", third}}, now + 2000);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ((*none)["duplicate"], 2);
  EXPECT_EQ((*none)["rejected"], 1);
  EXPECT_EQ(audits().size(), 2u);
  EXPECT_EQ(seen(now + 2000), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes"), 6);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_swipes WHERE student_id = " + std::to_string(m_.students[0])), 4);
}

// A roll save writes the changed marks in one statement: unchanged marks keep their time, a
// child corrected from absent has the alert resolved with the new mark named, the audit names
// only the changes.
TEST_P(Attendance, RollSaveWritesOnlyTheChangesAndResolvesCorrectedAlerts) {
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "late"}), At(16 * 60)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'open'"), 1);
  auto saved =
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "absent"}), At(16 * 60 + 5));
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(Line(*saved, 1)["status"], "present");
  EXPECT_EQ(Line(*saved, 2)["status"], "absent");
  EXPECT_EQ((*saved)["counts"]["absent"], 1);
  // Child 0 unchanged: its mark keeps the first save's time; the two changed carry the second.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE updated_at = " + std::to_string(At(16 * 60))), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE updated_at = " + std::to_string(At(16 * 60 + 5))), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE by_user_id = 77"), 3);
  // Child 1's alert is resolved (corrected to present); child 2's is open.
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'resolved' AND note = '点名更正为出勤' AND "
                  "student_id = " +
                  std::to_string(m_.students[1])),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'open' AND student_id = " +
                  std::to_string(m_.students[2])),
            1);
  auto audit = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT after_json FROM audit_log WHERE action = 'roll_call' ORDER BY id DESC LIMIT 1");
  });
  ASSERT_TRUE(audit);
  EXPECT_EQ(Json::parse(audit->Text(0))["marks"].size(), 2u);
  // The same roll again changes nothing (and writes no mark).
  ASSERT_TRUE(
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "absent"}), At(16 * 60 + 9)).ok());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE updated_at = " + std::to_string(At(16 * 60 + 9))), 0);
}

// One child's presence (the guardian's status): the present/late marks, then the first swipe, in one
// statement; an absent mark is not presence.
TEST_P(Attendance, PresenceOfOneChildMarksThenFirstSwipe) {
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "西门"}});
  ASSERT_TRUE(dev.ok());
  ASSERT_TRUE(PutCard(db(), m_.office, std::nullopt, {{"card_no", "P0"}, {"student_id", m_.students[0]}}).ok());
  const int64_t now = At(16 * 60);
  Json batch{{"swipes",
              {{{"uid", "p2"}, {"card_no", "P0"}, {"at_ms", At(15 * 60 + 40)}},
               {{"uid", "p1"}, {"card_no", "P0"}, {"at_ms", At(15 * 60 + 25)}}}}};
  ASSERT_TRUE(IngestSwipes(db(), "Device " + (*dev)["key"].get<std::string>(), "t", batch, now).ok());
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"late", "absent", "present"}), now).ok());
  auto mine = db().Read([&](db::Conn& c) { return PresenceOn(c, m_.school_id, day_, m_.students[0]); });
  ASSERT_EQ(mine.size(), 2u);
  EXPECT_EQ(mine[0].source, "roll");
  EXPECT_EQ(mine[0].status, "late");
  EXPECT_EQ(mine[0].course, "围棋");
  EXPECT_EQ(mine[0].band, "after_school");
  EXPECT_EQ(mine[1].source, "swipe");
  EXPECT_EQ(mine[1].at_ms, At(15 * 60 + 25));  // the first by the device's time
  // Absent and never swiped: nothing.
  EXPECT_TRUE(db().Read([&](db::Conn& c) { return PresenceOn(c, m_.school_id, day_, m_.students[1]); }).empty());
  auto third = db().Read([&](db::Conn& c) { return PresenceOn(c, m_.school_id, day_, m_.students[2]); });
  ASSERT_EQ(third.size(), 1u);
  EXPECT_EQ(third[0].source, "roll");
  // The whole school's day: the same records.
  EXPECT_EQ(db().Read([&](db::Conn& c) { return PresenceOn(c, m_.school_id, day_); }).size(), 3u);
}

// A roll save checks on a reader and writes after; in its write ONE statement reads the session's
// marks, open alerts and cancellation, so a cancellation committed in between still refuses it.
TEST_P(Attendance, RollStateReadsMarksAlertsAndCancellationInOneStatement) {
  ASSERT_TRUE(SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "absent", "late"}), At(16 * 60)).ok());
  auto state = db().Read([&](db::Conn& c) {
    auto s = store::SessionOf(c, m_.school_id, section_, day_, "");
    return store::RollStateOf(c, m_.school_id, *s);
  });
  ASSERT_EQ(state.marks.size(), 3u);
  EXPECT_EQ(state.marks[m_.students[1]], Mark::kAbsent);
  EXPECT_EQ(state.marks[m_.students[2]], Mark::kLate);
  EXPECT_EQ(state.open_alerts, std::set<int64_t>{m_.students[1]});
  EXPECT_FALSE(state.cancelled);
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO attendance_cancellations (school_id, section_id, day, band, kind, reason, note, created_at)"
        " VALUES ($1, $2, $3, 'after_school', 'cancel', 'weather', '暴雨停课', 0)",
        {m_.school_id, section_, FormatDate(day_)});
  });
  auto cancelled = db().Read([&](db::Conn& c) {
    return store::RollStateOf(c, m_.school_id, *store::SessionOf(c, m_.school_id, section_, day_, ""));
  });
  EXPECT_EQ(cancelled.cancelled.value_or(""), "暴雨停课");
  auto refused =
      SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "late"}), At(16 * 60 + 1));
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, kRuleBroken);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE status = 'absent'"), 1);
  // A plan that refuses for another reason (the roster incomplete; a teacher after the session
  // ended) still says cancelled first: the plan reads the cancellation when it refuses.
  for (auto r : {SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present"}), At(16 * 60 + 1)),
                 SaveRoll(db(), teacher_, std::nullopt, section_, Roll({"present", "present", "late"}), At(20 * 60))}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, kRuleBroken);
    EXPECT_NE(r.error().message.find("停课"), std::string::npos) << r.error().message;
  }
}

// The store's leave lists (store_intake.cpp): the school's, a teacher's (their class and the
// sections they teach) and a guardian's, read into named rows; devices likewise.
TEST_P(Attendance, LeaveListsAndDevicesReadIntoRows) {
  db().Write([&](db::Conn& c) {
    for (size_t i : {size_t{0}, size_t{3}}) {
      store::LeaveRow l;
      l.student_id = m_.students[i];
      l.from_date = FormatDate(day_);
      l.to_date = FormatDate(AddDays(day_, 1));
      l.sections = i == 0 ? std::to_string(section_) : "";
      l.reason = "看病 " + std::to_string(i);
      l.created_at = 1000 + static_cast<int64_t>(i);
      EXPECT_GT(store::InsertLeave(c, m_.school_id, l, m_.guardians[i]), 0);
    }
  });
  db().Read([&](db::Conn& c) {
    auto all = store::LeavesOfSchool(c, m_.school_id, day_, std::nullopt);
    ASSERT_EQ(all.size(), 2u);
    auto own = store::LeavesOfSchool(c, m_.school_id, day_, m_.staff_id);  // class 3 and the section
    ASSERT_EQ(own.size(), 1u);
    EXPECT_EQ(own[0].student_id, m_.students[0]);
    EXPECT_EQ(own[0].sections, std::to_string(section_));
    EXPECT_EQ(own[0].reason, "看病 0");
    EXPECT_EQ(own[0].status, "active");
    EXPECT_EQ(own[0].created_at, 1000);
    EXPECT_FALSE(own[0].student_name.empty());
    EXPECT_FALSE(own[0].class_name.empty());
    EXPECT_TRUE(store::LeavesOfSchool(c, m_.school_id, day_, other_staff_).empty());
    EXPECT_TRUE(store::LeavesOfSchool(c, m_.school_id, AddDays(day_, 2), std::nullopt).empty());
    auto mine = store::LeavesOfGuardian(c, m_.guardians[3], day_);
    ASSERT_EQ(mine.size(), 1u);
    EXPECT_EQ(mine[0].student_id, m_.students[3]);
    EXPECT_EQ(mine[0].sections, "");
    EXPECT_TRUE(store::LeavesOfGuardian(c, m_.guardians[3], AddDays(day_, 2)).empty());  // ended before
    EXPECT_EQ(store::SchoolOfGuardiansChild(c, m_.guardians[0], m_.students[0]), m_.school_id);
    EXPECT_FALSE(store::SchoolOfGuardiansChild(c, m_.guardians[0], m_.students[3]).has_value());
  });
  const int64_t dev = db().Write([&](db::Conn& c) {
    int64_t id = store::InsertDevice(c, m_.school_id, "东门", "abc", 42);
    store::DisableDevice(c, m_.other_school_id, id);  // another school's: nothing
    return id;
  });
  db().Read([&](db::Conn& c) {
    auto d = store::DeviceById(c, dev);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->school_id, m_.school_id);
    EXPECT_EQ(d->name, "东门");
    EXPECT_EQ(d->key_hash, "abc");
    EXPECT_TRUE(d->active);
    EXPECT_EQ(d->created_at, 42);
    EXPECT_FALSE(d->last_seen_at.has_value());
    EXPECT_EQ(store::DevicesOf(c, m_.school_id).size(), 1u);
    EXPECT_TRUE(store::DevicesOf(c, m_.other_school_id).empty());
  });
  db().Write([&](db::Conn& c) {
    store::TouchDevice(c, dev, 77);
    store::DisableDevice(c, m_.school_id, dev);
  });
  db().Read([&](db::Conn& c) {
    auto d = store::DeviceById(c, dev);
    EXPECT_FALSE(d->active);
    EXPECT_EQ(d->last_seen_at, 77);
  });
}

INSTANTIATE_TEST_SUITE_P(Db, Attendance, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::attendance
