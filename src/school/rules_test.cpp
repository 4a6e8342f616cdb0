// Tests of the pure school-setup rules, each policy number at its limit (passes at the limit,
// fails one minute or one day beyond).
#include "school/rules.h"

#include <gtest/gtest.h>

namespace kehou::school {
namespace {

Date D(const char* s) { return *ParseDate(s); }
int T(const char* s) { return *ParseTimeOfDay(s); }

Band B(BandKind k, const char* from, const char* to, Season s = Season::kAll, std::string name = {}) {
  return Band{k, s, std::move(name), T(from), T(to)};
}

TermDates Autumn() {
  TermDates t;
  t.start = D("2025-09-01");  // Monday
  t.end = D("2026-01-16");    // Friday
  return t;
}

BandContext Ctx(Level level = Level::kNineYear, const char* close = "17:00") {
  BandContext c;
  c.level = level;
  c.office_close = T(close);
  c.term = Autumn();
  return c;
}

void ExpectRule(const Status& s, const std::string& field, const std::string& rule_fragment) {
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, kRuleBroken);
  EXPECT_EQ(s.error().field, field);
  EXPECT_NE(s.error().message.find("违反规则「"), std::string::npos) << s.error().message;
  EXPECT_NE(s.error().message.find(rule_fragment), std::string::npos) << s.error().message;
  EXPECT_FALSE(s.error().message_en.empty());
}

// ---- evening self-study -----------------------------------------------------------------------

TEST(EveningRule, EndsAtTheLimitPasses) {
  EXPECT_EQ(kEveningLatestEnd, T("20:30"));
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "17:30"), B(BandKind::kEvening, "18:30", "20:30")};
  EXPECT_TRUE(CheckBands(bands, Ctx(Level::kJunior)).ok());
  EXPECT_TRUE(CheckBands(bands, Ctx(Level::kNineYear)).ok());
}

TEST(EveningRule, OneMinuteLateFails) {
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "17:30"), B(BandKind::kEvening, "18:30", "20:31")};
  ExpectRule(CheckBands(bands, Ctx(Level::kJunior)), "bands[1].end_time", "晚自习结束时间不晚于20:30");
}

TEST(EveningRule, PrimarySchoolMayNotHaveIt) {
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "17:30"), B(BandKind::kEvening, "18:30", "20:00")};
  ExpectRule(CheckBands(bands, Ctx(Level::kPrimary)), "bands[1].kind", "晚自习仅限初中和九年一贯制学校");
  EXPECT_FALSE(MayHaveEvening(Level::kPrimary));
  EXPECT_TRUE(MayHaveEvening(Level::kJunior));
  EXPECT_TRUE(MayHaveEvening(Level::kNineYear));
}

// ---- after-school end vs office closing ---------------------------------------------------------

TEST(OfficeCloseRule, TwentyMinutesAfterPasses) {
  EXPECT_EQ(kOfficeCloseMarginMinutes, 20);
  EXPECT_EQ(EarliestAfterSchoolEnd(T("17:00")), T("17:20"));
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:20", "17:20")};
  EXPECT_TRUE(CheckBands(bands, Ctx(Level::kPrimary, "17:00")).ok());
}

TEST(OfficeCloseRule, NineteenMinutesAfterFails) {
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:20", "17:19")};
  ExpectRule(CheckBands(bands, Ctx(Level::kPrimary, "17:00")), "bands[0].end_time",
             "课后服务结束时间不早于当地下班时间后20分钟");
}

TEST(OfficeCloseRule, OnlyTheLastAfterSchoolBandOfTheDayCounts) {
  // Two sessions: the first ends early, the day's service ends at 17:40.
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "16:50", "17:40"), B(BandKind::kAfterSchool, "15:30", "16:30")};
  EXPECT_TRUE(CheckBands(bands, Ctx(Level::kPrimary, "17:00")).ok());
  // A school whose office closes at 16:30 may end at 16:50.
  std::vector<Band> early = {B(BandKind::kAfterSchool, "15:00", "16:50")};
  EXPECT_TRUE(CheckBands(early, Ctx(Level::kPrimary, "16:30")).ok());
  EXPECT_FALSE(CheckBands(early, Ctx(Level::kPrimary, "16:31")).ok());
}

