// The term's timetable from the database (the demo school), on SQLite and, when KEHOU_TEST_PG is
// set, PostgreSQL: loaded, solved with no hard violation, stored with its audit row, and solved
// again from the stored timetable without moving anything.
#include "timetable/service.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <tuple>

#include "core/time.h"
#include "db/testing.h"
#include "demo/demo.h"
#include "timetable/basic_groups.h"
#include "timetable/check.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

auth::Principal Office(int64_t school) {
  auth::Principal p;
  p.role = auth::Role::kSysAdmin;
  p.scope = auth::Scope::kAll;
  p.school_id = school;
  p.login = "test";
  return p;
}

int64_t Count(db::Db& d, const std::string& sql, const db::Params& p = {}) {
  return d.Read([&](db::Conn& c) { return c.QueryOne(sql, p)->Int(0); });
}

class TermTimetable : public ::testing::TestWithParam<std::string> {};

TEST_P(TermTimetable, DemoTermSolvedStoredAndSolvedAgainInPlace) {
  auto t = db::MakeTestDb(GetParam());
  if (!t.db) GTEST_SKIP() << "no " << GetParam();
  ASSERT_TRUE(demo::CreateDemo(*t.db).ok());
  auto row = t.db->Read([](db::Conn& c) {
    return c.QueryOne("SELECT id, school_id FROM terms WHERE is_current = 1 ORDER BY school_id LIMIT 1");
  });
  ASSERT_TRUE(row);
  const int64_t term = row->Int(0), school = row->Int(1);
  auto tp = LoadTermProblem(*t.db, Office(school), school, term);
  ASSERT_TRUE(tp.ok()) << tp.error().message;
  ASSERT_GT(tp->problem.activities.size(), 0u);
  EXPECT_FALSE(tp->previous.empty());  // the demo stored its solved term (demo/timetable.cpp)
  const int64_t solves = Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'solve' AND entity = 'timetable'");
  for (const Teacher& te : tp->problem.teachers) EXPECT_EQ(te.max_days, kTeacherMaxDaysPerWeek);
  SolveOptions o;
  o.seconds = 5;
  o.seed = 11;  // not the demo's seed, and from scratch
  auto r = Solve(tp->problem, o);
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? "" : r.reasons[0].zh);
  EXPECT_EQ(Evaluate(tp->problem, r.assignment, r.staff, {}).Hard(), 0);
  // Every section has an AB backup (sql/0140), stored with the timetable.
  auto saved = SaveTermTimetable(*t.db, Office(school), *tp, r.assignment, r.staff);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(
      Count(*t.db, "SELECT COUNT(*) FROM timetable_placements WHERE school_id = $1 AND term_id = $2", {school, term}),
      static_cast<int64_t>(std::count_if(tp->sessions.begin(), tp->sessions.end(),
                                         [](const TermProblem::Session& x) { return x.group_id == 0; })));
  EXPECT_EQ(Count(*t.db,
                  "SELECT COUNT(*) FROM timetable_placements WHERE school_id = $1 AND term_id = $2"
                  " AND (backup_staff_id IS NULL OR backup_staff_id = teacher_staff_id)",
                  {school, term}),
            0);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'solve' AND entity = 'timetable'"), solves + 1);
  // Again: the stored timetable is the previous solution, and nothing needs to move.
  auto again = LoadTermProblem(*t.db, Office(school), school, term);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->previous, r.assignment);
  o.previous = again->previous;
  auto r2 = Solve(again->problem, o);
  ASSERT_TRUE(r2.solved);
  EXPECT_EQ(r2.report.moved, 0);
  EXPECT_EQ(again->previous_staff, r.staff);  // the stored backups come back as they were
  // A term of another school is not found.
  auto other = t.db->Read(
      [&](db::Conn& c) { return c.QueryOne("SELECT id FROM terms WHERE school_id <> $1 LIMIT 1", {school}); });
  if (other) {
    auto nf = LoadTermProblem(*t.db, Office(school), school, other->Int(0));
    ASSERT_FALSE(nf.ok());
    EXPECT_EQ(nf.error().code, ErrorCode::kNotFound);
  }
}

