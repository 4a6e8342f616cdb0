// rules.h: the pure decisions of school setup (R-SET): school level and type, terms and
// holidays, teaching weeks, service-hour bands, the city's "5+2" model, class names.
// Every policy number is a named constant below, each tested at its limit in rules_test.cpp.
// A broken policy rule answers Error{kRuleBroken} whose message names the rule in Chinese and
// whose field names the input at fault ("bands[2].end_time").
// Thread-safety: pure functions on values; no I/O.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::school {

// ---- policy numbers (R-SET-2, 001 五(二)6, 002 四(二)) --------------------------------------
inline constexpr int kEveningLatestEnd = 20 * 60 + 30;  // evening self-study ends by 20:30
inline constexpr int kOfficeCloseMarginMinutes = 20;    // after-school end >= office close + 20
inline constexpr int kMinDailyServiceMinutes = 120;     // "5+2": usually >= 2 hours a day
inline constexpr int kServiceWeekdays = 5;              // "5+2": service on all 5 school days
// ---- sanity limits on input ------------------------------------------------------------------
inline constexpr int64_t kMaxTermDays = 366;    // a term lasts at most a year
inline constexpr size_t kMaxHolidays = 60;      // per term
inline constexpr size_t kMaxBands = 30;         // per term
inline constexpr int kMaxClassNumber = 99;      // 1..99 classes per grade
inline constexpr int kMaxRoomCapacity = 10000;  // rooms 1..10000 people
inline constexpr size_t kMaxNameLength = 60;    // code points, names of schools, terms, rooms...
inline constexpr size_t kMaxTextLength = 1000;  // address, equipment

// ---- school level and type ---------------------------------------------------------------------
enum class Level { kPrimary, kJunior, kNineYear };  // 小学 1-6, 初中 7-9, 九年一贯制 1-9
enum class SchoolType { kPublic, kPrivate, kPrivateBoarding };

std::optional<Level> ParseLevel(std::string_view s);  // "primary" | "junior" | "nine_year"
std::string_view LevelName(Level l);
std::string_view LevelLabelZh(Level l);                         // 小学, 初中, 九年一贯制
std::optional<SchoolType> ParseSchoolType(std::string_view s);  // "public" | "private" | "private_boarding"
std::string_view SchoolTypeName(SchoolType t);
std::string_view SchoolTypeLabelZh(SchoolType t);  // 公办, 民办, 民办寄宿制

int FirstGrade(Level l);  // 1, 7, 1
int LastGrade(Level l);   // 6, 9, 9
bool GradeFitsLevel(Level l, int grade_number);
// Error naming the rule when grade_number does not fit the level; field as given.
Status CheckGradeFitsLevel(Level l, int grade_number, std::string field = "number");
// Evening self-study is for junior middle school: junior and nine-year schools, not primary.
bool MayHaveEvening(Level l);

// A private boarding school charges no after-school service fee (001 五(四)1).
bool ChargesServiceFee(SchoolType t);
bool ChargesServiceFee(std::string_view type);  // by the stored name; unknown names charge

// ---- names ---------------------------------------------------------------------------------------
std::string ChineseNumeral(int n);                          // 1..99 -> 一 .. 九十九
std::string GradeName(int grade_number);                    // 3 -> 三年级
std::string ClassName(int grade_number, int class_number);  // (3, 2) -> 三年级(2)班
Status CheckClassNumber(int class_number);                  // 1..kMaxClassNumber
// Non-empty after trimming, at most max code points, valid UTF-8. Returns the trimmed text.
Result<std::string> CheckName(std::string_view s, std::string_view field, std::string_view label_zh,
                              size_t max = kMaxNameLength, bool required = true);

// ---- terms -------------------------------------------------------------------------------------
struct Holiday {
  std::string name;
  Date start, end;  // inclusive; a one-day holiday has start == end
};

struct TermDates {
  Date start, end;  // inclusive
  std::optional<Date> winter_from;
  std::optional<Date> summer_from;
  std::vector<int> excluded_weekdays;  // ISO 1..5, sorted, unique
  std::vector<Holiday> holidays;
};