TEST(OfficeCloseRule, EachSeasonIsCheckedOnItsOwn) {
  BandContext c = Ctx(Level::kPrimary, "17:00");
  c.term.winter_from = D("2025-11-01");
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "17:40", Season::kSummer),
                             B(BandKind::kAfterSchool, "15:20", "17:20", Season::kWinter)};
  EXPECT_TRUE(CheckBands(bands, c).ok());
  bands[1].end = T("17:19");
  ExpectRule(CheckBands(bands, c), "bands[1].end_time", "当地下班时间");
}

// ---- bands: start < end, overlap, seasons --------------------------------------------------------

TEST(BandRules, StartBeforeEnd) {
  std::vector<Band> bands = {B(BandKind::kMorning, "07:30", "07:30")};
  ExpectRule(CheckBands(bands, Ctx()), "bands[0].end_time", "时段开始时间须早于结束时间");
  bands[0].end = T("07:31");
  EXPECT_TRUE(CheckBands(bands, Ctx()).ok());
}

TEST(BandRules, TouchingBandsPassOverlapOneMinuteFails) {
  std::vector<Band> bands = {B(BandKind::kNoon, "12:00", "13:30"), B(BandKind::kAfterSchool, "15:30", "17:30"),
                             B(BandKind::kEvening, "17:30", "19:00")};
  EXPECT_TRUE(CheckBands(bands, Ctx()).ok());
  bands[2].start = T("17:29");
  ExpectRule(CheckBands(bands, Ctx()), "bands[2].start_time", "同一作息的时段不能重叠");
}

TEST(BandRules, WinterAndSummerBandsMayOverlapEachOtherButNotAllSeasonBands) {
  BandContext c = Ctx();
  c.term.winter_from = D("2025-11-01");
  std::vector<Band> bands = {B(BandKind::kNoon, "12:00", "13:00"),
                             B(BandKind::kAfterSchool, "15:30", "17:30", Season::kSummer),
                             B(BandKind::kAfterSchool, "15:20", "17:20", Season::kWinter)};
  EXPECT_TRUE(CheckBands(bands, c).ok());
  bands.push_back(B(BandKind::kMorning, "17:00", "17:40"));  // 'all' overlapping both seasons
  ExpectRule(CheckBands(bands, c), "bands[3].start_time", "不能重叠");
}

TEST(BandRules, SeasonalBandsNeedTheirSeasonInTheTerm) {
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:20", "17:20", Season::kWinter)};
  BandContext c = Ctx();
  ExpectRule(CheckBands(bands, c), "bands[0].season", "冬季作息须在学期内适用");
  c.term.winter_from = D("2025-11-01");
  EXPECT_TRUE(CheckBands(bands, c).ok());
  // Winter from the first day: summer never occurs in this term.
  c.term.winter_from = c.term.start;
  std::vector<Band> summer = {B(BandKind::kAfterSchool, "15:30", "17:30", Season::kSummer)};
  ExpectRule(CheckBands(summer, c), "bands[0].season", "夏季作息须在学期内适用");
}

TEST(BandRules, TooManyBands) {
  std::vector<Band> bands;
  for (size_t i = 0; i < kMaxBands; ++i) {
    int s = 6 * 60 + static_cast<int>(i) * 10;
    bands.push_back(Band{BandKind::kMorning, Season::kAll, "", s, s + 5});
  }
  EXPECT_TRUE(CheckBands(bands, Ctx()).ok());
  bands.push_back(Band{BandKind::kMorning, Season::kAll, "", 23 * 60, 23 * 60 + 5});
  EXPECT_EQ(CheckBands(bands, Ctx()).error().code, kInvalid);
}

