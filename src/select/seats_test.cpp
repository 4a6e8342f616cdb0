// seats_test.cpp (select): a family's drop and the enrolment cache as PostgreSQL's one-call paths
// (issue 10 §4, sql/0180) run them, the same answers on both databases.
#include <gtest/gtest.h>

#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "select/rules.h"
#include "select/service.h"

namespace kehou::select {
namespace {

class SeatWrites : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    ClearSeatsCache();
    t_ = db::MakeTestDb(GetParam());
    m_ = testing::MakeMiniSchool(*t_.db, 20);
  }
  db::Db& db() { return *t_.db; }
  int64_t Section(const char* name, const char* slots, int64_t cap) {
    auto c = catalog::CreateCourse(db(), m_.principal, std::nullopt,  // approved with its plan (note 31)
                                   testing::Planned({{"name", name},
                                                     {"category", "arts"},
                                                     {"grades", "3,4"},
                                                     {"capacity", 90},
                                                     {"institution", "少年宫"},
                                                     {"slots", slots}}));
    EXPECT_TRUE(c.ok()) << c.error().message;
    auto s = catalog::CreateSection(db(), m_.office, std::nullopt, (*c)["id"], {{"capacity", cap}});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return (*s)["id"];
  }
  int64_t Round() {
    int64_t now = NowMs();
    auto r = CreateRound(db(), m_.office, std::nullopt,
                         {{"name", "第一轮"},
                          {"mode", "fcfs"},
                          {"grades", {3, 4}},
                          {"opens_at", now - 1000},
                          {"closes_at", now + 3600000},
                          {"max_per_child", 2}});
    EXPECT_TRUE(r.ok()) << r.error().message;
    return (*r)["id"];
  }
  int64_t Count(const std::string& sql, db::Params p) {
    return db().Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
  }
  db::TestDb t_;
  testing::MiniSchool m_;
};

// A drop with a key: one audit row, the seat back in the pool, the answer stored with the key and
// replayed on a retry; a drop of a seat the child does not hold answers not_found, stored too.
TEST_P(SeatWrites, ADropIsAuditedStoredWithItsKeyAndReplayed) {
  int64_t sec = Section("书法", "3:after_school", 2);
  int64_t round = Round();
  auto g = m_.Guardian(0);
  int64_t kid = m_.students[0];
  const std::string fp = RequestFingerprint("POST", "/api/v1/rounds/1/drop", "{\"section_id\":1}");
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, sec, "t-1").result.ok());
  auto drop = DropSeat(db(), g, round, kid, sec, "d-1", fp);
  ASSERT_TRUE(drop.result.ok()) << drop.result.error().message;
  EXPECT_FALSE(drop.replay);
  EXPECT_EQ(drop.result.value()["status"], "dropped");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_drop' AND school_id = $1", {m_.school_id}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM seat_slots WHERE student_id = $1", {kid}), 0);
  auto again = DropSeat(db(), g, round, kid, sec, "d-1", fp);
  ASSERT_TRUE(again.result.ok());
  EXPECT_TRUE(again.replay);
  EXPECT_EQ(again.result.value()["dropped_at"], drop.result.value()["dropped_at"]);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_drop' AND school_id = $1", {m_.school_id}), 1);
  // Nothing left to drop: not_found, stored with its key and replayed.
  auto none = DropSeat(db(), g, round, kid, sec, "d-2", fp);
  ASSERT_FALSE(none.result.ok());
  EXPECT_EQ(none.result.error().code, kNotFound);
  EXPECT_EQ(none.result.error().field, "section_id");
  auto none_again = DropSeat(db(), g, round, kid, sec, "d-2", fp);
  EXPECT_TRUE(none_again.replay);
  ASSERT_FALSE(none_again.result.ok());
  EXPECT_EQ(none_again.result.error().code, kNotFound);
  // Another family's child, or a round of nobody's: not_found, nothing written.
  auto foreign = DropSeat(db(), m_.Guardian(2), round, kid, sec, "d-3", fp);
  ASSERT_FALSE(foreign.result.ok());
  EXPECT_EQ(foreign.result.error().field, "student_id");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd-3'", {}), 0);
}

