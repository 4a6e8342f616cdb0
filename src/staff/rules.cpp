#include "staff/rules.h"

#include <algorithm>
#include <iterator>

#include "core/text.h"

namespace kehou::staff {
namespace {

struct Named {
  const char* key;
  const char* zh;
};
constexpr Named kKinds[] = {{"in_school", "在职教师"},
                            {"retired", "退休教师"},
                            {"institution", "机构人员"},
                            {"volunteer", "志愿者"},
                            {"parent_volunteer", "家长志愿者"}};
constexpr const char* kBandKinds[] = {"morning", "noon", "after_school", "evening"};
// The catalog's categories (catalog/rules.h Categories()), all non-subject: subject courses are
// the catalog's subject_qa courses, never an institution's. catalog's rules_test keeps the two
// lists equal.
constexpr const char* kNonSubject[] = {"science", "sports", "arts", "labour", "reading", "film", "interest", "club"};
constexpr const char* kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

Error Broken(std::string zh, std::string en) {
  return Error::RuleBroken(std::move(zh), std::move(en), "teacher_staff_id");
}

}  // namespace

bool IsStaffKind(std::string_view kind) { return !StaffKindLabelZh(kind).empty(); }
std::string_view StaffKindLabelZh(std::string_view kind) {
  for (auto& k : kKinds)
    if (kind == k.key) return k.zh;
  return "";
}
bool IsBandKind(std::string_view band) {
  return std::any_of(std::begin(kBandKinds), std::end(kBandKinds), [&](const char* b) { return band == b; });
}
std::string WeekdayZh(int weekday) { return weekday >= 1 && weekday <= 7 ? kWeekdayZh[weekday] : "?"; }

Status CanServe(const StaffRecord& r, const TermSpan& term, Date on) {
  const std::string who = r.name.empty() ? "该人员" : r.name;
  if (!r.active) return Broken(who + "已停用，不能安排授课", who + " is inactive");
  if (r.institution_exited)
    return Broken(who + "所属机构（" + r.institution + "）已退出，其人员不能安排授课",
                  "the institution of " + who + " has exited");
  if (r.institution_uncontracted)
    return Broken(who + "所属机构（" + r.institution + "）与本校没有有效的合作合同，不能安排授课",
                  "the institution of " + who + " has no contract with the school");
  if (!r.check)
    return Broken(who + "没有违法犯罪信息查询记录，不能安排授课（人员档案：背景审查）",
                  who + " has no background check on record");
  if (!r.check->passed)
    return Broken(who + "的违法犯罪信息查询结果未通过，不能安排授课",
                  "the background check of " + who + " did not pass");
  if (r.check->valid_until < on)
    return Broken(who + "的违法犯罪信息查询已于 " + FormatDate(r.check->valid_until) + " 过期，请重新查询",
                  "the background check of " + who + " expired on " + FormatDate(r.check->valid_until));
  const Date from = std::max(on, term.start);
  if (!r.contract || r.contract->start > from || r.contract->end < term.end)
    return Broken(who + "没有覆盖本学期（至 " + FormatDate(term.end) + "）的聘用协议，不能安排授课",
                  who + " has no contract covering the term");
  return Ok();
}

Status CheckTeachingDays(std::string_view teacher, const std::set<int>& days, const std::vector<int>& adding,
                         int max_days) {
  std::set<int> all = days;
  all.insert(adding.begin(), adding.end());
  if (static_cast<int>(all.size()) <= max_days) return Ok();
  std::string list;
  for (int d : all) list += (list.empty() ? "" : "、") + WeekdayZh(d);
  return Error::RuleBroken(std::string(teacher) + "每周参与课后服务不超过 " + std::to_string(max_days) +
                               " 天（每周至多 " + std::to_string(max_days) + " 天的规定），此安排将达到 " +
                               std::to_string(all.size()) + " 天：" + list,
                           "a teacher serves on at most " + std::to_string(max_days) + " days a week; this makes " +
                               std::to_string(all.size()),
                           "teacher_staff_id");
}

bool TrainingComplete(int sessions_in_term) { return sessions_in_term >= kTrainingSessionsPerTerm; }

Status CheckCheck(const BackgroundCheck& c) {
  if (c.valid_until < c.checked_on)
    return Error::Invalid("背景审查有效期不能早于查询日期", "valid_until is before the check date",
                          "check_valid_until");
  if (Utf8Length(c.certificate_no) > kMaxTextLength)
    return Error::Invalid("证明编号过长", "certificate number too long", "check_certificate");
  return Ok();
}

Status CheckContract(const Contract& c) {
  if (c.end < c.start)
    return Error::Invalid("聘用协议的结束日期不能早于开始日期", "the contract ends before it starts", "contract_end");
  if (c.hourly_rate_fen < 0 || c.hourly_rate_fen > kMaxHourlyRateFen)
    return Error::Invalid("课时费应在 0 到 " + std::to_string(kMaxHourlyRateFen / 100) + " 元之间",
                          "hourly rate out of range", "hourly_rate_fen");
  return Ok();
}

Status CheckWillingness(const std::vector<int>& weekdays, const std::vector<std::string>& bands, int64_t max_hours) {
  for (int d : weekdays)
    if (d < 1 || d > 5) return Error::Invalid("意愿服务日应为周一至周五（1-5）", "weekdays are 1-5", "will_weekdays");
  for (auto& b : bands)
    if (!IsBandKind(b)) return Error::Invalid("意愿时段无效：" + b, "unknown band " + b, "will_bands");
  if (max_hours < 0 || max_hours > kMaxWillingHoursPerWeek)
    return Error::Invalid("每周最多课时应在 0 到 " + std::to_string(kMaxWillingHoursPerWeek) + " 之间",
                          "max hours out of range", "will_max_hours");
  return Ok();
}

Status CheckTraining(int64_t hours, std::string_view topic) {
  if (hours < 1 || hours > kMaxTrainingHours)
    return Error::Invalid("培训学时应在 1 到 " + std::to_string(kMaxTrainingHours) + " 之间", "hours out of range",
                          "hours");
  if (Trim(topic).empty()) return Error::Invalid("请填写培训主题", "topic is required", "topic");
  if (Utf8Length(topic) > kMaxTextLength) return Error::Invalid("培训主题过长", "topic too long", "topic");
  return Ok();
}

bool IsNonSubjectCategory(std::string_view category) {
  return std::any_of(std::begin(kNonSubject), std::end(kNonSubject), [&](const char* c) { return category == c; });
}

Status CheckInstitutionCategories(const std::vector<std::string>& categories) {
  if (categories.empty()) return Error::Invalid("请选择机构可开设的课程类别", "choose the categories", "categories");
  for (auto& c : categories)
    if (!IsNonSubjectCategory(c))
      return Error::RuleBroken("校外机构只能开设非学科类课程，类别“" + c + "”不允许",
                               "institutions offer non-subject categories only: " + c, "categories");
  return Ok();
}

Status CheckInstitutionContract(const InstitutionContract& c) {
  if (!c.listed)
    return Error::RuleBroken("该机构不在县（市）教育局遴选名单内，不能签约",
                             "the institution is not on the approved list", "institution_id");
  if (c.end < c.start)
    return Error::Invalid("合同结束日期不能早于开始日期", "the contract ends before it starts", "end_date");
  if (!c.no_promotion)
    return Error::RuleBroken("合同须约定不在校内宣传、推销", "the contract must forbid promotion and sales",
                             "no_promotion");
  if (!c.safety_duties)
    return Error::RuleBroken("合同须约定机构的安全责任", "the contract must state the safety duties", "safety_duties");
  if (!c.assistant_staff_id)
    return Error::Invalid("请指定本校助教", "choose the school's teaching assistant", "assistant_staff_id");
  return Ok();
}

Status CheckExitReason(std::string_view reason) {
  if (Trim(reason).empty()) return Error::Invalid("请填写退出原因", "a reason is required", "reason");
  if (Utf8Length(reason) > kMaxTextLength) return Error::Invalid("退出原因过长", "reason too long", "reason");
  return Ok();
}

Result<std::vector<int>> ParseWeekdays(std::string_view text, std::string_view field) {
  std::set<int> out;
  std::string cur;
  auto flush = [&]() -> Status {
    std::string t = Trim(cur);
    cur.clear();
    if (t.empty()) return Ok();
    if (t.size() != 1 || t[0] < '1' || t[0] > '5')
      return Error::Invalid("服务日应为 1-5（周一至周五）", "weekdays are 1-5", field);
    out.insert(t[0] - '0');
    return Ok();
  };
  for (char ch : text) {
    if (ch == ',') {
      KEHOU_TRY(flush());
    } else {
      cur += ch;
    }
  }
  KEHOU_TRY(flush());
  return std::vector<int>(out.begin(), out.end());
}

std::string JoinInts(const std::vector<int>& v) {
  std::string s;
  for (int x : v) s += (s.empty() ? "" : ",") + std::to_string(x);
  return s;
}

}  // namespace kehou::staff