// Basic-service groups: generated from the enrolled children (at most 45, idempotent), placed by
// the same solver with a supervisor each, whose days count.
TEST_P(TermTimetable, GroupsGeneratedOnceAndSupervised) {
  auto t = db::MakeTestDb(GetParam());
  if (!t.db) GTEST_SKIP() << "no " << GetParam();
  ASSERT_TRUE(demo::CreateDemo(*t.db).ok());
  auto row = t.db->Read([](db::Conn& c) {
    return c.QueryOne("SELECT id, school_id FROM terms WHERE is_current = 1 ORDER BY school_id LIMIT 1");
  });
  const int64_t term = row->Int(0), school = row->Int(1);
  const auto who = Office(school);
  const int64_t groups_before = Count(*t.db, "SELECT COUNT(*) FROM timetable_groups WHERE term_id = $1", {term});
  const int64_t audits = Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'timetable_groups'");
  auto g = GenerateGroups(*t.db, who, school, term, NowMs());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_GT((*g)["groups"].get<int64_t>(), 0);
  EXPECT_EQ((*g)["changed"], groups_before == 0);
  auto again = GenerateGroups(*t.db, who, school, term, NowMs());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["changed"], false);  // idempotent: nothing written
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'timetable_groups'"),
            audits + (groups_before == 0));
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM timetable_groups WHERE term_id = $1 AND size > $2",
                  {term, int64_t{kMaxGroupSize}}),
            0);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM timetable_groups WHERE term_id = $1 AND play_reading = 1 AND grade > 2",
                  {term}),
            0);
  EXPECT_GT(Count(*t.db, "SELECT COUNT(*) FROM timetable_groups WHERE term_id = $1 AND play_reading = 1", {term}), 0);
  // Members: each child at most once per weekday and band.
  EXPECT_EQ(Count(*t.db,
                  "SELECT COUNT(*) FROM (SELECT m.student_id, g.weekday, g.band FROM timetable_group_members m"
                  " JOIN timetable_groups g ON g.id = m.group_id WHERE g.term_id = $1"
                  " GROUP BY m.student_id, g.weekday, g.band HAVING COUNT(*) > 1) x",
                  {term}),
            0);
  auto tp = LoadTermProblem(*t.db, who, school, term);
  ASSERT_TRUE(tp.ok());
  SolveOptions o;
  o.seconds = 10;
  o.previous = tp->previous;
  o.previous_staff = tp->previous_staff;
  auto r = Solve(tp->problem, o);
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh);
  ASSERT_TRUE(SaveTermTimetable(*t.db, who, *tp, r.assignment, r.staff).ok());
  EXPECT_EQ(Count(*t.db,
                  "SELECT COUNT(*) FROM timetable_groups WHERE term_id = $1 AND (supervisor_staff_id IS NULL"
                  " OR room_id IS NULL)",
                  {term}),
            0);
  auto list = ListGroups(*t.db, who, school, term, nlohmann::json{{"weekday", 1}, {"page_size", 5}});
  ASSERT_TRUE(list.ok());
  EXPECT_LE((*list)["items"].size(), 5u);
  EXPECT_FALSE((*list)["items"][0]["supervisor"].get<std::string>().empty());
}

