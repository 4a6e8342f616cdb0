// seats_test.cpp (select): a family's drop and the enrolment cache as PostgreSQL's one-call paths
// (issue 10 §4, sql/0180) run them, the same answers on both databases.
#include <gtest/gtest.h>

#include <functional>
#include <nlohmann/json.hpp>

#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/dedicated.h"
#include "db/testing.h"
#include "select/rules.h"
#include "select/seats_test_fixture.h"
#include "select/service.h"
#include "select/store.h"
#include "select/take_cache.h"

namespace kehou::select {
namespace {

using Json = nlohmann::json;

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

// PostgreSQL's kehou_seat_writes (sql/0610), called as the server calls it with the facts the load
// (store::kTakeLoadPg) read, pins each of its answers so that a rewrite of its statements
// (docs/ARCHITECTURE.md note 15) keeps them: 'context' (the child, the round or the section differ
// from the facts passed, or the child is not the guardian's: nothing written), 'stale' (the
// child's seats are not those the rules saw: nothing written, even when the section is also full,
// and the seats it saw returned), 'ok' (the seat, its seat_slots row, its audit row, the answer
// stored with the key), 'replay' (the stored answer and fingerprint), 'full' (the full answer
// stored with the key), no key stored without a key.
TEST_P(SeatWrites, OnPostgresTheTakeFunctionAnswersEachOutcome) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 1);
  int64_t round = Round();
  auto call = [&](const TakeArgs& a) { return CallTake(round, sec, a); };
  auto stored = [&](const char* key) {
    return Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = $1", {std::string(key)});
  };
  db::Row stale = call({0, R"([[999, 1, 1, "书法", "3:after_school"]])", std::string("k0"), nullptr, 0});
  EXPECT_EQ(stale.Text(0), "stale");
  EXPECT_EQ(Json::parse(stale.Text(6)), Json::array());
  EXPECT_TRUE(stale.IsNull(3) && stale.IsNull(4) && stale.IsNull(1));
  EXPECT_EQ(stored("k0"), 0);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  db::Row ok = call({0, "[ ]", std::string("k1"),  // the same facts spaced otherwise: equal as jsonb
                     [](store::TakeLoad& f) { f.section_facts = Json::parse(f.section_facts).dump(2); }, 0});
  ASSERT_EQ(ok.Text(0), "ok");
  int64_t sel = ok.Int(1);
  EXPECT_EQ(ok.Int(2), 0);
  EXPECT_EQ(ok.Int(3), 200);
  EXPECT_EQ(Json::parse(ok.Text(4)),
            (Json{{"ok", true}, {"body", {{"status", "confirmed"}, {"selection_id", sel}, {"remaining", 0}}}}));
  EXPECT_TRUE(ok.IsNull(5));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'k1' AND status = 200"
                  " AND answer = $1 AND fingerprint = 'fp'",
                  {ok.Text(4)}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_take' AND entity_id = $1 AND at = 1000"
                  " AND request_id = 'r1' AND client = 'test' AND user_name = '家长' AND after_json = '{}'",
                  {sel}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM seat_slots WHERE selection_id = $1 AND slot = '5:after_school'", {sel}), 1);
  db::Row replay = call({0, "[]", std::string("k1"), nullptr, 0});
  EXPECT_EQ(replay.Text(0), "replay");
  EXPECT_EQ(replay.Int(3), 200);
  EXPECT_EQ(replay.Text(4), ok.Text(4));
  EXPECT_EQ(replay.Text(5), "fp");
  db::Row again = call({0, "[]", std::string("k1b"), nullptr, 0});  // its seat now held: stale, with it
  EXPECT_EQ(again.Text(0), "stale");
  EXPECT_EQ(Json::parse(again.Text(6)), Json::parse(Facts(0, round, sec).held_json));
  EXPECT_EQ(Json::parse(again.Text(6))[0][0], sec);
  db::Row stale_full =
      call({1, R"([[1, 1, 1, "a", "b"]])", std::string("k2"), nullptr, 0});  // full too, but stale first
  EXPECT_EQ(stale_full.Text(0), "stale");
  EXPECT_EQ(stored("k2"), 0);
  db::Row full = call({1, "[]", std::string("k3"), nullptr, 0});
  EXPECT_EQ(full.Text(0), "full");
  EXPECT_EQ(full.Int(3), 409);
  EXPECT_EQ(full.Text(4), R"({"ok":false})");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'k3' AND status = 409", {}), 1);
  EXPECT_EQ(call({1, "[]", db::Null(), nullptr, 0}).Text(0), "full");
  db().Write([&](db::Conn& c) { c.Exec("UPDATE sections SET capacity = 2 WHERE id = $1", {sec}); });
  db::Row nokey = call({1, "[]", db::Null(), nullptr, 0});
  EXPECT_EQ(nokey.Text(0), "ok");
  EXPECT_EQ(nokey.Int(2), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests", {}), 2);  // k1 and k3
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE section_id = $1", {sec}), 2);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 2);
}

// ... and 'context' when a fact the server decided with is not so any more (the child's grade or
// name, the round's close, the course's slots) or the child is not the guardian's: nothing written.
TEST_P(SeatWrites, OnPostgresTheTakeFunctionRefusesFactsThatChanged) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 1);
  int64_t round = Round();
  auto call = [&](const TakeArgs& a) { return CallTake(round, sec, a); };
  ASSERT_TRUE(Facts(0, round, sec).child && !Facts(0, round, sec).round_facts.empty() &&
              !Facts(0, round, sec).section_facts.empty());
  std::vector<std::function<void(store::TakeLoad&)>> changes = {
      [](store::TakeLoad& f) { f.child->grade += 1; },
      [](store::TakeLoad& f) { f.child->name += "x"; },
      [](store::TakeLoad& f) {
        auto j = Json::parse(f.round_facts);
        j[4] = j[4].get<int64_t>() - 1;  // closes_at
        f.round_facts = j.dump();
      },
      [](store::TakeLoad& f) {
        auto j = Json::parse(f.section_facts);
        j[4] = "1:noon";  // slots
        f.section_facts = j.dump();
      },
  };
  for (auto& change : changes) {
    db::Row context = call({0, "[]", std::string("k0"), change, 0});
    EXPECT_EQ(context.Text(0), "context");
    EXPECT_TRUE(context.IsNull(3) && context.IsNull(4) && context.IsNull(1));
  }
  EXPECT_EQ(call({0, "[]", std::string("k0"), nullptr, *m_.Guardian(1).guardian_id}).Text(0), "context");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests", {}), 0);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  EXPECT_EQ(call({0, "[]", std::string("k0"), nullptr, 0}).Text(0), "ok");  // the facts as read: taken
}

