// rounds_test.cpp (select): rounds and their terms, publishing, allocation, the enrolment gate,
// frozen rounds and exits, on both databases (the fixture: service_test_fixture.h; the seats and
// families half is service_test.cpp, which instantiates the suite).
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
#include "select/service.h"
#include "select/service_test_fixture.h"
#include "select/verify.h"

namespace kehou::select {
namespace {

TEST_P(SelectService, PreferenceRoundAllocatesWithTheCommittedSeedAndExplains) {
  int64_t a = Section("舞蹈", "1:after_school", 2);
  int64_t b = Section("科学", "2:after_school", 2);
  int64_t now = NowMs();
  auto r = CreateRound(db(), m_.office, std::nullopt,
                       {{"name", "志愿轮"},
                        {"mode", "preference"},
                        {"grades", {3, 4}},
                        {"opens_at", now - 1000},
                        {"closes_at", now + 3600000},
                        {"max_per_child", 1},
                        {"max_ranks", 2}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t round = (*r)["id"];
  EXPECT_EQ((*r)["seed_hash"].get<std::string>().size(), 64u);
  EXPECT_TRUE((*r)["seed"].is_null());  // not revealed before the allocation
  // FCFS take is refused in a preference round; ranking three is refused when K = 2.
  EXPECT_FALSE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], a, "").result.ok());
  EXPECT_FALSE(SetPreferences(db(), m_.Guardian(0), round, m_.students[0], {a, b, a}).ok());
  for (size_t i = 0; i < 5; ++i) ASSERT_TRUE(SetPreferences(db(), m_.Guardian(i), round, m_.students[i], {a, b}).ok());
  auto early = Allocate(db(), m_.office, std::nullopt, round);
  ASSERT_FALSE(early.ok());  // still open
  db().Write([&](db::Conn& c) { c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, now - 1}); });
  auto res = Allocate(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["seats"], 4);
  EXPECT_EQ((*res)["placed_children"], 4);
  EXPECT_EQ(Taken(a), 2);
  EXPECT_EQ(Taken(b), 2);
  EXPECT_FALSE(Allocate(db(), m_.office, std::nullopt, round).ok());  // once only
  auto round_after = GetRound(db(), m_.office, std::nullopt, round);
  EXPECT_EQ((*round_after)["seed"].get<std::string>().size(), 64u);  // revealed
  int explained = 0;
  for (size_t i = 0; i < 5; ++i) {
    auto mine = Mine(db(), m_.Guardian(i), round);
    ASSERT_TRUE(mine.ok());
    for (auto& res_row : (*mine)["children"][0]["results"]) {
      EXPECT_TRUE(res_row["reason"].contains("text"));
      EXPECT_GE(res_row["lottery"].get<int>(), 1);
      ++explained;
    }
  }
  EXPECT_EQ(explained, 10);
}