TEST(Seasons, SeasonOnFollowsTheSwitchDates) {
  TermDates t = Autumn();
  EXPECT_EQ(SeasonOn(t, D("2025-10-01")), Season::kAll);
  EXPECT_TRUE(SeasonsInTerm(t).empty());
  t.winter_from = D("2025-11-01");
  EXPECT_EQ(SeasonOn(t, D("2025-10-31")), Season::kSummer);
  EXPECT_EQ(SeasonOn(t, D("2025-11-01")), Season::kWinter);
  EXPECT_EQ(SeasonsInTerm(t), (std::vector<Season>{Season::kWinter, Season::kSummer}));
  // Spring term: winter until summer_from.
  TermDates s;
  s.start = D("2026-02-23");
  s.end = D("2026-07-03");
  s.summer_from = D("2026-05-01");
  EXPECT_EQ(SeasonOn(s, D("2026-04-30")), Season::kWinter);
  EXPECT_EQ(SeasonOn(s, D("2026-05-01")), Season::kSummer);
  std::vector<Band> bands = {B(BandKind::kNoon, "12:00", "13:00"),
                             B(BandKind::kAfterSchool, "15:30", "17:30", Season::kSummer),
                             B(BandKind::kAfterSchool, "15:20", "17:20", Season::kWinter)};
  auto on = BandsOn(s, bands, D("2026-04-30"));
  ASSERT_EQ(on.size(), 2u);
  EXPECT_EQ(on[1].season, Season::kWinter);
  on = BandsOn(s, bands, D("2026-05-01"));
  ASSERT_EQ(on.size(), 2u);
  EXPECT_EQ(on[1].season, Season::kSummer);
}

// ---- "5+2" deviations ---------------------------------------------------------------------------

TEST(FivePlusTwo, TwoHoursIsNoDeviationOneMinuteLessIs) {
  EXPECT_EQ(kMinDailyServiceMinutes, 120);
  TermDates t = Autumn();
  std::vector<Band> bands = {B(BandKind::kMorning, "07:00", "08:00"), B(BandKind::kAfterSchool, "15:20", "17:20")};
  EXPECT_TRUE(Deviations(bands, t).empty());
  bands[1].end = T("17:19");
  auto d = Deviations(bands, t);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "short_service");
  EXPECT_EQ(d[0].minutes, 119);
  EXPECT_NE(d[0].message.find("5+2"), std::string::npos);
}

TEST(FivePlusTwo, AfterSchoolSessionsAddUp) {
  TermDates t = Autumn();
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "16:30"), B(BandKind::kAfterSchool, "16:40", "17:40")};
  EXPECT_TRUE(Deviations(bands, t).empty());
  bands[1].end = T("17:39");
  EXPECT_EQ(Deviations(bands, t).size(), 1u);
}

TEST(FivePlusTwo, ExcludedWeekdayIsADeviation) {
  TermDates t = Autumn();
  t.excluded_weekdays = {4};
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:20", "17:30")};
  auto d = Deviations(bands, t);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].code, "excluded_weekday");
  EXPECT_EQ(d[0].weekday, 4);
  EXPECT_NE(d[0].message.find("周四"), std::string::npos);
}

TEST(FivePlusTwo, EachSeasonCountsOnItsOwn) {
  TermDates t = Autumn();
  t.winter_from = D("2025-11-01");
  std::vector<Band> bands = {B(BandKind::kAfterSchool, "15:30", "17:30", Season::kSummer),
                             B(BandKind::kAfterSchool, "15:30", "17:20", Season::kWinter)};
  auto d = Deviations(bands, t);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].season, Season::kWinter);
  EXPECT_EQ(d[0].minutes, 110);
}

TEST(FivePlusTwo, NoAfterSchoolBandIsADeviation) {
  auto d = Deviations({}, Autumn());
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].minutes, 0);
}

// ---- terms -------------------------------------------------------------------------------------

TEST(TermRules, EndAfterStart) {
  TermDates t;
  t.start = D("2025-09-01");
  t.end = t.start;
  ExpectRule(CheckTerm(t), "end_date", "学期结束日期须晚于开始日期");
  t.end = D("2025-09-02");
  EXPECT_TRUE(CheckTerm(t).ok());
}

TEST(TermRules, AtMostAYear) {
  TermDates t;
  t.start = D("2025-09-01");
  t.end = AddDays(t.start, kMaxTermDays - 1);
  EXPECT_TRUE(CheckTerm(t).ok());
  t.end = AddDays(t.start, kMaxTermDays);
  ExpectRule(CheckTerm(t), "end_date", "学期不超过");
}

