// take_group_test.cpp (select): takes and drops written together on PostgreSQL (sql/0610,
// take_group.h): one call decides each write as it would alone, and the writes that wait at the
// same time are written in groups.
#include "select/take_group.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "select/seats_test_fixture.h"

namespace kehou::select {
namespace {

using Json = nlohmann::json;

class SeatGroups : public SeatWrites {};

// Takes written together (sql/0610, take_group.h): one call decides each take as it would alone.
// Two seats left for four children: the first two in the call's section order take them, the
// others are full; a second take of a child in the same call answers 'again' (nothing written); a
// take with stale seats or changed facts gets its own answer and writes nothing; each written take
// has its own seat, audit row and stored answer. Two takes of one guardian with one key (a double
// tap) fail the call as a whole: nothing of it is written.
TEST_P(SeatGroups, OnPostgresOneCallWritesManyTakesEachAsItWouldAlone) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 2);
  int64_t other = Section("书法", "3:after_school", 5);
  int64_t round = Round();
  auto changed = [](store::TakeLoad& f) { f.child->name += "x"; };
  auto rows = CallTakes(round, {{other, {3, "[]", std::string("c3"), nullptr, 0}},
                                {sec, {1, "[]", std::string("c1"), nullptr, 0}},
                                {sec, {0, "[]", std::string("c0"), nullptr, 0}},
                                {sec, {2, "[]", std::string("c2"), nullptr, 0}},
                                {other, {0, "[]", std::string("c0b"), nullptr, 0}},
                                {sec, {4, R"([[1, 1, 1, "a", "b"]])", std::string("c4"), nullptr, 0}},
                                {sec, {5, "[]", std::string("c5"), changed, 0}}});
  std::vector<std::string> outcomes;
  for (const auto& r : rows) outcomes.push_back(r.Text(0));
  EXPECT_EQ(outcomes, (std::vector<std::string>{"ok", "ok", "ok", "full", "again", "stale", "context"}));
  EXPECT_EQ(rows[1].Int(2), 1);  // remaining after each, in the call's order
  EXPECT_EQ(rows[2].Int(2), 0);
  EXPECT_EQ(rows[3].Int(3), 409);
  for (int i : {0, 1, 2}) {
    EXPECT_EQ(Json::parse(rows[i].Text(4))["body"]["selection_id"], rows[i].Int(1));
    EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_take' AND entity_id = $1", {rows[i].Int(1)}),
              1);
  }
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 2);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {other}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections", {}), 3);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key IN ('c0', 'c1', 'c2', 'c3')", {}), 4);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key IN ('c0b', 'c4', 'c5')", {}), 0);
  // The 'again' take in a call of its own: it sees the seat of the first and is decided on it.
  EXPECT_EQ(CallTake(round, other, {0, "[]", std::string("c0b"), nullptr, 0}).Text(0), "stale");
  // One guardian, one key, two of its children in one call: the key's unique index fails the call.
  db().Write([&](db::Conn& c) {
    c.Exec(
        "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)"
        " VALUES ($1, $2, $3, '父亲', 0)",
        {m_.school_id, m_.students[7], m_.guardians[6]});
  });
  int64_t g6 = m_.guardians[6];
  EXPECT_THROW(CallTakes(round, {{other, {6, "[]", std::string("dup"), nullptr, g6}},
                                 {other, {7, "[]", std::string("dup"), nullptr, g6}}}),
               db::DbError);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {other}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'dup'", {}), 0);
}