// Issue 10 §2 (session 14): the allocation ignored seats a child already held from other rounds of
// the term, placed it in the same slot, and the seat guard (seat_slots) refused the write, so the
// whole allocation failed. Held seats are fixed: their slots are blocked for that child.
TEST_P(SelectService, AllocationWorksAroundSeatsHeldFromAnotherRound) {
  int64_t held = Section("田径", "2:after_school", 5);
  int64_t first = Round("fcfs", 1);
  int64_t kid = m_.students[0];
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), first, kid, held, "").result.ok());
  int64_t p = Section("合唱", "2:after_school", 5);  // the held seat's slot
  int64_t q = Section("围棋", "2:after_school", 5);  // the same slot
  int64_t r = Section("绘画", "4:after_school", 5);  // elsewhere
  int64_t now = NowMs();
  auto created = CreateRound(db(), m_.office, std::nullopt,
                             {{"name", "第二轮"},
                              {"mode", "preference"},
                              {"grades", {3, 4}},
                              {"opens_at", now - 1000},
                              {"closes_at", now + 3600000},
                              {"max_per_child", 1},
                              {"max_ranks", 3},
                              {"section_ids", {p, q, r}}});
  ASSERT_TRUE(created.ok()) << created.error().message;
  int64_t round = (*created)["id"];
  ASSERT_TRUE(SetPreferences(db(), m_.Guardian(0), round, kid, {p, q, r}).ok());
  ASSERT_TRUE(SetPreferences(db(), m_.Guardian(1), round, m_.students[1], {p, r}).ok());
  db().Write([&](db::Conn& c) { c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, now - 1}); });
  auto res = Allocate(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["placed_children"], 2);
  EXPECT_EQ(Taken(p), 1);  // the other child
  EXPECT_EQ(Taken(q), 0);
  EXPECT_EQ(Taken(r), 1);  // the child with the held seat: its third choice
  EXPECT_EQ(Taken(held), 1);
  auto mine = Mine(db(), m_.Guardian(0), round);
  ASSERT_TRUE(mine.ok());
  int clashes = 0;
  for (auto& row : (*mine)["children"][0]["results"]) {
    if (row["section_id"] == r) {
      EXPECT_TRUE(row["placed"].get<bool>()) << row.dump();
    }
    if (row["section_id"] != r && row["reason"]["code"] == "clash") ++clashes;
  }
  EXPECT_EQ(clashes, 2) << (*mine).dump();
  // The published record carries the held slots, so it re-runs to the same allocation.
  auto record = db().Read([&](db::Conn& c) { return LoadRecord(c, round); });
  ASSERT_TRUE(record.ok()) << record.error().message;
  auto published = RecordFromJson(RecordJson(*record));
  ASSERT_TRUE(published.ok()) << published.error().message;
  ASSERT_EQ(published->input.children.size(), 2u);
  for (auto& ch : published->input.children) EXPECT_EQ(ch.held_slots.size(), ch.id == kid ? 1u : 0u) << ch.id;
  auto v = VerifyRecord(*published);
  EXPECT_TRUE(v.identical) << v.difference_en;
}