// A drop in a closed round is refused and changes nothing.
TEST_P(SeatWrites, ADropAfterTheRoundClosedIsRefused) {
  int64_t sec = Section("围棋", "2:after_school", 2);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, NowMs() - 1000});
  });
  ClearSeatsCache();
  auto drop = DropSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "");
  ASSERT_FALSE(drop.result.ok());
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
}

// The enrolment cache: once one child's take has cached the school's enrolled children, a child
// approved afterwards still chooses at once (a child not cached is read on its own), and one not
// approved is still refused.
TEST_P(SeatWrites, AChildApprovedAfterTheCacheFilledChoosesAtOnce) {
  int64_t sec = Section("合唱", "4:after_school", 5);
  int64_t round = Round();
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE applications SET status = 'class_approved' WHERE student_id = $1", {m_.students[4]});
  });
  ClearSeatsCache();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());  // fills the cache
  auto refused = TakeSeat(db(), m_.Guardian(4), round, m_.students[4], sec, "");
  ASSERT_FALSE(refused.result.ok());
  EXPECT_EQ(refused.result.error().code, kRuleBroken);
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE applications SET status = 'approved' WHERE student_id = $1", {m_.students[4]});
  });
  auto take = TakeSeat(db(), m_.Guardian(4), round, m_.students[4], sec, "");  // no cache cleared
  EXPECT_TRUE(take.result.ok()) << take.result.error().message;
  EXPECT_TRUE(TakeSeat(db(), m_.Guardian(2), round, m_.students[2], sec, "").result.ok());  // from the cache
}

// PostgreSQL's kehou_take_seat (sql/0180), called as the server calls it, pins each of its answers
// so that a rewrite of its statements (docs/ARCHITECTURE.md note 15) keeps them: 'stale' (the
// child's seats are not those the rules saw: nothing written, even when the section is also full),
// 'ok' (the seat, its seat_slots row, its audit row, the answer stored with the key), 'replay' (the
// stored answer and fingerprint), 'full' (the full answer stored with the key), no key stored
// without a key.
TEST_P(SeatWrites, OnPostgresTheTakeFunctionAnswersEachOutcome) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_take_seat is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 1);
  int64_t round = Round();
  auto call = [&](int64_t kid, const char* held, db::Value key) {
    return db().Write([&](db::Conn& c) {
      return *c.QueryOne(
          "SELECT outcome, selection_id, remaining, status, answer, stored_fingerprint FROM kehou_take_seat("
          "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)",
          {int64_t{7}, key, m_.school_id, kid, round, sec, std::string(held), int64_t{1000}, db::Null(),
           std::string("家长"), std::string("test"), std::string("r1"), std::string(R"({"status":"confirmed"})"),
           std::string("{}"), int64_t{409}, std::string(R"({"ok":false})"), std::string("fp")});
    });
  };
  auto stored = [&](const char* key) {
    return Count("SELECT COUNT(*) FROM select_requests WHERE guardian_id = 7 AND idem_key = $1", {std::string(key)});
  };
  db::Row stale = call(m_.students[0], "999", std::string("k0"));
  EXPECT_EQ(stale.Text(0), "stale");
  EXPECT_TRUE(stale.IsNull(3) && stale.IsNull(4) && stale.IsNull(1));
  EXPECT_EQ(stored("k0"), 0);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  db::Row ok = call(m_.students[0], "", std::string("k1"));
  ASSERT_EQ(ok.Text(0), "ok");
  int64_t sel = ok.Int(1);
  EXPECT_EQ(ok.Int(2), 0);
  EXPECT_EQ(ok.Int(3), 200);
  EXPECT_EQ(Json::parse(ok.Text(4)),
            (Json{{"ok", true}, {"body", {{"status", "confirmed"}, {"selection_id", sel}, {"remaining", 0}}}}));
  EXPECT_TRUE(ok.IsNull(5));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE guardian_id = 7 AND idem_key = 'k1' AND status = 200"
                  " AND answer = $1 AND fingerprint = 'fp'",
                  {ok.Text(4)}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_take' AND entity_id = $1 AND at = 1000"
                  " AND request_id = 'r1' AND client = 'test' AND user_name = '家长' AND after_json = '{}'",
                  {sel}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM seat_slots WHERE selection_id = $1 AND slot = '5:after_school'", {sel}), 1);
  db::Row replay = call(m_.students[0], "", std::string("k1"));
  EXPECT_EQ(replay.Text(0), "replay");
  EXPECT_EQ(replay.Int(3), 200);
  EXPECT_EQ(replay.Text(4), ok.Text(4));
  EXPECT_EQ(replay.Text(5), "fp");
  db::Row stale_full = call(m_.students[1], "1", std::string("k2"));  // full too, but stale first
  EXPECT_EQ(stale_full.Text(0), "stale");
  EXPECT_EQ(stored("k2"), 0);
  db::Row full = call(m_.students[1], "", std::string("k3"));
  EXPECT_EQ(full.Text(0), "full");
  EXPECT_EQ(full.Int(3), 409);
  EXPECT_EQ(full.Text(4), R"({"ok":false})");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'k3' AND status = 409", {}), 1);
  EXPECT_EQ(call(m_.students[1], "", db::Null()).Text(0), "full");
  db().Write([&](db::Conn& c) { c.Exec("UPDATE sections SET capacity = 2 WHERE id = $1", {sec}); });
  db::Row nokey = call(m_.students[1], "", db::Null());
  EXPECT_EQ(nokey.Text(0), "ok");
  EXPECT_EQ(nokey.Int(2), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE guardian_id = 7", {}), 2);  // k1 and k3
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE section_id = $1", {sec}), 2);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 2);
}

