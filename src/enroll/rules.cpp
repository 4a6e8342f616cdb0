#include "enroll/rules.h"

#include <sodium.h>

#include <algorithm>
#include <set>

#include "core/text.h"

namespace kehou::enroll {
namespace {

const char* const kWeekdayZh[] = {"", "周一", "周二", "周三", "周四", "周五", "周六", "周日"};

struct InterestDef {
  const char* name;
  const char* zh;
};
constexpr InterestDef kInterests[] = {
    {"science", "科技"}, {"sports", "体育"}, {"arts", "艺术"},         {"labour", "劳动"},
    {"reading", "阅读"}, {"film", "影视"},   {"interest", "兴趣小组"}, {"club", "社团"},
};

}  // namespace

// ---- vocabularies --------------------------------------------------------------------------------

std::string_view BandName(Band b) {
  switch (b) {
    case Band::kMorning: return "morning";
    case Band::kNoon: return "noon";
    case Band::kAfterSchool: return "after_school";
    case Band::kEvening: return "evening";
  }
  return "";
}
std::string_view BandLabelZh(Band b) {
  switch (b) {
    case Band::kMorning: return "早间托管";
    case Band::kNoon: return "午间托管";
    case Band::kAfterSchool: return "课后服务";
    case Band::kEvening: return "晚自习";
  }
  return "";
}
std::optional<Band> ParseBand(std::string_view s) {
  for (Band b : AllBands())
    if (BandName(b) == s) return b;
  return std::nullopt;
}
const std::vector<Band>& AllBands() {
  static const std::vector<Band> all{Band::kMorning, Band::kNoon, Band::kAfterSchool, Band::kEvening};
  return all;
}

std::string_view InterestLabelZh(std::string_view name) {
  for (const auto& i : kInterests)
    if (name == i.name) return i.zh;
  return "";
}
const std::vector<std::string>& AllInterests() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (const auto& i : kInterests) v.emplace_back(i.name);
    return v;
  }();
  return all;
}
bool IsInterest(std::string_view s) { return !InterestLabelZh(s).empty(); }

std::string_view StatusName(AppStatus s) {
  switch (s) {
    case AppStatus::kDraft: return "draft";
    case AppStatus::kSubmitted: return "submitted";
    case AppStatus::kClassApproved: return "class_approved";
    case AppStatus::kApproved: return "approved";
    case AppStatus::kReturned: return "returned";
    case AppStatus::kRejected: return "rejected";
  }
  return "";
}
std::string_view StatusLabelZh(AppStatus s) {
  switch (s) {
    case AppStatus::kDraft: return "草稿";
    case AppStatus::kSubmitted: return "待班主任审核";
    case AppStatus::kClassApproved: return "待校长审定";
    case AppStatus::kApproved: return "已通过";
    case AppStatus::kReturned: return "已退回";
    case AppStatus::kRejected: return "未通过";
  }
  return "";
}
std::optional<AppStatus> ParseStatus(std::string_view s) {
  for (AppStatus a : {AppStatus::kDraft, AppStatus::kSubmitted, AppStatus::kClassApproved, AppStatus::kApproved,
                      AppStatus::kReturned, AppStatus::kRejected})
    if (StatusName(a) == s) return a;
  return std::nullopt;
}
std::string_view StepName(Step s) {
  switch (s) {
    case Step::kSubmit: return "submit";
    case Step::kClassApprove: return "class_approve";
    case Step::kClassReturn: return "class_return";
    case Step::kApprove: return "approve";
    case Step::kReturn: return "return";
    case Step::kReject: return "reject";
  }
  return "";
}

// ---- the review chain ----------------------------------------------------------------------------

Result<AppStatus> Transition(AppStatus from, Step step) {
  auto refuse = [&] {
    return Error::RuleBroken("申请当前状态为「" + std::string(StatusLabelZh(from)) + "」，不能进行此操作",
                             "an application in status " + std::string(StatusName(from)) + " cannot take step " +
                                 std::string(StepName(step)),
                             "status");
  };
  switch (step) {
    case Step::kSubmit:
      if (from == AppStatus::kDraft || from == AppStatus::kReturned) return AppStatus::kSubmitted;
      return refuse();
    case Step::kClassApprove:
      if (from == AppStatus::kSubmitted) return AppStatus::kClassApproved;
      return refuse();
    case Step::kClassReturn:
      if (from == AppStatus::kSubmitted) return AppStatus::kReturned;
      return refuse();
    case Step::kApprove:
      if (from == AppStatus::kClassApproved) return AppStatus::kApproved;
      return refuse();
    case Step::kReturn:
      if (from == AppStatus::kClassApproved) return AppStatus::kReturned;
      return refuse();
    case Step::kReject:
      if (from == AppStatus::kClassApproved) return AppStatus::kRejected;
      return refuse();
  }
  return refuse();
}