TEST_P(SelectService, RoundsPublishSectionsOfApprovedCoursesOnly) {
  int64_t sec = Section("书法", "3:after_school", 20);
  int64_t course =
      db().Read([&](db::Conn& c) { return c.QueryOne("SELECT course_id FROM sections WHERE id = $1", {sec})->Int(0); });
  auto closed = catalog::UpdateCourse(db(), m_.office, std::nullopt, course, {{"status", "closed"}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  int64_t now = NowMs();
  Json body{{"name", "第二轮"},           {"mode", "fcfs"},     {"grades", {3, 4}},    {"opens_at", now - 1000},
            {"closes_at", now + 3600000}, {"max_per_child", 2}, {"section_ids", {sec}}};
  auto r = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRuleBroken);
  EXPECT_EQ(r.error().field, "section_ids");
  // Without explicit sections, the round takes the approved courses' sections only.
  body.erase("section_ids");
  auto all = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_TRUE(all.ok()) << all.error().message;
  EXPECT_EQ((*all)["section_count"], 0);
  ASSERT_TRUE(catalog::UpdateCourse(db(), m_.office, std::nullopt, course, {{"status", "approved"}}).ok());
  body["section_ids"] = {sec};
  EXPECT_TRUE(CreateRound(db(), m_.office, std::nullopt, body).ok());
}

// Selection builds on enrolment: a child whose application is not approved, or who left the
// service (准出) by today, cannot take, rank, wait or be placed by hand; the family sees why.
TEST_P(SelectService, OnlyEnrolledChildrenChoose) {
  int64_t sec = Section("合唱", "2:after_school", 1);
  int64_t football = Section("足球", "4:after_school", 5);
  int64_t other = Section("围棋", "5:after_school", 5);
  int64_t round = Round();  // (offers the sections made before it)
  auto set_status = [&](size_t i, const char* status) {
    db().Write([&](db::Conn& c) {
      c.Exec("UPDATE applications SET status = $2 WHERE student_id = $1", {m_.students[i], std::string(status)});
    });
    ClearSeatsCache();  // (and the enrolment cache)
  };
  set_status(4, "class_approved");  // waiting for the principal: not enrolled yet
  auto take = TakeSeat(db(), m_.Guardian(4), round, m_.students[4], sec, "e-1");
  ASSERT_FALSE(take.result.ok());
  EXPECT_EQ(take.result.error().code, kRuleBroken);
  EXPECT_NE(take.result.error().message.find("尚未报名"), std::string::npos) << take.result.error().message;
  EXPECT_EQ(take.result.error().field, "student_id");
  EXPECT_EQ(Taken(sec), 0);
  EXPECT_TRUE(TakeSeat(db(), m_.Guardian(4), round, m_.students[4], sec, "e-1").replay);  // stored with the key
  auto place = Place(db(), m_.office, std::nullopt, sec, m_.students[4], round);
  ASSERT_FALSE(place.ok());
  EXPECT_NE(place.error().message.find("尚未报名"), std::string::npos);
  auto mine = Mine(db(), m_.Guardian(4), round);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["children"][0]["enrolled"], false);
  EXPECT_NE((*mine)["children"][0]["enrolment_message"].get<std::string>().find("尚未报名"), std::string::npos);
  // Fill the seat; the unenrolled child may not wait for it either.
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  EXPECT_FALSE(JoinWaitlist(db(), m_.Guardian(4), sec, m_.students[4]).ok());
  // Approved by the principal: the child may choose at once (no negative caching).
  set_status(4, "approved");
  EXPECT_TRUE(JoinWaitlist(db(), m_.Guardian(4), sec, m_.students[4]).ok());
  EXPECT_EQ((*Mine(db(), m_.Guardian(4), round))["children"][0]["enrolled"], true);
  // An approved application whose current version is not signed does not count.
  db().Write(
      [&](db::Conn& c) { c.Exec("UPDATE applications SET version = 2 WHERE student_id = $1", {m_.students[6]}); });
  ClearSeatsCache();
  EXPECT_FALSE(TakeSeat(db(), m_.Guardian(6), round, m_.students[6], football, "").result.ok());
  // An exit effective tomorrow still lets the child choose today; one effective today does not.
  auto exit_on = [&](size_t i, const Date& d) {
    db().Write([&](db::Conn& c) {
      int64_t app = c.QueryOne("SELECT id FROM applications WHERE student_id = $1", {m_.students[i]})->Int(0);
      c.Exec(
          "INSERT INTO exits (school_id, term_id, student_id, application_id, effective_date, created_at)"
          " VALUES ($1,$2,$3,$4,$5,$6)",
          {m_.school_id, m_.term_id, m_.students[i], app, FormatDate(d), NowMs()});
    });
    ClearSeatsCache();
  };
  exit_on(8, AddDays(TodayLocal(), 1));
  EXPECT_TRUE(TakeSeat(db(), m_.Guardian(8), round, m_.students[8], other, "").result.ok());
  exit_on(10, TodayLocal());
  auto gone = TakeSeat(db(), m_.Guardian(10), round, m_.students[10], other, "");
  ASSERT_FALSE(gone.result.ok());
  EXPECT_EQ(gone.result.error().code, kRuleBroken);
}