// The same-slot guard's rows (seat_slots, note 17) leave with their seat and follow its course, and
// no other seat's rows move: a dropped seat takes only its own rows (not its child's other seat's,
// not another child's seat of the same course), a course moved to another slot moves its held
// seats' rows, and the dropped seat can be taken again. On PostgreSQL the triggers find a seat's
// rows by its child's key since sql/0580 (the index on selection_id is gone).
TEST_P(SeatWrites, ASeatsSlotRowsLeaveWithItAndFollowItsCourse) {
  int64_t one = Section("书法", "3:after_school", 2);
  int64_t two = Section("篮球", "4:after_school,5:after_school", 2);
  int64_t round = Round();
  int64_t kid = m_.students[0], other = m_.students[1];
  auto rows = [&](int64_t student) {
    std::string out;
    db().Read([&](db::Conn& c) {
      for (const auto& r :
           c.Query("SELECT ss.slot, s.section_id FROM seat_slots ss JOIN selections s ON s.id = ss.selection_id"
                   " WHERE ss.student_id = $1 AND s.student_id = $1 AND s.status = 'confirmed' ORDER BY ss.slot",
                   {student}))
        out += r.Text(0) + "@" + std::to_string(r.Int(1) == one ? 1 : r.Int(1) == two ? 2 : 0) + " ";
    });
    return out + std::to_string(Count("SELECT COUNT(*) FROM seat_slots WHERE student_id = $1", {student}));
  };
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, kid, one, "s-1").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, kid, two, "s-2").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, other, one, "s-3").result.ok());
  EXPECT_EQ(rows(kid), "3:after_school@1 4:after_school@2 5:after_school@2 3");
  EXPECT_EQ(rows(other), "3:after_school@1 1");
  ASSERT_TRUE(DropSeat(db(), m_.Guardian(0), round, kid, two, "d-1").result.ok());
  EXPECT_EQ(rows(kid), "3:after_school@1 1");
  EXPECT_EQ(rows(other), "3:after_school@1 1");
  int64_t course = Count("SELECT course_id FROM sections WHERE id = $1", {one});
  db().Write([&](db::Conn& c) { c.Exec("UPDATE courses SET slots = '1:noon' WHERE id = $1", {course}); });
  EXPECT_EQ(rows(kid), "1:noon@1 1");
  EXPECT_EQ(rows(other), "1:noon@1 1");
  ClearSeatsCache();
  auto again = TakeSeat(db(), m_.Guardian(0), round, kid, two, "s-4");
  ASSERT_TRUE(again.result.ok()) << again.result.error().message;
  EXPECT_EQ(rows(kid), "1:noon@1 4:after_school@2 5:after_school@2 3");
}

INSTANTIATE_TEST_SUITE_P(Both, SeatWrites, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::select
