#include "timetable/solver.h"

#include <gtest/gtest.h>

#include "timetable/check.h"

namespace kehou::timetable {
namespace {

// A small school: `days` x `hours`, rooms of 30 seats, one teacher and one class per activity
// unless a test changes it.
struct Builder {
  Problem p;
  Builder(int days, int hours) {
    for (int d = 0; d < days; ++d) p.days.push_back("D" + std::to_string(d + 1));
    for (int h = 0; h < hours; ++h) p.hours.push_back("H" + std::to_string(h + 1));
  }
  int Room(int cap, std::string type = "") {
    p.rooms.push_back({"R" + std::to_string(p.rooms.size()), cap, std::move(type), {}});
    return static_cast<int>(p.rooms.size()) - 1;
  }
  int Teacher(int max_days = 0) {
    p.teachers.push_back({"T" + std::to_string(p.teachers.size()), {}, max_days, false, {}});
    return static_cast<int>(p.teachers.size()) - 1;
  }
  int Class(int size = 25) {
    const int atom = static_cast<int>(p.atoms.size());
    p.atoms.push_back({"C" + std::to_string(atom), {}});
    p.sets.push_back({"C" + std::to_string(atom), size, {atom}, 0, -1});
    return static_cast<int>(p.sets.size()) - 1;
  }
  int Act(int teacher, int set) {
    Activity x;
    x.id = static_cast<int64_t>(p.activities.size()) + 1;
    x.teachers = {teacher};
    x.sets = {set};
    x.size = p.sets[static_cast<size_t>(set)].size;
    p.activities.push_back(x);
    return static_cast<int>(p.activities.size()) - 1;
  }
  void Block(std::vector<bool>& v, int slot) {
    v.resize(static_cast<size_t>(p.Slots()), false);
    v[static_cast<size_t>(slot)] = true;
  }
};

// 5 days x 4 hours, 3 rooms, 6 teachers (2 days max each), 4 classes: 48 activities.
Builder Medium() {
  Builder b(5, 4);
  for (int r = 0; r < 3; ++r) b.Room(30);
  for (int t = 0; t < 6; ++t) b.Teacher(2);
  for (int c = 0; c < 4; ++c) b.Class();
  for (int i = 0; i < 48; ++i) b.Act(i % 6, i % 4);
  return b;
}

SolveOptions Fast(uint64_t seed = 7) {
  SolveOptions o;
  o.seed = seed;
  o.seconds = 5;
  return o;
}

TEST(Solver, FeasibleInstanceHasNoViolation) {
  Builder b = Medium();
  auto r = Solve(b.p, Fast());
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? "" : r.reasons[0].en);
  Report rep = Evaluate(b.p, r.assignment);
  EXPECT_EQ(rep.Hard(), 0) << rep.Describe();
  EXPECT_EQ(rep.unplaced, 0);
}

TEST(Solver, RespectsNotAvailableRoomTypeAndCapacity) {
  Builder b(2, 2);
  b.Room(10);
  const int lab = b.Room(40, "lab");
  const int big = b.Room(40);
  const int t = b.Teacher();
  b.Block(b.p.teachers[static_cast<size_t>(t)].unavailable, 0);
  const int a1 = b.Act(t, b.Class(30));
  b.p.activities[static_cast<size_t>(a1)].room_type = "lab";
  const int a2 = b.Act(t, b.Class(30));
  auto r = Solve(b.p, Fast());
  ASSERT_TRUE(r.solved);
  EXPECT_EQ(r.assignment[static_cast<size_t>(a1)].room, lab);  // the only lab
  EXPECT_NE(r.assignment[static_cast<size_t>(a2)].room, 0);    // too small for 30
  EXPECT_TRUE(r.assignment[static_cast<size_t>(a2)].room == big || r.assignment[static_cast<size_t>(a2)].room == lab);
  EXPECT_NE(r.assignment[static_cast<size_t>(a1)].slot, 0);
  EXPECT_NE(r.assignment[static_cast<size_t>(a2)].slot, 0);
}

TEST(Solver, TeacherWithMoreActivitiesThanSlotsIsImpossible) {
  Builder b(5, 2);
  b.Room(30);
  b.Room(30);
  const int t = b.Teacher(2);  // 2 days x 2 hours = 4 slots
  for (int i = 0; i < 4; ++i) b.Act(t, b.Class());
  EXPECT_TRUE(CheckFeasibility(b.p).empty());  // 4 fit: the limit
  b.Act(t, b.Class());                         // 5 do not
  auto r = Solve(b.p, Fast());
  EXPECT_FALSE(r.solved);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons[0].rule, "teacher_overload");
  EXPECT_NE(r.reasons[0].zh.find("T0"), std::string::npos);
}

