#include "pickup/rules.h"

#include <algorithm>
#include <set>

namespace kehou::pickup {

std::string_view AdultKindName(AdultKind k) {
  switch (k) {
    case AdultKind::kGuardian: return "guardian";
    case AdultKind::kProxy: return "proxy";
    case AdultKind::kSelf: return "self";
  }
  return "guardian";
}

std::optional<AdultKind> ParseAdultKind(std::string_view s) {
  if (s == "guardian") return AdultKind::kGuardian;
  if (s == "proxy") return AdultKind::kProxy;
  if (s == "self") return AdultKind::kSelf;
  return std::nullopt;
}

Status CheckAuthorisation(const Authorisation& a, const Date& day) {
  // The refusal's field is its reason code (the gate page picks its colour and words by it).
  auto refuse = [](std::string zh, std::string en, std::string_view code) -> Status {
    return Error::RuleBroken(std::move(zh), std::move(en), code);
  };
  if (a.restriction)
    return refuse("禁止接走：该成人受监护或法院限制（" + *a.restriction + "），不得接走此学生",
                  "refused: a custody or court restriction applies to this adult", "restricted");
  if (a.kind == AdultKind::kSelf) {
    if (!a.self_permission)
      return refuse("禁止离校：没有监护人签字的独自离校许可", "refused: no written permission to leave alone",
                    "no_self_permission");
    return Ok();
  }
  if (!a.linked)
    return refuse("禁止接走：此人不是该学生的监护人或授权代接人", "refused: not an authorised adult of this child",
                  "not_authorised");
  if (a.card_revoked)
    return refuse("禁止接走：此接送卡已作废", "refused: this pickup card was revoked", "card_revoked");
  if (a.kind == AdultKind::kProxy) {
    if (a.revoked)
      return refuse(
          "禁止接走：代接授权已撤销" + (a.revoke_reason.empty() ? std::string() : "（" + a.revoke_reason + "）"),
          "refused: the authorisation was revoked", "revoked");
    if (a.valid_from && DaysFromCivil(day) < DaysFromCivil(*a.valid_from))
      return refuse("禁止接走：代接授权自 " + FormatDate(*a.valid_from) + " 起才生效",
                    "refused: the authorisation is not valid yet", "not_yet_valid");
    if (!a.valid_to || DaysFromCivil(day) > DaysFromCivil(*a.valid_to))
      return refuse("禁止接走：代接授权已于 " + (a.valid_to ? FormatDate(*a.valid_to) : std::string("?")) + " 过期",
                    "refused: the authorisation has expired", "expired");
  }
  return Ok();
}

Status CheckProxyDates(const Date& from, const Date& to, const Date& today) {
  const int64_t f = DaysFromCivil(from), t = DaysFromCivil(to);
  if (t < f) return Error::Invalid("有效期结束日期不能早于开始日期", "valid_to is before valid_from", "valid_to");
  if (t < DaysFromCivil(today))
    return Error::Invalid("有效期已过，不能登记", "the authorisation has ended already", "valid_to");
  if (t - f + 1 > kMaxProxyDays)
    return Error::Invalid("授权有效期最长 " + std::to_string(kMaxProxyDays) + " 天",
                          "an authorisation runs at most " + std::to_string(kMaxProxyDays) + " days", "valid_to");
  return Ok();
}

bool ValidIdLast4(std::string_view s) {
  if (s.size() != 4) return false;
  for (size_t i = 0; i < 4; ++i) {
    const char ch = s[i];
    if (ch >= '0' && ch <= '9') continue;
    if (i == 3 && (ch == 'X' || ch == 'x')) continue;
    return false;
  }
  return true;
}

int64_t BatchEndMs(const Date& day, int leave_minutes) {
  return LocalInstant(day, leave_minutes + kBatchWindowMinutes);
}

Status CheckLateRule(const LateRule& r) {
  const struct {
    int v;
    const char* field;
    const char* zh;
  } steps[] = {{r.guardian, "late_guardian_minutes", "通知家长"},
               {r.office, "late_office_minutes", "通知班主任和办公室"},
               {r.leader, "late_leader_minutes", "通知校领导"}};
  int prev = 0;
  for (const auto& s : steps) {
    if (s.v < 1 || s.v > kMaxLateMinutes)
      return Error::Invalid(std::string(s.zh) + "的时间须为 1 到 " + std::to_string(kMaxLateMinutes) + " 分钟",
                            std::string(s.field) + " must be 1 to " + std::to_string(kMaxLateMinutes) + " minutes",
                            s.field);
    if (s.v <= prev)
      return Error::Invalid(
          std::string(s.zh) + "的时间须晚于上一步（" + std::to_string(prev) + " 分钟）",
          std::string(s.field) + " must be later than the step before (" + std::to_string(prev) + " minutes)", s.field);
    prev = s.v;
  }
  return Ok();
}

int LateStepMinutes(const LateRule& r, int step) { return step <= 1 ? r.guardian : step == 2 ? r.office : r.leader; }

int LateStepsDue(int64_t batch_end_ms, int64_t now_ms, const LateRule& rule) {
  const int64_t late = now_ms - batch_end_ms;
  int steps = 0;
  for (int m : {rule.guardian, rule.office, rule.leader})
    if (late >= int64_t{m} * 60'000) ++steps;
  return steps;
}

std::vector<int64_t> Unaccounted(const std::vector<int64_t>& present, const std::vector<int64_t>& left) {
  std::set<int64_t> gone(left.begin(), left.end());
  std::vector<int64_t> out;
  for (int64_t id : present)
    if (!gone.count(id) && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
  return out;
}

}  // namespace kehou::pickup
