// The pure rules of registration, each at its limits.
#include "enroll/rules.h"

#include <gtest/gtest.h>

#include "core/text.h"

namespace kehou::enroll {
namespace {

Date D(const char* s) { return *ParseDate(s); }
std::string Chars(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += "字";
  return s;
}

TEST(EnrollRules, TransitionsFollowTheChain) {
  EXPECT_EQ(*Transition(AppStatus::kDraft, Step::kSubmit), AppStatus::kSubmitted);
  EXPECT_EQ(*Transition(AppStatus::kReturned, Step::kSubmit), AppStatus::kSubmitted);
  EXPECT_EQ(*Transition(AppStatus::kSubmitted, Step::kClassApprove), AppStatus::kClassApproved);
  EXPECT_EQ(*Transition(AppStatus::kSubmitted, Step::kClassReturn), AppStatus::kReturned);
  EXPECT_EQ(*Transition(AppStatus::kClassApproved, Step::kApprove), AppStatus::kApproved);
  EXPECT_EQ(*Transition(AppStatus::kClassApproved, Step::kReturn), AppStatus::kReturned);
  EXPECT_EQ(*Transition(AppStatus::kClassApproved, Step::kReject), AppStatus::kRejected);
}

TEST(EnrollRules, EveryOtherTransitionIsRefused) {
  const AppStatus all[] = {AppStatus::kDraft,    AppStatus::kSubmitted, AppStatus::kClassApproved,
                           AppStatus::kApproved, AppStatus::kReturned,  AppStatus::kRejected};
  const Step steps[] = {Step::kSubmit,  Step::kClassApprove, Step::kClassReturn,
                        Step::kApprove, Step::kReturn,       Step::kReject};
  int allowed = 0;
  for (AppStatus s : all)
    for (Step st : steps) {
      auto r = Transition(s, st);
      if (r.ok()) {
        ++allowed;
      } else {
        EXPECT_EQ(r.error().code, kRuleBroken);
        EXPECT_FALSE(r.error().message.empty());
        EXPECT_FALSE(r.error().message_en.empty());
      }
    }
  EXPECT_EQ(allowed, 7);  // exactly the seven arrows of the chain
  // Nothing leaves approved or rejected through the chain; the principal cannot skip the class.
  EXPECT_FALSE(Transition(AppStatus::kSubmitted, Step::kApprove).ok());
  EXPECT_FALSE(Transition(AppStatus::kDraft, Step::kApprove).ok());
  EXPECT_FALSE(Transition(AppStatus::kApproved, Step::kSubmit).ok());
}

TEST(EnrollRules, WhoMayTakeWhichStep) {
  EXPECT_TRUE(MayTake(Actor::kGuardian, Step::kSubmit).ok());
  EXPECT_FALSE(MayTake(Actor::kClassTeacher, Step::kSubmit).ok());
  EXPECT_TRUE(MayTake(Actor::kClassTeacher, Step::kClassApprove).ok());
  EXPECT_TRUE(MayTake(Actor::kOfficeFallback, Step::kClassReturn).ok());
  EXPECT_FALSE(MayTake(Actor::kGuardian, Step::kClassApprove).ok());
  EXPECT_FALSE(MayTake(Actor::kLeader, Step::kClassApprove).ok());
  EXPECT_FALSE(MayTake(Actor::kOther, Step::kClassApprove).ok());
  for (Step s : {Step::kApprove, Step::kReturn, Step::kReject}) {
    EXPECT_TRUE(MayTake(Actor::kLeader, s).ok());
    EXPECT_FALSE(MayTake(Actor::kClassTeacher, s).ok());
    EXPECT_FALSE(MayTake(Actor::kGuardian, s).ok());
    EXPECT_EQ(MayTake(Actor::kOfficeFallback, s).error().code, kForbidden);
  }
  EXPECT_TRUE(Editable(AppStatus::kDraft));
  EXPECT_TRUE(Editable(AppStatus::kReturned));
  EXPECT_FALSE(Editable(AppStatus::kSubmitted));
  EXPECT_FALSE(Editable(AppStatus::kApproved));
}

TEST(EnrollRules, ReasonsAtTheirLimits) {
  EXPECT_TRUE(NeedsReason(Step::kClassReturn));
  EXPECT_TRUE(NeedsReason(Step::kReturn));
  EXPECT_TRUE(NeedsReason(Step::kReject));
  EXPECT_FALSE(NeedsReason(Step::kApprove));
  EXPECT_FALSE(CheckReason("", true).ok());
  EXPECT_FALSE(CheckReason("  　", true).ok());  // blanks, full-width too
  EXPECT_FALSE(CheckReason(Chars(kMinReasonChars - 1), true).ok());
  EXPECT_TRUE(CheckReason(Chars(kMinReasonChars), true).ok());
  EXPECT_TRUE(CheckReason(Chars(kMaxReasonChars), true).ok());
  EXPECT_FALSE(CheckReason(Chars(kMaxReasonChars + 1), true).ok());
  EXPECT_TRUE(CheckReason("", false).ok());
  EXPECT_EQ(CheckReason("", true).error().field, "reason");
}

TEST(EnrollRules, DaysAreMondayToFridayWithoutExcluded) {
  EXPECT_TRUE(CheckDays({kFirstServiceDay, kLastServiceDay}, {}, false).ok());
  EXPECT_FALSE(CheckDays({kFirstServiceDay - 1}, {}, false).ok());
  EXPECT_FALSE(CheckDays({kLastServiceDay + 1}, {}, false).ok());
  EXPECT_FALSE(CheckDays({}, {}, false).ok());
  EXPECT_TRUE(CheckDays({}, {}, true).ok());
  EXPECT_FALSE(CheckDays({1, 1}, {}, false).ok());
  auto r = CheckDays({1, 4}, {4}, false);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kRuleBroken);
  EXPECT_NE(r.error().message.find("周四"), std::string::npos);
}

TEST(EnrollRules, EveningOnlyForJuniorGrades) {
  EXPECT_FALSE(IsJunior(kFirstJuniorGrade - 1));
  EXPECT_TRUE(IsJunior(kFirstJuniorGrade));
  EXPECT_TRUE(IsJunior(kLastGrade));
  EXPECT_FALSE(IsJunior(kLastGrade + 1));
  EXPECT_FALSE(CheckBands({Band::kEvening}, kFirstJuniorGrade - 1, {}, false).ok());
  EXPECT_EQ(CheckBands({Band::kEvening}, 6, {}, false).error().code, kRuleBroken);
  EXPECT_TRUE(CheckBands({Band::kEvening}, kFirstJuniorGrade, {}, false).ok());
  EXPECT_TRUE(CheckBands({Band::kMorning, Band::kAfterSchool}, 1, {}, false).ok());
  EXPECT_FALSE(CheckBands({}, 1, {}, false).ok());
  EXPECT_FALSE(CheckBands({Band::kNoon, Band::kNoon}, 1, {}, false).ok());
  // Offered bands bound the choice when the school has set them up.
  EXPECT_FALSE(CheckBands({Band::kNoon}, 3, {Band::kAfterSchool}, false).ok());
  EXPECT_TRUE(CheckBands({Band::kAfterSchool}, 3, {Band::kAfterSchool}, false).ok());
}

TEST(EnrollRules, PickupPlans) {
  EXPECT_TRUE(CheckPickup({PickupMode::kSelf, {}, "", ""}, {}).ok());
  EXPECT_TRUE(CheckPickup({PickupMode::kGuardian, 5, "", ""}, {4, 5}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kGuardian, 6, "", ""}, {4, 5}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kGuardian, std::nullopt, "", ""}, {4, 5}).ok());
  EXPECT_TRUE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "13912345678"}, {}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "", "13912345678"}, {}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "1391234567"}, {}).ok());    // 10 digits
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "139123456789"}, {}).ok());  // 12 digits
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "23912345678"}, {}).ok());
  // Mainland mobiles are 1[3-9]: a leading 12 or 10 is no mobile (it used to pass here).
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "12912345678"}, {}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "10912345678"}, {}).ok());
  EXPECT_TRUE(CheckPickup({PickupMode::kProxy, {}, "王阿姨", "19912345678"}, {}).ok());
  EXPECT_TRUE(CheckPickup({PickupMode::kProxy, {}, Chars(kMaxPersonNameChars), "13912345678"}, {}).ok());
  EXPECT_FALSE(CheckPickup({PickupMode::kProxy, {}, Chars(kMaxPersonNameChars + 1), "13912345678"}, {}).ok());
  EXPECT_EQ(ParsePickup("proxy"), PickupMode::kProxy);
  EXPECT_FALSE(ParsePickup("bus").has_value());
}

