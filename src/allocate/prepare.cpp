// prepare.cpp: input checks, indexing, evaluation, feasibility, reports and the public entry points.
#include <algorithm>
#include <numeric>
#include <string>
#include <unordered_set>

#include "allocate/allocate.h"
#include "allocate/internal.h"

namespace kehou::allocate {
namespace {

std::string Id(int64_t v) { return std::to_string(v); }

bool Eligible(const Section& s, int grade) {
  return std::find(s.grades.begin(), s.grades.end(), grade) != s.grades.end();
}

bool IsPriority(const Child& c) { return c.priority_groups != 0; }

// The section meets in a slot of a seat the child already holds (Child::held_slots).
bool ClashesHeld(const Section& s, const Child& c) {
  for (const Slot& x : s.slots)
    if (std::find(c.held_slots.begin(), c.held_slots.end(), x) != c.held_slots.end()) return true;
  return false;
}

}  // namespace

namespace internal {

bool Clash(const Section& a, const Section& b) {
  for (const Slot& x : a.slots)
    for (const Slot& y : b.slots)
      if (x == y) return true;
  return false;
}

}  // namespace internal

std::vector<int64_t> RankCostTable(const Options& options) {
  if (!options.rank_cost.empty()) return options.rank_cost;
  const int K = std::max(1, options.max_choices);
  std::vector<int64_t> pow3(static_cast<size_t>(K), 1);
  for (size_t i = 1; i < pow3.size(); ++i) pow3[i] = pow3[i - 1] * 3;
  std::vector<int64_t> c(static_cast<size_t>(K));
  for (int r = 1; r <= K; ++r)
    c[static_cast<size_t>(r - 1)] = pow3[static_cast<size_t>(K - 1)] - pow3[static_cast<size_t>(K - r)];
  return c;
}

const char* ReasonCode(Reason r) {
  switch (r) {
    case Reason::kIneligible: return "ineligible";
    case Reason::kClash: return "clash";
    case Reason::kLimit: return "limit";
    case Reason::kFullPriority: return "full_priority";
    case Reason::kFullRank: return "full_rank";
    case Reason::kFullLottery: return "full_lottery";
    case Reason::kWelfare: return "welfare";
  }
  return "welfare";
}

const char* ReasonTextZh(Reason r) {
  switch (r) {
    case Reason::kIneligible: return "该课程不面向孩子所在年级。";
    case Reason::kClash: return "该课程与孩子已分到的课程上课时间冲突。";
    case Reason::kLimit: return "孩子已达到本轮可选课程上限，且已分到的课程志愿更靠前。";
    case Reason::kFullPriority: return "该课程名额已全部优先分给留守、低收入或残疾等优先群体的孩子。";
    case Reason::kFullRank: return "该课程已满，录取的孩子把它填在了更靠前的志愿。";
    case Reason::kFullLottery: return "该课程已满，同一志愿顺位的孩子中抽签号更靠前者优先。";
    case Reason::kWelfare: return "若把该课程名额给孩子，会使其他孩子无课可上或整体志愿满足变差。";
  }
  return "";
}

namespace {

// The round's options: the number of choices, the courses per child, the rank costs.
Status ValidateOptions(const Options& o) {
  if (o.max_choices < 1 || o.max_choices > kMaxChoicesLimit) {
    return MakeError(kInvalid, "志愿数上限应在1到" + std::to_string(kMaxChoicesLimit) + "之间",
                     "max_choices must be between 1 and " + std::to_string(kMaxChoicesLimit), "max_choices");
  }
  if (o.course_limit < 1 || o.course_limit > kMaxCourseLimit) {
    return MakeError(kInvalid, "每名学生可选课程数应在1到" + std::to_string(kMaxCourseLimit) + "之间",
                     "course_limit must be between 1 and " + std::to_string(kMaxCourseLimit), "course_limit");
  }
  if (!o.rank_cost.empty()) {
    bool ok = o.rank_cost.size() == static_cast<size_t>(o.max_choices);
    for (size_t i = 0; ok && i < o.rank_cost.size(); ++i) {
      ok = o.rank_cost[i] >= 0 && o.rank_cost[i] <= 1'000'000 && (i == 0 || o.rank_cost[i] > o.rank_cost[i - 1]);
    }
    if (!ok) {
      return MakeError(kInvalid, "志愿代价表应有K个严格递增的0到1000000之间的数",
                       "rank_cost must hold K strictly increasing values in 0..1000000", "rank_cost");
    }
  }
  return Ok();
}

// Each section once, within 0..45 seats, on weekdays 1..7; `sec` maps its id to its index.
Status ValidateSections(const Input& input, std::unordered_map<int64_t, size_t>& sec) {
  for (size_t i = 0; i < input.sections.size(); ++i) {
    const Section& s = input.sections[i];
    if (!sec.emplace(s.id, i).second) {
      return MakeError(kInvalid, "教学班编号重复: " + Id(s.id), "duplicate section id " + Id(s.id), "sections");
    }
    if (s.capacity > kMaxSectionSize) {
      return MakeError(kRuleBroken,
                       "教学班 " + Id(s.id) + " 容量为 " + std::to_string(s.capacity) +
                           "，超过每班最多45人的规定（kMaxSectionSize = 45）",
                       "section " + Id(s.id) + " has capacity " + std::to_string(s.capacity) +
                           ": a section holds at most 45 children (kMaxSectionSize = 45)",
                       "capacity");
    }
    if (s.capacity < 0) {
      return MakeError(kInvalid, "教学班 " + Id(s.id) + " 容量不能为负",
                       "section " + Id(s.id) + " has a negative capacity", "capacity");
    }
    for (const Slot& t : s.slots) {
      if (t.weekday < 1 || t.weekday > 7) {
        return MakeError(kInvalid, "教学班 " + Id(s.id) + " 的上课星期应为1到7",
                         "section " + Id(s.id) + " has a weekday outside 1..7", "slots");
      }
    }
  }
  return Ok();
}

// One child's list: within the limits, known sections once each, clashes in whole groups.
Status ValidateChild(const Input& input, const Child& c, const std::unordered_map<int64_t, size_t>& sec) {
  const Options& o = input.options;
  if (c.course_limit < 0 || c.course_limit > o.course_limit) {
    return MakeError(kInvalid,
                     "学生 " + Id(c.id) + " 的课程数上限应在1到本轮上限 " + std::to_string(o.course_limit) + " 之间",
                     "child " + Id(c.id) + ": its course limit must be within 1..course_limit", "course_limit");
  }
  if (c.ranked.size() > static_cast<size_t>(o.max_choices)) {
    return MakeError(kInvalid,
                     "学生 " + Id(c.id) + " 填报了 " + std::to_string(c.ranked.size()) + " 个志愿，超过上限 " +
                         std::to_string(o.max_choices),
                     "child " + Id(c.id) + " ranked " + std::to_string(c.ranked.size()) +
                         " sections, more than max_choices " + std::to_string(o.max_choices),
                     "ranked");
  }
  for (size_t i = 0; i < c.ranked.size(); ++i) {
    const int64_t s = c.ranked[i];
    if (!sec.count(s)) {
      return MakeError(kInvalid, "学生 " + Id(c.id) + " 的志愿中有不存在的教学班 " + Id(s),
                       "child " + Id(c.id) + " ranked unknown section " + Id(s), "ranked");
    }
    if (std::find(c.ranked.begin(), c.ranked.begin() + static_cast<std::ptrdiff_t>(i), s) !=
        c.ranked.begin() + static_cast<std::ptrdiff_t>(i)) {
      return MakeError(kInvalid, "学生 " + Id(c.id) + " 重复填报教学班 " + Id(s),
                       "child " + Id(c.id) + " ranked section " + Id(s) + " twice", "ranked");
    }
  }
  if (o.course_limit > 1) {
    // Clashing sections within one list must form groups that pairwise clash.
    std::vector<const Section*> list;
    for (int64_t s : c.ranked) {
      const Section& x = input.sections[sec.at(s)];
      if (Eligible(x, c.grade) && !ClashesHeld(x, c)) list.push_back(&x);
    }
    for (size_t a = 0; a < list.size(); ++a)
      for (size_t b = 0; b < list.size(); ++b)
        for (size_t m = 0; m < list.size(); ++m) {
          if (a == b || b == m || a == m) continue;
          if (internal::Clash(*list[a], *list[b]) && internal::Clash(*list[b], *list[m]) &&
              !internal::Clash(*list[a], *list[m])) {
            return MakeError(kRuleBroken,
                             "学生 " + Id(c.id) + " 的志愿中教学班 " + Id(list[a]->id) + "、" + Id(list[b]->id) + "、" +
                                 Id(list[m]->id) +
                                 " 上课时间部分重叠；可选多门课程时，互相冲突的教学班须上课时间完全相同或只有一个时段",
                             "child " + Id(c.id) + ": sections " + Id(list[a]->id) + ", " + Id(list[b]->id) + ", " +
                                 Id(list[m]->id) +
                                 " overlap partially in meeting slots; with course_limit > 1, clashing " +
                                 "sections must share their slot pattern",
                             "slots");
          }
        }
  }
  return Ok();
}

}  // namespace

Status Validate(const Input& input) {
  KEHOU_TRY(ValidateOptions(input.options));
  std::unordered_map<int64_t, size_t> sec;
  KEHOU_TRY(ValidateSections(input, sec));
  std::unordered_set<int64_t> kids;
  for (const Child& c : input.children) {
    if (!kids.insert(c.id).second) {
      return MakeError(kInvalid, "学生编号重复: " + Id(c.id), "duplicate child id " + Id(c.id), "children");
    }
    KEHOU_TRY(ValidateChild(input, c, sec));
  }
  return Ok();
}

namespace internal {

Result<Prepared> Prepare(const Input& input, const Seed& seed) {
  if (Status st = Validate(input); !st) return st.error();
  Prepared p;
  p.input = &input;
  p.K = input.options.max_choices;
  p.L = input.options.course_limit;
  p.child_L.reserve(input.children.size());
  for (const Child& ch : input.children)
    p.child_L.push_back(ch.course_limit > 0 ? std::min(ch.course_limit, p.L) : p.L);
  p.cost = RankCostTable(input.options);
  for (size_t i = 0; i < input.sections.size(); ++i) p.section_index[input.sections[i].id] = static_cast<int>(i);
  const size_t n = input.children.size();
  p.options.resize(n);
  p.ineligible.resize(n);
  p.blocked.resize(n);
  p.classes.assign(n, 0);
  std::vector<int64_t> ids(n);
  for (size_t c = 0; c < n; ++c) {
    const Child& ch = input.children[c];
    ids[c] = ch.id;
    for (size_t r = 0; r < ch.ranked.size(); ++r) {
      const int s = p.section_index[ch.ranked[r]];
      Option o{s, static_cast<int>(r) + 1, -1};
      const Section& x = input.sections[static_cast<size_t>(s)];
      (!Eligible(x, ch.grade) ? p.ineligible[c] : ClashesHeld(x, ch) ? p.blocked[c] : p.options[c]).push_back(o);
    }
    if (p.L > 1) {  // clash classes: connected components of the clash graph (cliques, checked)
      auto& opts = p.options[c];
      for (size_t a = 0; a < opts.size(); ++a) {
        if (opts[a].cls >= 0) continue;
        bool any = false;
        for (size_t b = a + 1; b < opts.size(); ++b) {
          if (opts[b].cls < 0 && Clash(input.sections[static_cast<size_t>(opts[a].section)],
                                       input.sections[static_cast<size_t>(opts[b].section)])) {
            if (!any) opts[a].cls = p.classes[c]++;
            any = true;
            opts[b].cls = opts[a].cls;
          }
        }
      }
    }
  }
  p.lottery_value.resize(n);
  for (size_t c = 0; c < n; ++c) p.lottery_value[c] = LotteryValue(seed, ids[c]);
  p.order.resize(n);
  std::iota(p.order.begin(), p.order.end(), 0);
  std::sort(p.order.begin(), p.order.end(), [&](int a, int b) {  // as LotteryPositions
    const auto au = static_cast<size_t>(a), bu = static_cast<size_t>(b);
    return p.lottery_value[au] != p.lottery_value[bu] ? p.lottery_value[au] < p.lottery_value[bu] : ids[au] < ids[bu];
  });
  p.lottery_position.resize(n);
  for (size_t k = 0; k < n; ++k) p.lottery_position[static_cast<size_t>(p.order[k])] = static_cast<int>(k) + 1;
  return p;
}

namespace {

bool Worse(const Cutoff& a, int rank, int pos) { return rank > a.rank || (rank == a.rank && pos > a.lottery_position); }

// Per section: seats filled (by priority children), applicants, first choices and the cut-offs
// (worst rank and lottery position held) of priority and general children.
struct SectionTally {
  explicit SectionTally(size_t m) : filled(m), prio_filled(m), applicants(m), first(m), pcut(m), gcut(m) {}
  std::vector<int> filled, prio_filled, applicants, first;
  std::vector<Cutoff> pcut, gcut;
};

// Counts the held seats into the tally and lists the placements (by child, then rank).
SectionTally CountSeats(const Prepared& p, const std::vector<std::vector<int>>& held, Allocation& out) {
  const Input& in = *p.input;
  SectionTally t(in.sections.size());
  for (size_t c = 0; c < in.children.size(); ++c) {
    const Child& ch = in.children[c];
    for (const Option& o : p.options[c]) {
      ++t.applicants[static_cast<size_t>(o.section)];
      if (o.rank == 1) ++t.first[static_cast<size_t>(o.section)];
    }
    for (int oi : held[c]) {
      const Option& o = p.options[c][static_cast<size_t>(oi)];
      const auto s = static_cast<size_t>(o.section);
      ++t.filled[s];
      Cutoff& cut = IsPriority(ch) ? t.pcut[s] : t.gcut[s];
      if (IsPriority(ch)) ++t.prio_filled[s];
      if (Worse(cut, o.rank, p.lottery_position[c])) cut = Cutoff{o.rank, p.lottery_position[c]};
      out.placements.push_back(Placement{ch.id, in.sections[s].id, o.rank});
    }
  }
  std::sort(out.placements.begin(), out.placements.end(), [](const Placement& a, const Placement& b) {
    return a.child_id != b.child_id ? a.child_id < b.child_id : a.rank < b.rank;
  });
  return t;
}

void CountTiers(const Prepared& p, const std::vector<std::vector<int>>& held, Tiers& tiers) {
  for (size_t c = 0; c < p.input->children.size(); ++c) {
    if (held[c].empty()) continue;
    ++tiers.placed;
    if (IsPriority(p.input->children[c])) ++tiers.priority_placed;
    for (int oi : held[c]) {
      ++tiers.seats;
      tiers.rank_cost += p.cost[static_cast<size_t>(p.options[c][static_cast<size_t>(oi)].rank - 1)];
    }
  }
}

// Why child c did not get option o (eligible, not held, ranked above what it holds): a clash with
// a held section, the course limit, a full section (priority seats, rank or lottery), or welfare.
Reason MissReason(const Prepared& p, const std::vector<int>& held, size_t c, const Option& o, bool full_count,
                  const SectionTally& t) {
  const Input& in = *p.input;
  const Child& ch = in.children[c];
  const auto s = static_cast<size_t>(o.section);
  bool clash = false;
  for (size_t h = 0; p.L > 1 && h < held.size(); ++h) {
    const Option& other = p.options[c][static_cast<size_t>(held[h])];
    clash = clash || Clash(in.sections[s], in.sections[static_cast<size_t>(other.section)]);
  }
  if (clash) return Reason::kClash;
  if (t.filled[s] < in.sections[s].capacity) return full_count ? Reason::kLimit : Reason::kWelfare;
  Cutoff cut = t.gcut[s];
  if (IsPriority(ch) && Worse(cut, t.pcut[s].rank, t.pcut[s].lottery_position)) cut = t.pcut[s];
  if (!IsPriority(ch) && t.filled[s] == t.prio_filled[s]) return Reason::kFullPriority;
  if (o.rank > cut.rank) return Reason::kFullRank;
  if (o.rank == cut.rank && p.lottery_position[c] > cut.lottery_position) return Reason::kFullLottery;
  return Reason::kWelfare;
}

// One child's report: lottery, rule, the sections placed and each better choice missed, with why.
ChildReport ChildReportOf(const Prepared& p, const std::vector<int>& held, size_t c, const SectionTally& t) {
  const Input& in = *p.input;
  const Child& ch = in.children[c];
  ChildReport r;
  r.child_id = ch.id;
  r.priority_groups = ch.priority_groups;
  r.lottery_value = p.lottery_value[c];
  r.lottery_position = p.lottery_position[c];
  r.rule = IsPriority(ch) ? "priority_group" : "general";
  uint32_t is_held = 0;  // bit per option (K <= kMaxChoicesLimit)
  int worst = 0;
  r.placed.reserve(held.size());
  for (int oi : held) {
    const Option& o = p.options[c][static_cast<size_t>(oi)];
    is_held |= 1u << oi;
    worst = std::max(worst, o.rank);
    r.placed.push_back(Placement{ch.id, in.sections[static_cast<size_t>(o.section)].id, o.rank});
  }
  std::sort(r.placed.begin(), r.placed.end(), [](const Placement& a, const Placement& b) { return a.rank < b.rank; });
  const bool full_count = static_cast<int>(held.size()) >= p.child_L[c];
  const int limit_rank = full_count ? worst : p.K + 1;
  for (const Option& o : p.ineligible[c]) {
    if (o.rank < limit_rank)
      r.missed.push_back(Missed{in.sections[static_cast<size_t>(o.section)].id, o.rank, Reason::kIneligible});
  }
  for (const Option& o : p.blocked[c]) {
    if (o.rank < limit_rank)
      r.missed.push_back(Missed{in.sections[static_cast<size_t>(o.section)].id, o.rank, Reason::kClash});
  }
  for (size_t oi = 0; oi < p.options[c].size(); ++oi) {
    const Option& o = p.options[c][oi];
    if ((is_held >> oi & 1u) || o.rank >= limit_rank) continue;
    r.missed.push_back(
        Missed{in.sections[static_cast<size_t>(o.section)].id, o.rank, MissReason(p, held, c, o, full_count, t)});
  }
  std::sort(r.missed.begin(), r.missed.end(), [](const Missed& a, const Missed& b) { return a.rank < b.rank; });
  return r;
}

}  // namespace

Allocation BuildAllocation(const Prepared& p, const std::vector<std::vector<int>>& held, const Seed& seed) {
  const Input& in = *p.input;
  Allocation out;
  out.seed_commitment = SeedCommitment(seed);
  const SectionTally t = CountSeats(p, held, out);
  CountTiers(p, held, out.tiers);
  out.sections.resize(in.sections.size());
  for (size_t s = 0; s < in.sections.size(); ++s) {
    out.sections[s] = SectionReport{in.sections[s].id, in.sections[s].capacity,
                                    t.filled[s],       t.prio_filled[s],
                                    t.applicants[s],   t.first[s],
                                    t.pcut[s],         t.gcut[s]};
  }
  out.children.resize(in.children.size());
  for (size_t c = 0; c < in.children.size(); ++c) out.children[c] = ChildReportOf(p, held[c], c, t);
  return out;
}

}  // namespace internal

Tiers Evaluate(const Input& input, const std::vector<Placement>& placements) {
  const std::vector<int64_t> cost = RankCostTable(input.options);
  std::unordered_map<int64_t, const Child*> kids;
  for (const Child& c : input.children) kids[c.id] = &c;
  std::unordered_set<int64_t> placed;
  Tiers t;
  for (const Placement& pl : placements) {
    ++t.seats;
    if (pl.rank >= 1 && static_cast<size_t>(pl.rank) <= cost.size())
      t.rank_cost += cost[static_cast<size_t>(pl.rank - 1)];
    if (placed.insert(pl.child_id).second) {
      ++t.placed;
      auto it = kids.find(pl.child_id);
      if (it != kids.end() && IsPriority(*it->second)) ++t.priority_placed;
    }
  }
  return t;
}

Status CheckFeasible(const Input& input, const std::vector<Placement>& placements) {
  std::unordered_map<int64_t, const Section*> secs;
  for (const Section& s : input.sections) secs[s.id] = &s;
  std::unordered_map<int64_t, const Child*> kids;
  for (const Child& c : input.children) kids[c.id] = &c;
  std::unordered_map<int64_t, int> load;
  std::unordered_map<int64_t, std::vector<const Section*>> holds;
  auto bad = [](const std::string& zh, const std::string& en) { return MakeError(kConflict, zh, en, "placements"); };
  for (const Placement& pl : placements) {
    auto ci = kids.find(pl.child_id);
    auto si = secs.find(pl.section_id);
    if (ci == kids.end() || si == secs.end())
      return bad("分配结果中有未知的学生或教学班", "unknown child or section in placements");
    const Child& c = *ci->second;
    const Section& s = *si->second;
    auto at = std::find(c.ranked.begin(), c.ranked.end(), s.id);
    if (at == c.ranked.end() || at - c.ranked.begin() + 1 != pl.rank) {
      return bad("学生 " + Id(c.id) + " 被分到未按该志愿填报的教学班 " + Id(s.id),
                 "child " + Id(c.id) + " placed in section " + Id(s.id) + " not ranked at " + std::to_string(pl.rank));
    }
    if (!Eligible(s, c.grade)) {
      return bad("学生 " + Id(c.id) + " 的年级不能选教学班 " + Id(s.id),
                 "child " + Id(c.id) + " not eligible for section " + Id(s.id));
    }
    if (ClashesHeld(s, c)) {
      return bad("学生 " + Id(c.id) + " 的教学班 " + Id(s.id) + " 与其已有的课程时间冲突",
                 "child " + Id(c.id) + ": section " + Id(s.id) + " clashes with a seat it already holds");
    }
    auto& h = holds[c.id];
    for (const Section* other : h) {
      if (other == &s)
        return bad("学生 " + Id(c.id) + " 重复分到教学班 " + Id(s.id),
                   "child " + Id(c.id) + " placed twice in " + Id(s.id));
      if (internal::Clash(*other, s)) {
        return bad("学生 " + Id(c.id) + " 的教学班 " + Id(other->id) + " 与 " + Id(s.id) + " 时间冲突",
                   "child " + Id(c.id) + ": sections " + Id(other->id) + " and " + Id(s.id) + " clash");
      }
    }
    h.push_back(&s);
    if (static_cast<int>(h.size()) > input.options.course_limit ||
        (c.course_limit > 0 && static_cast<int>(h.size()) > c.course_limit)) {
      return bad("学生 " + Id(c.id) + " 分到的课程超过上限",
                 "child " + Id(c.id) + " holds more than course_limit sections");
    }
    if (++load[s.id] > std::min(s.capacity, kMaxSectionSize)) {
      return bad("教学班 " + Id(s.id) + " 超员", "section " + Id(s.id) + " over capacity");
    }
  }
  return Ok();
}

Result<Allocation> Allocate(const Input& input, const Seed& seed) {
  auto p = internal::Prepare(input, seed);
  if (!p) return p.error();
  internal::SolveStats stats;
  auto held = internal::SolveOptimum(*p, &stats);
  if (!held) return held.error();
  Allocation a = internal::BuildAllocation(*p, *held, seed);
  a.lottery_moves = stats.lottery_moves;
  a.sequential = stats.sequential;
  return a;
}

Status Verify(const Input& input, const Seed& seed, const Allocation& claimed) {
  if (Status st = CheckFeasible(input, claimed.placements); !st) return st;
  auto again = Allocate(input, seed);
  if (!again) return again.error();
  const Allocation& a = *again;
  auto mismatch = [](const std::string& zh, const std::string& en) {
    return MakeError(kConflict, "复核不一致：" + zh, "verification failed: " + en, "placements");
  };
  if (!claimed.seed_commitment.empty() && claimed.seed_commitment != a.seed_commitment) {
    return mismatch("种子承诺值不符", "seed commitment differs");
  }
  const size_t n = std::max(a.placements.size(), claimed.placements.size());
  for (size_t i = 0; i < n; ++i) {
    if (i >= a.placements.size() || i >= claimed.placements.size() || !(a.placements[i] == claimed.placements[i])) {
      const Placement& x = i < claimed.placements.size() ? claimed.placements[i] : a.placements[i];
      return mismatch("学生 " + Id(x.child_id) + " 的分配结果与重算结果不同",
                      "child " + Id(x.child_id) + ": claimed placements differ from the recomputed optimum");
    }
  }
  if (!(claimed.tiers == a.tiers)) return mismatch("目标值不同", "tier values differ");
  if (!claimed.children.empty()) {
    if (claimed.children.size() != a.children.size()) return mismatch("学生说明数量不同", "child reports differ");
    for (size_t c = 0; c < a.children.size(); ++c) {
      if (claimed.children[c].child_id != a.children[c].child_id ||
          claimed.children[c].lottery_value != a.children[c].lottery_value ||
          claimed.children[c].lottery_position != a.children[c].lottery_position) {
        return mismatch("学生 " + Id(a.children[c].child_id) + " 的抽签号不同",
                        "child " + Id(a.children[c].child_id) + ": lottery number differs");
      }
    }
  }
  return Ok();
}

}  // namespace kehou::allocate
