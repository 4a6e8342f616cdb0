// Standby duties: AB backups and the supervisors of basic-service groups, in the solver and the
// checker, each rule at its limit; impossible instances name their rule.
#include <gtest/gtest.h>

#include "timetable/check.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

struct Mini {
  Problem p;
  explicit Mini(int days, int hours = 1) {
    for (int d = 0; d < days; ++d) p.days.push_back("D" + std::to_string(d + 1));
    for (int h = 0; h < hours; ++h) p.hours.push_back("H" + std::to_string(h + 1));
    for (int r = 0; r < 12; ++r) p.rooms.push_back({"R" + std::to_string(r), 45, "", {}});
  }
  int Teacher(bool standby, int max_days = 2) {
    timetable::Teacher t;
    t.name = "T" + std::to_string(p.teachers.size());
    t.max_days = max_days;
    t.standby = standby;
    p.teachers.push_back(t);
    return static_cast<int>(p.teachers.size()) - 1;
  }
  // A section taught by `teacher`, locked at `slot`, needing an AB backup.
  int Section(int teacher, int slot) {
    Activity x;
    x.id = static_cast<int64_t>(p.activities.size()) + 1;
    x.teachers = {teacher};
    x.size = 20;
    x.locked_slot = slot;
    x.needs_backup = true;
    p.activities.push_back(x);
    return static_cast<int>(p.activities.size()) - 1;
  }
  // A basic-service group at `slot` (its supervisor chosen by the solver).
  int Group(int slot, int size = 45) {
    Activity x;
    x.id = static_cast<int64_t>(p.activities.size()) + 1;
    x.size = size;
    x.locked_slot = slot;
    x.open_teacher = true;
    p.activities.push_back(x);
    return static_cast<int>(p.activities.size()) - 1;
  }
};

SolveOptions Fast() {
  SolveOptions o;
  o.seed = 3;
  o.seconds = 5;
  return o;
}

bool HasRule(const SolveResult& r, const std::string& rule) {
  for (const auto& w : r.reasons)
    if (w.rule == rule) return true;
  return false;
}

TEST(Staffing, EverySectionGetsAnotherFreeGatedBackup) {
  Mini m(5, 2);
  for (int t = 0; t < 6; ++t) m.Teacher(true);
  for (int i = 0; i < 8; ++i) m.Section(i % 4, (i % 4) * 2 + i / 4);  // T0-T3 teach two hours of one day
  auto r = Solve(m.p, Fast());
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh);
  ASSERT_EQ(r.staff.size(), m.p.activities.size());
  for (size_t i = 0; i < m.p.activities.size(); ++i) {
    const int b = r.staff[i].backup;
    ASSERT_GE(b, 0);
    EXPECT_NE(b, m.p.activities[i].teachers[0]);
    for (size_t j = 0; j < m.p.activities.size(); ++j)  // not teaching then, not backing up another then
      if (r.assignment[j].slot == r.assignment[i].slot && j != i) {
        EXPECT_NE(m.p.activities[j].teachers[0], b);
        EXPECT_NE(r.staff[j].backup, b);
      }
  }
  EXPECT_EQ(Evaluate(m.p, r.assignment, r.staff, {}).Hard(), 0);
  // Without the backups the checker counts each missing one.
  EXPECT_EQ(Evaluate(m.p, r.assignment).backup, 8);
}