Status MayTake(Actor actor, Step step) {
  bool ok = false;
  switch (step) {
    case Step::kSubmit: ok = actor == Actor::kGuardian; break;
    case Step::kClassApprove:
    case Step::kClassReturn: ok = actor == Actor::kClassTeacher || actor == Actor::kOfficeFallback; break;
    case Step::kApprove:
    case Step::kReturn:
    case Step::kReject: ok = actor == Actor::kLeader; break;
  }
  if (ok) return Ok();
  switch (step) {
    case Step::kSubmit:
      return MakeError(kForbidden, "只有学生的监护人可以提交申请", "only a guardian of the child may submit");
    case Step::kClassApprove:
    case Step::kClassReturn:
      return MakeError(kForbidden, "班级审核须由本班班主任进行（班级未设班主任时由学校办公室代为审核）",
                       "the class review is the class teacher's (the office's only when the class has none)");
    default:
      return MakeError(kForbidden, "校长审定须由校长或副校长进行", "only the principal or a vice principal approves");
  }
}

bool Editable(AppStatus s) { return s == AppStatus::kDraft || s == AppStatus::kReturned; }

bool NeedsReason(Step s) { return s == Step::kClassReturn || s == Step::kReturn || s == Step::kReject; }

Status CheckReason(std::string_view reason, bool required, std::string_view field) {
  std::string r = Trim(reason);
  if (!ValidUtf8(r)) return Error::Invalid("理由含有无效字符", "reason is not valid UTF-8", field);
  size_t n = Utf8Length(r);
  if (required && n < kMinReasonChars)
    return Error::Invalid("请填写理由（至少 " + std::to_string(kMinReasonChars) + " 个字）",
                          "a reason of at least " + std::to_string(kMinReasonChars) + " characters is required", field);
  if (n > kMaxReasonChars)
    return Error::Invalid("理由不能超过 " + std::to_string(kMaxReasonChars) + " 个字",
                          "reason longer than " + std::to_string(kMaxReasonChars) + " characters", field);
  return Ok();
}

// ---- input checks --------------------------------------------------------------------------------

bool IsJunior(int grade) { return grade >= kFirstJuniorGrade && grade <= kLastGrade; }

Status CheckDays(const std::vector<int>& days, const std::vector<int>& excluded, bool allow_empty,
                 std::string_view field) {
  if (days.empty() && !allow_empty) return Error::Invalid("请至少选择一天", "choose at least one service day", field);
  std::set<int> seen;
  for (int d : days) {
    if (d < kFirstServiceDay || d > kLastServiceDay)
      return Error::Invalid("服务日只能是周一至周五", "service days are Monday to Friday (1-5)", field);
    if (!seen.insert(d).second) return Error::Invalid("服务日重复", "a service day is repeated", field);
    if (std::find(excluded.begin(), excluded.end(), d) != excluded.end())
      return Error::RuleBroken(std::string("学校本学期") + kWeekdayZh[d] + "不提供托管服务",
                               "the school offers no service on weekday " + std::to_string(d) + " this term", field);
  }
  return Ok();
}

Status CheckBands(const std::vector<Band>& bands, int grade, const std::vector<Band>& offered, bool allow_empty,
                  std::string_view field) {
  if (bands.empty() && !allow_empty)
    return Error::Invalid("请至少选择一个时段", "choose at least one time band", field);
  std::set<Band> seen;
  for (Band b : bands) {
    if (!seen.insert(b).second) return Error::Invalid("时段重复", "a time band is repeated", field);
    if (b == Band::kEvening && !IsJunior(grade))
      return Error::RuleBroken(
          "晚自习仅面向初中（" + std::to_string(kFirstJuniorGrade) + "至" + std::to_string(kLastGrade) + "年级）",
          "evening self-study is for junior grades " + std::to_string(kFirstJuniorGrade) + "-" +
              std::to_string(kLastGrade) + " only",
          field);
    if (!offered.empty() && std::find(offered.begin(), offered.end(), b) == offered.end())
      return Error::RuleBroken("学校未提供「" + std::string(BandLabelZh(b)) + "」时段",
                               "the school does not offer the " + std::string(BandName(b)) + " band", field);
  }
  return Ok();
}