// The server's take facts (take_cache.h) save the read when they hold and are never trusted when
// they do not: after one take has read them, the next takes of the school in that section are one
// call each (on PostgreSQL); a course moved onto the slot of a seat the child holds, the round
// closed and reopened, the child moved to a grade the course is not for: each is seen at once,
// though the server's cache still says otherwise (a clash refused, not a second seat in the slot).
TEST_P(SeatWrites, TheServersTakeFactsSaveTheReadAndAreNeverTrusted) {
  bool pg = db().dialect() == db::Dialect::kPostgres;
  int64_t one = Section("书法", "3:after_school", 10);
  int64_t two = Section("篮球", "4:after_school", 10);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], one, "a-1").result.ok());
  auto before = take_cache::GetStats();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, m_.students[1], one, "a-2").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(2), round, m_.students[2], one, "a-3").result.ok());
  auto after = take_cache::GetStats();
  if (pg) {
    EXPECT_EQ(after.loads, before.loads);  // the school's children read once, no take read
    EXPECT_EQ(after.one_trip, before.one_trip + 2);
  }
  // The other section read once, then cached; now its course moves onto the held seat's slot.
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(3), round, m_.students[3], two, "a-4").result.ok());
  int64_t course_two = Count("SELECT course_id FROM sections WHERE id = $1", {two});
  db().Write([&](db::Conn& c) { c.Exec("UPDATE courses SET slots = '3:after_school' WHERE id = $1", {course_two}); });
  auto clash = TakeSeat(db(), m_.Guardian(0), round, m_.students[0], two, "a-5");
  ASSERT_FALSE(clash.result.ok());
  EXPECT_EQ(clash.result.error().code, kRuleBroken);
  EXPECT_NE(clash.result.error().message.find("时间冲突"), std::string::npos) << clash.result.error().message;
  if (pg) {
    EXPECT_GE(take_cache::GetStats().context, 1);
  }
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE student_id = $1 AND status = 'confirmed'", {m_.students[0]}),
            1);
  // Closed (the cache still says open): refused; reopened (the cache says closed): taken.
  db().Write([&](db::Conn& c) { c.Exec("UPDATE select_rounds SET closes_at = 1 WHERE id = $1", {round}); });
  auto closed = TakeSeat(db(), m_.Guardian(4), round, m_.students[4], one, "a-6");
  ASSERT_FALSE(closed.result.ok());
  EXPECT_EQ(closed.result.error().code, kRuleBroken);
  db().Write([&](db::Conn& c) {
    c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, NowMs() + 3600000});
  });
  EXPECT_TRUE(TakeSeat(db(), m_.Guardian(5), round, m_.students[5], one, "a-7").result.ok());
  // Moved to a class of a grade the course is not for (grades 3, 4).
  db().Write([&](db::Conn& c) {
    c.Exec(
        "UPDATE grades SET number = 6 WHERE id = (SELECT cl.grade_id FROM students st JOIN classes cl"
        " ON cl.id = st.class_id WHERE st.id = $1)",
        {m_.students[6]});
  });
  auto grade = TakeSeat(db(), m_.Guardian(6), round, m_.students[6], one, "a-8");
  ASSERT_FALSE(grade.result.ok());
  EXPECT_EQ(grade.result.error().code, kRuleBroken);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {one}),
            Count("SELECT COUNT(*) FROM selections WHERE section_id = $1 AND status = 'confirmed'", {one}));
}