TEST_P(SelectService, ARoundBelongsToATermAndAllocationSkipsChildrenWhoLeft) {
  int64_t a = Section("舞蹈", "1:after_school", 5);
  int64_t now = NowMs();
  Json body{{"name", "志愿轮"},           {"mode", "preference"}, {"grades", {3, 4}}, {"opens_at", now - 1000},
            {"closes_at", now + 3600000}, {"max_per_child", 1},   {"max_ranks", 1}};
  auto r = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ((*r)["term_id"], m_.term_id);  // the current term by default
  Json wrong = body;
  wrong["term_id"] = 999999;
  auto bad = CreateRound(db(), m_.office, std::nullopt, wrong);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "term_id");
  int64_t round = (*r)["id"];
  for (size_t i = 0; i < 3; ++i) ASSERT_TRUE(SetPreferences(db(), m_.Guardian(i), round, m_.students[i], {a}).ok());
  // students[1] leaves the service (准出) before the allocation.
  db().Write([&](db::Conn& c) {
    int64_t app = c.QueryOne("SELECT id FROM applications WHERE student_id = $1", {m_.students[1]})->Int(0);
    c.Exec(
        "INSERT INTO exits (school_id, term_id, student_id, application_id, effective_date, created_at)"
        " VALUES ($1,$2,$3,$4,$5,$6)",
        {m_.school_id, m_.term_id, m_.students[1], app, FormatDate(TodayLocal()), now});
    c.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, now - 1});
  });
  auto res = Allocate(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["seats"], 2);
  EXPECT_EQ((*res)["not_enrolled_children"], 1);
  EXPECT_EQ(Taken(a), 2);
  // A school without a current term cannot open a round.
  db().Write([&](db::Conn& c) { c.Exec("UPDATE terms SET is_current = 0 WHERE school_id = $1", {m_.school_id}); });
  auto none = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, kRuleBroken);
  EXPECT_NE(none.error().message.find("学期"), std::string::npos);
}

TEST_P(SelectService, AClosingTimeInThePastIsRefused) {
  int64_t now = NowMs();
  Json body{
      {"name", "过去"}, {"mode", "fcfs"}, {"grades", {3}}, {"opens_at", now - 7200000}, {"closes_at", now - 3600000}};
  auto past = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_FALSE(past.ok());
  EXPECT_EQ(past.error().field, "closes_at");
  EXPECT_NE(past.error().message.find("closes_at"), std::string::npos);
  int64_t round = Round();
  auto moved = UpdateRound(db(), m_.office, std::nullopt, round, {{"closes_at", now - 24 * 3600000LL}});
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().field, "closes_at");
  // "Close now" from a browser a little behind the server still works (clamped to now).
  auto closed = UpdateRound(db(), m_.office, std::nullopt, round, {{"closes_at", NowMs() - 1000}});
  ASSERT_TRUE(closed.ok()) << closed.error().message;
  EXPECT_EQ((*closed)["phase"], "closed");
  EXPECT_GE((*closed)["closes_at"].get<int64_t>(), now);
}

// Issue 9: an instant that does not fit 64 bits was read through get<int64_t> and wrapped (2^64 - 1
// became -1, 2^63 the most negative instant); it is refused, naming the field, like every integer.
TEST_P(SelectService, AnInstantBeyondSixtyFourBitsIsRefused) {
  int64_t now = NowMs();
  Json body{
      {"name", "越界"}, {"mode", "fcfs"}, {"grades", {3}}, {"opens_at", now - 1000}, {"closes_at", now + 3600000}};
  for (Json big : {Json(18446744073709551615ULL), Json(9223372036854775808ULL), Json("99999999999999999999")}) {
    Json b = body;
    b["opens_at"] = big;
    auto r = CreateRound(db(), m_.office, std::nullopt, b);
    ASSERT_FALSE(r.ok()) << big.dump();
    EXPECT_EQ(r.error().code, kInvalid);
    EXPECT_EQ(r.error().field, "opens_at");
  }
  Json local = body;
  local["opens_at"] = FormatDate(TodayLocal()) + " 00:00";
  EXPECT_TRUE(CreateRound(db(), m_.office, std::nullopt, local).ok());
  int64_t round = Round();
  auto moved = UpdateRound(db(), m_.office, std::nullopt, round, {{"closes_at", 18446744073709551615ULL}});
  ASSERT_FALSE(moved.ok());
  EXPECT_EQ(moved.error().field, "closes_at");
}

