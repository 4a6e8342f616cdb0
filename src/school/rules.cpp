#include "school/rules.h"

#include <algorithm>
#include <array>

#include "core/text.h"

namespace kehou::school {
namespace {

// A broken policy rule: the Chinese message opens with the rule's name.
Error Rule(std::string_view rule_zh, std::string_view detail_zh, std::string_view rule_en, std::string_view detail_en,
           std::string field) {
  std::string zh = "违反规则「" + std::string(rule_zh) + "」";
  if (!detail_zh.empty()) zh += "：" + std::string(detail_zh);
  std::string en = "Rule \"" + std::string(rule_en) + "\" broken";
  if (!detail_en.empty()) en += ": " + std::string(detail_en);
  return MakeError(kRuleBroken, std::move(zh), std::move(en), std::move(field));
}

std::string Hm(int minutes) { return FormatTimeOfDay(minutes); }

std::string BandLabel(const Band& b) {
  std::string s(BandKindLabelZh(b.kind));
  if (b.season != Season::kAll) s = std::string(SeasonLabelZh(b.season)) + s;
  if (!b.name.empty()) s += "「" + b.name + "」";
  return s;
}
std::string BandLabelEn(const Band& b) {
  std::string s(BandKindName(b.kind));
  if (b.season != Season::kAll) s = std::string(SeasonName(b.season)) + " " + s;
  s += " " + Hm(b.start) + "-" + Hm(b.end);
  return s;
}
std::string BandField(size_t i, std::string_view part) {
  return "bands[" + std::to_string(i) + "]." + std::string(part);
}

Season Other(Season s) { return s == Season::kWinter ? Season::kSummer : Season::kWinter; }

}  // namespace

// ---- level and type ----------------------------------------------------------------------------

std::optional<Level> ParseLevel(std::string_view s) {
  if (s == "primary") return Level::kPrimary;
  if (s == "junior") return Level::kJunior;
  if (s == "nine_year") return Level::kNineYear;
  return std::nullopt;
}
std::string_view LevelName(Level l) {
  switch (l) {
    case Level::kPrimary: return "primary";
    case Level::kJunior: return "junior";
    case Level::kNineYear: return "nine_year";
  }
  return "";
}
std::string_view LevelLabelZh(Level l) {
  switch (l) {
    case Level::kPrimary: return "小学";
    case Level::kJunior: return "初中";
    case Level::kNineYear: return "九年一贯制";
  }
  return "";
}
std::optional<SchoolType> ParseSchoolType(std::string_view s) {
  if (s == "public") return SchoolType::kPublic;
  if (s == "private") return SchoolType::kPrivate;
  if (s == "private_boarding") return SchoolType::kPrivateBoarding;
  return std::nullopt;
}
std::string_view SchoolTypeName(SchoolType t) {
  switch (t) {
    case SchoolType::kPublic: return "public";
    case SchoolType::kPrivate: return "private";
    case SchoolType::kPrivateBoarding: return "private_boarding";
  }
  return "";
}
std::string_view SchoolTypeLabelZh(SchoolType t) {
  switch (t) {
    case SchoolType::kPublic: return "公办";
    case SchoolType::kPrivate: return "民办";
    case SchoolType::kPrivateBoarding: return "民办寄宿制";
  }
  return "";
}

int FirstGrade(Level l) { return l == Level::kJunior ? 7 : 1; }
int LastGrade(Level l) { return l == Level::kPrimary ? 6 : 9; }
bool GradeFitsLevel(Level l, int n) { return n >= FirstGrade(l) && n <= LastGrade(l); }

Status CheckGradeFitsLevel(Level l, int n, std::string field) {
  if (GradeFitsLevel(l, n)) return Ok();
  std::string range = std::to_string(FirstGrade(l)) + "-" + std::to_string(LastGrade(l));
  return Rule(std::string(LevelLabelZh(l)) + "只设" + range + "年级", std::to_string(n) + "年级不属于本学段",
              std::string(LevelName(l)) + " schools have grades " + range,
              "grade " + std::to_string(n) + " does not fit", std::move(field));
}

bool MayHaveEvening(Level l) { return l != Level::kPrimary; }

bool ChargesServiceFee(SchoolType t) { return t != SchoolType::kPrivateBoarding; }
bool ChargesServiceFee(std::string_view type) {
  auto t = ParseSchoolType(type);
  return !t || ChargesServiceFee(*t);
}

// ---- names -------------------------------------------------------------------------------------

std::string ChineseNumeral(int n) {
  static constexpr std::array<const char*, 10> kDigits = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
  if (n < 0 || n > 99) return std::to_string(n);
  if (n < 10) return kDigits[static_cast<size_t>(n)];
  std::string s;
  if (n >= 20) s += kDigits[static_cast<size_t>(n / 10)];
  s += "十";
  if (n % 10) s += kDigits[static_cast<size_t>(n % 10)];
  return s;
}

std::string GradeName(int grade_number) { return ChineseNumeral(grade_number) + "年级"; }

std::string ClassName(int grade_number, int class_number) {
  return GradeName(grade_number) + "(" + std::to_string(class_number) + ")班";
}

Status CheckClassNumber(int class_number) {
  if (class_number >= 1 && class_number <= kMaxClassNumber) return Ok();
  return MakeError(kInvalid, "班号须为1-" + std::to_string(kMaxClassNumber) + "的整数",
                   "class number must be 1-" + std::to_string(kMaxClassNumber), "number");
}

Result<std::string> CheckName(std::string_view s, std::string_view field, std::string_view label_zh, size_t max,
                              bool required) {
  if (!ValidUtf8(s))
    return MakeError(kInvalid, std::string(label_zh) + "含有无效字符", std::string(field) + " is not valid UTF-8",
                     std::string(field));
  std::string t = Trim(s);
  if (required && t.empty())
    return MakeError(kInvalid, "请填写" + std::string(label_zh), std::string(field) + " is required",
                     std::string(field));
  if (Utf8Length(t) > max)
    return MakeError(kInvalid, std::string(label_zh) + "不能超过" + std::to_string(max) + "个字",
                     std::string(field) + " is longer than " + std::to_string(max) + " characters", std::string(field));
  return t;
}

// ---- terms -------------------------------------------------------------------------------------

std::optional<std::vector<int>> ParseWeekdayList(std::string_view s) {
  std::vector<int> out;
  if (Trim(s).empty()) return out;
  for (const auto& part : Split(s, ',')) {
    auto v = ParseInt(Trim(part));
    if (!v || *v < 1 || *v > 7) return std::nullopt;
    out.push_back(static_cast<int>(*v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string FormatWeekdayList(const std::vector<int>& days) {
  std::vector<std::string> parts;
  for (int d : days) parts.push_back(std::to_string(d));
  return Join(parts, ",");
}

std::string_view WeekdayZh(int d) {
  static constexpr std::array<const char*, 8> kNames = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};
  return d >= 1 && d <= 7 ? kNames[static_cast<size_t>(d)] : "";
}

Status CheckTerm(TermDates& t) {
  if (!(t.end > t.start))
    return Rule("学期结束日期须晚于开始日期", FormatDate(t.end) + " 不晚于 " + FormatDate(t.start),
                "term ends after it starts", "", "end_date");
  if (DaysFromCivil(t.end) - DaysFromCivil(t.start) + 1 > kMaxTermDays)
    return Rule("学期不超过" + std::to_string(kMaxTermDays) + "天", "",
                "a term lasts at most " + std::to_string(kMaxTermDays) + " days", "", "end_date");
  auto within = [&](const Date& d) { return d >= t.start && d <= t.end; };
  if (t.winter_from && !within(*t.winter_from))
    return Rule("冬季作息起始日期须在学期内", FormatDate(*t.winter_from) + " 不在学期内",
                "winter_from lies within the term", "", "winter_from");
  if (t.summer_from && !within(*t.summer_from))
    return Rule("夏季作息起始日期须在学期内", FormatDate(*t.summer_from) + " 不在学期内",
                "summer_from lies within the term", "", "summer_from");
  if (t.winter_from && t.summer_from && *t.winter_from == *t.summer_from)
    return Rule("冬季与夏季作息不能同一天开始", "", "winter_from and summer_from differ", "", "summer_from");

  std::vector<int> days;
  for (int d : t.excluded_weekdays) {
    if (d < 1 || d > kServiceWeekdays)
      return Rule("只能排除周一至周五", std::to_string(d) + "不在1-5之间", "only weekdays 1..5 can be excluded", "",
                  "excluded_weekdays");
    days.push_back(d);
  }
  std::sort(days.begin(), days.end());
  days.erase(std::unique(days.begin(), days.end()), days.end());

  if (t.holidays.size() > kMaxHolidays)
    return MakeError(kInvalid, "假期不能超过" + std::to_string(kMaxHolidays) + "个",
                     "at most " + std::to_string(kMaxHolidays) + " holidays", "holidays");
  std::vector<size_t> order(t.holidays.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  for (size_t i = 0; i < t.holidays.size(); ++i) {
    const Holiday& h = t.holidays[i];
    std::string f = "holidays[" + std::to_string(i) + "]";
    if (h.end < h.start)
      return Rule("假期结束日期不能早于开始日期", h.name, "a holiday ends on or after its start", h.name,
                  f + ".end_date");
    if (h.start < t.start || h.end > t.end)
      return Rule("假期须在学期内", h.name + " " + FormatDate(h.start) + "至" + FormatDate(h.end) + " 超出学期",
                  "holidays lie within the term", h.name, f + (h.start < t.start ? ".start_date" : ".end_date"));
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return t.holidays[a].start < t.holidays[b].start; });
  for (size_t k = 1; k < order.size(); ++k) {
    const Holiday& prev = t.holidays[order[k - 1]];
    const Holiday& cur = t.holidays[order[k]];
    if (cur.start <= prev.end)
      return Rule("假期不能重叠", prev.name + "与" + cur.name + "重叠", "holidays do not overlap",
                  prev.name + " and " + cur.name, "holidays[" + std::to_string(order[k]) + "].start_date");
  }
  std::vector<Holiday> sorted;
  for (size_t i : order) sorted.push_back(t.holidays[i]);
  t.holidays = std::move(sorted);
  t.excluded_weekdays = std::move(days);
  return Ok();
}

bool IsHoliday(const TermDates& t, const Date& d) {
  for (const auto& h : t.holidays)
    if (d >= h.start && d <= h.end) return true;
  return false;
}

bool IsSchoolDay(const TermDates& t, const Date& d) {
  return d >= t.start && d <= t.end && IsoWeekday(d) <= 5 && !IsHoliday(t, d);
}

int TeachingWeeks(const TermDates& t) {
  if (t.end < t.start) return 0;
  int weeks = 0;
  // Walk week by week from the Monday of the start's week.
  Date monday = AddDays(t.start, -(IsoWeekday(t.start) - 1));
  for (; monday <= t.end; monday = AddDays(monday, 7)) {
    for (int i = 0; i < 5; ++i) {
      if (IsSchoolDay(t, AddDays(monday, i))) {
        ++weeks;
        break;
      }
    }
  }
  return weeks;
}

// ---- bands -------------------------------------------------------------------------------------

std::optional<BandKind> ParseBandKind(std::string_view s) {
  if (s == "morning") return BandKind::kMorning;
  if (s == "noon") return BandKind::kNoon;
  if (s == "after_school") return BandKind::kAfterSchool;
  if (s == "evening") return BandKind::kEvening;
  return std::nullopt;
}
std::string_view BandKindName(BandKind k) {
  switch (k) {
    case BandKind::kMorning: return "morning";
    case BandKind::kNoon: return "noon";
    case BandKind::kAfterSchool: return "after_school";
    case BandKind::kEvening: return "evening";
  }
  return "";
}
std::string_view BandKindLabelZh(BandKind k) {
  switch (k) {
    case BandKind::kMorning: return "早间看护";
    case BandKind::kNoon: return "午间看护";
    case BandKind::kAfterSchool: return "课后服务";
    case BandKind::kEvening: return "晚自习";
  }
  return "";
}
std::optional<Season> ParseSeason(std::string_view s) {
  if (s == "all" || s.empty()) return Season::kAll;
  if (s == "winter") return Season::kWinter;
  if (s == "summer") return Season::kSummer;
  return std::nullopt;
}
std::string_view SeasonName(Season s) {
  switch (s) {
    case Season::kAll: return "all";
    case Season::kWinter: return "winter";
    case Season::kSummer: return "summer";
  }
  return "";
}
std::string_view SeasonLabelZh(Season s) {
  switch (s) {
    case Season::kAll: return "全年";
    case Season::kWinter: return "冬季";
    case Season::kSummer: return "夏季";
  }
  return "";
}

Season SeasonOn(const TermDates& t, const Date& d) {
  struct Switch {
    Date from;
    Season season;
  };
  std::vector<Switch> sw;
  if (t.winter_from) sw.push_back({*t.winter_from, Season::kWinter});
  if (t.summer_from) sw.push_back({*t.summer_from, Season::kSummer});
  if (sw.empty()) return Season::kAll;
  std::sort(sw.begin(), sw.end(), [](const Switch& a, const Switch& b) { return a.from < b.from; });
  Season s = Other(sw.front().season);
  for (const auto& x : sw)
    if (x.from <= d) s = x.season;
  return s;
}

std::vector<Season> SeasonsInTerm(const TermDates& t) {
  std::vector<Season> out;
  auto add = [&](Season s) {
    if (s != Season::kAll && std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  };
  add(SeasonOn(t, t.start));
  if (t.winter_from) add(SeasonOn(t, *t.winter_from));
  if (t.summer_from) add(SeasonOn(t, *t.summer_from));
  std::sort(out.begin(), out.end());
  return out;
}

std::vector<Band> BandsOn(const TermDates& t, const std::vector<Band>& bands, const Date& d) {
  Season s = SeasonOn(t, d);
  std::vector<Band> out;
  for (const auto& b : bands)
    if (b.season == Season::kAll || b.season == s) out.push_back(b);
  std::stable_sort(out.begin(), out.end(), [](const Band& a, const Band& b) { return a.start < b.start; });
  return out;
}

int EarliestAfterSchoolEnd(int office_close) { return office_close + kOfficeCloseMarginMinutes; }

namespace {

// The applicable sets: indexes of bands that apply together on some day.
struct BandSet {
  Season season;
  std::vector<size_t> idx;
};
std::vector<BandSet> ApplicableSets(const std::vector<Band>& bands, const TermDates& t) {
  bool seasonal = std::any_of(bands.begin(), bands.end(), [](const Band& b) { return b.season != Season::kAll; });
  std::vector<Season> seasons;
  if (seasonal) {
    seasons = SeasonsInTerm(t);
  }
  if (seasons.empty()) seasons.push_back(Season::kAll);
  std::vector<BandSet> sets;
  for (Season s : seasons) {
    BandSet set{s, {}};
    for (size_t i = 0; i < bands.size(); ++i)
      if (bands[i].season == Season::kAll || bands[i].season == s) set.idx.push_back(i);
    std::stable_sort(set.idx.begin(), set.idx.end(),
                     [&](size_t a, size_t b) { return bands[a].start < bands[b].start; });
    sets.push_back(std::move(set));
  }
  return sets;
}

}  // namespace

Status CheckBands(const std::vector<Band>& bands, const BandContext& ctx) {
  if (bands.size() > kMaxBands)
    return MakeError(kInvalid, "服务时段不能超过" + std::to_string(kMaxBands) + "个",
                     "at most " + std::to_string(kMaxBands) + " bands", "bands");
  for (size_t i = 0; i < bands.size(); ++i) {
    const Band& b = bands[i];
    if (b.start < 0 || b.end > 24 * 60 || b.start >= b.end)
      return Rule("时段开始时间须早于结束时间", BandLabel(b) + " " + Hm(b.start) + "-" + Hm(b.end),
                  "a band starts before it ends", BandLabelEn(b), BandField(i, "end_time"));
    if (b.kind == BandKind::kEvening) {
      if (!MayHaveEvening(ctx.level))
        return Rule("晚自习仅限初中和九年一贯制学校", "小学不得安排晚自习",
                    "evening self-study only in junior middle and nine-year schools", "primary schools may not have it",
                    BandField(i, "kind"));
      if (b.end > kEveningLatestEnd)
        return Rule("晚自习结束时间不晚于" + Hm(kEveningLatestEnd), BandLabel(b) + "结束于" + Hm(b.end),
                    "evening self-study ends no later than " + Hm(kEveningLatestEnd), BandLabelEn(b),
                    BandField(i, "end_time"));
    }
    if (b.season != Season::kAll) {
      auto seasons = SeasonsInTerm(ctx.term);
      if (std::find(seasons.begin(), seasons.end(), b.season) == seasons.end()) {
        bool winter = b.season == Season::kWinter;
        std::string_view label = SeasonLabelZh(b.season);
        return Rule(std::string(label) + "作息须在学期内适用",
                    std::string("请先为学期设置") + (winter ? "冬季" : "夏季") + "作息起始日期，或该季节不在本学期内",
                    std::string(SeasonName(b.season)) + " bands need the term's switch date", BandLabelEn(b),
                    BandField(i, "season"));
      }
    }
  }
  for (const auto& set : ApplicableSets(bands, ctx.term)) {
    for (size_t k = 1; k < set.idx.size(); ++k) {
      const Band& prev = bands[set.idx[k - 1]];
      const Band& cur = bands[set.idx[k]];
      if (cur.start < prev.end)
        return Rule("同一作息的时段不能重叠", BandLabel(prev) + "与" + BandLabel(cur) + "重叠",
                    "bands of one schedule do not overlap", BandLabelEn(prev) + " and " + BandLabelEn(cur),
                    BandField(set.idx[k], "start_time"));
    }
    std::optional<size_t> last;
    for (size_t i : set.idx)
      if (bands[i].kind == BandKind::kAfterSchool && (!last || bands[i].end > bands[*last].end)) last = i;
    if (last && bands[*last].end < EarliestAfterSchoolEnd(ctx.office_close)) {
      const Band& b = bands[*last];
      return Rule("课后服务结束时间不早于当地下班时间后" + std::to_string(kOfficeCloseMarginMinutes) + "分钟",
                  BandLabel(b) + "结束于" + Hm(b.end) + "，当地下班时间" + Hm(ctx.office_close) + "，应不早于" +
                      Hm(EarliestAfterSchoolEnd(ctx.office_close)),
                  "after-school service ends at least " + std::to_string(kOfficeCloseMarginMinutes) +
                      " minutes after office closing",
                  BandLabelEn(b) + ", office closes " + Hm(ctx.office_close), BandField(*last, "end_time"));
    }
  }
  return Ok();
}

std::vector<Deviation> Deviations(const std::vector<Band>& bands, const TermDates& t) {
  std::vector<Deviation> out;
  for (int d : t.excluded_weekdays) {
    Deviation dv;
    dv.code = "excluded_weekday";
    dv.weekday = d;
    dv.message = std::string(WeekdayZh(d)) + "不提供课后服务，偏离“5+2”模式（每周" + std::to_string(kServiceWeekdays) +
                 "天都提供服务）";
    dv.message_en = "no service on weekday " + std::to_string(d) + ": deviates from the \"5+2\" model";
    out.push_back(std::move(dv));
  }
  for (const auto& set : ApplicableSets(bands, t)) {
    int minutes = 0;
    for (size_t i : set.idx)
      if (bands[i].kind == BandKind::kAfterSchool) minutes += bands[i].end - bands[i].start;
    if (minutes < kMinDailyServiceMinutes) {
      Deviation dv;
      dv.code = "short_service";
      dv.season = set.season;
      dv.minutes = minutes;
      std::string when = set.season == Season::kAll ? "" : std::string(SeasonLabelZh(set.season)) + "作息";
      dv.message = when + "每天课后服务" + std::to_string(minutes) + "分钟，少于“5+2”模式的" +
                   std::to_string(kMinDailyServiceMinutes / 60) + "小时";
      dv.message_en =
          std::string(set.season == Season::kAll ? "" : std::string(SeasonName(set.season)) + " schedule: ") +
          std::to_string(minutes) + " minutes of after-school service a day, less than the \"5+2\" " +
          std::to_string(kMinDailyServiceMinutes) + " minutes";
      out.push_back(std::move(dv));
    }
  }
  return out;
}

// ---- rooms -------------------------------------------------------------------------------------

bool IsRoomKind(std::string_view s) {
  return std::find(std::begin(kRoomKinds), std::end(kRoomKinds), s) != std::end(kRoomKinds);
}

std::string_view RoomKindLabelZh(std::string_view k) {
  if (k == "classroom") return "教室";
  if (k == "sports_ground") return "运动场";
  if (k == "gym") return "体育馆";
  if (k == "function_room") return "功能室";
  if (k == "library") return "图书馆";
  if (k == "lab") return "实验室";
  return "";
}

Status CheckRoomCapacity(int64_t capacity) {
  if (capacity >= 1 && capacity <= kMaxRoomCapacity) return Ok();
  return Rule("场地容量须为1-" + std::to_string(kMaxRoomCapacity) + "人", "当前为" + std::to_string(capacity),
              "room capacity is 1-" + std::to_string(kMaxRoomCapacity), std::to_string(capacity), "capacity");
}

}  // namespace kehou::school