// Once a take has read the facts, a refusal on them (the child is already in the section) and a drop
// are answered in one call each on PostgreSQL (no read: sql/0620), as on SQLite: the refusal
// stored with its key and replayed, the seat dropped; another family's drop of it is not_found.
TEST_P(SeatWrites, ARefusalAndADropOnTheServersFactsAreOneCallEach) {
  bool pg = db().dialect() == db::Dialect::kPostgres;
  int64_t sec = Section("书法", "3:after_school", 10);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "b-1").result.ok());
  auto before = take_cache::GetStats();
  auto twice = TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "b-2");
  ASSERT_FALSE(twice.result.ok());
  EXPECT_EQ(twice.result.error().code, kRuleBroken);
  EXPECT_NE(twice.result.error().message.find("已选上该课程"), std::string::npos) << twice.result.error().message;
  auto replayed = TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "b-2");
  EXPECT_TRUE(replayed.replay);
  ASSERT_FALSE(replayed.result.ok());
  EXPECT_EQ(replayed.result.error().message, twice.result.error().message);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'b-2' AND status = 422"), 1);
  auto mid = take_cache::GetStats();
  auto drop = DropSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "b-4");
  ASSERT_TRUE(drop.result.ok()) << drop.result.error().message;
  EXPECT_EQ(drop.result.value()["status"], "dropped");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  auto after = take_cache::GetStats();
  if (pg) {
    EXPECT_EQ(mid.one_trip, before.one_trip + 1);  // the refusal (its replay: the stored answer, in the call)
    EXPECT_EQ(after.one_trip, mid.one_trip + 1);   // the drop
    EXPECT_EQ(after.loads, before.loads);          // neither read
  }
  // Taken again, then another family's drop of the seat: the call says the facts do not hold
  // ('context'), the read says whose child it is.
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "b-5").result.ok());
  auto foreign = DropSeat(db(), m_.Guardian(1), round, m_.students[0], sec, "b-3");
  ASSERT_FALSE(foreign.result.ok());
  EXPECT_EQ(foreign.result.error().field, "student_id");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'b-3'"), 0);
  if (pg) {
    EXPECT_EQ(take_cache::GetStats().context, after.context + 1);
  }
}

// Warming the take path before a server answers (kehou serve, PostgreSQL) opens every pooled
// connection and runs a real take on each of the writes' in a transaction it rolls back: nothing
// is written (no seat, audit row, stored answer, seat count), and the facts it read serve the first
// take at once (one call, no read). SQLite: nothing to warm.
TEST_P(SeatWrites, WarmingTheTakePathOpensEveryConnectionAndWritesNothing) {
  int64_t sec = Section("书法", "3:after_school", 10);
  int64_t other = Section("篮球", "4:after_school", 10);  // one of the two is not the warm-up's take
  int64_t round = Round();
  auto counts = [&] {
    return std::vector<int64_t>{
        Count("SELECT COUNT(*) FROM selections", {}), Count("SELECT COUNT(*) FROM audit_log", {}),
        Count("SELECT COUNT(*) FROM select_requests", {}), Count("SELECT COALESCE(SUM(taken), 0) FROM sections", {})};
  };
  auto before = counts();
  size_t warmed = WarmTakePath(db());
  EXPECT_EQ(counts(), before);
  if (db().dialect() != db::Dialect::kPostgres) {
    EXPECT_EQ(warmed, 0u);
    return;
  }
  auto pools = db::PostgresPoolStats(db());
  ASSERT_TRUE(pools);
  EXPECT_EQ(pools->open, pools->size);
  EXPECT_EQ(warmed, pools->size - db::ReadConnections(db()));
  auto stats = take_cache::GetStats();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "w-1").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, m_.students[1], other, "w-2").result.ok());
  EXPECT_EQ(take_cache::GetStats().loads, stats.loads);
  EXPECT_EQ(take_cache::GetStats().one_trip, stats.one_trip + 2);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {other}), 1);
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
