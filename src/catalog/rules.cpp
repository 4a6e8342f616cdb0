#include "catalog/rules.h"

#include <algorithm>

#include "core/text.h"

namespace kehou::catalog {
namespace {

struct Named {
  const char* key;
  const char* zh;
};
constexpr Named kCategories[] = {{"science", "科技"}, {"sports", "体育"},   {"arts", "艺术"},
                                 {"labour", "劳动"},   {"reading", "阅读"}, {"film", "影视"},
                                 {"interest", "兴趣小组"}, {"club", "社团"}};
constexpr Named kBands[] = {{"morning", "早间"}, {"noon", "午间"}, {"after_school", "课后"}, {"evening", "晚自习"}};
constexpr const char* kVenues[] = {"classroom", "sports_ground", "gym", "function_room", "library", "lab"};
constexpr const char* kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

Error Invalid(std::string zh, std::string en, std::string field) {
  return MakeError(kInvalid, std::move(zh), std::move(en), std::move(field));
}
Error Rule(std::string zh, std::string en, std::string field) {
  return MakeError(kRuleBroken, std::move(zh), std::move(en), std::move(field));
}

}  // namespace

const std::vector<std::string>& Categories() {
  static const std::vector<std::string> v = [] {
    std::vector<std::string> out;
    for (auto& c : kCategories) out.emplace_back(c.key);
    return out;
  }();
  return v;
}

std::string_view CategoryLabelZh(std::string_view category) {
  for (auto& c : kCategories)
    if (category == c.key) return c.zh;
  return "";
}
bool IsCategory(std::string_view s) { return !CategoryLabelZh(s).empty(); }
bool IsVenueKind(std::string_view s) {
  return std::any_of(std::begin(kVenues), std::end(kVenues), [&](const char* v) { return s == v; });
}
std::string_view BandLabelZh(std::string_view band) {
  for (auto& b : kBands)
    if (band == b.key) return b.zh;
  return "";
}
bool IsBand(std::string_view s) { return !BandLabelZh(s).empty(); }

Result<std::vector<Slot>> ParseSlots(std::string_view text) {
  std::vector<Slot> out;
  for (auto& part : Split(text, ',')) {
    std::string p = Trim(part);
    if (p.empty()) continue;
    auto colon = p.find(':');
    auto wd = colon == std::string::npos ? std::nullopt : ParseInt(p.substr(0, colon));
    std::string band = colon == std::string::npos ? "" : p.substr(colon + 1);
    if (!wd || *wd < 1 || *wd > 5 || !IsBand(band))
      return Invalid("上课时段格式有误：" + p + "（应为 星期几(1-5):时段，如 2:after_school）",
                     "bad slot " + p + " (weekday 1-5 ':' band)", "slots");
    Slot s{static_cast<int>(*wd), band};
    if (std::find(out.begin(), out.end(), s) != out.end())
      return Invalid("上课时段重复：" + DescribeSlotZh(s), "duplicate slot", "slots");
    out.push_back(std::move(s));
  }
  return out;
}

std::string FormatSlots(const std::vector<Slot>& slots) {
  std::vector<std::string> parts;
  for (auto& s : slots) parts.push_back(std::to_string(s.weekday) + ":" + s.band);
  return Join(parts, ",");
}

std::string DescribeSlotZh(const Slot& s) {
  std::string wd = s.weekday >= 1 && s.weekday <= 7 ? kWeekdayZh[s.weekday] : "?";
  return wd + std::string(BandLabelZh(s.band));
}

std::optional<Slot> FirstClash(const std::vector<Slot>& a, const std::vector<Slot>& b) {
  for (auto& x : a)
    for (auto& y : b)
      if (x == y) return x;
  return std::nullopt;
}
bool SlotsClash(const std::vector<Slot>& a, const std::vector<Slot>& b) { return FirstClash(a, b).has_value(); }

Result<std::vector<int>> ParseGrades(std::string_view text, std::string_view field) {
  std::vector<int> out;
  for (auto& part : Split(text, ',')) {
    std::string p = Trim(part);
    if (p.empty()) continue;
    auto n = ParseInt(p);
    if (!n || *n < 1 || *n > 9)
      return Invalid("年级应为 1-9 的数字：" + p, "grades are numbers 1-9", std::string(field));
    out.push_back(static_cast<int>(*n));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

std::string FormatGrades(const std::vector<int>& grades) {
  std::vector<std::string> parts;
  for (int g : grades) parts.push_back(std::to_string(g));
  return Join(parts, ",");
}

bool GradeIn(int grade, const std::vector<int>& grades) {
  return std::find(grades.begin(), grades.end(), grade) != grades.end();
}

Status ValidateCourse(const CourseInput& c) {
  if (Trim(c.name).empty()) return Invalid("请填写课程名称", "name is required", "name");
  if (Utf8Length(c.name) > kMaxNameLength)
    return Invalid("课程名称过长（最多 " + std::to_string(kMaxNameLength) + " 字）", "name too long", "name");
  if (!IsCategory(c.category))
    return Invalid("课程类别无效（科技/体育/艺术/劳动/阅读/影视/兴趣小组/社团）", "unknown category", "category");
  if (c.grades.empty()) return Invalid("请选择适用年级", "choose the eligible grades", "grades");
  if (c.capacity <= 0) return Invalid("课程容量应为正整数", "capacity must be positive", "capacity");
  if (!IsVenueKind(c.venue_kind)) return Invalid("场地类型无效", "unknown venue kind", "venue_kind");
  if (!c.teacher_staff_id && Trim(c.institution).empty())
    return Invalid("请指定授课教师或机构", "a teacher or an institution is required", "teacher_staff_id");
  if (c.sessions_per_week < 1 || c.sessions_per_week > kMaxSessionsPerWeek)
    return Invalid("每周课次应为 1-" + std::to_string(kMaxSessionsPerWeek), "sessions per week 1-10",
                   "sessions_per_week");
  if (c.slots.empty()) return Invalid("请填写上课时段", "meeting slots are required", "slots");
  if (static_cast<int64_t>(c.slots.size()) != c.sessions_per_week)
    return Invalid("上课时段数应等于每周课次（" + std::to_string(c.sessions_per_week) + "）",
                   "one slot per weekly session", "slots");
  if (c.fee_fen < 0) return Invalid("学期费用不能为负", "fee must not be negative", "fee_fen");
  if (c.subject_qa && c.new_lessons)
    return Rule("学科类课程只能开展答疑辅导，不得讲授新课（减负政策）",
                "subject-type courses are Q&A only and may not teach new lessons", "subject_qa");
  return Ok();
}

Status CheckSectionCapacity(int64_t capacity, std::string_view field) {
  if (capacity < 1) return Invalid("教学班人数上限应为正整数", "capacity must be positive", std::string(field));
  if (capacity > kMaxSectionSize)
    return Rule("每个教学班不超过 " + std::to_string(kMaxSectionSize) + " 人",
                "a section holds at most " + std::to_string(kMaxSectionSize) + " children", std::string(field));
  return Ok();
}

Status CheckCapacityCovers(int64_t capacity, int64_t taken) {
  if (capacity < taken)
    return Rule("人数上限不能低于已选人数（" + std::to_string(taken) + " 人）",
                "capacity below the seats already taken", "capacity");
  return Ok();
}

Status CheckRoom(int64_t taken, int64_t capacity, int64_t n) {
  if (taken + n > kMaxSectionSize)
    return Rule("每个教学班不超过 " + std::to_string(kMaxSectionSize) + " 人，该班已满",
                "a section holds at most " + std::to_string(kMaxSectionSize) + " children", "section_id");
  if (taken + n > capacity) return Rule("该教学班已满", "the section is full", "section_id");
  return Ok();
}

}  // namespace kehou::catalog
