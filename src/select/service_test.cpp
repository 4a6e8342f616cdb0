#include "select/service.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "catalog/roster.h"
#include "catalog/service.h"
#include "catalog/test_files.h"
#include "catalog/test_fixture.h"
#include "core/time.h"
#include "db/testing.h"
#include "select/rules.h"
#include "select/service_test_fixture.h"

namespace kehou::select {
namespace {

TEST_P(SelectService, TakeIsIdempotentAndCapacityHolds) {
  int64_t sec = Section("合唱", "2:after_school", 2);
  int64_t round = Round();
  auto g0 = m_.Guardian(0);
  auto a = TakeSeat(db(), g0, round, m_.students[0], sec, "k-1");
  ASSERT_TRUE(a.result.ok()) << a.result.error().message;
  EXPECT_FALSE(a.replay);
  auto again = TakeSeat(db(), g0, round, m_.students[0], sec, "k-1");
  ASSERT_TRUE(again.result.ok());
  EXPECT_TRUE(again.replay);
  EXPECT_EQ(again.result.value()["selection_id"], a.result.value()["selection_id"]);
  EXPECT_EQ(Taken(sec), 1);
  // same child, new key: refused as already held (422), stored too
  auto dup = TakeSeat(db(), g0, round, m_.students[0], sec, "k-2");
  ASSERT_FALSE(dup.result.ok());
  EXPECT_EQ(dup.result.error().code, kRuleBroken);
  auto dup2 = TakeSeat(db(), g0, round, m_.students[0], sec, "k-2");
  EXPECT_TRUE(dup2.replay);
  EXPECT_EQ(dup2.result.error().message, dup.result.error().message);
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, m_.students[1], sec, "x").result.ok());
  auto full = TakeSeat(db(), m_.Guardian(2), round, m_.students[2], sec, "x");
  ASSERT_FALSE(full.result.ok());
  EXPECT_EQ(full.result.error().code, kConflict);
  EXPECT_EQ(Taken(sec), 2);
}

TEST_P(SelectService, AFamilySeesItsChildrensCoursesOnTheirCards) {
  int64_t sec = Section("合唱", "2:after_school", 2);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  auto mine = FamilyCourses(db(), m_.Guardian(0));
  ASSERT_TRUE(mine.ok());
  ASSERT_EQ((*mine)["items"].size(), 1u);
  EXPECT_EQ((*mine)["items"][0]["student_id"], m_.students[0]);
  EXPECT_EQ((*mine)["items"][0]["course_name"], "合唱");
  EXPECT_EQ((*mine)["items"][0]["slots"].size(), 1u);
  EXPECT_FALSE((*mine)["items"][0]["teacher_name"].get<std::string>().empty());  // the course's institution at least
  // Another family sees nothing of it.
  EXPECT_TRUE((*FamilyCourses(db(), m_.Guardian(1)))["items"].empty());
  // A dropped seat leaves the card.
  ASSERT_TRUE(DropSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  EXPECT_TRUE((*FamilyCourses(db(), m_.Guardian(0)))["items"].empty());
}

TEST_P(SelectService, FortyFiveSeatsUnderARushNeverOversell) {
  int64_t sec = Section("篮球", "3:after_school", 45);
  int64_t round = Round();
  std::atomic<int> ok{0}, full{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 6; ++t)
    threads.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < m_.students.size(); i += 6) {
        auto o = TakeSeat(db(), m_.Guardian(i), round, m_.students[i], sec, "rush-" + std::to_string(i));
        if (o.result.ok()) ++ok;
        else if (o.result.error().code == kConflict) ++full;
      }
    });
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 45);
  EXPECT_EQ(full.load(), 15);
  EXPECT_EQ(Taken(sec), 45);
  auto confirmed = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM selections WHERE section_id = $1 AND status = 'confirmed'", {sec})->Int(0);
  });
  EXPECT_EQ(confirmed, 45);
}

