// The term's timetable from the database (the demo school), on SQLite and, when KEHOU_TEST_PG is
// set, PostgreSQL: loaded, solved with no hard violation, stored with its audit row, and solved
// again from the stored timetable without moving anything.
#include "timetable/service.h"

#include <gtest/gtest.h>

#include "db/testing.h"
#include "demo/demo.h"
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
  // The demo stores a solved timetable (demo/timetable.cpp): start this test from none.
  t.db->Write([&](db::Conn& c) { c.Exec("DELETE FROM timetable_placements WHERE school_id = $1", {school}); });
  const int64_t solves_before = Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'solve' AND entity = 'timetable'");
  auto tp = LoadTermProblem(*t.db, Office(school), school, term);
  ASSERT_TRUE(tp.ok()) << tp.error().message;
  ASSERT_GT(tp->problem.activities.size(), 0u);
  EXPECT_TRUE(tp->previous.empty());
  for (const Teacher& te : tp->problem.teachers) EXPECT_EQ(te.max_days, kTeacherMaxDaysPerWeek);
  SolveOptions o;
  o.seconds = 5;
  auto r = Solve(tp->problem, o);
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? "" : r.reasons[0].zh);
  EXPECT_EQ(Evaluate(tp->problem, r.assignment).Hard(), 0);
  auto saved = SaveTermTimetable(*t.db, Office(school), *tp, r.assignment);
  ASSERT_TRUE(saved.ok()) << saved.error().message;
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM timetable_placements WHERE school_id = $1 AND term_id = $2", {school, term}),
            static_cast<int64_t>(tp->problem.activities.size()));
  EXPECT_EQ(Count(*t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'solve' AND entity = 'timetable'"),
            solves_before + 1);
  // Again: the stored timetable is the previous solution, and nothing needs to move.
  auto again = LoadTermProblem(*t.db, Office(school), school, term);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->previous, r.assignment);
  o.previous = again->previous;
  auto r2 = Solve(again->problem, o);
  ASSERT_TRUE(r2.solved);
  EXPECT_EQ(r2.report.moved, 0);
  // A term of another school is not found.
  auto other = t.db->Read([&](db::Conn& c) { return c.QueryOne("SELECT id FROM terms WHERE school_id <> $1 LIMIT 1", {school}); });
  if (other) {
    auto nf = LoadTermProblem(*t.db, Office(school), school, other->Int(0));
    ASSERT_FALSE(nf.ok());
    EXPECT_EQ(nf.error().code, ErrorCode::kNotFound);
  }
}

INSTANTIATE_TEST_SUITE_P(Db, TermTimetable, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::timetable