TEST(Staffing, BackupDayCountsTowardTheLimitTwoPassThreeFail) {
  // T0 teaches on D1 and D2; the section of T1 on D3 can only be backed up by T0 (T2 is not gated).
  Mini m(3);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true);
  m.Teacher(false);
  m.Section(t0, 0);
  m.Section(t0, 1);
  m.p.activities[0].needs_backup = m.p.activities[1].needs_backup = false;
  m.Section(t1, 2);
  auto r = Solve(m.p, Fast());
  EXPECT_FALSE(r.solved);
  ASSERT_TRUE(HasRule(r, "no_backup")) << (r.reasons.empty() ? "" : r.reasons[0].rule);
  // T0 with a limit of 3 days: the third day (a backup day) passes.
  m.p.teachers[static_cast<size_t>(t0)].max_days = 3;
  auto ok = Solve(m.p, Fast());
  ASSERT_TRUE(ok.solved) << (ok.reasons.empty() ? "" : ok.reasons[0].zh);
  EXPECT_EQ(ok.staff[2].backup, t0);
  // The checker counts the backup's day: at 2 days it is one day over.
  m.p.teachers[static_cast<size_t>(t0)].max_days = 2;
  EXPECT_EQ(Evaluate(m.p, ok.assignment, ok.staff, {}).teacher_days, 1);
}

TEST(Staffing, BackupOnADayAlreadyServedKeepsTheLimit) {
  // T0 teaches on D1 and D2 (2 days); a section on D2 (another hour) may take T0 as its backup.
  Mini m(3, 2);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true);
  m.Section(t0, 0);
  m.Section(t0, 2);
  m.p.activities[0].needs_backup = m.p.activities[1].needs_backup = false;
  m.Section(t1, 3);
  auto r = Solve(m.p, Fast());
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? "" : r.reasons[0].zh);
  EXPECT_EQ(r.staff[2].backup, t0);
  EXPECT_EQ(Evaluate(m.p, r.assignment, r.staff, {}).teacher_days, 0);
}

TEST(Staffing, BusyOrUnwillingTeacherIsNoBackup) {
  Mini m(1);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true);
  m.Section(t0, 0);
  m.Section(t1, 0);  // each the other's only candidate, but both teach then
  auto r = Solve(m.p, Fast());
  EXPECT_TRUE(HasRule(r, "no_backup"));
  // A third, free but unwilling then: still none; willing: it backs up one... and the other fails.
  const int t2 = m.Teacher(true);
  m.p.teachers[static_cast<size_t>(t2)].unwilling = {true};
  EXPECT_TRUE(HasRule(Solve(m.p, Fast()), "no_backup"));
  m.p.teachers[static_cast<size_t>(t2)].unwilling = {false};
  EXPECT_TRUE(HasRule(Solve(m.p, Fast()), "no_backup"));  // one backup cannot stand by for two at once
  m.Teacher(true);
  auto ok = Solve(m.p, Fast());
  ASSERT_TRUE(ok.solved);
  EXPECT_NE(ok.staff[0].backup, ok.staff[1].backup);
}

TEST(Staffing, CheckerCountsEachBackupRule) {
  Mini m(1);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true), t2 = m.Teacher(false);
  m.Section(t0, 0);
  m.Section(t1, 0);
  Assignment a = {{0, 0}, {0, 1}};
  EXPECT_EQ(Evaluate(m.p, a, Staffing{{-1, t0}, {-1, t0}}, {}).backup, 2);  // own teacher; teaching then
  EXPECT_EQ(Evaluate(m.p, a, Staffing{{-1, t2}, {-1, -1}}, {}).backup, 2);  // not gated; missing
  const int t3 = m.Teacher(true);
  EXPECT_EQ(Evaluate(m.p, a, Staffing{{-1, t3}, {-1, t3}}, {}).backup, 1);  // twice at once
  const int t4 = m.Teacher(true);
  EXPECT_EQ(Evaluate(m.p, a, Staffing{{-1, t3}, {-1, t4}}, {}).Hard(), 0);
}