// An allocated round is frozen; a family's own per-child limit is honoured; the named rule is the
// round's, stated before ranking and named in the explanation.
TEST_P(SelectService, AllocatedRoundsAreFrozenAndFamiliesLimitsAndRulesHold) {
  int64_t a = Section("舞蹈", "1:after_school", 5);
  int64_t b = Section("科学", "2:after_school", 5);
  int64_t c = Section("书法", "3:after_school", 5);
  int64_t now = NowMs();
  Json body{{"name", "志愿轮"},           {"mode", "preference"}, {"grades", {3, 4}}, {"opens_at", now - 1000},
            {"closes_at", now + 3600000}, {"max_per_child", 3},   {"max_ranks", 3},   {"rank_rule", "nonsense"}};
  auto bad = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().field, "rank_rule");
  body["rank_rule"] = "linear";
  auto r = CreateRound(db(), m_.office, std::nullopt, body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  int64_t round = (*r)["id"];
  EXPECT_EQ((*r)["rank_rule"]["name"], "linear");
  EXPECT_EQ((*r)["rank_rule"]["rank_cost"], Json({0, 1, 2}));
  EXPECT_EQ((*r)["rank_rule"]["seats_first"], true);
  // Families rank knowing the rule: it cannot change once the round is open.
  auto change = UpdateRound(db(), m_.office, std::nullopt, round, {{"rank_rule", "equity"}});
  ASSERT_FALSE(change.ok());
  EXPECT_EQ(change.error().code, kConflict);
  // "At most one course for this child" (the round allows three); more than the round's is refused.
  auto over = SetPreferences(db(), m_.Guardian(0), round, m_.students[0], {a, b, c}, 4);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().field, "course_limit");
  ASSERT_TRUE(SetPreferences(db(), m_.Guardian(0), round, m_.students[0], {a, b, c}, 1).ok());
  ASSERT_TRUE(SetPreferences(db(), m_.Guardian(1), round, m_.students[1], {a, b, c}).ok());
  auto mine = Mine(db(), m_.Guardian(0), round);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["children"][0]["course_limit"], 1);
  EXPECT_EQ((*mine)["round"]["rank_rule"]["name"], "linear");
  db().Write([&](db::Conn& cn) {
    cn.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, NowMs() - 1});
  });
  auto res = Allocate(db(), m_.office, std::nullopt, round);
  ASSERT_TRUE(res.ok()) << res.error().message;
  EXPECT_EQ((*res)["rank_rule"], "linear");
  auto seats = [&](int64_t kid) {
    return db().Read([&](db::Conn& cn) {
      return cn.QueryOne("SELECT COUNT(*) FROM selections WHERE student_id = $1 AND status = 'confirmed'", {kid})
          ->Int(0);
    });
  };
  EXPECT_EQ(seats(m_.students[0]), 1);  // the family's own limit
  EXPECT_EQ(seats(m_.students[1]), 3);  // the round's
  auto after = Mine(db(), m_.Guardian(0), round);
  ASSERT_TRUE(after.ok());
  EXPECT_EQ((*after)["children"][0]["results"][0]["reason"]["rank_rule"], "linear");
  // Frozen: no moving closes_at into the future, no new ranking (even if the round were reopened
  // behind the service's back).
  auto reopen = UpdateRound(db(), m_.office, std::nullopt, round, {{"closes_at", NowMs() + 3600000}});
  ASSERT_FALSE(reopen.ok());
  EXPECT_EQ(reopen.error().code, kConflict);
  EXPECT_NE(reopen.error().message.find("分配"), std::string::npos);
  db().Write([&](db::Conn& cn) {
    cn.Exec("UPDATE select_rounds SET closes_at = $2 WHERE id = $1", {round, NowMs() + 3600000});
  });
  auto rank = SetPreferences(db(), m_.Guardian(2), round, m_.students[2], {a});
  ASSERT_FALSE(rank.ok());
  EXPECT_EQ(rank.error().code, kConflict);
}