TEST(TermRules, SwitchDatesWithinTheTerm) {
  TermDates t = Autumn();
  t.winter_from = t.end;
  EXPECT_TRUE(CheckTerm(t).ok());
  t.winter_from = AddDays(t.end, 1);
  ExpectRule(CheckTerm(t), "winter_from", "冬季作息起始日期须在学期内");
  t.winter_from.reset();
  t.summer_from = t.start;
  EXPECT_TRUE(CheckTerm(t).ok());
  t.summer_from = AddDays(t.start, -1);
  ExpectRule(CheckTerm(t), "summer_from", "夏季作息起始日期须在学期内");
  t.summer_from = D("2025-10-01");
  t.winter_from = D("2025-10-01");
  EXPECT_FALSE(CheckTerm(t).ok());
}

TEST(TermRules, HolidaysWithinTheTerm) {
  TermDates t = Autumn();
  t.holidays = {{"元旦", D("2026-01-14"), t.end}};
  EXPECT_TRUE(CheckTerm(t).ok());
  t.holidays = {{"元旦", D("2026-01-14"), AddDays(t.end, 1)}};
  ExpectRule(CheckTerm(t), "holidays[0].end_date", "假期须在学期内");
  t.holidays = {{"开学前", AddDays(t.start, -1), t.start}};
  ExpectRule(CheckTerm(t), "holidays[0].start_date", "假期须在学期内");
  t.holidays = {{"反了", D("2025-10-08"), D("2025-10-07")}};
  ExpectRule(CheckTerm(t), "holidays[0].end_date", "假期结束日期不能早于开始日期");
}

TEST(TermRules, HolidaysDoNotOverlapAndAreSorted) {
  TermDates t = Autumn();
  t.holidays = {{"秋假", D("2025-11-09"), D("2025-11-10")},
                {"国庆", D("2025-10-01"), D("2025-10-08")},
                {"调休", D("2025-10-09"), D("2025-10-09")}};
  ASSERT_TRUE(CheckTerm(t).ok());
  EXPECT_EQ(t.holidays[0].name, "国庆");
  EXPECT_EQ(t.holidays[2].name, "秋假");
  t.holidays = {{"国庆", D("2025-10-01"), D("2025-10-08")}, {"调休", D("2025-10-08"), D("2025-10-09")}};
  ExpectRule(CheckTerm(t), "holidays[1].start_date", "假期不能重叠");
}

TEST(TermRules, ExcludedWeekdaysOnlyMondayToFriday) {
  TermDates t = Autumn();
  t.excluded_weekdays = {5, 1, 5};
  ASSERT_TRUE(CheckTerm(t).ok());
  EXPECT_EQ(t.excluded_weekdays, (std::vector<int>{1, 5}));
  t.excluded_weekdays = {6};
  ExpectRule(CheckTerm(t), "excluded_weekdays", "只能排除周一至周五");
  t.excluded_weekdays = {0};
  EXPECT_FALSE(CheckTerm(t).ok());
}

TEST(TermRules, WeekdayList) {
  EXPECT_EQ(ParseWeekdayList(""), std::vector<int>{});
  EXPECT_EQ(ParseWeekdayList("4"), std::vector<int>{4});
  EXPECT_EQ(ParseWeekdayList("4,1"), (std::vector<int>{1, 4}));
  EXPECT_FALSE(ParseWeekdayList("x"));
  EXPECT_EQ(FormatWeekdayList({1, 4}), "1,4");
}

TEST(TeachingWeeks, WholeWeeks) {
  TermDates t = Autumn();  // 2025-09-01 (Mon) .. 2026-01-16 (Fri)
  EXPECT_EQ(TeachingWeeks(t), 20);
  // A holiday Wednesday to Wednesday leaves school days in both weeks.
  t.holidays = {{"国庆", D("2025-10-01"), D("2025-10-08")}};
  EXPECT_EQ(TeachingWeeks(t), 20);
}

TEST(TeachingWeeks, AWeekWithOneSchoolDayCountsAWeekWithNoneDoesNot) {
  TermDates t = Autumn();
  t.holidays = {{"假", D("2025-10-06"), D("2025-10-09")}};  // Mon..Thu: Friday is a school day
  EXPECT_EQ(TeachingWeeks(t), 20);
  t.holidays = {{"假", D("2025-10-06"), D("2025-10-10")}};  // Mon..Fri
  EXPECT_EQ(TeachingWeeks(t), 19);
}

