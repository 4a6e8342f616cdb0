#include "select/rules.h"

#include <sodium.h>

#include <algorithm>
#include <cctype>
#include <set>

namespace kehou::select {
std::optional<Mode> ParseMode(std::string_view s) {
  if (s == "fcfs") return Mode::kFcfs;
  if (s == "preference") return Mode::kPreference;
  return std::nullopt;
}
std::string_view ModeName(Mode m) { return m == Mode::kFcfs ? "fcfs" : "preference"; }

Status ValidateRound(const Round& r) {
  if (r.grades.empty()) return Error::Invalid("请选择参加选课的年级", "choose the grades", "grades");
  if (r.opens_at <= 0) return Error::Invalid("请填写开始时间", "opens_at is required", "opens_at");
  if (r.closes_at <= r.opens_at)
    return Error::Invalid("结束时间应晚于开始时间", "closes_at must be after opens_at", "closes_at");
  if (r.closes_at - r.opens_at > kMaxRoundLengthMs)
    return Error::Invalid("一轮选课不超过 31 天", "a round lasts at most 31 days", "closes_at");
  if (r.max_per_child < 1 || r.max_per_child > kMaxPerChildLimit)
    return Error::Invalid("每名学生可选课程数应为 1-" + std::to_string(kMaxPerChildLimit), "per-child limit 1-10",
                          "max_per_child");
  if (r.max_ranks < 1 || r.max_ranks > kMaxRanksLimit)
    return Error::Invalid("志愿数应为 1-" + std::to_string(kMaxRanksLimit), "ranks 1-10", "max_ranks");
  return Ok();
}

const std::vector<RankRule>& RankRules() {
  static const std::vector<RankRule> rules = {
      {"equity", "重视第一志愿（默认）",
       "志愿代价按 0、54、72、78、80 递增：多一个孩子得到第一志愿，胜过两个孩子都从第三志愿升到第二志愿；"
       "每个孩子可选多门时，先让课程席位总数最多，再比志愿",
       "rank costs 0, 54, 72, 78, 80 (one more first choice outweighs moving two children from 3rd to 2nd); "
       "with several courses per child, more seats in total come before better ranks",
       true, true},
      {"linear", "按志愿线性计分",
       "第 1 志愿 5 分、第 2 志愿 4 分……第 5 志愿 1 分（志愿数不同则按比例类推），总分最高者优先；"
       "每个孩子可选多门时，先让课程席位总数最多，再比志愿",
       "points 5, 4, 3, 2, 1 for ranks 1..5, highest total wins; with several courses per child, more seats "
       "in total come before better ranks",
       false, true},
      {"equity_ranks_first", "重视第一志愿、志愿优先于多选",
       "第 1 志愿 81 分、第 2 志愿 27 分、再 9、3、1 分（即默认规则的代价换成分值），席位与志愿一起按总分比较："
       "给一个孩子多一门课，不会自动压过另一个孩子更靠前的志愿",
       "points 81, 27, 9, 3, 1 (the default weights as points), seats and ranks weighed together by the total: "
       "a child's extra course does not come before another child's better rank",
       true, false},
      {"linear_ranks_first", "线性计分、志愿优先于多选",
       "第 1 志愿 5 分……第 5 志愿 1 分，席位与志愿一起按总分比较：给一个孩子多一门课，不会自动压过另一个孩子"
       "更靠前的志愿",
       "points 5..1, seats and ranks weighed together by the total", false, false},
  };
  return rules;
}

const RankRule* FindRankRule(std::string_view name) {
  for (const RankRule& r : RankRules())
    if (r.name == name) return &r;
  return nullptr;
}

std::vector<int64_t> RankCosts(const RankRule& rule, int max_ranks) {
  std::vector<int64_t> out;
  int64_t top = 1;
  for (int i = 1; i < max_ranks; ++i) top *= 3;
  int64_t p = top;  // 3^(K-r)
  for (int r = 1; r <= max_ranks; ++r) {
    out.push_back(rule.convex ? top - p : r - 1);
    p /= 3;
  }
  return out;
}

Result<int64_t> CheckClosingTime(int64_t closes_at, int64_t now, bool is_update) {
  if (!is_update && closes_at <= now)
    return Error::Invalid("结束时间（closes_at）应晚于当前时间", "closes_at must be in the future", "closes_at");
  if (closes_at < now - kCloseSkewMs)
    return Error::Invalid("结束时间（closes_at）不能早于当前时间", "closes_at is in the past", "closes_at");
  return std::max(closes_at, std::min(closes_at + kCloseSkewMs, now));
}

Status CheckNotAllocated(bool allocated) {
  if (allocated)
    return MakeError(kConflict, "本轮已完成分配并公布结果，不能再修改设置或志愿",
                     "the round has been allocated; its settings and rankings are frozen", "round_id");
  return Ok();
}

Status CheckOpen(const Round& r, int64_t now) {
  if (now < r.opens_at) return Error::RuleBroken("选课尚未开始", "the round has not opened yet", "round_id");
  if (now >= r.closes_at) return Error::RuleBroken("选课已结束", "the round has closed", "round_id");
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
    return Error::RuleBroken("本轮为志愿填报，请填写志愿而不是直接抢位", "this round takes ranked preferences",
                             "round_id");
  if (!t.section_in_round)
    return MakeError(kNotFound, "本轮没有这个教学班", "the section is not in this round", "section_id");
  if (t.course_status != "approved")
    return Error::RuleBroken("该课程未开放选课", "the course is not open", "section_id");
  if (!catalog::GradeIn(t.child_grade, r.grades))
    return Error::RuleBroken("本轮选课不面向该生所在年级", "the round is not for the child's grade", "student_id");
  if (!catalog::GradeIn(t.child_grade, t.course_grades))
    return Error::RuleBroken("该课程不面向该生所在年级（" + std::to_string(t.child_grade) + "年级）",
                             "the course is not for the child's grade", "section_id");
  int in_round = 0;
  for (const Held& h : t.held) {
    if (h.section_id == t.section_id)
      return Error::RuleBroken("已选上该课程，无需重复选择", "already in this section", "section_id");
    if (h.course_id == t.course_id)
      return Error::RuleBroken("已选上该课程的其他教学班", "already in another section of this course", "section_id");
    if (h.round_id == r.id) ++in_round;
  }
  if (in_round >= r.max_per_child)
    return Error::RuleBroken("本轮每名学生最多选 " + std::to_string(r.max_per_child) + " 门课程，请先退选再选",
                             "at most " + std::to_string(r.max_per_child) + " courses per child in this round",
                             "section_id");
  for (const Held& h : t.held)
    if (auto clash = catalog::FirstClash(t.slots, h.slots))
      return Error::RuleBroken("上课时间冲突：与已选的《" + h.course_name + "》同在" + catalog::DescribeSlotZh(*clash),
                               "time clash with " + h.course_name, "section_id");
  return Ok();
}

Status ValidateRanking(const std::vector<int64_t>& section_ids, int max_ranks) {
  if (section_ids.empty()) return Error::Invalid("请至少填写一个志愿", "rank at least one section", "section_ids");
  if (static_cast<int>(section_ids.size()) > max_ranks)
    return Error::RuleBroken("最多填写 " + std::to_string(max_ranks) + " 个志愿",
                             "at most " + std::to_string(max_ranks) + " ranks", "section_ids");
  std::set<int64_t> seen;
  for (int64_t id : section_ids)
    if (!seen.insert(id).second)
      return Error::Invalid("志愿中有重复的教学班", "a section is ranked twice", "section_ids");
  return Ok();
}

Status ValidateIdempotencyKey(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyLength)
    return Error::Invalid("请求编号（幂等键）应为 1-64 个字符", "idempotency key: 1-64 characters", "idempotency_key");
  for (char ch : key)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == ':' || ch == '.'))
      return Error::Invalid("请求编号（幂等键）含有非法字符", "idempotency key: letters, digits, - _ : .",
                            "idempotency_key");
  return Ok();
}

std::string RequestFingerprint(std::string_view method, std::string_view path, std::string_view canonical_body) {
  std::string text;
  text.reserve(method.size() + path.size() + canonical_body.size() + 2);
  text.append(method).append(" ").append(path).append("\n").append(canonical_body);
  unsigned char h[crypto_generichash_BYTES];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(text.data()), text.size(), nullptr, 0);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * sizeof h);
  for (unsigned char b : h) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 15]);
  }
  return out;
}

Status CheckFingerprint(std::string_view stored, std::string_view given) {
  if (stored.empty() || given.empty() || stored == given) return Ok();
  return Error::RuleBroken("该请求编号（Idempotency-Key）已用于另一个请求（操作或内容不同），请换一个新的编号",
                           "the Idempotency-Key was already used for a different request (another endpoint or body)",
                           "idempotency_key");
}

}  // namespace kehou::select
