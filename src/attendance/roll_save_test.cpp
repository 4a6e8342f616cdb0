// A roll save's write is WriteRoll's transaction on SQLite and, on PostgreSQL, one call
// (kehou_save_roll, sql/0590) unless it opens or resolves an absence alert. Both must give the same
// answers: the same audit rows to the byte (who, action, the changes only, keys in the same order),
// the same marks, the late edit named, a conflict with a swipe shown, an alert opened and resolved.
#include <gtest/gtest.h>

#include "attendance/service.h"
#include "attendance/store.h"
#include "attendance/test_fixture.h"
#include "db/trace.h"

namespace kehou::attendance {
namespace {

class RollSave : public AttendanceFixture {
 protected:
  // The last audit row of `action`: before, after, user id, user name, entity, entity id, school.
  std::vector<std::string> LastAudit(const std::string& action) {
    return db().Read([&](db::Conn& c) {
      auto r = c.QueryOne(
          "SELECT before_json, after_json, user_id, user_name, entity, entity_id, school_id FROM audit_log"
          " WHERE action = $1 ORDER BY id DESC LIMIT 1",
          {action});
      return r ? std::vector<std::string>{r->Text(0),
                                          r->Text(1),
                                          std::to_string(r->Int(2)),
                                          r->Text(3),
                                          r->Text(4),
                                          std::to_string(r->Int(5)),
                                          std::to_string(r->Int(6))}
               : std::vector<std::string>{};
    });
  }
  // WriteRoll's audit texts (auth::Audit's dump of its JSON): the changes {student index: status}.
  std::pair<std::string, std::string> Expected(const std::map<size_t, std::pair<Json, std::string>>& changes,
                                               int alerts) const {
    Json before{{"date", FormatDate(day_)}, {"band", "after_school"}, {"marks", Json::object()}};
    Json after{{"date", FormatDate(day_)}, {"band", "after_school"}, {"marks", Json::object()}, {"alerts", alerts}};
    for (const auto& [i, ch] : changes) {
      before["marks"][std::to_string(m_.students[i])] = ch.first;
      after["marks"][std::to_string(m_.students[i])] = ch.second;
    }
    return {before.dump(), after.dump()};
  }
  // SaveRoll traced: on PostgreSQL, commit_us > 0 means a transaction of ours committed (WriteRoll).
  Result<Json> Save(const auth::Principal& who, const std::vector<std::string>& marks, int64_t at,
                    db::trace::Record& rec) {
    rec = {};
    db::trace::current = &rec;
    auto out = SaveRoll(db(), who, std::nullopt, section_, Roll(marks), at);
    db::trace::current = nullptr;
    return out;
  }
  bool Pg() { return db().dialect() == db::Dialect::kPostgres; }
};

TEST_P(RollSave, WithoutAlertsItIsOneCallWritingWriteRollsRows) {
  db::trace::Record rec;
  auto first = Save(teacher_, {"present", "late", "present"}, At(16 * 60), rec);
  ASSERT_TRUE(first.ok()) << first.error().message;
  if (Pg()) {
    EXPECT_EQ(rec.commit_us, 0);  // no transaction block: the one call committed on its own
  }
  auto row = LastAudit("roll_call");
  ASSERT_EQ(row.size(), 7u);
  // Ids of different lengths would sort apart as text and as numbers: the audit keys are text.
  auto want = Expected({{0, {nullptr, "present"}}, {1, {nullptr, "late"}}, {2, {nullptr, "present"}}}, 0);
  EXPECT_EQ(row[0], want.first);
  EXPECT_EQ(row[1], want.second);
  EXPECT_EQ(row[2], "77");
  EXPECT_EQ(row[3], "t");
  EXPECT_EQ(row[4], "attendance_session");
  EXPECT_EQ(row[5], std::to_string(section_));
  EXPECT_EQ(row[6], std::to_string(m_.school_id));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE by_user_id = 77 AND updated_at = " +
                  std::to_string(At(16 * 60))),
            3);
  // The same roll again: an audit row naming no change, no mark written.
  ASSERT_TRUE(Save(teacher_, {"present", "late", "present"}, At(16 * 60 + 1), rec).ok());
  row = LastAudit("roll_call");
  want = Expected({}, 0);
  EXPECT_EQ(row[0], want.first);
  EXPECT_EQ(row[1], want.second);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'roll_call'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE updated_at = " + std::to_string(At(16 * 60 + 1))), 0);
}