// ... and drops in the same call (the family's drop, as kehou_drop_seat wrote it): a drop frees its
// seat for a take later in the section's order of the same call; a drop of a seat the child does
// not hold answers 'none', stored with its key; a drop and a take of one child in one call: the
// second answers 'again'; a drop's key replays its stored answer.
TEST_P(SeatGroups, OnPostgresOneCallWritesDropsWithTakes) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 1);
  int64_t round = Round();
  ASSERT_EQ(CallTake(round, sec, {0, "[]", std::string("t0"), nullptr, 0}).Text(0), "ok");
  auto drop = [&](int kid, const char* key) { return DropParams(kid, *m_.Guardian(kid).guardian_id, key, round, sec); };

  db::Params d0 = drop(0, "d0"), d1 = drop(1, "d1"), d2 = drop(2, "d2");
  db::Params t1 = TakeParams(round, sec, {1, "[]", std::string("t1"), nullptr, 0});
  db::Params t2 = TakeParams(round, sec, {2, "[]", std::string("t2"), nullptr, 0});
  auto call = [&](const std::vector<store::SeatWriteIn>& writes) {
    return db().Write([&](db::Conn& c) { return store::SeatWritesPg(c, writes); });
  };
  using In = store::SeatWriteIn;
  auto w = call({{In::kDrop, &d0}, {In::kTake, &t1}, {In::kDrop, &d1}, {In::kDrop, &d2}, {In::kTake, &t2}});
  EXPECT_EQ(w[0].outcome, "ok");     // kid 0's seat dropped: its seat free again
  EXPECT_EQ(w[1].outcome, "ok");     // kid 1 takes it (after the drop, in the call's order)
  EXPECT_EQ(w[2].outcome, "again");  // kid 1 again: nothing written
  EXPECT_EQ(w[3].outcome, "none");   // kid 2 holds no seat
  EXPECT_EQ(w[4].outcome, "again");  // kid 2 again
  EXPECT_EQ(w[0].answer, R"({"ok":true,"body":{"status":"dropped"}})");
  EXPECT_EQ(w[3].answer, R"({"ok":false})");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE section_id = $1 AND status = 'confirmed' AND student_id = $2",
                  {sec, m_.students[1]}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE status = 'dropped' AND dropped_at = 2000 AND student_id = $1",
                  {m_.students[0]}),
            1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_drop' AND request_id = 'r2'", {}), 1);
  EXPECT_EQ(
      Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd0' AND status = 200 AND fingerprint = 'fpd'", {}),
      1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd2' AND status = 404", {}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd1'", {}), 0);
  auto again = call({{In::kDrop, &d0}});
  EXPECT_EQ(again[0].outcome, "replay");
  EXPECT_EQ(again[0].answer, R"({"ok":true,"body":{"status":"dropped"}})");
  EXPECT_EQ(again[0].stored_fingerprint, "fpd");
}

// A drop decided on the server's facts (sql/0620) carries the child's and the round's: it is written
// only while they hold under the child's lock and the child is the guardian's; else 'context' and
// nothing written.
TEST_P(SeatGroups, OnPostgresADropFromTheServersFactsIsWrittenOnlyWhileTheyHold) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 2);
  int64_t round = Round();
  ASSERT_EQ(CallTake(round, sec, {0, "[]", std::string("t0"), nullptr, 0}).Text(0), "ok");
  store::TakeLoad f = Facts(0, round, sec);
  ASSERT_TRUE(f.child.has_value());
  const std::string child = take_cache::ChildFacts(*f.child);
  auto drop = [&](int64_t guardian, const std::string& child_facts, const std::string& round_facts) {
    return DropParams(0, guardian, "d0", round, sec, {child_facts, round_facts});
  };

  auto call = [&](const db::Params& p) {
    return db().Write([&](db::Conn& c) { return store::SeatWritesPg(c, {{store::SeatWriteIn::kDrop, &p}}); }).at(0);
  };
  int64_t mine = *m_.Guardian(0).guardian_id, other = *m_.Guardian(1).guardian_id;
  Json renamed = Json::parse(child), closes = Json::parse(f.round_facts);
  renamed[3] = renamed[3].get<std::string>() + "x";
  closes[4] = closes[4].get<int64_t>() - 1;
  for (const db::Params& p :
       {drop(other, child, f.round_facts), drop(mine, renamed.dump(), f.round_facts), drop(mine, child, closes.dump())})
    EXPECT_EQ(call(p).outcome, "context");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd0'"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_drop'"), 0);
  // The facts as they are: dropped, audited, stored with its key; then replayed.
  store::SeatWrite ok = call(drop(mine, child, f.round_facts));
  EXPECT_EQ(ok.outcome, "ok");
  EXPECT_EQ(ok.answer, R"({"ok":true,"body":{"status":"dropped"}})");
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_drop' AND request_id = 'r2'"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 'd0' AND status = 200"), 1);
  EXPECT_EQ(call(drop(mine, child, f.round_facts)).outcome, "replay");
}

// A take the server refused on its facts (sql/0620) is checked as a take: when its facts hold its
// answer is stored for its key ('refused', nothing else written); with the child's seats changed
// since it is 'stale' (the seats now returned) and nothing is stored.
TEST_P(SeatGroups, OnPostgresARefusalIsStoredOnlyWhileItsFactsHold) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "kehou_seat_writes is PostgreSQL's";
  int64_t sec = Section("篆刻", "5:after_school", 2);
  int64_t round = Round();
  ASSERT_EQ(CallTake(round, sec, {0, "[]", std::string("t0"), nullptr, 0}).Text(0), "ok");
  const std::string held = Facts(0, round, sec).held_json, answer = R"({"ok":false,"error":{"code":"rule"}})";
  ASSERT_NE(held, "[]");
  auto refuse = [&](const std::string& seats) {
    db::Params p = TakeParams(round, sec, {0, seats, std::string("t1"), nullptr, 0});
    p.insert(p.end(), {int64_t{422}, answer});
    return p;
  };
  auto call = [&](const db::Params& p) {
    return db().Write([&](db::Conn& c) { return store::SeatWritesPg(c, {{store::SeatWriteIn::kTake, &p}}); }).at(0);
  };
  store::SeatWrite stale = call(refuse("[]"));  // decided before the seat was taken
  EXPECT_EQ(stale.outcome, "stale");
  EXPECT_EQ(Json::parse(stale.held), Json::parse(held));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 't1'"), 0);
  store::SeatWrite refused = call(refuse(held));
  EXPECT_EQ(refused.outcome, "refused");
  EXPECT_EQ(refused.answer, answer);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM select_requests WHERE idem_key = 't1' AND status = 422 AND fingerprint = 'fp'"),
            1);
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE student_id = $1", {m_.students[0]}), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE action = 'select_take'"), 1);
  EXPECT_EQ(call(refuse(held)).outcome, "replay");
}