TEST_P(SelectService, ClashLimitDropAndOtherFamilies) {
  int64_t a = Section("书法", "2:after_school", 10);
  int64_t b = Section("绘画", "2:after_school", 10);
  int64_t c = Section("足球", "4:after_school", 10);
  int64_t d = Section("围棋", "5:after_school", 10);
  int64_t round = Round("fcfs", 2);
  auto g = m_.Guardian(0);
  int64_t kid = m_.students[0];
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, a, "").result.ok());
  auto clash = TakeSeat(db(), g, round, kid, b, "");
  ASSERT_FALSE(clash.result.ok());
  EXPECT_NE(clash.result.error().message.find("时间冲突"), std::string::npos);
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, c, "").result.ok());
  auto limit = TakeSeat(db(), g, round, kid, d, "");
  ASSERT_FALSE(limit.result.ok());
  EXPECT_NE(limit.result.error().message.find("最多"), std::string::npos);
  // drop one, add another
  ASSERT_TRUE(DropSeat(db(), g, round, kid, a, "").result.ok());
  EXPECT_EQ(Taken(a), 0);
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, d, "").result.ok());
  // another family's child: not found
  auto other = TakeSeat(db(), m_.Guardian(1), round, kid, a, "");
  ASSERT_FALSE(other.result.ok());
  EXPECT_EQ(other.result.error().code, kNotFound);
  auto mine = Mine(db(), g, round);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["children"].size(), 1u);
  EXPECT_EQ((*mine)["children"][0]["seats"].size(), 2u);
  auto report = Report(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ((*report)["taken"], 2);
}