TEST(Staffing, GroupsGetSupervisorsWhoseDaysCount) {
  Mini m(5);
  for (int t = 0; t < 5; ++t) m.Teacher(true);
  for (int d = 0; d < 5; ++d) {
    m.Group(d);
    m.Group(d);
  }
  auto r = Solve(m.p, Fast());
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh);
  std::vector<int> duties(5, 0);
  for (size_t i = 0; i < m.p.activities.size(); ++i) {
    ASSERT_GE(r.staff[i].teacher, 0);
    ++duties[static_cast<size_t>(r.staff[i].teacher)];
  }
  for (int n : duties) EXPECT_EQ(n, 2);  // 10 group-days, 5 teachers x 2 days: each exactly 2
  auto rep = Evaluate(m.p, r.assignment, r.staff, {});
  EXPECT_EQ(rep.Hard(), 0);
  EXPECT_EQ(rep.teaching_days, 10);
  // One supervisor for both groups of a day: a clash.
  Staffing bad = r.staff;
  bad[1].teacher = bad[0].teacher;
  EXPECT_GE(Evaluate(m.p, r.assignment, bad, {}).teacher_clash, 1);
  EXPECT_EQ(Evaluate(m.p, r.assignment).unstaffed, 10);
}

TEST(Staffing, TooManyGroupsAtOnceNamesNoSupervisor) {
  Mini m(1);
  m.Teacher(true);
  m.Teacher(true);
  m.Teacher(false);
  m.Group(0);
  m.Group(0);
  EXPECT_TRUE(Solve(m.p, Fast()).solved);  // 2 groups, 2 gated teachers
  m.Group(0);
  auto r = Solve(m.p, Fast());  // 3 groups
  EXPECT_FALSE(r.solved);
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons[0].rule, "no_supervisor");
}

TEST(Staffing, TeacherDaysTheGroupsNeedNameStaffDays) {
  Mini m(5);
  for (int t = 0; t < 2; ++t) m.Teacher(true);
  for (int d = 0; d < 4; ++d) m.Group(d);  // 4 teacher-days, 2 teachers x 2 days: just fits
  EXPECT_TRUE(Solve(m.p, Fast()).solved);
  m.Group(4);  // 5 > 4
  auto r = Solve(m.p, Fast());
  ASSERT_FALSE(r.reasons.empty());
  EXPECT_EQ(r.reasons[0].rule, "staff_days");
}

TEST(Staffing, ResolveKeepsThePreviousBackups) {
  Mini m(5);
  for (int t = 0; t < 12; ++t) m.Teacher(true);
  for (int i = 0; i < 10; ++i) m.Section(i % 6, i % 5);
  auto r = Solve(m.p, Fast());
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh);
  SolveOptions o = Fast();
  o.seed = 99;
  o.previous = r.assignment;
  o.previous_staff = r.staff;
  auto again = Solve(m.p, o);
  ASSERT_TRUE(again.solved);
  EXPECT_EQ(again.staff, r.staff);
}