TEST(TeachingWeeks, WeekendEdgesDoNotCount) {
  TermDates t;
  t.start = D("2025-08-30");  // Saturday: its week has no school day in the term
  t.end = D("2025-09-13");    // Saturday
  EXPECT_EQ(TeachingWeeks(t), 2);
  t.start = D("2025-09-05");  // Friday counts
  EXPECT_EQ(TeachingWeeks(t), 2);
  t.end = D("2025-09-08");  // Monday counts
  EXPECT_EQ(TeachingWeeks(t), 2);
  EXPECT_TRUE(IsSchoolDay(t, D("2025-09-08")));
  EXPECT_FALSE(IsSchoolDay(t, D("2025-09-06")));
}

// ---- level, grades, names, fees ------------------------------------------------------------------

TEST(Levels, GradesFitTheLevel) {
  EXPECT_TRUE(CheckGradeFitsLevel(Level::kPrimary, 6).ok());
  ExpectRule(CheckGradeFitsLevel(Level::kPrimary, 7), "number", "小学只设1-6年级");
  EXPECT_TRUE(CheckGradeFitsLevel(Level::kJunior, 7).ok());
  EXPECT_FALSE(CheckGradeFitsLevel(Level::kJunior, 6).ok());
  EXPECT_TRUE(CheckGradeFitsLevel(Level::kJunior, 9).ok());
  EXPECT_FALSE(CheckGradeFitsLevel(Level::kJunior, 10).ok());
  EXPECT_TRUE(CheckGradeFitsLevel(Level::kNineYear, 1).ok());
  EXPECT_TRUE(CheckGradeFitsLevel(Level::kNineYear, 9).ok());
  EXPECT_FALSE(CheckGradeFitsLevel(Level::kNineYear, 0).ok());
  EXPECT_EQ(ParseLevel("nine_year"), Level::kNineYear);
  EXPECT_FALSE(ParseLevel("high"));
}

TEST(Fees, PrivateBoardingChargesNoFee) {
  EXPECT_TRUE(ChargesServiceFee(SchoolType::kPublic));
  EXPECT_TRUE(ChargesServiceFee(SchoolType::kPrivate));
  EXPECT_FALSE(ChargesServiceFee(SchoolType::kPrivateBoarding));
  EXPECT_FALSE(ChargesServiceFee("private_boarding"));
  EXPECT_TRUE(ChargesServiceFee("public"));
}

TEST(Names, ClassNames) {
  EXPECT_EQ(GradeName(1), "一年级");
  EXPECT_EQ(GradeName(9), "九年级");
  EXPECT_EQ(ClassName(3, 2), "三年级(2)班");
  EXPECT_EQ(ClassName(7, 12), "七年级(12)班");
  EXPECT_EQ(ChineseNumeral(10), "十");
  EXPECT_EQ(ChineseNumeral(21), "二十一");
  EXPECT_TRUE(CheckClassNumber(1).ok());
  EXPECT_TRUE(CheckClassNumber(kMaxClassNumber).ok());
  EXPECT_FALSE(CheckClassNumber(0).ok());
  EXPECT_FALSE(CheckClassNumber(kMaxClassNumber + 1).ok());
}

TEST(Names, CheckName) {
  auto r = CheckName("  三年级  ", "name", "名称");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value(), "三年级");
  EXPECT_EQ(CheckName("   ", "name", "名称").error().field, "name");
  std::string limit;
  for (size_t i = 0; i < kMaxNameLength; ++i) limit += "字";
  EXPECT_TRUE(CheckName(limit, "name", "名称").ok());
  EXPECT_FALSE(CheckName(limit + "字", "name", "名称").ok());
  EXPECT_FALSE(CheckName("\xff", "name", "名称").ok());
  EXPECT_TRUE(CheckName("", "address", "地址", kMaxTextLength, false).ok());
}

TEST(Rooms, KindsAndCapacity) {
  for (auto k : kRoomKinds) {
    EXPECT_TRUE(IsRoomKind(k));
    EXPECT_FALSE(RoomKindLabelZh(k).empty());
  }
  EXPECT_FALSE(IsRoomKind("pool"));
  EXPECT_TRUE(CheckRoomCapacity(1).ok());
  ExpectRule(CheckRoomCapacity(0), "capacity", "场地容量");
  EXPECT_TRUE(CheckRoomCapacity(kMaxRoomCapacity).ok());
  EXPECT_FALSE(CheckRoomCapacity(kMaxRoomCapacity + 1).ok());
}

}  // namespace
}  // namespace kehou::school