Status CheckText(std::string_view s, size_t max, bool required, std::string_view field, std::string_view label_zh) {
  if (!ValidUtf8(s))
    return Error::Invalid(std::string(label_zh) + "含有无效字符", std::string(field) + " is not valid UTF-8", field);
  if (required && Trim(s).empty())
    return Error::Invalid("请填写" + std::string(label_zh), std::string(field) + " is required", field);
  if (Utf8Length(s) > max)
    return Error::Invalid(std::string(label_zh) + "不能超过 " + std::to_string(max) + " 个字",
                          std::string(field) + " longer than " + std::to_string(max) + " characters", field);
  return Ok();
}

std::string_view PickupName(PickupMode m) {
  switch (m) {
    case PickupMode::kSelf: return "self";
    case PickupMode::kGuardian: return "guardian";
    case PickupMode::kProxy: return "proxy";
  }
  return "";
}
std::optional<PickupMode> ParsePickup(std::string_view s) {
  for (PickupMode m : {PickupMode::kSelf, PickupMode::kGuardian, PickupMode::kProxy})
    if (PickupName(m) == s) return m;
  return std::nullopt;
}

Status CheckPickup(const Pickup& p, const std::vector<int64_t>& child_guardians) {
  switch (p.mode) {
    case PickupMode::kSelf: return Ok();
    case PickupMode::kGuardian:
      if (!p.guardian_id)
        return Error::Invalid("请选择接送的监护人", "choose the guardian who picks up", "pickup.guardian_id");
      if (std::find(child_guardians.begin(), child_guardians.end(), *p.guardian_id) == child_guardians.end())
        return Error::Invalid("接送人不是该学生的监护人", "the pickup guardian is not a guardian of the child",
                              "pickup.guardian_id");
      return Ok();
    case PickupMode::kProxy:
      if (auto s = CheckText(p.proxy_name, kMaxPersonNameChars, true, "pickup.proxy_name", "受托接送人姓名"); !s)
        return s;
      if (!ValidMobile(p.proxy_mobile))
        return Error::Invalid("受托接送人手机号应为 11 位数字、以 13–19 开头",
                              "the proxy's mobile must be 11 digits starting 13-19", "pickup.proxy_mobile");
      return Ok();
  }
  return Ok();
}

Status CheckSurvey(const SurveyDef& s, const Date& term_end) {
  if (auto t = CheckText(s.title, kMaxTitleChars, true, "title", "标题"); !t) return t;
  if (s.grades.empty()) return Error::Invalid("请选择年级", "choose at least one grade", "grades");
  std::set<int> seen;
  bool junior = false;
  for (int g : s.grades) {
    if (g < kFirstGrade || g > kLastGrade) return Error::Invalid("年级应为 1 至 9", "grades are 1-9", "grades");
    if (!seen.insert(g).second) return Error::Invalid("年级重复", "a grade is repeated", "grades");
    junior = junior || IsJunior(g);
  }
  if (s.bands.empty()) return Error::Invalid("请至少提供一个时段", "offer at least one time band", "bands");
  std::set<Band> bands;
  for (Band b : s.bands) {
    if (!bands.insert(b).second) return Error::Invalid("时段重复", "a time band is repeated", "bands");
    if (b == Band::kEvening && !junior)
      return Error::RuleBroken("晚自习仅面向初中（" + std::to_string(kFirstJuniorGrade) + "至" +
                                   std::to_string(kLastGrade) + "年级），所选年级中没有初中年级",
                               "evening self-study is for junior grades only and no junior grade is chosen", "bands");
  }
  std::set<std::string> interests;
  for (const auto& i : s.interests) {
    if (!IsInterest(i)) return Error::Invalid("未知的兴趣类别：" + i, "unknown interest category " + i, "interests");
    if (!interests.insert(i).second)
      return Error::Invalid("兴趣类别重复", "an interest category is repeated", "interests");
  }
  if (s.closes_on < s.opens_on)
    return Error::Invalid("截止日期不能早于开始日期", "closes_on is before opens_on", "closes_on");
  if (DaysFromCivil(s.closes_on) - DaysFromCivil(s.opens_on) + 1 > kMaxSurveyOpenDays)
    return Error::RuleBroken("征询开放时间不能超过 " + std::to_string(kMaxSurveyOpenDays) + " 天",
                             "a survey is open at most " + std::to_string(kMaxSurveyOpenDays) + " days", "closes_on");
  if (term_end < s.closes_on)
    return Error::RuleBroken("截止日期不能晚于学期结束日期", "closes_on is after the term ends", "closes_on");
  return Ok();
}

bool SurveyOpen(const Date& today, const Date& opens_on, const Date& closes_on) {
  return !(today < opens_on) && !(closes_on < today);
}