// The server's takes that wait at the same time are written together (take_group.h), and a group
// whose call fails is written take by take. The section's row is held by another transaction, so the
// first groups wait in their call and the takes after them queue; once it is let go, the queued
// takes are written in groups: every child gets a seat or a full answer, never a seat too many; the
// double tap of one key for two children in the queue answers the second with 422 (the key was
// another request's) and costs the others nothing.
TEST_P(SeatGroups, OnPostgresTakesThatWaitTogetherAreWrittenTogether) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "take groups are PostgreSQL's";
  const size_t n = std::min<size_t>(16, take_group::Groups() + 6);  // children 1..n
  int64_t sec = Section("篆刻", "5:after_school", 45);
  int64_t round = Round();
  db().Write([&](db::Conn& c) {  // children 18 and 19: one guardian
    c.Exec(
        "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)"
        " VALUES ($1, $2, $3, '父亲', 0)",
        {m_.school_id, m_.students[19], m_.guardians[18]});
    c.Exec("UPDATE sections SET capacity = $2 WHERE id = $1", {sec, static_cast<int64_t>(n)});
  });
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "t-0").result.ok());  // facts cached
  auto before = take_group::GetStats();
  std::mutex mu;
  std::condition_variable cv;
  bool held = false, release = false;
  std::thread holder([&] {
    db().Write([&](db::Conn& c) {
      c.Exec("SELECT 1 FROM sections WHERE id = $1 FOR UPDATE", {sec});
      std::unique_lock l(mu);
      held = true;
      cv.notify_all();
      cv.wait(l, [&] { return release; });
    });
  });
  {
    std::unique_lock l(mu);
    cv.wait(l, [&] { return held; });
  }
  std::vector<Outcome> outs(n + 2);
  std::vector<std::thread> takers;
  for (size_t i = 1; i <= n; ++i)
    takers.emplace_back(
        [&, i] { outs[i] = TakeSeat(db(), m_.Guardian(i), round, m_.students[i], sec, "t-" + std::to_string(i)); });
  auto wait_queued = [&](int64_t k) {
    for (int tries = 0; tries < 2000 && take_group::GetStats().waiting < k; ++tries)
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return take_group::GetStats().waiting >= k;
  };
  bool queued = wait_queued(static_cast<int64_t>(n - take_group::Groups()));
  takers.emplace_back(
      [&] { outs[n + 1] = TakeSeat(db(), m_.Guardian(18), round, m_.students[18], sec, "dup", "fp-18"); });
  takers.emplace_back([&] { outs[0] = TakeSeat(db(), m_.Guardian(18), round, m_.students[19], sec, "dup", "fp-19"); });
  bool dup_queued = wait_queued(static_cast<int64_t>(n - take_group::Groups() + 2));
  {
    std::lock_guard l(mu);
    release = true;
  }
  cv.notify_all();
  holder.join();
  for (auto& t : takers) t.join();
  EXPECT_TRUE(queued && dup_queued) << "the takes never queued behind the held row";
  auto after = take_group::GetStats();
  EXPECT_GT(after.largest, 1);
  EXPECT_LT(after.calls - before.calls, static_cast<int64_t>(n) + 2);  // fewer calls than takes
  int ok = 0, full = 0, refused = 0;
  for (const auto& o : outs) {
    if (o.result.ok()) ++ok;
    else if (o.result.error().code == kConflict) ++full;
    else ++refused;
  }
  EXPECT_EQ(ok, static_cast<int>(n) - 1);  // n seats, one taken before
  EXPECT_EQ(full, 2);
  EXPECT_EQ(refused, 1);  // the second use of the key "dup": another request's key (422)
  EXPECT_EQ(Count("SELECT taken FROM sections WHERE id = $1", {sec}), static_cast<int64_t>(n));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM selections WHERE section_id = $1 AND status = 'confirmed'", {sec}),
            static_cast<int64_t>(n));
  EXPECT_EQ(Count("SELECT COUNT(*) FROM (SELECT student_id FROM selections WHERE status = 'confirmed'"
                  " GROUP BY student_id HAVING COUNT(*) > 1) x",
                  {}),
            0);
}

INSTANTIATE_TEST_SUITE_P(Both, SeatGroups, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::select