TEST(Solver, StudentsWithMoreActivitiesThanSlotsIsImpossible) {
  Builder b(2, 2);
  for (int r = 0; r < 5; ++r) b.Room(30);
  const int c = b.Class();
  b.Block(b.p.atoms[0].unavailable, 3);
  for (int i = 0; i < 3; ++i) b.Act(b.Teacher(), c);
  EXPECT_TRUE(CheckFeasibility(b.p).empty());
  b.Act(b.Teacher(), c);
  auto reasons = CheckFeasibility(b.p);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].rule, "students_overload");
}

TEST(Solver, NoRoomLargeEnoughIsImpossible) {
  Builder b(2, 2);
  b.Room(30);
  b.Act(b.Teacher(), b.Class(30));
  EXPECT_TRUE(CheckFeasibility(b.p).empty());
  b.Act(b.Teacher(), b.Class(31));
  auto r = Solve(b.p, Fast());
  EXPECT_FALSE(r.solved);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons[0].rule, "no_room");
}

TEST(Solver, MoreActivitiesThanRoomSlotsIsImpossible) {
  Builder b(2, 2);
  b.Room(30);
  for (int i = 0; i < 4; ++i) b.Act(b.Teacher(), b.Class());
  EXPECT_TRUE(CheckFeasibility(b.p).empty());
  b.Act(b.Teacher(), b.Class());
  auto reasons = CheckFeasibility(b.p);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].rule, "rooms_overload");
}

TEST(Solver, LockedActivitiesThatClashAreImpossible) {
  Builder b(2, 2);
  b.Room(30);
  b.Room(30);
  const int t = b.Teacher();
  b.Act(t, b.Class());
  b.Act(t, b.Class());
  b.p.activities[0].locked_slot = 1;
  b.p.activities[1].locked_slot = 1;
  auto reasons = CheckFeasibility(b.p);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].rule, "locked_clash");
}

TEST(Solver, NoTimeWhenTeacherNeverAvailable) {
  Builder b(1, 2);
  b.Room(30);
  const int t = b.Teacher();
  b.Block(b.p.teachers[0].unavailable, 0);
  b.Block(b.p.teachers[0].unavailable, 1);
  b.Act(t, b.Class());
  auto reasons = CheckFeasibility(b.p);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].rule, "no_time");
}

TEST(Solver, HardGroupNeedsEnoughDays) {
  Builder b(3, 2);
  b.Room(30);
  const int t = b.Teacher(), c = b.Class();
  ActivityGroup g{{b.Act(t, c), b.Act(t, c)}, 2, 100, false};
  b.p.groups.push_back(g);
  auto r = Solve(b.p, Fast());
  ASSERT_TRUE(r.solved);
  EXPECT_GE(std::abs(r.assignment[0].slot / 2 - r.assignment[1].slot / 2), 2);
  b.p.groups[0].activities.push_back(b.Act(t, c));  // 3 activities 2 days apart need 5 days
  auto reasons = CheckFeasibility(b.p);
  ASSERT_FALSE(reasons.empty());
  EXPECT_EQ(reasons[0].rule, "group_days");
}

TEST(Solver, LockedPlacementsStay) {
  Builder b = Medium();
  b.p.activities[3].locked_slot = 5;
  b.p.activities[3].locked_room = 2;
  b.p.activities[10].locked_slot = 0;
  auto r = Solve(b.p, Fast());
  ASSERT_TRUE(r.solved);
  EXPECT_EQ(r.assignment[3], (Placement{5, 2}));
  EXPECT_EQ(r.assignment[10].slot, 0);
  EXPECT_EQ(Evaluate(b.p, r.assignment).locked, 0);
}

TEST(Solver, SameSeedSameTimetable) {
  Builder b = Medium();
  auto r1 = Solve(b.p, Fast(42));
  auto r2 = Solve(b.p, Fast(42));
  ASSERT_TRUE(r1.solved);
  EXPECT_EQ(r1.assignment, r2.assignment);
  EXPECT_EQ(r1.iterations, r2.iterations);
}

