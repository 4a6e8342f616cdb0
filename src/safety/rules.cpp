#include "safety/rules.h"

#include <algorithm>

namespace kehou::safety {

bool ValidUnwellAction(std::string_view a) {
  return std::find(std::begin(kUnwellActions), std::end(kUnwellActions), a) != std::end(kUnwellActions);
}

std::string UnwellActionLabelZh(std::string_view a) {
  if (a == "rest") return "休息观察";
  if (a == "doctor") return "校医处理";
  if (a == "guardian_called") return "已联系家长";
  return std::string(a);
}

Status CheckUnwellActions(const std::vector<std::string>& actions) {
  if (actions.empty())
    return Error::Invalid("请至少选择一项处理措施（休息、校医、联系家长）", "name at least one action", "actions");
  std::set<std::string> seen;
  for (const auto& a : actions) {
    if (!ValidUnwellAction(a)) return Error::Invalid("未知的处理措施：" + a, "unknown action: " + a, "actions");
    if (!seen.insert(a).second) return Error::Invalid("处理措施重复：" + a, "action named twice: " + a, "actions");
  }
  return {};
}

Status CheckRecordWindow(const Date& day, int start_minute, int64_t now_ms) {
  if (now_ms < LocalInstant(day, start_minute))
    return Error::RuleBroken("课程尚未开始，不能记录", "the session has not started", "date");
  if (now_ms >= LocalInstant(AddDays(day, kRecordBackDays + 1), 0))
    return Error::RuleBroken("只能补记 " + std::to_string(kRecordBackDays) + " 天内的课程", "too far back", "date");
  return {};
}

Status CheckConcerns(const ConcernCheck& c) {
  std::set<int64_t> absent;
  for (const auto& it : c.absent) {
    if (!c.unexcused_absent.count(it.student_id))
      return Error::RuleBroken("点名中该学生不是无故缺勤，不能记为无故缺勤；请先更正点名",
                               "the roll does not mark this child absent without leave", "absent");
    if (it.note.empty())
      return Error::Invalid("无故缺勤须填写跟进情况（如已联系家长）", "an absence needs its follow-up", "absent");
    if (!absent.insert(it.student_id).second) return Error::Invalid("同一学生重复列出", "child listed twice", "absent");
  }
  for (int64_t id : c.unexcused_absent)
    if (!absent.count(id))
      return Error::RuleBroken("点名中有无故缺勤的学生尚未填写跟进情况", "every unexcused absence needs a follow-up",
                               "absent");
  std::set<int64_t> late;
  for (const auto& it : c.late_pickup) {
    if (!c.roster.count(it.student_id))
      return Error::Invalid("该学生不在本课次名单中", "child not on the roster", "late_pickup");
    if (!late.insert(it.student_id).second)
      return Error::Invalid("同一学生重复列出", "child listed twice", "late_pickup");
  }
  if (c.all_on_time != c.late_pickup.empty())
    return Error::Invalid(c.all_on_time ? "已选“全部按时接走”，却列出了未按时接走的学生" : "未按时接走时须列出学生",
                          "all_on_time must agree with the late list", "all_on_time");
  return {};
}

Status CheckHandover(const HandoverIn& h) {
  if (h.to_user == h.from_user) return Error::Invalid("不能交接给自己", "cannot hand over to yourself", "to_user_id");
  if (h.children.empty()) return Error::Invalid("请选择交接的学生", "name the children", "student_ids");
  if (h.children.size() > kMaxHandoverChildren)
    return Error::Invalid("一次交接最多 " + std::to_string(kMaxHandoverChildren) + " 名学生",
                          "too many children in one handover", "student_ids");
  std::set<int64_t> seen(h.children.begin(), h.children.end());
  if (seen.size() != h.children.size()) return Error::Invalid("学生重复", "child listed twice", "student_ids");
  if (h.place.empty()) return Error::Invalid("请填写交接地点", "name the place", "place");
  if (h.today < h.day) return Error::Invalid("交接日期不能晚于今天", "a handover cannot be dated ahead", "date");
  if (DaysFromCivil(h.today) - DaysFromCivil(h.day) > kHandoverBackDays)
    return Error::Invalid("交接记录最多补记 " + std::to_string(kHandoverBackDays) + " 天前的", "too far back", "date");
  return {};
}

Status CheckAcknowledge(int64_t to_user, bool pending, int64_t user) {
  if (to_user != user) return Error::Forbidden("只有接班人本人可以确认交接", "only the receiver acknowledges");
  if (!pending) return Error::Conflict("该交接已确认", "already acknowledged");
  return {};
}

bool MaySeeHealthNotes(auth::Role role, bool teaches_child) {
  using auth::Role;
  switch (role) {
    case Role::kPrincipal:
    case Role::kVicePrincipal:
    case Role::kOfficeDirector:
    case Role::kOfficeStaff:
    case Role::kSchoolDoctor: return true;
    case Role::kGradeLeader:
    case Role::kClassTeacher:
    case Role::kTeacher:
    case Role::kExternalStaff: return teaches_child;
    default: return false;
  }
}

bool MayWriteHealthNotes(auth::Role role) {
  using auth::Role;
  return role == Role::kPrincipal || role == Role::kVicePrincipal || role == Role::kOfficeDirector ||
         role == Role::kOfficeStaff || role == Role::kSchoolDoctor;
}

bool ValidHealthKind(std::string_view k) {
  return k == "allergy" || k == "constitution" || k == "medication" || k == "other";
}

bool ValidInsuranceKind(std::string_view k) { return k == "liability" || k == "accident"; }

std::vector<DateRange> CoverageGaps(const DateRange& term, const std::vector<DateRange>& policies) {
  std::vector<DateRange> sorted;
  for (const auto& p : policies)
    if (!(p.to < term.from) && !(term.to < p.from) && !(p.to < p.from)) sorted.push_back(p);
  std::sort(sorted.begin(), sorted.end(), [](const DateRange& a, const DateRange& b) { return a.from < b.from; });
  std::vector<DateRange> gaps;
  int64_t next = DaysFromCivil(term.from);  // first day not yet covered
  const int64_t last = DaysFromCivil(term.to);
  for (const auto& p : sorted) {
    const int64_t f = DaysFromCivil(p.from), t = DaysFromCivil(p.to);
    if (f > next) gaps.push_back({CivilFromDays(next), CivilFromDays(std::min(f - 1, last))});
    next = std::max(next, t + 1);
    if (next > last) break;
  }
  if (next <= last) gaps.push_back({CivilFromDays(next), term.to});
  return gaps;
}

std::vector<int64_t> UncoveredChildren(const std::set<int64_t>& enrolled, const std::vector<Policy>& accident) {
  std::vector<int64_t> out;
  for (const auto& p : accident)
    if (p.covers_all) return out;
  for (int64_t id : enrolled) {
    bool covered = false;
    for (const auto& p : accident) covered = covered || p.children.count(id) > 0;
    if (!covered) out.push_back(id);
  }
  return out;
}

Status CheckPolicyDates(const DateRange& policy, const DateRange& term) {
  if (policy.to < policy.from) return Error::Invalid("保险止期不能早于起期", "to before from", "to_date");
  if (policy.to < term.from || term.to < policy.from)
    return Error::Invalid("保险期间与该学期没有重叠", "the policy does not overlap the term", "from_date");
  return {};
}

std::string_view CheckStateName(CheckState s) {
  switch (s) {
    case CheckState::kNotNeeded: return "not_needed";
    case CheckState::kDone: return "done";
    case CheckState::kDue: return "due";
    case CheckState::kMissing: return "missing";
  }
  return "";
}

CheckState SiteCheckState(bool service_day, bool checked, const Date& day, const Date& today, int now_minute,
                          std::optional<int> first_start) {
  if (checked) return CheckState::kDone;
  if (!service_day) return CheckState::kNotNeeded;
  if (today < day) return CheckState::kDue;
  if (day < today) return CheckState::kMissing;
  if (first_start && now_minute >= *first_start) return CheckState::kMissing;
  return CheckState::kDue;
}

bool ValidCheckValue(std::string_view v) { return v == "ok" || v == "issue"; }

bool ValidIncidentLevel(std::string_view l) { return l == "minor" || l == "moderate" || l == "serious"; }

std::string IncidentLevelZh(std::string_view l) {
  if (l == "minor") return "轻微";
  if (l == "moderate") return "较重";
  if (l == "serious") return "严重";
  return std::string(l);
}

std::string_view DrillStateName(DrillState s) {
  switch (s) {
    case DrillState::kDone: return "done";
    case DrillState::kDue: return "due";
    case DrillState::kMissing: return "missing";
    case DrillState::kOverdue: return "overdue";
  }
  return "";
}

DrillState TermDrillState(int drills, const DateRange& term, const Date& today) {
  if (drills >= kDrillsPerTerm) return DrillState::kDone;
  if (term.to < today) return DrillState::kOverdue;
  if (DaysFromCivil(term.to) - DaysFromCivil(today) <= kDrillWarnDays) return DrillState::kMissing;
  return DrillState::kDue;
}

}  // namespace kehou::safety
