#include "attendance/rules.h"

#include <algorithm>
#include <unordered_map>

namespace kehou::attendance {

std::optional<Mark> ParseMark(std::string_view s) {
  if (s == "present") return Mark::kPresent;
  if (s == "late") return Mark::kLate;
  if (s == "absent") return Mark::kAbsent;
  if (s == "leave") return Mark::kLeave;
  return std::nullopt;
}

std::string_view MarkName(Mark m) {
  switch (m) {
    case Mark::kPresent: return "present";
    case Mark::kLate: return "late";
    case Mark::kAbsent: return "absent";
    case Mark::kLeave: return "leave";
  }
  return "";
}

std::string_view MarkLabelZh(Mark m) {
  switch (m) {
    case Mark::kPresent: return "出勤";
    case Mark::kLate: return "迟到";
    case Mark::kAbsent: return "缺勤";
    case Mark::kLeave: return "请假";
  }
  return "";
}

int64_t StartMs(const SessionTime& s) { return LocalInstant(s.day, s.start); }
int64_t EndMs(const SessionTime& s) { return LocalInstant(s.day, s.end); }
bool Ended(const SessionTime& s, int64_t now_ms) { return now_ms >= EndMs(s); }

Status CheckRollWindow(const SessionTime& s, int64_t now_ms, Editor who) {
  if (now_ms < LocalInstant(AddDays(s.day, -kRollOpensDaysAhead), 0))
    return Error::RuleBroken("点名最早在课前 " + std::to_string(kRollOpensDaysAhead) + " 天开放",
                             "the roll opens " + std::to_string(kRollOpensDaysAhead) + " days before the session",
                             "date");
  if (Ended(s, now_ms) && who == Editor::kTeacher)
    return Error::RuleBroken("课程已结束，点名不能再修改；如需更正请联系课后服务办公室",
                             "the session has ended; only the office can change its roll now", "date");
  return Ok();
}

Status CheckSwipe(const SwipeIn& s, int64_t now_ms) {
  auto printable = [](const std::string& t) {
    if (t.empty() || t.size() > kMaxSwipeIdLength) return false;
    return std::all_of(t.begin(), t.end(), [](char ch) { return ch > 0x20 && ch < 0x7f; });
  };
  if (!printable(s.uid))
    return Error::Invalid("刷卡编号须为 1-64 个可见字符", "uid must be 1-64 printable characters", "uid");
  if (!printable(s.card_no))
    return Error::Invalid("卡号须为 1-64 个可见字符", "card_no must be 1-64 printable characters", "card_no");
  if (s.at_ms < now_ms - kSwipeMaxAgeMs)
    return Error::RuleBroken("刷卡时间早于 7 天前，不再接收", "swipe older than 7 days", "at_ms");
  if (s.at_ms > now_ms + kSwipeMaxSkewMs)
    return Error::RuleBroken("刷卡时间晚于当前时间（设备时钟不准）", "swipe time is in the future (device clock)",
                             "at_ms");
  return Ok();
}

std::vector<size_t> FirstOfUid(const std::vector<SwipeIn>& batch) {
  std::unordered_map<std::string, size_t> first;
  std::vector<size_t> out(batch.size());
  for (size_t i = 0; i < batch.size(); ++i) out[i] = first.try_emplace(batch[i].uid, i).first->second;
  return out;
}

std::optional<int64_t> SessionSwipe(const SessionTime& s, const std::vector<int64_t>& swipe_ms) {
  const int64_t from = StartMs(s) - int64_t{kSwipeEarlyMinutes} * 60'000, to = EndMs(s);
  std::optional<int64_t> best;
  for (int64_t t : swipe_ms)
    if (t >= from && t <= to && (!best || t < *best)) best = t;
  return best;
}

Status CheckLeave(const Leave& l, const Date& today) {
  if (l.to < l.from) return Error::Invalid("结束日期不能早于开始日期", "to_date before from_date", "to_date");
  if (DaysFromCivil(l.to) - DaysFromCivil(l.from) + 1 > kMaxLeaveDays)
    return Error::RuleBroken("一次请假最多 " + std::to_string(kMaxLeaveDays) + " 天",
                             "a leave covers at most " + std::to_string(kMaxLeaveDays) + " days", "to_date");
  if (l.from < today)
    return Error::RuleBroken("请假须在课前提出，不能补请过去的日期", "leave is asked for ahead, not backdated",
                             "from_date");
  return Ok();
}

bool LeaveCovers(const Leave& l, int64_t section_id, const SessionTime& s) {
  if (s.day < l.from || l.to < s.day) return false;
  if (!l.sections.empty() && std::find(l.sections.begin(), l.sections.end(), section_id) == l.sections.end())
    return false;
  return l.created_ms < StartMs(s);
}

std::string_view ConflictName(Conflict c) {
  switch (c) {
    case Conflict::kNone: return "";
    case Conflict::kSwipedButAbsent: return "swiped_absent";
    case Conflict::kSwipedOnLeave: return "swiped_on_leave";
  }
  return "";
}

Conflict Reconcile(std::optional<Mark> mark, bool on_leave, bool swiped) {
  if (!swiped) return Conflict::kNone;
  if (mark == Mark::kAbsent) return Conflict::kSwipedButAbsent;
  if (mark == Mark::kLeave || (!mark && on_leave)) return Conflict::kSwipedOnLeave;
  return Conflict::kNone;
}

std::optional<Mark> ShownStatus(std::optional<Mark> mark, bool on_leave) {
  if (mark) return mark;
  if (on_leave) return Mark::kLeave;
  return std::nullopt;
}

bool UnexcusedAbsence(Mark m, bool on_leave) { return m == Mark::kAbsent && !on_leave; }

}  // namespace kehou::attendance