TEST(Solver, ResolveAfterTeacherBecomesUnavailableMovesLittle) {
  Builder b = Medium();
  for (auto& t : b.p.teachers) t.max_days = 3;  // 8 activities in 12 slots: some room to move
  auto first = Solve(b.p, Fast());
  ASSERT_TRUE(first.solved);
  // Teacher 0 can no longer come at the slot of their first activity.
  const int slot = first.assignment[0].slot;
  b.Block(b.p.teachers[0].unavailable, slot);
  SolveOptions o = Fast();
  o.previous = first.assignment;
  auto again = Solve(b.p, o);
  ASSERT_TRUE(again.solved);
  EXPECT_NE(again.assignment[0].slot, slot);
  EXPECT_EQ(Evaluate(b.p, again.assignment).Hard(), 0);
  // At most a few of the 48 placements move (the one that must, and what it displaces).
  EXPECT_LE(again.report.moved, 3) << again.report.Describe();
  EXPECT_GE(again.report.moved, 1);
}

// Every teacher's 8 activities fill their 2 days (8 slots). With one slot gone, teacher 0 must
// give up that day for another: its 4 activities move (at least), plus what they displace in the
// classes and rooms of the new day. No ejection chain exists (each single step breaks the day
// limit), so this is the tabu search's fallback: it must stay within a third of the timetable.
TEST(Solver, ResolveOnASaturatedInstanceMovesAShortChain) {
  Builder b = Medium();
  auto first = Solve(b.p, Fast());
  ASSERT_TRUE(first.solved);
  b.Block(b.p.teachers[0].unavailable, first.assignment[0].slot);
  SolveOptions o = Fast();
  o.previous = first.assignment;
  auto again = Solve(b.p, o);
  ASSERT_TRUE(again.solved);
  EXPECT_EQ(Evaluate(b.p, again.assignment).Hard(), 0);
  EXPECT_GE(again.report.moved, 4);
  EXPECT_LE(again.report.moved, 16) << again.report.Describe();  // a third of the 48
}

// The benchmark's change at unit size (issue 12 §6): 200 activities, teachers at 2 days a week,
// rooms 83 % used; one teacher becomes unavailable for a whole day they teach. Every activity of
// theirs that day must move (to their other day or a new one, within 2 days); the re-solve moves
// under 5 % of the placements (fewer than 10 of 200).
TEST(Solver, ResolveAfterAWholeDayGoneMovesUnderFivePercent) {
  Builder b(5, 4);
  for (int r = 0; r < 12; ++r) b.Room(30);
  for (int t = 0; t < 40; ++t) b.Teacher(2);
  for (int c = 0; c < 20; ++c) b.Class();
  for (int i = 0; i < 200; ++i) b.Act(i % 40, i % 20);
  auto first = Solve(b.p, Fast());
  ASSERT_TRUE(first.solved) << first.report.Describe();
  const int day = first.assignment[0].slot / 4;
  int forced = 0;
  for (size_t i = 0; i < b.p.activities.size(); ++i)
    forced += b.p.activities[i].teachers[0] == 0 && first.assignment[i].slot / 4 == day ? 1 : 0;
  for (int h = 0; h < 4; ++h) b.Block(b.p.teachers[0].unavailable, day * 4 + h);
  SolveOptions o = Fast();
  o.previous = first.assignment;
  auto again = Solve(b.p, o);
  ASSERT_TRUE(again.solved) << again.report.Describe();
  EXPECT_EQ(Evaluate(b.p, again.assignment).Hard(), 0);
  EXPECT_GE(again.report.moved, forced);
  EXPECT_LT(again.report.moved * 100, 5 * 200) << again.report.Describe();
}

TEST(Solver, SoftGoalsAreReported) {
  Builder b(5, 2);
  b.Room(30);
  const int t = b.Teacher(), c = b.Class();
  b.p.groups.push_back({{b.Act(t, c), b.Act(t, c)}, 1, 95, false});
  auto r = Solve(b.p, Fast());
  ASSERT_TRUE(r.solved);
  // Spreading the pair (soft, 20) beats one more teaching day (10): two days.
  EXPECT_EQ(r.report.group_spread, 0);
  EXPECT_EQ(r.report.teaching_days, 2);
}

TEST(Check, CountsEachHardRule) {
  Builder b(2, 2);
  b.Room(30);
  const int t = b.Teacher(1), c = b.Class();
  b.Act(t, c);
  b.Act(t, c);
  b.Act(t, b.Class());
  Assignment a{{0, 0}, {0, 0}, {2, 0}};
  Report rep = Evaluate(b.p, a);
  EXPECT_EQ(rep.teacher_clash, 1);
  EXPECT_EQ(rep.student_clash, 1);
  EXPECT_EQ(rep.room_clash, 1);
  EXPECT_EQ(rep.teacher_days, 1);
  EXPECT_EQ(rep.Hard(), 4);
}

}  // namespace
}  // namespace kehou::timetable