SurveyDef Survey() {
  SurveyDef s;
  s.title = "2025秋季需求征询";
  s.grades = {1, 2, 3};
  s.bands = {Band::kMorning, Band::kAfterSchool};
  s.interests = {"science", "sports"};
  s.opens_on = D("2025-08-20");
  s.closes_on = D("2025-08-31");
  return s;
}

TEST(EnrollRules, SurveyDefinition) {
  Date term_end = D("2026-01-16");
  EXPECT_TRUE(CheckSurvey(Survey(), term_end).ok());
  auto s = Survey();
  s.grades = {};
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
  s.grades = {0};
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
  s.grades = {10};
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
  s = Survey();
  s.bands.push_back(Band::kEvening);  // primary grades only: no evening
  EXPECT_EQ(CheckSurvey(s, term_end).error().code, kRuleBroken);
  s.grades.push_back(kFirstJuniorGrade);
  EXPECT_TRUE(CheckSurvey(s, term_end).ok());
  s = Survey();
  s.interests = {"cooking"};
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
  s = Survey();
  s.closes_on = D("2025-08-19");
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
  s.closes_on = s.opens_on;  // one day is fine
  EXPECT_TRUE(CheckSurvey(s, term_end).ok());
  s.closes_on = AddDays(s.opens_on, kMaxSurveyOpenDays - 1);
  EXPECT_TRUE(CheckSurvey(s, D("2030-01-01")).ok());
  s.closes_on = AddDays(s.opens_on, kMaxSurveyOpenDays);
  EXPECT_FALSE(CheckSurvey(s, D("2030-01-01")).ok());
  s = Survey();
  EXPECT_FALSE(CheckSurvey(s, D("2025-08-30")).ok());  // closes after the term ends
  EXPECT_TRUE(CheckSurvey(s, D("2025-08-31")).ok());
  s.title = Chars(kMaxTitleChars + 1);
  EXPECT_FALSE(CheckSurvey(s, term_end).ok());
}