// Issue 9: a confirmed seat of a past term counted as a clash for the child's choices in a new
// term (the held-seat read had no term filter) and held the same-slot guard's row (seat_slots was
// keyed without the term). Seats of another term neither clash nor count; the same term's still do.
TEST_P(SelectService, SeatsOfAPastTermDoNotClashWithANewTerm) {
  int64_t past_term = db().Write([&](db::Conn& c) {
    return c.Insert(
        "INSERT INTO terms (school_id, name, start_date, end_date, is_current)"
        " VALUES ($1, '2026年春季学期', '2026-02-20', '2026-07-10', 0) RETURNING id",
        {m_.school_id});
  });
  auto section_of_term = [&](const char* name, int64_t term) {
    auto c = catalog::CreateCourse(db(), m_.principal, std::nullopt,
                                   testing::Planned({{"name", name},
                                                     {"category", "arts"},
                                                     {"grades", "3,4"},
                                                     {"capacity", 90},
                                                     {"institution", "少年宫"},
                                                     {"slots", "2:after_school"},
                                                     {"term_id", term}}));
    EXPECT_TRUE(c.ok()) << c.error().message;
    auto s = catalog::CreateSection(db(), m_.office, std::nullopt, (*c)["id"], {{"capacity", 10}});
    EXPECT_TRUE(s.ok()) << s.error().message;
    return (*s)["id"].get<int64_t>();
  };
  // Last term's seats (周二 课后) of two children, confirmed then.
  int64_t last = section_of_term("春季书法", past_term);
  for (size_t i : {0, 1})
    db().Write([&](db::Conn& c) {
      c.Insert(
          "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, created_at)"
          " VALUES ($1, NULL, $2, $3, 'confirmed', 'manual', $4) RETURNING id",
          {m_.school_id, last, m_.students[i], NowMs()});
    });
  // This term: courses in the same weekday and band, one without a term (the current one), one named.
  int64_t unnamed = Section("秋季书法", "2:after_school", 10);
  int64_t named = section_of_term("秋季绘画", m_.term_id);
  int64_t round = Round("fcfs", 1);
  auto take = TakeSeat(db(), m_.Guardian(0), round, m_.students[0], unnamed, "term-1");
  ASSERT_TRUE(take.result.ok()) << take.result.error().message;
  auto place = Place(db(), m_.office, std::nullopt, named, m_.students[1], std::nullopt);
  ASSERT_TRUE(place.ok()) << place.error().message;
  // The same term's seats still clash (C++ rules and the database's guard both).
  auto clash = TakeSeat(db(), m_.Guardian(1), round, m_.students[1], unnamed, "term-2");
  ASSERT_FALSE(clash.result.ok());
  EXPECT_NE(clash.result.error().message.find("时间冲突"), std::string::npos) << clash.result.error().message;
  try {
    db().Write([&](db::Conn& c) {
      c.Insert(
          "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, created_at)"
          " VALUES ($1, NULL, $2, $3, 'confirmed', 'manual', $4) RETURNING id",
          {m_.school_id, named, m_.students[0], NowMs()});
    });
    ADD_FAILURE() << "a second seat of this term in 周二 课后 was written";
  } catch (const db::DbError& e) {
    EXPECT_TRUE(e.unique_violation) << e.what();
  }
  auto rows = db().Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM seat_slots WHERE student_id = $1", {m_.students[0]})->Int(0);
  });
  EXPECT_EQ(rows, 2);  // 周二 课后 of last term and of this one
}