TEST_P(SelectService, MineListsOnlyTheChildrenOfTheRoundsGrades) {
  Section("合唱", "2:after_school", 5);
  int64_t now = NowMs();
  auto r = CreateRound(db(), m_.office, std::nullopt,
                       {{"name", "四年级专场"},
                        {"mode", "fcfs"},
                        {"grades", {4}},
                        {"opens_at", now - 1000},
                        {"closes_at", now + 3600000},
                        {"max_per_child", 1}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t round = (*r)["id"];
  auto grade3 = Mine(db(), m_.Guardian(0), round);  // students[0] is in grade 3
  ASSERT_TRUE(grade3.ok());
  EXPECT_TRUE((*grade3)["children"].empty());
  auto grade4 = Mine(db(), m_.Guardian(1), round);  // students[1] is in grade 4
  ASSERT_TRUE(grade4.ok());
  ASSERT_EQ((*grade4)["children"].size(), 1u);
  EXPECT_EQ((*grade4)["children"][0]["student_id"], m_.students[1]);
}

TEST_P(SelectService, SeatsAreCachedAndScoped) {
  int64_t sec = Section("合唱", "2:after_school", 5);
  int64_t round = Round();
  auto s1 = Seats(db(), m_.Guardian(0), round);
  ASSERT_TRUE(s1.ok());
  EXPECT_NE((*s1)->json.find("[" + std::to_string(sec) + ",5]"), std::string::npos);
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  auto s2 = Seats(db(), m_.Guardian(1), round);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ((*s2)->etag, (*s1)->etag);  // within kSeatsCacheMs: the same cached answer
  auth::Principal stranger = m_.Guardian(0);
  stranger.guardian_id = 999999;
  EXPECT_FALSE(Seats(db(), stranger, round).ok());
}

TEST_P(SelectService, ManualPlacementStaysWithinFortyFiveAndWaitlistOffers) {
  int64_t sec = Section("田径", "1:after_school", 1);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  auto p = Place(db(), m_.office, std::nullopt, sec, m_.students[2], round);
  ASSERT_FALSE(p.ok());
  auto w = JoinWaitlist(db(), m_.Guardian(2), sec, m_.students[2]);
  ASSERT_TRUE(w.ok()) << w.error().message;
  EXPECT_EQ((*w)["position"], 1);
  ASSERT_TRUE(Remove(db(), m_.office, std::nullopt, sec, m_.students[0]).ok());
  EXPECT_EQ(Taken(sec), 1);  // held for the offer
  auto acc = AnswerOffer(db(), m_.Guardian(2), (*w)["id"], true);
  ASSERT_TRUE(acc.ok()) << acc.error().message;
  EXPECT_EQ(Taken(sec), 1);
  auto audits = db().Read([](db::Conn& c) {
    return c
        .QueryOne(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('select_take','remove','waitlist_join','waitlist_accept')")
        ->Int(0);
  });
  EXPECT_EQ(audits, 4);
}

TEST_P(SelectService, AFamilysDropGoesToTheWaitingListFirst) {
  int64_t sec = Section("书法", "3:after_school", 1);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  auto w = JoinWaitlist(db(), m_.Guardian(2), sec, m_.students[2]);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(DropSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  EXPECT_EQ(Taken(sec), 1);  // held for the child at the head of the list, not back in the pool
  auto racer = TakeSeat(db(), m_.Guardian(4), round, m_.students[4], sec, "");
  ASSERT_FALSE(racer.result.ok());
  EXPECT_EQ(racer.result.error().code, kConflict);
  auto mine = Mine(db(), m_.Guardian(2), round);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["children"][0]["waitlist"][0]["status"], "offered");
  ASSERT_TRUE(AnswerOffer(db(), m_.Guardian(2), (*w)["id"], true).ok());
  EXPECT_EQ(Taken(sec), 1);
  // With nobody waiting, a dropped seat goes back to everyone.
  ASSERT_TRUE(Remove(db(), m_.office, std::nullopt, sec, m_.students[2]).ok());
  EXPECT_EQ(Taken(sec), 0);
}

// Issue 10 §2: a waiting-list acceptance racing a take in the same time slot on another server
// gave one child two seats in one slot on PostgreSQL: the accept read the child's seats without
// the per-child lock. Here the "take" holds the child's lock on one connection (as TakeSeat does
// before it reads the seats) while the accept runs on another: the accept must wait for it and
// then see the clash. On SQLite every write is serialised (nothing to race).
TEST_P(SelectService, AcceptRacingATakeInTheSameSlotWaitsForTheChildLock) {
  if (GetParam() != "postgres") GTEST_SKIP() << "PostgreSQL only (SQLite serialises writes)";
  int64_t held = Section("田径", "2:after_school", 1);
  int64_t other = Section("合唱", "2:after_school", 5);  // the same slot
  int64_t round = Round("fcfs", 2);
  int64_t kid = m_.students[0];
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, m_.students[1], held, "").result.ok());
  auto w = JoinWaitlist(db(), m_.Guardian(0), held, kid);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_TRUE(Remove(db(), m_.office, std::nullopt, held, m_.students[1]).ok());  // offer to kid
  std::atomic<bool> locked{false};
  Result<Json> accepted = Json();
  std::thread take([&] {
    db().Write([&](db::Conn& c) {
      c.Query("SELECT id FROM students WHERE id = $1 FOR UPDATE", {kid});  // store::kLockChildPg
      locked = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(800));  // the accept runs meanwhile
      ASSERT_EQ(c.Exec("UPDATE sections SET taken = taken + 1 WHERE id = $1 AND taken < capacity", {other}), 1);
      c.Exec(
          "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, by_user_id,"
          " created_at) VALUES ($1,$2,$3,$4,'confirmed','fcfs',0,$5)",
          {m_.school_id, round, other, kid, NowMs()});
    });
  });
  while (!locked) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  accepted = AnswerOffer(db(), m_.Guardian(0), (*w)["id"], true);
  take.join();
  ASSERT_FALSE(accepted.ok()) << "the accept did not wait for the child's lock";
  EXPECT_EQ(accepted.error().code, kRuleBroken);
  EXPECT_NE(accepted.error().message.find("时间冲突"), std::string::npos);
  auto seats = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM selections WHERE student_id = $1 AND status = 'confirmed'", {kid})->Int(0);
  });
  EXPECT_EQ(seats, 1);
}