TEST(EnrollRules, SurveyOpenIsInclusive) {
  auto s = Survey();
  EXPECT_FALSE(SurveyOpen(D("2025-08-19"), s.opens_on, s.closes_on));
  EXPECT_TRUE(SurveyOpen(D("2025-08-20"), s.opens_on, s.closes_on));
  EXPECT_TRUE(SurveyOpen(D("2025-08-31"), s.opens_on, s.closes_on));
  EXPECT_FALSE(SurveyOpen(D("2025-09-01"), s.opens_on, s.closes_on));
}

TEST(EnrollRules, SurveyAnswers) {
  auto s = Survey();
  SurveyAnswer a{true, {1, 3}, {Band::kAfterSchool}, {"science"}, "希望多些体育"};
  EXPECT_TRUE(CheckSurveyAnswer(a, s, 2).ok());
  EXPECT_EQ(CheckSurveyAnswer(a, s, 4).error().code, kRuleBroken);  // grade not in scope
  auto b = a;
  b.bands = {Band::kNoon};  // not offered
  EXPECT_FALSE(CheckSurveyAnswer(b, s, 2).ok());
  b = a;
  b.days = {};
  EXPECT_FALSE(CheckSurveyAnswer(b, s, 2).ok());
  SurveyAnswer no{false, {}, {}, {}, ""};
  EXPECT_TRUE(CheckSurveyAnswer(no, s, 2).ok());
  no.days = {1};
  EXPECT_FALSE(CheckSurveyAnswer(no, s, 2).ok());
  b = a;
  b.interests = {"film"};  // not offered by this survey
  EXPECT_FALSE(CheckSurveyAnswer(b, s, 2).ok());
  b = a;
  b.free_text = Chars(kMaxFreeTextChars);
  EXPECT_TRUE(CheckSurveyAnswer(b, s, 2).ok());
  b.free_text = Chars(kMaxFreeTextChars + 1);
  EXPECT_FALSE(CheckSurveyAnswer(b, s, 2).ok());
}

TEST(EnrollRules, ExitDates) {
  Date start = D("2025-09-01"), end = D("2026-01-16"), today = D("2025-10-10");
  EXPECT_TRUE(CheckExitDate(today, today, start, end, false).ok());
  EXPECT_FALSE(CheckExitDate(AddDays(today, -1), today, start, end, false).ok());  // guardian: not before today
  EXPECT_TRUE(CheckExitDate(AddDays(today, -1), today, start, end, true).ok());    // office may backdate
  EXPECT_TRUE(CheckExitDate(start, today, start, end, true).ok());
  EXPECT_FALSE(CheckExitDate(AddDays(start, -1), today, start, end, true).ok());  // never before the term start
  EXPECT_TRUE(CheckExitDate(end, today, start, end, false).ok());
  EXPECT_FALSE(CheckExitDate(AddDays(end, 1), today, start, end, false).ok());
  EXPECT_EQ(CheckExitDate(AddDays(start, -1), today, start, end, true).error().field, "effective_date");
}