// Term dates valid: end after start, at most kMaxTermDays; winter_from/summer_from within the
// term and not the same day; holidays start <= end, within the term, not overlapping each other
// (holidays are sorted by start on success); excluded weekdays only 1..5 (sorted, de-duplicated
// on success).
Status CheckTerm(TermDates& t);
// Parses "4" / "1,4" / "" (the stored form) into weekdays; nullopt if malformed.
std::optional<std::vector<int>> ParseWeekdayList(std::string_view s);
std::string FormatWeekdayList(const std::vector<int>& days);
std::string_view WeekdayZh(int iso_weekday);  // 1 -> 周一

bool IsHoliday(const TermDates& t, const Date& d);
// A school day: Monday..Friday within the term and not in a holiday.
bool IsSchoolDay(const TermDates& t, const Date& d);
// Teaching weeks: the Monday-to-Sunday weeks from start to end containing at least one school
// day (Monday-Friday, not a holiday).
int TeachingWeeks(const TermDates& t);

// ---- service-hour bands --------------------------------------------------------------------------
enum class BandKind { kMorning, kNoon, kAfterSchool, kEvening };
enum class Season { kAll, kWinter, kSummer };
std::optional<BandKind> ParseBandKind(std::string_view s);  // morning|noon|after_school|evening
std::string_view BandKindName(BandKind k);
std::string_view BandKindLabelZh(BandKind k);           // 早间看护, 午间看护, 课后服务, 晚自习
std::optional<Season> ParseSeason(std::string_view s);  // all|winter|summer
std::string_view SeasonName(Season s);
std::string_view SeasonLabelZh(Season s);  // 全年, 冬季, 夏季

struct Band {
  BandKind kind = BandKind::kAfterSchool;
  Season season = Season::kAll;
  std::string name;
  int start = 0, end = 0;  // minutes after midnight
};

// The season on a date of the term: the last switch date (winter_from / summer_from) on or
// before it decides; before the first switch the other season holds. kAll when the term has no
// switch dates.
Season SeasonOn(const TermDates& t, const Date& d);
// The seasons that occur in the term (empty when it has no switch dates).
std::vector<Season> SeasonsInTerm(const TermDates& t);
// The bands that apply on a date: the season 'all' bands plus those of SeasonOn(d), by start.
std::vector<Band> BandsOn(const TermDates& t, const std::vector<Band>& bands, const Date& d);

struct BandContext {
  Level level = Level::kNineYear;
  int office_close = 17 * 60;  // areas.office_close_time, minutes
  TermDates term;
};

// All the band rules, on the whole set (bands as given, indexed for the field names):
// start < end; evening only for junior/nine-year schools and ending by 20:30; winter/summer
// bands only when their season occurs in the term (switch dates set); bands of one applicable
// set (season 'all' plus one season) do not overlap; the last after-school band of each set ends
// at least kOfficeCloseMarginMinutes after office closing.
Status CheckBands(const std::vector<Band>& bands, const BandContext& ctx);
// Earliest allowed after-school end for an office closing time.
int EarliestAfterSchoolEnd(int office_close);

// A deviation from the city's "5+2" model, shown on the compliance board (not an error).
struct Deviation {
  std::string code;     // "excluded_weekday" | "short_service"
  std::string message;  // zh-CN
  std::string message_en;
  int weekday = 0;               // excluded_weekday: ISO weekday
  Season season = Season::kAll;  // short_service: the applicable set
  int minutes = 0;               // short_service: after-school minutes a day
};
// Excluded weekdays, and applicable sets whose after-school bands give less than
// kMinDailyServiceMinutes a day.
std::vector<Deviation> Deviations(const std::vector<Band>& bands, const TermDates& t);

// ---- rooms -----------------------------------------------------------------------------------------
inline constexpr std::string_view kRoomKinds[] = {"classroom",     "sports_ground", "gym",
                                                  "function_room", "library",       "lab"};
bool IsRoomKind(std::string_view s);
std::string_view RoomKindLabelZh(std::string_view kind);  // 教室, 运动场, 体育馆, 功能室, 图书馆, 实验室
Status CheckRoomCapacity(int64_t capacity);               // 1..kMaxRoomCapacity

}  // namespace kehou::school