Status CheckSurveyAnswer(const SurveyAnswer& a, const SurveyDef& s, int grade) {
  if (std::find(s.grades.begin(), s.grades.end(), grade) == s.grades.end())
    return Error::RuleBroken("该学生所在年级不在本次征询范围内", "the child's grade is not in this survey",
                             "student_id");
  if (a.wants_service) {
    if (auto st = CheckDays(a.days, {}, false); !st) return st;
    if (auto st = CheckBands(a.bands, grade, s.bands, false); !st) return st;
  } else if (!a.days.empty() || !a.bands.empty()) {
    return Error::Invalid("不需要托管时不必选择服务日和时段", "no days or bands when the service is not wanted",
                          a.days.empty() ? "bands" : "days");
  }
  std::set<std::string> seen;
  for (const auto& i : a.interests) {
    if (std::find(s.interests.begin(), s.interests.end(), i) == s.interests.end())
      return Error::Invalid("本次征询没有该兴趣类别：" + i, "interest not offered by this survey: " + i, "interests");
    if (!seen.insert(i).second) return Error::Invalid("兴趣类别重复", "an interest category is repeated", "interests");
  }
  return CheckText(a.free_text, kMaxFreeTextChars, false, "free_text", "意见建议");
}

Status CheckExitDate(const Date& effective, const Date& today, const Date& term_start, const Date& term_end,
                     bool by_office) {
  if (effective < term_start)
    return Error::RuleBroken("退出日期不能早于学期开始日期（" + FormatDate(term_start) + "）",
                             "the exit date is before the term starts (" + FormatDate(term_start) + ")",
                             "effective_date");
  if (term_end < effective)
    return Error::RuleBroken("退出日期不能晚于学期结束日期（" + FormatDate(term_end) + "）",
                             "the exit date is after the term ends (" + FormatDate(term_end) + ")", "effective_date");
  if (!by_office && effective < today)
    return Error::RuleBroken("退出日期不能早于今天（补登过去的日期请联系学校办公室）",
                             "the exit date is before today (the office records past dates)", "effective_date");
  return Ok();
}

Status CheckLookedAfterDates(const Date& start, const std::optional<Date>& end, const Date& term_start,
                             const Date& term_end) {
  if (start < term_start || term_end < start)
    return Error::RuleBroken("开始日期应在学期内（" + FormatDate(term_start) + " 至 " + FormatDate(term_end) + "）",
                             "start_date is outside the term", "start_date");
  if (end) {
    if (*end < start) return Error::Invalid("结束日期不能早于开始日期", "end_date is before start_date", "end_date");
    if (term_end < *end)
      return Error::RuleBroken("结束日期不能晚于学期结束日期（" + FormatDate(term_end) + "）",
                               "end_date is after the term ends", "end_date");
  }
  return Ok();
}

bool EnrolledOn(AppStatus status, bool signed_current_version, const std::optional<Date>& exit_effective,
                const Date& term_start, const Date& term_end, const Date& day) {
  if (status != AppStatus::kApproved || !signed_current_version) return false;
  if (day < term_start || term_end < day) return false;
  if (exit_effective && !(day < *exit_effective)) return false;
  return true;
}

double ResponseRate(int64_t answered, int64_t children) {
  if (children <= 0) return 0.0;
  if (answered >= children) return 1.0;
  if (answered <= 0) return 0.0;
  return static_cast<double>(answered) / static_cast<double>(children);
}

std::string TextHash(std::string_view text) {
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  return ToHex(h, sizeof h);
}

// ---- comma lists ---------------------------------------------------------------------------------

std::string JoinInts(const std::vector<int>& v) {
  std::vector<std::string> parts;
  for (int i : v) parts.push_back(std::to_string(i));
  return Join(parts, ",");
}
std::vector<int> SplitInts(std::string_view s) {
  std::vector<int> out;
  for (const auto& p : Split(s, ','))
    if (auto n = ParseInt(Trim(p))) out.push_back(static_cast<int>(*n));
  return out;
}
std::string JoinBands(const std::vector<Band>& v) {
  std::vector<std::string> parts;
  for (Band b : v) parts.emplace_back(BandName(b));
  return Join(parts, ",");
}
std::vector<Band> SplitBands(std::string_view s) {
  std::vector<Band> out;
  for (const auto& p : Split(s, ','))
    if (auto b = ParseBand(Trim(p))) out.push_back(*b);
  return out;
}
std::string JoinWords(const std::vector<std::string>& v) { return Join(v, ","); }
std::vector<std::string> SplitWords(std::string_view s) {
  std::vector<std::string> out;
  for (const auto& p : Split(s, ',')) {
    std::string t = Trim(p);
    if (!t.empty()) out.push_back(t);
  }
  return out;
}

}  // namespace kehou::enroll