TEST(EnrollRules, LookedAfterDates) {
  Date start = D("2025-09-01"), end = D("2026-01-16");
  EXPECT_TRUE(CheckLookedAfterDates(start, std::nullopt, start, end).ok());
  EXPECT_TRUE(CheckLookedAfterDates(start, end, start, end).ok());
  EXPECT_TRUE(CheckLookedAfterDates(start, start, start, end).ok());
  EXPECT_FALSE(CheckLookedAfterDates(AddDays(start, -1), std::nullopt, start, end).ok());
  EXPECT_FALSE(CheckLookedAfterDates(AddDays(end, 1), std::nullopt, start, end).ok());
  EXPECT_FALSE(CheckLookedAfterDates(AddDays(start, 5), AddDays(start, 4), start, end).ok());
  EXPECT_FALSE(CheckLookedAfterDates(start, AddDays(end, 1), start, end).ok());
}

TEST(EnrollRules, OnlyASignedApprovedApplicationEnrols) {
  Date start = D("2025-09-01"), end = D("2026-01-16"), day = D("2025-10-10");
  EXPECT_TRUE(EnrolledOn(AppStatus::kApproved, true, std::nullopt, start, end, day));
  EXPECT_FALSE(EnrolledOn(AppStatus::kApproved, false, std::nullopt, start, end, day));  // unsigned: never
  for (AppStatus s : {AppStatus::kDraft, AppStatus::kSubmitted, AppStatus::kClassApproved, AppStatus::kReturned,
                      AppStatus::kRejected})
    EXPECT_FALSE(EnrolledOn(s, true, std::nullopt, start, end, day));
  // Exit: the effective date is the first day without service.
  EXPECT_TRUE(EnrolledOn(AppStatus::kApproved, true, AddDays(day, 1), start, end, day));
  EXPECT_FALSE(EnrolledOn(AppStatus::kApproved, true, day, start, end, day));
  EXPECT_FALSE(EnrolledOn(AppStatus::kApproved, true, std::nullopt, start, end, AddDays(start, -1)));
  EXPECT_TRUE(EnrolledOn(AppStatus::kApproved, true, std::nullopt, start, end, end));
  EXPECT_FALSE(EnrolledOn(AppStatus::kApproved, true, std::nullopt, start, end, AddDays(end, 1)));
}

TEST(EnrollRules, ResponseRate) {
  EXPECT_DOUBLE_EQ(ResponseRate(0, 0), 0.0);
  EXPECT_DOUBLE_EQ(ResponseRate(0, 40), 0.0);
  EXPECT_DOUBLE_EQ(ResponseRate(10, 40), 0.25);
  EXPECT_DOUBLE_EQ(ResponseRate(40, 40), 1.0);
  EXPECT_DOUBLE_EQ(ResponseRate(41, 40), 1.0);
}

TEST(EnrollRules, TextHashIsBlake2bOfTheExactText) {
  // BLAKE2b-256 of the empty string (RFC 7693 parameters, 32-byte digest).
  EXPECT_EQ(TextHash(""), "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  EXPECT_EQ(TextHash("协议").size(), 64u);
  EXPECT_NE(TextHash("协议"), TextHash("协议 "));  // one space changes it
  EXPECT_EQ(TextHash("协议"), TextHash(std::string("协议")));
}

TEST(EnrollRules, Lists) {
  EXPECT_EQ(JoinInts({1, 3, 5}), "1,3,5");
  EXPECT_EQ(SplitInts("1,3,5"), (std::vector<int>{1, 3, 5}));
  EXPECT_TRUE(SplitInts("").empty());
  EXPECT_EQ(SplitBands(JoinBands({Band::kNoon, Band::kEvening})), (std::vector<Band>{Band::kNoon, Band::kEvening}));
  EXPECT_TRUE(SplitWords("").empty());
  EXPECT_EQ(AllInterests().size(), 8u);
  for (const auto& i : AllInterests()) EXPECT_FALSE(InterestLabelZh(i).empty());
  for (Band b : AllBands()) EXPECT_EQ(ParseBand(BandName(b)), b);
}

}  // namespace
}  // namespace kehou::enroll