// The same Idempotency-Key with another body or to another endpoint: 422, never the first answer
// (a drop answered "confirmed").
TEST_P(SelectService, AKeyReusedForAnotherRequestIsRefusedNotReplayed) {
  int64_t a = Section("合唱", "2:after_school", 5);
  int64_t b = Section("美术", "3:after_school", 5);
  int64_t round = Round();
  auto g = m_.Guardian(0);
  int64_t kid = m_.students[0];
  const std::string take_a = RequestFingerprint("POST", "/api/v1/rounds/1/take", "{\"section_id\":1}");
  const std::string take_b = RequestFingerprint("POST", "/api/v1/rounds/1/take", "{\"section_id\":2}");
  const std::string drop_a = RequestFingerprint("POST", "/api/v1/rounds/1/drop", "{\"section_id\":1}");
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, a, "key-1", take_a).result.ok());
  auto again = TakeSeat(db(), g, round, kid, a, "key-1", take_a);
  ASSERT_TRUE(again.result.ok());
  EXPECT_TRUE(again.replay);
  auto drop = DropSeat(db(), g, round, kid, a, "key-1", drop_a);
  ASSERT_FALSE(drop.result.ok()) << "a drop with the take's key replayed: " << drop.result.value().dump();
  EXPECT_EQ(drop.result.error().code, kRuleBroken);
  EXPECT_EQ(drop.result.error().field, "idempotency_key");
  auto other = TakeSeat(db(), g, round, kid, b, "key-1", take_b);
  ASSERT_FALSE(other.result.ok());
  EXPECT_EQ(other.result.error().field, "idempotency_key");
  EXPECT_EQ(Taken(a), 1);  // the seat is still held
  EXPECT_EQ(Taken(b), 0);
}

// Issue 10 §2: on PostgreSQL a waiting-list acceptance racing a take in the same slot gave one
// child two seats in one slot (each checked the clash before the other wrote). The database now
// refuses the second seat itself (seat_slots, sql/0025-0026), whichever path writes it: here the
// acceptance's own INSERT, as it runs when its clash check did not see the take.
TEST_P(SelectService, OneChildNeverHoldsTwoSeatsInOneSlotWhateverWritesThem) {
  int64_t taken = Section("书法", "2:after_school", 10);
  int64_t offered = Section("绘画", "5:noon, 2:after_school", 10);
  int64_t other = Section("足球", "4:after_school", 10);
  int64_t round = Round("fcfs", 3);
  auto g = m_.Guardian(0);
  int64_t kid = m_.students[0];
  ASSERT_TRUE(TakeSeat(db(), g, round, kid, taken, "").result.ok());
  auto write_seat = [&](int64_t section, const char* source) {
    return db().Write([&](db::Conn& c) {
      return c.Insert(
          "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, created_at)"
          " VALUES ($1, NULL, $2, $3, 'confirmed', $4, $5) RETURNING id",
          {m_.school_id, section, kid, std::string(source), NowMs()});
    });
  };
  try {
    write_seat(offered, "waitlist");
    ADD_FAILURE() << "a second seat in 周二 课后 was written";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.unique_violation) << e.what();
  }
  // Another slot is fine; another child in the same slot is fine.
  EXPECT_GT(write_seat(other, "manual"), 0);
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(1), round, m_.students[1], offered, "").result.ok());
  // Once the first seat is dropped its slot is free again (the guard follows status changes).
  ASSERT_TRUE(DropSeat(db(), g, round, kid, taken, "").result.ok());
  EXPECT_GT(write_seat(offered, "waitlist"), 0);
  // ... and re-confirming the dropped seat now clashes, through an UPDATE too.
  try {
    db().Write([&](db::Conn& c) {
      c.Exec("UPDATE selections SET status = 'confirmed' WHERE student_id = $1 AND section_id = $2", {kid, taken});
    });
    ADD_FAILURE() << "a dropped seat was re-confirmed into a taken slot";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.unique_violation) << e.what();
  }
  auto slots = db().Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT COUNT(*) FROM seat_slots WHERE student_id = $1", {kid})->Int(0); });
  EXPECT_EQ(slots, 3);  // 周二课后 and 周五午间 of 绘画, 周四课后 of 足球
}

