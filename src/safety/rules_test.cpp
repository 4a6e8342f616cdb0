#include "safety/rules.h"

#include <gtest/gtest.h>

namespace kehou::safety {
namespace {

const Date kDay{2026, 12, 4};
Date D(int y, int m, int d) { return Date{y, m, d}; }

TEST(Unwell, ActionsKnownOnceAtLeastOne) {
  EXPECT_TRUE(CheckUnwellActions({"rest"}).ok());
  EXPECT_TRUE(CheckUnwellActions({"rest", "doctor", "guardian_called"}).ok());
  EXPECT_EQ(CheckUnwellActions({}).error().field, "actions");
  EXPECT_FALSE(CheckUnwellActions({"pray"}).ok());
  EXPECT_FALSE(CheckUnwellActions({"rest", "rest"}).ok());
  EXPECT_EQ(UnwellActionLabelZh("doctor"), "校医处理");
}

TEST(Concerns, WrittenFromTheStartForSevenDays) {
  const int start = 15 * 60 + 30;
  EXPECT_EQ(CheckRecordWindow(kDay, start, LocalInstant(kDay, start) - 1).error().code, kRuleBroken);
  EXPECT_TRUE(CheckRecordWindow(kDay, start, LocalInstant(kDay, start)).ok());
  const int64_t last = LocalInstant(AddDays(kDay, kRecordBackDays + 1), 0);
  EXPECT_TRUE(CheckRecordWindow(kDay, start, last - 1).ok());
  EXPECT_FALSE(CheckRecordWindow(kDay, start, last).ok());
}

ConcernCheck Base() {
  ConcernCheck c;
  c.roster = {1, 2, 3, 4};
  c.unexcused_absent = {2};
  c.absent = {{2, "已联系家长：在家发烧"}};
  return c;
}

TEST(Concerns, EveryUnexcusedAbsenceFollowedUpAndOnlyThose) {
  EXPECT_TRUE(CheckConcerns(Base()).ok());
  auto c = Base();
  c.absent.clear();  // the roll's absence left without a follow-up
  EXPECT_EQ(CheckConcerns(c).error().code, kRuleBroken);
  c = Base();
  c.absent.push_back({3, "?"});  // not absent on the roll: correct the roll first
  EXPECT_EQ(CheckConcerns(c).error().code, kRuleBroken);
  c = Base();
  c.absent[0].note = "";
  EXPECT_EQ(CheckConcerns(c).error().code, kInvalid);
  c = Base();
  c.absent.push_back({2, "again"});
  EXPECT_FALSE(CheckConcerns(c).ok());
}

TEST(Concerns, LatePickupAgreesWithAllOnTime) {
  auto c = Base();
  c.late_pickup = {{4, "17:50 外婆接走"}};
  EXPECT_FALSE(CheckConcerns(c).ok());  // all_on_time still true
  c.all_on_time = false;
  EXPECT_TRUE(CheckConcerns(c).ok());
  c.late_pickup = {{9, "not on the roster"}};
  EXPECT_EQ(CheckConcerns(c).error().field, "late_pickup");
  c.late_pickup.clear();
  EXPECT_EQ(CheckConcerns(c).error().field, "all_on_time");  // late but nobody named
}

HandoverIn Hand() {
  HandoverIn h;
  h.from_user = 1;
  h.to_user = 2;
  h.children = {10, 11};
  h.place = "操场东侧";
  h.day = kDay;
  h.today = kDay;
  return h;
}

TEST(Handover, ToAnotherStaffWithChildrenAndPlace) {
  EXPECT_TRUE(CheckHandover(Hand()).ok());
  auto h = Hand();
  h.to_user = 1;
  EXPECT_EQ(CheckHandover(h).error().field, "to_user_id");
  h = Hand();
  h.children.clear();
  EXPECT_FALSE(CheckHandover(h).ok());
  h = Hand();
  h.children = {10, 10};
  EXPECT_FALSE(CheckHandover(h).ok());
  h = Hand();
  h.place = "";
  EXPECT_EQ(CheckHandover(h).error().field, "place");
}

TEST(Handover, ChildrenLimitAndDatesAtTheLimit) {
  auto h = Hand();
  h.children.clear();
  for (size_t i = 0; i < kMaxHandoverChildren; ++i) h.children.push_back(static_cast<int64_t>(i + 1));
  EXPECT_TRUE(CheckHandover(h).ok());  // 60 pass
  h.children.push_back(1000);
  EXPECT_FALSE(CheckHandover(h).ok());  // 61 fail
  h = Hand();
  h.day = AddDays(kDay, -kHandoverBackDays);
  EXPECT_TRUE(CheckHandover(h).ok());
  h.day = AddDays(kDay, -kHandoverBackDays - 1);
  EXPECT_FALSE(CheckHandover(h).ok());
  h.day = AddDays(kDay, 1);
  EXPECT_FALSE(CheckHandover(h).ok());
}

TEST(Handover, OnlyTheReceiverAcknowledgesOnce) {
  EXPECT_TRUE(CheckAcknowledge(2, true, 2).ok());
  EXPECT_EQ(CheckAcknowledge(2, true, 1).error().code, kForbidden);
  EXPECT_EQ(CheckAcknowledge(2, false, 2).error().code, kConflict);
}

TEST(HealthNotes, OnlyOfficeDoctorAndTheChildsTeachers) {
  using auth::Role;
  for (Role r :
       {Role::kPrincipal, Role::kVicePrincipal, Role::kOfficeDirector, Role::kOfficeStaff, Role::kSchoolDoctor})
    EXPECT_TRUE(MaySeeHealthNotes(r, false)) << auth::RoleName(r);
  for (Role r : {Role::kTeacher, Role::kClassTeacher, Role::kGradeLeader, Role::kExternalStaff}) {
    EXPECT_TRUE(MaySeeHealthNotes(r, true)) << auth::RoleName(r);
    EXPECT_FALSE(MaySeeHealthNotes(r, false)) << auth::RoleName(r) << " of another child";
  }
  for (Role r : {Role::kGuard, Role::kSafetyOfficer, Role::kLiaison, Role::kCourseGroup, Role::kParentCommittee,
                 Role::kGuardian, Role::kCountyOfficer, Role::kCityOfficer, Role::kSysAdmin}) {
    EXPECT_FALSE(MaySeeHealthNotes(r, true)) << auth::RoleName(r);
    EXPECT_FALSE(MayWriteHealthNotes(r)) << auth::RoleName(r);
  }
  EXPECT_TRUE(MayWriteHealthNotes(Role::kSchoolDoctor));
  EXPECT_FALSE(MayWriteHealthNotes(Role::kTeacher));
  EXPECT_TRUE(ValidHealthKind("allergy"));
  EXPECT_FALSE(ValidHealthKind("gossip"));
}

TEST(Insurance, GapsAtTheTermsEdgesAndBetweenPolicies) {
  DateRange term{D(2026, 9, 1), D(2027, 1, 20)};
  EXPECT_TRUE(CoverageGaps(term, {{D(2026, 8, 1), D(2027, 8, 1)}}).empty());
  EXPECT_TRUE(CoverageGaps(term, {{D(2026, 9, 1), D(2026, 10, 31)}, {D(2026, 11, 1), D(2027, 1, 20)}}).empty());
  auto g = CoverageGaps(term, {{D(2026, 9, 2), D(2026, 10, 31)}, {D(2026, 11, 2), D(2027, 1, 19)}});
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g[0].from, D(2026, 9, 1));
  EXPECT_EQ(g[0].to, D(2026, 9, 1));
  EXPECT_EQ(g[1].from, D(2026, 11, 1));
  EXPECT_EQ(g[1].to, D(2026, 11, 1));
  EXPECT_EQ(g[2].from, D(2027, 1, 20));
  auto none = CoverageGaps(term, {});
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].to, term.to);
  // overlapping and out-of-order policies
  EXPECT_TRUE(CoverageGaps(term, {{D(2026, 12, 1), D(2027, 2, 1)}, {D(2026, 9, 1), D(2026, 12, 5)}}).empty());
}

