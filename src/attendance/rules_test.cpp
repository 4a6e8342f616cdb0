#include "attendance/rules.h"

#include <gtest/gtest.h>

namespace kehou::attendance {
namespace {

const Date kDay{2026, 12, 4};
const SessionTime kSession{kDay, 15 * 60 + 30, 17 * 60 + 30};  // 15:30-17:30

TEST(Marks, ParseAndName) {
  for (auto m : {Mark::kPresent, Mark::kLate, Mark::kAbsent, Mark::kLeave}) EXPECT_EQ(ParseMark(MarkName(m)), m);
  EXPECT_FALSE(ParseMark("Present"));
  EXPECT_FALSE(ParseMark(""));
  EXPECT_EQ(MarkLabelZh(Mark::kLate), "迟到");
}

TEST(RollWindow, TeacherUntilTheEndOfficeAfter) {
  const int64_t end = LocalInstant(kDay, kSession.end);
  EXPECT_TRUE(CheckRollWindow(kSession, end - 1, Editor::kTeacher).ok());
  auto late = CheckRollWindow(kSession, end, Editor::kTeacher);  // the end itself is after
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, kRuleBroken);
  EXPECT_TRUE(CheckRollWindow(kSession, end, Editor::kOffice).ok());
  EXPECT_TRUE(CheckRollWindow(kSession, end + 86'400'000LL * 30, Editor::kOffice).ok());
}

TEST(RollWindow, OpensDaysAheadAtTheLimit) {
  const int64_t opens = LocalInstant(AddDays(kDay, -kRollOpensDaysAhead), 0);
  EXPECT_TRUE(CheckRollWindow(kSession, opens, Editor::kTeacher).ok());
  EXPECT_FALSE(CheckRollWindow(kSession, opens - 1, Editor::kTeacher).ok());
  EXPECT_FALSE(CheckRollWindow(kSession, opens - 1, Editor::kOffice).ok());
}

TEST(Swipes, FieldsAndTimeLimits) {
  const int64_t now = LocalInstant(kDay, 16 * 60);
  EXPECT_TRUE(CheckSwipe({"u1", "C1", now}, now).ok());
  EXPECT_EQ(CheckSwipe({"", "C1", now}, now).error().field, "uid");
  EXPECT_EQ(CheckSwipe({"u 1", "C1", now}, now).error().field, "uid");
  EXPECT_EQ(CheckSwipe({"u1", std::string(kMaxSwipeIdLength + 1, 'c'), now}, now).error().field, "card_no");
  EXPECT_TRUE(CheckSwipe({std::string(kMaxSwipeIdLength, 'u'), "C1", now}, now).ok());
  EXPECT_TRUE(CheckSwipe({"u1", "C1", now - kSwipeMaxAgeMs}, now).ok());
  EXPECT_FALSE(CheckSwipe({"u1", "C1", now - kSwipeMaxAgeMs - 1}, now).ok());
  EXPECT_TRUE(CheckSwipe({"u1", "C1", now + kSwipeMaxSkewMs}, now).ok());
  EXPECT_FALSE(CheckSwipe({"u1", "C1", now + kSwipeMaxSkewMs + 1}, now).ok());
}

TEST(Swipes, DedupeByUidWithinABatch) {
  std::vector<SwipeIn> b{{"a", "C1", 1}, {"b", "C1", 2}, {"a", "C1", 1}, {"c", "C2", 3}, {"b", "C9", 9}};
  EXPECT_EQ(FirstOfUid(b), (std::vector<size_t>{0, 1, 0, 3, 1}));
  EXPECT_TRUE(FirstOfUid({}).empty());
}

TEST(Swipes, OutOfOrderTheEarliestInTheWindowCounts) {
  const int64_t start = LocalInstant(kDay, kSession.start), end = LocalInstant(kDay, kSession.end);
  const int64_t early = start - kSwipeEarlyMinutes * 60'000LL;
  // Arrived late-first: the earliest time still decides.
  EXPECT_EQ(SessionSwipe(kSession, {start + 600'000, start + 60'000, early - 1}), start + 60'000);
  EXPECT_EQ(SessionSwipe(kSession, {early}), early);
  EXPECT_FALSE(SessionSwipe(kSession, {early - 1}));
  EXPECT_EQ(SessionSwipe(kSession, {end}), end);
  EXPECT_FALSE(SessionSwipe(kSession, {end + 1}));
  EXPECT_FALSE(SessionSwipe(kSession, {}));
}

TEST(Leave, Checks) {
  const Date today = kDay;
  EXPECT_TRUE(CheckLeave({today, today, {}, 0}, today).ok());
  EXPECT_FALSE(CheckLeave({AddDays(today, -1), today, {}, 0}, today).ok());
  EXPECT_EQ(CheckLeave({today, AddDays(today, -1), {}, 0}, today).error().field, "to_date");
  EXPECT_TRUE(CheckLeave({today, AddDays(today, kMaxLeaveDays - 1), {}, 0}, today).ok());
  EXPECT_FALSE(CheckLeave({today, AddDays(today, kMaxLeaveDays), {}, 0}, today).ok());
}

TEST(Leave, CoversDaysSectionsAndOnlyWhenAskedBefore) {
  const int64_t start = LocalInstant(kDay, kSession.start);
  Leave all{AddDays(kDay, -1), kDay, {}, start - 1};
  EXPECT_TRUE(LeaveCovers(all, 7, kSession));
  Leave asked_at_start = all;
  asked_at_start.created_ms = start;
  EXPECT_FALSE(LeaveCovers(asked_at_start, 7, kSession));
  Leave other_section{kDay, kDay, {8}, 0};
  EXPECT_FALSE(LeaveCovers(other_section, 7, kSession));
  other_section.sections.push_back(7);
  EXPECT_TRUE(LeaveCovers(other_section, 7, kSession));
  EXPECT_FALSE(LeaveCovers({AddDays(kDay, 1), AddDays(kDay, 2), {}, 0}, 7, kSession));
}

TEST(Reconcile, ConflictsAreShownNotResolved) {
  EXPECT_EQ(Reconcile(Mark::kAbsent, false, true), Conflict::kSwipedButAbsent);
  EXPECT_EQ(Reconcile(Mark::kAbsent, false, false), Conflict::kNone);
  EXPECT_EQ(Reconcile(Mark::kLeave, true, true), Conflict::kSwipedOnLeave);
  EXPECT_EQ(Reconcile(std::nullopt, true, true), Conflict::kSwipedOnLeave);
  EXPECT_EQ(Reconcile(Mark::kPresent, true, true), Conflict::kNone);  // the teacher saw the child
  EXPECT_EQ(Reconcile(Mark::kLate, false, true), Conflict::kNone);
  EXPECT_EQ(Reconcile(std::nullopt, false, true), Conflict::kNone);
  EXPECT_EQ(ConflictName(Conflict::kSwipedButAbsent), "swiped_absent");
}

TEST(Reconcile, ShownStatusAndAlerts) {
  EXPECT_EQ(ShownStatus(std::nullopt, true), Mark::kLeave);
  EXPECT_EQ(ShownStatus(Mark::kPresent, true), Mark::kPresent);
  EXPECT_FALSE(ShownStatus(std::nullopt, false));
  EXPECT_TRUE(UnexcusedAbsence(Mark::kAbsent, false));
  EXPECT_FALSE(UnexcusedAbsence(Mark::kAbsent, true));
  EXPECT_FALSE(UnexcusedAbsence(Mark::kLate, false));
}

}  // namespace
}  // namespace kehou::attendance
