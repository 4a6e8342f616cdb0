#include "workbench/rules.h"

#include <gtest/gtest.h>

namespace kehou::workbench {
namespace {
using auth::Role;

Figures Sample() {
  Figures f;
  f.has_term = true;
  f.term.students = 589;
  f.term.submitted = 3;
  f.term.class_approved = 49;
  f.term.approved = 400;
  f.proposals.submitted = 2;
  f.proposals.reviewed = 1;
  select::RoundFigures open, closed;
  open.phase = "open";
  closed.phase = "to_allocate";
  f.rounds = {open, closed, closed};
  return f;
}

int64_t CountOf(const std::vector<Todo>& items, const std::string& key) {
  for (const auto& t : items)
    if (t.key == key) return t.count;
  return -1;
}

TEST(Workbench, PrincipalSeesWhatWaitsForTheLeadership) {
  auto items = TodosFor(Role::kPrincipal, Sample());
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].key, "applications_to_approve");
  EXPECT_EQ(items[0].count, 49);
  EXPECT_EQ(items[0].page, "review");
  EXPECT_EQ(CountOf(items, "proposals_to_decide"), 1);
  EXPECT_EQ(CountOf(items, "rounds_to_allocate"), 2);
  EXPECT_EQ(CountOf(items, "applications_to_review"), -1);
}

TEST(Workbench, ClassTeacherSeesOnlyTheClassReview) {
  auto items = TodosFor(Role::kClassTeacher, Sample());
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].count, 3);
  EXPECT_EQ(items[0].zh, "本班待审核的报名申请");
}

TEST(Workbench, OfficeAndCourseGroupAndOthers) {
  auto office = TodosFor(Role::kOfficeStaff, Sample());
  EXPECT_EQ(CountOf(office, "applications_to_review"), 3);
  EXPECT_EQ(CountOf(office, "applications_to_approve"), 49);
  EXPECT_EQ(CountOf(TodosFor(Role::kCourseGroup, Sample()), "proposals_to_review"), 2);
  EXPECT_TRUE(TodosFor(Role::kGuard, Sample()).empty());
  EXPECT_TRUE(TodosFor(Role::kTeacher, Sample()).empty());
}

TEST(Workbench, EnrolmentRateInPermille) {
  enroll::TermCounts t;
  EXPECT_EQ(EnrolmentPermille(t), 0);  // no students: no division by zero
  t.students = 589;
  t.approved = 400;
  EXPECT_EQ(EnrolmentPermille(t), 679);
  t.approved = 589;
  EXPECT_EQ(EnrolmentPermille(t), 1000);
}

}  // namespace
}  // namespace kehou::workbench