// Issue 11: an exit (准出) releases the child's seats of the term from its effective date, the
// freed seat going to the waiting list as a drop does; rosters leave the child out from that day;
// an exit recorded ahead of its date keeps seat and roster line until the day.
TEST_P(SelectService, AnExitReleasesTheChildsSeatsAndRosterLinesFromItsDate) {
  enroll::SetExitHook(&OnExitRecorded);
  struct Unhook {
    ~Unhook() { enroll::SetExitHook(nullptr); }
  } unhook;
  int64_t sec = Section("版画", "2:after_school", 1);
  int64_t other = Section("篮球", "4:after_school", 5);
  int64_t round = Round();
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], sec, "").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(0), round, m_.students[0], other, "").result.ok());
  ASSERT_TRUE(TakeSeat(db(), m_.Guardian(2), round, m_.students[2], other, "").result.ok());
  auto w = JoinWaitlist(db(), m_.Guardian(4), sec, m_.students[4]);
  ASSERT_TRUE(w.ok()) << w.error().message;
  ASSERT_EQ(Taken(sec), 1);
  ASSERT_EQ(Taken(other), 2);
  auto app = [&](size_t i) {
    return db().Read([&](db::Conn& c) {
      return c.QueryOne("SELECT id FROM applications WHERE student_id = $1", {m_.students[i]})->Int(0);
    });
  };
  auto listed = [&](int64_t section, const Date& day) {
    std::vector<int64_t> ids;
    auto r = catalog::SectionRoster(db(), m_.office, std::nullopt, section, day);
    EXPECT_TRUE(r.ok()) << r.error().message;
    if (r.ok())
      for (const auto& it : (*r)["items"]) ids.push_back(it["student_id"].get<int64_t>());
    return ids;
  };
  const Date today = TodayLocal();
  const Date later = AddDays(today, 7);

  // students[2] leaves in a week: nothing changes before that day.
  auto fut = enroll::CreateExit(db(), m_.office, std::nullopt,
                                {{"application_id", app(2)}, {"effective_date", FormatDate(later)}, {"reason", "转学"}},
                                today);
  ASSERT_TRUE(fut.ok()) << fut.error().message;
  EXPECT_EQ(Taken(other), 2);
  EXPECT_EQ(listed(other, today), (std::vector<int64_t>{m_.students[0], m_.students[2]}));
  EXPECT_EQ(listed(other, AddDays(later, -1)), (std::vector<int64_t>{m_.students[0], m_.students[2]}));
  EXPECT_EQ(listed(other, later), (std::vector<int64_t>{m_.students[0]}));  // from the day on, off the roster

  // students[0] leaves today: both seats are released in the exit's transaction.
  auto now_exit = enroll::CreateExit(db(), m_.office, std::nullopt,
                                     {{"application_id", app(0)}, {"effective_date", FormatDate(today)}}, today);
  ASSERT_TRUE(now_exit.ok()) << now_exit.error().message;
  EXPECT_EQ(Taken(other), 1);  // back to the pool: nobody waits for 篮球
  EXPECT_EQ(Taken(sec), 1);    // held for the child at the head of the waiting list
  auto mine = Mine(db(), m_.Guardian(4), round);
  ASSERT_TRUE(mine.ok());
  EXPECT_EQ((*mine)["children"][0]["waitlist"][0]["status"], "offered");
  auto counts = db().Read([&](db::Conn& c) {
    return std::pair{
        c.QueryOne("SELECT COUNT(*) FROM selections WHERE student_id = $1 AND status = 'confirmed'", {m_.students[0]})
            ->Int(0),
        c.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'exit_release' AND entity = 'selection'")->Int(0)};
  });
  EXPECT_EQ(counts.first, 0);
  EXPECT_EQ(counts.second, 2);
  EXPECT_EQ(listed(other, today), (std::vector<int64_t>{m_.students[2]}));
  EXPECT_TRUE(listed(sec, today).empty());
  auto sheet = catalog::ExportSectionRoster(db(), m_.office, std::nullopt, other, "xlsx", later);
  ASSERT_TRUE(sheet.ok()) << sheet.error().message;
  EXPECT_TRUE(sheet->lines.empty());  // the file roster follows the same rule

  // The server's clock releases the future exit's seat on its day, once.
  EXPECT_EQ(ReleaseDueExits(db(), AddDays(later, -1), NowMs()), 0);
  EXPECT_EQ(Taken(other), 1);
  EXPECT_EQ(ReleaseDueExits(db(), later, NowMs()), 1);
  EXPECT_EQ(Taken(other), 0);
  EXPECT_EQ(ReleaseDueExits(db(), later, NowMs()), 0);
}

}  // namespace
}  // namespace kehou::select