// A session moved by hand gets its AB backup again (ChooseBackup), each rule at its limit.
TEST(Staffing, MovedSessionChoosesItsBackupAgainByTheSameRules) {
  // D1..D3, one hour. T0 teaches s0 at D1; T1 teaches s1 at D2; T2 backs s1 up (stored duties).
  Mini m(3);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true), t2 = m.Teacher(true), t3 = m.Teacher(false);
  const int s0 = m.Section(t0, 0), s1 = m.Section(t1, 1);
  Assignment a(m.p.activities.size());
  a[static_cast<size_t>(s0)] = {0, 0};
  a[static_cast<size_t>(s1)] = {1, 1};
  Staffing staff(m.p.activities.size());
  staff[static_cast<size_t>(s1)].backup = t2;
  // s0 moved to D2: T1 teaches then, T2 backs s1 up then, T3 is not gated, T0 is its own teacher.
  a[static_cast<size_t>(s0)] = {1, 0};
  EXPECT_EQ(ChooseBackup(m.p, a, staff, s0), -1);
  // A fifth, gated and free: chosen; unwilling then: none again.
  const int t4 = m.Teacher(true);
  EXPECT_EQ(ChooseBackup(m.p, a, staff, s0), t4);
  m.p.teachers[static_cast<size_t>(t4)].unwilling = {false, true, false};
  EXPECT_EQ(ChooseBackup(m.p, a, staff, s0), -1);
  m.p.teachers[static_cast<size_t>(t4)].unwilling.clear();
  // Day limit: T4 with max 1 day already serving on D3 (a backup day counts) is not allowed on D2.
  m.p.teachers[static_cast<size_t>(t4)].max_days = 1;
  const int s2 = m.Section(t3, 2);
  a.push_back({2, 2});
  staff.push_back({});
  staff[static_cast<size_t>(s2)].backup = t4;
  EXPECT_EQ(ChooseBackup(m.p, a, staff, s0), -1);
  m.p.teachers[static_cast<size_t>(t4)].max_days = 2;  // at its limit of 2: allowed
  EXPECT_EQ(ChooseBackup(m.p, a, staff, s0), t4);
  // Moved onto D3 instead, where T4 already serves: T4 is busy backing s2 up at that very slot.
  a[static_cast<size_t>(s0)] = {2, 0};
  const int b = ChooseBackup(m.p, a, staff, s0);
  EXPECT_NE(b, t4);
  EXPECT_NE(b, t0);
  EXPECT_TRUE(b == t1 || b == t2);
  // Its own old backup does not block it: staff[s0] is left out.
  staff[static_cast<size_t>(s0)].backup = t1;
  EXPECT_GE(ChooseBackup(m.p, a, staff, s0), 0);
  EXPECT_EQ(Evaluate(m.p, a,
                     [&] {
                       Staffing x = staff;
                       x[static_cast<size_t>(s0)].backup = ChooseBackup(m.p, a, staff, s0);
                       x[static_cast<size_t>(s1)].backup = t2;
                       return x;
                     }(),
                     {})
                .backup,
            0);
}

// The console's solve (backups_best_effort): a section that finds no AB backup is solved without
// one and named in the warnings, instead of refusing the whole timetable; other rules still refuse.
TEST(Staffing, MissingBackupIsAWarningWhenBestEffort) {
  Mini m(1);
  const int t0 = m.Teacher(true), t1 = m.Teacher(true), t2 = m.Teacher(true);
  m.Section(t0, 0);
  m.Section(t1, 0);  // one free standby teacher (T2) for two sections at once
  SolveOptions o = Fast();
  EXPECT_TRUE(HasRule(Solve(m.p, o), "no_backup"));  // the default refuses by name
  o.backups_best_effort = true;
  auto r = Solve(m.p, o);
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh);
  EXPECT_TRUE(r.reasons.empty());
  ASSERT_FALSE(r.warnings.empty());
  EXPECT_EQ(r.warnings[0].rule, "no_backup");
  ASSERT_EQ(r.staff.size(), 2u);
  EXPECT_EQ(std::min(r.staff[0].backup, r.staff[1].backup), -1);  // one has none
  EXPECT_EQ(std::max(r.staff[0].backup, r.staff[1].backup), t2);  // the other has T2
  EXPECT_EQ(r.report.backup, 1);
  // Nobody gated besides its own teacher (the necessary condition): solved with the warning too.
  Mini lone(1);
  const int only = lone.Teacher(true);
  lone.Section(only, 0);
  auto l = Solve(lone.p, o);
  ASSERT_TRUE(l.solved);
  ASSERT_FALSE(l.warnings.empty());
  EXPECT_EQ(l.warnings[0].rule, "no_backup");
  // Another hard rule still refuses: two sections of one teacher locked at one slot.
  Mini clash(1);
  const int c0 = clash.Teacher(true);
  clash.Teacher(true);
  clash.Section(c0, 0);
  clash.Section(c0, 0);
  auto c = Solve(clash.p, o);
  EXPECT_FALSE(c.solved);
  EXPECT_FALSE(c.reasons.empty());
}

}  // namespace
}  // namespace kehou::timetable
