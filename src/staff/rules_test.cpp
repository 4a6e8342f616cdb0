#include "staff/rules.h"

#include <gtest/gtest.h>

namespace kehou::staff {
namespace {

Date D(const char* s) { return *ParseDate(s); }

StaffRecord Good() {
  StaffRecord r;
  r.staff_id = 1;
  r.name = "王老师";
  r.check = BackgroundCheck{D("2026-08-01"), true, "QC-1", D("2027-07-31")};
  r.contract = Contract{D("2026-09-01"), D("2027-01-31"), 8000};
  return r;
}
const TermSpan kTerm{D("2026-09-01"), D("2027-01-20")};

TEST(StaffGate, PassesWithAValidCheckAndAContractOverTheTerm) {
  EXPECT_TRUE(CanServe(Good(), kTerm, D("2026-12-04")).ok());
}

TEST(StaffGate, RefusesWithoutACheckNamingTheRecord) {
  StaffRecord r = Good();
  r.check.reset();
  auto s = CanServe(r, kTerm, D("2026-12-04"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_EQ(s.error().field, "teacher_staff_id");
  EXPECT_NE(s.error().message.find("没有违法犯罪信息查询记录"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("王老师"), std::string::npos);
}

TEST(StaffGate, RefusesAFailedCheck) {
  StaffRecord r = Good();
  r.check->passed = false;
  auto s = CanServe(r, kTerm, D("2026-12-04"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("未通过"), std::string::npos);
}

TEST(StaffGate, ACheckIsValidThroughItsLastDayAndExpiredTheDayAfter) {
  StaffRecord r = Good();
  r.check->valid_until = D("2026-12-04");
  EXPECT_TRUE(CanServe(r, kTerm, D("2026-12-04")).ok());
  auto s = CanServe(r, kTerm, D("2026-12-05"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("过期"), std::string::npos) << s.error().message;
}

TEST(StaffGate, TheContractCoversTheRestOfTheTermToItsLastDay) {
  StaffRecord r = Good();
  r.contract->end = kTerm.end;  // ends on the term's last day: covers
  EXPECT_TRUE(CanServe(r, kTerm, D("2026-12-04")).ok());
  r.contract->end = AddDays(kTerm.end, -1);  // a day short
  auto s = CanServe(r, kTerm, D("2026-12-04"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("聘用协议"), std::string::npos) << s.error().message;
  // A contract signed mid-term covers from the day of the assignment on.
  r = Good();
  r.contract->start = D("2026-12-04");
  EXPECT_TRUE(CanServe(r, kTerm, D("2026-12-04")).ok());
  EXPECT_FALSE(CanServe(r, kTerm, D("2026-12-03")).ok());
  r.contract.reset();
  EXPECT_FALSE(CanServe(r, kTerm, D("2026-12-04")).ok());
}

TEST(StaffGate, AnExitedOrUncontractedInstitutionBlocksItsStaff) {
  StaffRecord r = Good();
  r.institution = "青山科创";
  r.institution_exited = true;
  auto s = CanServe(r, kTerm, D("2026-12-04"));
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("已退出"), std::string::npos);
  r.institution_exited = false;
  r.institution_uncontracted = true;
  EXPECT_FALSE(CanServe(r, kTerm, D("2026-12-04")).ok());
  r.institution_uncontracted = false;
  EXPECT_TRUE(CanServe(r, kTerm, D("2026-12-04")).ok());
  r.active = false;
  EXPECT_FALSE(CanServe(r, kTerm, D("2026-12-04")).ok());
}

TEST(TeachingDays, TwoDaysPassThreeFail) {
  EXPECT_EQ(kMaxTeachingDaysPerWeek, 2);
  EXPECT_TRUE(CheckTeachingDays("王老师", {}, {1, 1}).ok());
  EXPECT_TRUE(CheckTeachingDays("王老师", {2}, {4}).ok());
  EXPECT_TRUE(CheckTeachingDays("王老师", {2, 4}, {2}).ok());  // the same days again
  auto s = CheckTeachingDays("王老师", {2, 4}, {5});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("每周参与课后服务不超过 2 天"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find("周五"), std::string::npos);
  EXPECT_FALSE(CheckTeachingDays("王老师", {}, {1, 2, 3}).ok());
}

TEST(Training, TwoSessionsATermCover) {
  EXPECT_FALSE(TrainingComplete(1));
  EXPECT_TRUE(TrainingComplete(2));
  EXPECT_TRUE(CheckTraining(1, "安全培训").ok());
  EXPECT_TRUE(CheckTraining(kMaxTrainingHours, "安全培训").ok());
  EXPECT_FALSE(CheckTraining(kMaxTrainingHours + 1, "安全培训").ok());
  EXPECT_FALSE(CheckTraining(0, "安全培训").ok());
  EXPECT_FALSE(CheckTraining(2, " ").ok());
}

TEST(Records, FieldLimits) {
  EXPECT_TRUE(CheckContract({D("2026-09-01"), D("2026-09-01"), kMaxHourlyRateFen}).ok());
  EXPECT_FALSE(CheckContract({D("2026-09-01"), D("2026-08-31"), 0}).ok());
  EXPECT_FALSE(CheckContract({D("2026-09-01"), D("2026-09-02"), kMaxHourlyRateFen + 1}).ok());
  EXPECT_TRUE(CheckCheck({D("2026-09-01"), true, "", D("2026-09-01")}).ok());
  EXPECT_FALSE(CheckCheck({D("2026-09-01"), true, "", D("2026-08-31")}).ok());
  EXPECT_TRUE(CheckWillingness({1, 5}, {"after_school", "evening"}, kMaxWillingHoursPerWeek).ok());
  EXPECT_FALSE(CheckWillingness({6}, {}, 1).ok());
  EXPECT_FALSE(CheckWillingness({1}, {"night"}, 1).ok());
  EXPECT_FALSE(CheckWillingness({1}, {}, kMaxWillingHoursPerWeek + 1).ok());
  auto w = ParseWeekdays("3,1,3", "x");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(*w, (std::vector<int>{1, 3}));
  EXPECT_FALSE(ParseWeekdays("6", "x").ok());
}

TEST(Institutions, NonSubjectCategoriesOnlyAndTheContractsRules) {
  EXPECT_TRUE(CheckInstitutionCategories({"science", "arts"}).ok());
  auto s = CheckInstitutionCategories({"arts", "math"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_NE(s.error().message.find("非学科类"), std::string::npos);
  EXPECT_FALSE(CheckInstitutionCategories({}).ok());
  InstitutionContract k{true, D("2026-09-01"), D("2027-01-31"), true, true, 7};
  EXPECT_TRUE(CheckInstitutionContract(k).ok());
  auto unlisted = k;
  unlisted.listed = false;
  ASSERT_FALSE(CheckInstitutionContract(unlisted).ok());
  EXPECT_NE(CheckInstitutionContract(unlisted).error().message.find("遴选名单"), std::string::npos);
  auto promo = k;
  promo.no_promotion = false;
  EXPECT_FALSE(CheckInstitutionContract(promo).ok());
  auto safety = k;
  safety.safety_duties = false;
  EXPECT_FALSE(CheckInstitutionContract(safety).ok());
  auto no_assistant = k;
  no_assistant.assistant_staff_id.reset();
  EXPECT_FALSE(CheckInstitutionContract(no_assistant).ok());
  EXPECT_FALSE(CheckExitReason("  ").ok());
  EXPECT_TRUE(CheckExitReason("满意度低").ok());
}

}  // namespace
}  // namespace kehou::staff