// PostgreSQL (sql/0480): a seat's school and child are one foreign key, so the database refuses a
// seat written under another school than its child's (the key that replaced the check on the
// school's row, which every concurrent take locked); the take itself still writes.
TEST_P(SelectService, OnPostgresASeatsSchoolIsItsChildsSchool) {
  if (db().dialect() != db::Dialect::kPostgres) GTEST_SKIP() << "SQLite keeps its four plain foreign keys";
  int64_t section = Section("书法", "2:after_school", 10);
  int64_t round = Round("fcfs", 3);
  int64_t kid = m_.students[0];
  try {
    db().Write([&](db::Conn& c) {
      c.Exec(
          "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, created_at)"
          " VALUES ($1, NULL, $2, $3, 'confirmed', 'manual', $4)",
          {m_.other_school_id, section, kid, NowMs()});
    });
    ADD_FAILURE() << "a seat of this school's child was written under another school";
  } catch (const db::DbError& e) {
    EXPECT_NE(std::string(e.what()).find("selections_school_student_fkey"), std::string::npos) << e.what();
  }
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, kid, section, "").result.ok());
  auto school = db().Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT school_id FROM selections WHERE student_id = $1", {kid})->Int(0); });
  EXPECT_EQ(school, m_.school_id);
}

// Both databases: a round that has seats is never deleted (SQLite: the foreign key; PostgreSQL,
// whose take no longer checks that key (sql/0480): the guard of sql/0481).
TEST_P(SelectService, ARoundWithSeatsIsNeverDeleted) {
  int64_t section = Section("书法", "2:after_school", 10);
  int64_t round = Round("fcfs", 3);
  int64_t kid = m_.students[0];
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, kid, section, "").result.ok());
  // What refuses is the seat, not another table's key: round_sections goes first, and nothing else
  // of this round was written (a first-come take keeps no requests or preferences).
  const std::string why = db().dialect() == db::Dialect::kPostgres ? "the round has seats" : "FOREIGN KEY";
  for (const char* sql :
       {"DELETE FROM select_rounds WHERE id = $1", "UPDATE select_rounds SET id = id + 1000 WHERE id = $1"}) {
    try {
      db().Write([&](db::Conn& c) {
        c.Exec("DELETE FROM round_sections WHERE round_id = $1", {round});
        c.Exec(sql, {round});
      });
      ADD_FAILURE() << "a round with a seat was changed: " << sql;
    } catch (const db::DbError& e) {
      EXPECT_NE(std::string(e.what()).find(why), std::string::npos) << e.what();
    }
  }
  auto seats = db().Read([&](db::Conn& c) {
    return c
        .QueryOne("SELECT COUNT(*) FROM selections s JOIN select_rounds r ON r.id = s.round_id WHERE s.student_id = $1",
                  {kid})
        ->Int(0);
  });
  EXPECT_EQ(seats, 1);
}

// The same take, from many threads of one family at once (double taps with one key, and other
// keys for other sections in the same slot): one seat, one stored answer per key, no clash seat.
TEST_P(SelectService, ConcurrentTapsOfOneFamilyGiveOneSeatPerSlot) {
  int64_t a = Section("书法", "2:after_school", 10);
  int64_t b = Section("绘画", "2:after_school", 10);
  int64_t round = Round("fcfs", 3);
  auto g = m_.Guardian(0);
  int64_t kid = m_.students[0];
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  std::vector<int64_t> sel(8, 0);
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      auto o = TakeSeat(db(), g, round, kid, t % 2 ? b : a, t % 2 ? "tap-b" : "tap-a");
      if (o.result.ok()) {
        ++ok;
        sel[static_cast<size_t>(t)] = o.result.value()["selection_id"];
      }
    });
  for (auto& th : threads) th.join();
  auto confirmed = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM selections WHERE student_id = $1 AND status = 'confirmed'", {kid})->Int(0);
  });
  EXPECT_EQ(confirmed, 1);
  EXPECT_EQ(Taken(a) + Taken(b), 1);
  // Every success answer (first or replayed) names the one seat.
  EXPECT_GE(ok.load(), 1);
  int64_t first = 0;
  for (int64_t x : sel) {
    if (x && !first) first = x;
    if (x) {
      EXPECT_EQ(x, first);
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Both, SelectService, ::testing::ValuesIn(db::TestDialects()),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

}  // namespace
}  // namespace kehou::select