TEST(Insurance, UncoveredChildren) {
  std::set<int64_t> enrolled{1, 2, 3};
  EXPECT_EQ(UncoveredChildren(enrolled, {}), (std::vector<int64_t>{1, 2, 3}));
  Policy listed{{D(2026, 9, 1), D(2027, 1, 20)}, false, {1, 3}};
  EXPECT_EQ(UncoveredChildren(enrolled, {listed}), (std::vector<int64_t>{2}));
  Policy all{{D(2026, 9, 1), D(2027, 1, 20)}, true, {}};
  EXPECT_TRUE(UncoveredChildren(enrolled, {listed, all}).empty());
  DateRange term{D(2026, 9, 1), D(2027, 1, 20)};
  EXPECT_TRUE(CheckPolicyDates({D(2026, 9, 1), D(2026, 9, 1)}, term).ok());
  EXPECT_FALSE(CheckPolicyDates({D(2026, 9, 2), D(2026, 9, 1)}, term).ok());
  EXPECT_FALSE(CheckPolicyDates({D(2027, 1, 21), D(2027, 3, 1)}, term).ok());
}

TEST(SiteCheck, MissingOnceTheServiceStarts) {
  const int start = 15 * 60 + 30;
  EXPECT_EQ(SiteCheckState(true, true, kDay, kDay, start + 10, start), CheckState::kDone);
  EXPECT_EQ(SiteCheckState(true, false, kDay, kDay, start - 1, start), CheckState::kDue);
  EXPECT_EQ(SiteCheckState(true, false, kDay, kDay, start, start), CheckState::kMissing);
  EXPECT_EQ(SiteCheckState(false, false, kDay, kDay, start, start), CheckState::kNotNeeded);
  EXPECT_EQ(SiteCheckState(true, false, AddDays(kDay, -1), kDay, 0, start), CheckState::kMissing);
  EXPECT_EQ(SiteCheckState(true, false, AddDays(kDay, 1), kDay, 23 * 60, start), CheckState::kDue);
  EXPECT_EQ(SiteCheckState(true, false, kDay, kDay, 23 * 60, std::nullopt), CheckState::kDue);
  EXPECT_EQ(CheckStateName(CheckState::kMissing), "missing");
}

TEST(Drills, OnePerTermFlaggedNearTheEnd) {
  DateRange term{D(2026, 9, 1), D(2027, 1, 20)};
  EXPECT_EQ(TermDrillState(1, term, D(2027, 3, 1)), DrillState::kDone);
  EXPECT_EQ(TermDrillState(0, term, D(2026, 10, 1)), DrillState::kDue);
  EXPECT_EQ(TermDrillState(0, term, AddDays(term.to, -kDrillWarnDays - 1)), DrillState::kDue);
  EXPECT_EQ(TermDrillState(0, term, AddDays(term.to, -kDrillWarnDays)), DrillState::kMissing);
  EXPECT_EQ(TermDrillState(0, term, term.to), DrillState::kMissing);
  EXPECT_EQ(TermDrillState(0, term, AddDays(term.to, 1)), DrillState::kOverdue);
  EXPECT_TRUE(ValidIncidentLevel("serious"));
  EXPECT_FALSE(ValidIncidentLevel("catastrophic"));
}

}  // namespace
}  // namespace kehou::safety