// The answer's day comes with the save: the leave with its checks (a child on leave marked absent
// opens no alert, so the one call runs), the roster's swipes with the one call (a child who swiped
// and is marked on leave shows the conflict). On PostgreSQL the save is two round trips.
TEST_P(RollSave, TheDaysLeaveAndSwipesComeWithTheSavesTwoRoundTrips) {
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "南门"}});
  ASSERT_TRUE(dev.ok());
  ASSERT_TRUE(PutCard(db(), m_.office, std::nullopt, {{"card_no", "R0"}, {"student_id", m_.students[0]}}).ok());
  Json batch{{"swipes", {{{"uid", "r1"}, {"card_no", "R0"}, {"at_ms", At(15 * 60 + 20)}}}}};
  ASSERT_TRUE(IngestSwipes(db(), "Device " + (*dev)["key"].get<std::string>(), "t", batch, At(16 * 60)).ok());
  db().Write([&](db::Conn& c) {
    store::LeaveRow l;
    l.student_id = m_.students[1];
    l.from_date = l.to_date = FormatDate(day_);
    l.reason = "看病";
    l.created_at = At(8 * 60);
    store::InsertLeave(c, m_.school_id, l, m_.guardians[1]);
  });
  db::trace::Record rec;
  ASSERT_TRUE(Save(teacher_, {"present", "present", "present"}, At(16 * 60), rec).ok());  // statements prepared
  auto out = Save(teacher_, {"leave", "absent", "late"}, At(16 * 60 + 1), rec);
  ASSERT_TRUE(out.ok()) << out.error().message;
  if (Pg()) {
    EXPECT_EQ(rec.commit_us, 0);  // the one call: the leave was known, no alert to open
    EXPECT_EQ(rec.round_trips, 2);
  }
  EXPECT_EQ(Line(*out, 0)["conflict"], "swiped_on_leave");
  EXPECT_FALSE(Line(*out, 0)["swiped_at"].is_null());
  EXPECT_TRUE(Line(*out, 1)["conflict"].is_null());
  EXPECT_TRUE(Line(*out, 2)["swiped_at"].is_null());
  EXPECT_EQ((*out)["counts"]["conflicts"], 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts"), 0);
}

TEST_P(RollSave, OpeningOrResolvingAnAlertWritesTheSameRows) {
  db::trace::Record rec;
  ASSERT_TRUE(Save(teacher_, {"present", "late", "present"}, At(16 * 60), rec).ok());
  // Child 0 swiped in, then marked absent: the conflict shown; the alert opened and the guardian and
  // class teacher told (on PostgreSQL through WriteRoll's transaction).
  auto dev = CreateDevice(db(), m_.office, std::nullopt, {{"name", "南门"}});
  ASSERT_TRUE(dev.ok());
  ASSERT_TRUE(PutCard(db(), m_.office, std::nullopt, {{"card_no", "R0"}, {"student_id", m_.students[0]}}).ok());
  Json batch{{"swipes", {{{"uid", "r1"}, {"card_no", "R0"}, {"at_ms", At(15 * 60 + 20)}}}}};
  ASSERT_TRUE(IngestSwipes(db(), "Device " + (*dev)["key"].get<std::string>(), "t", batch, At(16 * 60)).ok());
  auto absent = Save(teacher_, {"absent", "late", "present"}, At(16 * 60 + 2), rec);
  ASSERT_TRUE(absent.ok()) << absent.error().message;
  if (Pg()) {
    EXPECT_GT(rec.commit_us, 0);
  }
  EXPECT_EQ(Line(*absent, 0)["conflict"], "swiped_absent");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM notify_outbox"), 2);
  auto want = Expected({{0, {"present", "absent"}}}, 1);
  auto row = LastAudit("roll_call");
  EXPECT_EQ(row[0], want.first);
  EXPECT_EQ(row[1], want.second);
  // The office after the end: a late edit resolving child 0's alert and opening child 2's.
  ASSERT_TRUE(Save(m_.office, {"present", "late", "absent"}, At(18 * 60), rec).ok());
  row = LastAudit("roll_call_late_edit");
  ASSERT_EQ(row.size(), 7u);
  want = Expected({{0, {"absent", "present"}}, {2, {"present", "absent"}}}, 1);
  EXPECT_EQ(row[0], want.first);
  EXPECT_EQ(row[1], want.second);
  EXPECT_EQ(row[3], "office");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'resolved' AND student_id = " +
                  std::to_string(m_.students[0])),
            1);
  // A late edit with no alert on either side: the one call on PostgreSQL, the same row.
  ASSERT_TRUE(Save(m_.office, {"late", "late", "absent"}, At(18 * 60 + 1), rec).ok());
  if (Pg()) {
    EXPECT_EQ(rec.commit_us, 0);
  }
  row = LastAudit("roll_call_late_edit");
  want = Expected({{0, {"present", "late"}}}, 0);
  EXPECT_EQ(row[0], want.first);
  EXPECT_EQ(row[1], want.second);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM attendance_marks WHERE status = 'late'"), 2);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM absence_alerts WHERE status = 'open'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action IN ('roll_call', 'roll_call_late_edit')"), 4);
}

INSTANTIATE_TEST_SUITE_P(Db, RollSave, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::attendance