// Regenerating keeps what the last solve gave: after the children of one group move to a new class
// (分班), every group of the same weekday, band, class and name keeps its supervisor and room;
// the new class's groups come without them; one audit row.
TEST_P(TermTimetable, RegeneratedGroupsKeepTheirSupervisorAndRoom) {
  auto t = db::MakeTestDb(GetParam());
  if (!t.db) GTEST_SKIP() << "no " << GetParam();
  ASSERT_TRUE(demo::CreateDemo(*t.db).ok());
  auto row = t.db->Read([](db::Conn& c) {
    return c.QueryOne("SELECT id, school_id FROM terms WHERE is_current = 1 ORDER BY school_id LIMIT 1");
  });
  const int64_t term = row->Int(0), school = row->Int(1);
  const auto who = Office(school);
  ASSERT_TRUE(GenerateGroups(*t.db, who, school, term, NowMs()).ok());  // as the demo's children make them
  struct Before {
    std::optional<int64_t> supervisor, room;
  };
  using Key = std::tuple<int64_t, std::string, int64_t, std::optional<int64_t>, std::string>;
  std::map<Key, Before> before;
  std::optional<int64_t> moved_group, moved_class;
  t.db->Read([&](db::Conn& c) {
    for (const auto& r : c.Query("SELECT id, weekday, band, grade, class_id, name, supervisor_staff_id, room_id"
                                 " FROM timetable_groups WHERE term_id = $1 ORDER BY id",
                                 {term})) {
      before[{r.Int(1), r.Text(2), r.Int(3), r.OptInt(4), r.Text(5)}] = {r.OptInt(6), r.OptInt(7)};
      if (!moved_group && r.OptInt(4) && r.OptInt(6) && r.OptInt(7)) moved_group = r.Int(0), moved_class = r.OptInt(4);
    }
    return 0;
  });
  ASSERT_TRUE(moved_group) << "the demo's solved term has a supervised class group";
  // The group's children move to a new class of the same grade.
  const int64_t new_class =
      t.db->Write([&](db::Conn& c) -> Result<int64_t> {
            auto k = c.QueryOne("SELECT grade_id FROM classes WHERE id = $1", {*moved_class});
            const int64_t id = c.Insert(
                "INSERT INTO classes (school_id, grade_id, name, number) VALUES ($1, $2, '新分班', 99)"
                " RETURNING id",
                {school, k->Int(0)});
            c.Exec(
                "UPDATE students SET class_id = $1 WHERE id IN (SELECT student_id FROM timetable_group_members"
                " WHERE group_id = $2)",
                {id, *moved_group});
            return id;
          })
          .value();
  const int64_t audits = Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'timetable_groups'");
  auto g = GenerateGroups(*t.db, who, school, term, NowMs());
  ASSERT_TRUE(g.ok()) << g.error().message;
  EXPECT_EQ((*g)["changed"], true);
  EXPECT_GT((*g)["added"].get<int64_t>(), 0);
  EXPECT_GT((*g)["unchanged"].get<int64_t>(), 0);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE entity = 'timetable_groups'"), audits + 1);
  int64_t kept = 0, cleared = 0;
  t.db->Read([&](db::Conn& c) {
    for (const auto& r : c.Query("SELECT weekday, band, grade, class_id, name, supervisor_staff_id, room_id"
                                 " FROM timetable_groups WHERE term_id = $1",
                                 {term})) {
      auto it = before.find({r.Int(0), r.Text(1), r.Int(2), r.OptInt(3), r.Text(4)});
      if (r.OptInt(3) == new_class) {  // a changed group: no supervisor, no room until the next solve
        EXPECT_EQ(it, before.end());
        EXPECT_FALSE(r.OptInt(5));
        EXPECT_FALSE(r.OptInt(6));
        ++cleared;
      } else if (it != before.end()) {
        EXPECT_EQ(r.OptInt(5), it->second.supervisor) << r.Text(4);
        EXPECT_EQ(r.OptInt(6), it->second.room) << r.Text(4);  // smaller or the same: the room still holds it
        kept += r.OptInt(5) ? 1 : 0;
      }
    }
    return 0;
  });
  EXPECT_GT(cleared, 0);
  EXPECT_GT(kept, 0);
  // The moved group itself is gone (its children left the class at that slot), with its members.
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM timetable_groups WHERE id = $1", {*moved_group}), 0);
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM timetable_group_members WHERE group_id = $1", {*moved_group}), 0);
  // Nothing more to do: idempotent again.
  auto again = GenerateGroups(*t.db, who, school, term, NowMs());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)["changed"], false);
}

INSTANTIATE_TEST_SUITE_P(Db, TermTimetable, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::timetable
