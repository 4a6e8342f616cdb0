#include "select/rules.h"

#include <algorithm>
#include <cctype>
#include <set>

namespace kehou::select {
namespace {
Error Rule(std::string zh, std::string en, std::string field = {}) {
  return MakeError(kRuleBroken, std::move(zh), std::move(en), std::move(field));
}
Error Invalid(std::string zh, std::string en, std::string field) {
  return MakeError(kInvalid, std::move(zh), std::move(en), std::move(field));
}
}  // namespace

std::optional<Mode> ParseMode(std::string_view s) {
  if (s == "fcfs") return Mode::kFcfs;
  if (s == "preference") return Mode::kPreference;
  return std::nullopt;
}
std::string_view ModeName(Mode m) { return m == Mode::kFcfs ? "fcfs" : "preference"; }

Status ValidateRound(const Round& r) {
  if (r.grades.empty()) return Invalid("请选择参加选课的年级", "choose the grades", "grades");
  if (r.opens_at <= 0) return Invalid("请填写开始时间", "opens_at is required", "opens_at");
  if (r.closes_at <= r.opens_at) return Invalid("结束时间应晚于开始时间", "closes_at must be after opens_at", "closes_at");
  if (r.closes_at - r.opens_at > kMaxRoundLengthMs)
    return Invalid("一轮选课不超过 31 天", "a round lasts at most 31 days", "closes_at");
  if (r.max_per_child < 1 || r.max_per_child > kMaxPerChildLimit)
    return Invalid("每名学生可选课程数应为 1-" + std::to_string(kMaxPerChildLimit), "per-child limit 1-10",
                   "max_per_child");
  if (r.max_ranks < 1 || r.max_ranks > kMaxRanksLimit)
    return Invalid("志愿数应为 1-" + std::to_string(kMaxRanksLimit), "ranks 1-10", "max_ranks");
  return Ok();
}

Status CheckOpen(const Round& r, int64_t now) {
  if (now < r.opens_at) return Rule("选课尚未开始", "the round has not opened yet", "round_id");
  if (now >= r.closes_at) return Rule("选课已结束", "the round has closed", "round_id");
  return Ok();
}

std::string_view PhaseOf(const Round& r, int64_t now) {
  if (now < r.opens_at) return "upcoming";
  if (now >= r.closes_at) return "closed";
  return "open";
}

Status CanTake(const TakeCheck& t) {
  const Round& r = *t.round;
  if (auto s = CheckOpen(r, t.now); !s.ok()) return s;
  if (r.mode != Mode::kFcfs)
    return Rule("本轮为志愿填报，请填写志愿而不是直接抢位", "this round takes ranked preferences", "round_id");
  if (!t.section_in_round) return MakeError(kNotFound, "本轮没有这个教学班", "the section is not in this round", "section_id");
  if (t.course_status != "approved") return Rule("该课程未开放选课", "the course is not open", "section_id");
  if (!catalog::GradeIn(t.child_grade, r.grades))
    return Rule("本轮选课不面向该生所在年级", "the round is not for the child's grade", "student_id");
  if (!catalog::GradeIn(t.child_grade, t.course_grades))
    return Rule("该课程不面向该生所在年级（" + std::to_string(t.child_grade) + "年级）",
                "the course is not for the child's grade", "section_id");
  int in_round = 0;
  for (const Held& h : t.held) {
    if (h.section_id == t.section_id) return Rule("已选上该课程，无需重复选择", "already in this section", "section_id");
    if (h.course_id == t.course_id)
      return Rule("已选上该课程的其他教学班", "already in another section of this course", "section_id");
    if (h.round_id == r.id) ++in_round;
  }
  if (in_round >= r.max_per_child)
    return Rule("本轮每名学生最多选 " + std::to_string(r.max_per_child) + " 门课程，请先退选再选",
                "at most " + std::to_string(r.max_per_child) + " courses per child in this round", "section_id");
  for (const Held& h : t.held)
    if (auto clash = catalog::FirstClash(t.slots, h.slots))
      return Rule("上课时间冲突：与已选的《" + h.course_name + "》同在" + catalog::DescribeSlotZh(*clash),
                  "time clash with " + h.course_name, "section_id");
  return Ok();
}

Status ValidateRanking(const std::vector<int64_t>& section_ids, int max_ranks) {
  if (section_ids.empty()) return Invalid("请至少填写一个志愿", "rank at least one section", "section_ids");
  if (static_cast<int>(section_ids.size()) > max_ranks)
    return Rule("最多填写 " + std::to_string(max_ranks) + " 个志愿", "at most " + std::to_string(max_ranks) + " ranks",
                "section_ids");
  std::set<int64_t> seen;
  for (int64_t id : section_ids)
    if (!seen.insert(id).second) return Invalid("志愿中有重复的教学班", "a section is ranked twice", "section_ids");
  return Ok();
}

Status ValidateIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength)
    return Invalid("请求编号（幂等键）应为 1-64 个字符", "idempotency key: 1-64 characters", "idempotency_key");
  for (char ch : key)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == ':' || ch == '.'))
      return Invalid("请求编号（幂等键）含有非法字符", "idempotency key: letters, digits, - _ : .", "idempotency_key");
  return Ok();
}

}  // namespace kehou::select
