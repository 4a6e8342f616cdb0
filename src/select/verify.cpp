// Re-running a preference round's allocation from its stored or published record.
#include "select/verify.h"

#include <algorithm>
#include <set>

#include "allocate/lottery.h"
#include "auth/audit.h"
#include "select/rules.h"
#include "select/store.h"

namespace kehou::select {
namespace {

Error Bad(const std::string& what) {
  return MakeError(kInvalid, "复核数据格式有误：" + what, "verification data: bad " + what, what);
}

// Reads an integer member; nullopt when missing or not an integer.
std::optional<int64_t> IntAt(const Json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o[key].is_number_integer()) return std::nullopt;
  return o[key].get<int64_t>();
}

std::optional<std::vector<int64_t>> IntList(const Json& o, const char* key) {
  if (!o.is_object() || !o.contains(key) || !o[key].is_array()) return std::nullopt;
  std::vector<int64_t> out;
  for (auto& x : o[key]) {
    if (!x.is_number_integer()) return std::nullopt;
    out.push_back(x.get<int64_t>());
  }
  return out;
}

std::optional<int> SmallInt(int64_t v) {
  if (v < -1'000'000'000 || v > 1'000'000'000) return std::nullopt;
  return static_cast<int>(v);
}

std::string Join(const std::set<int64_t>& s) {
  if (s.empty()) return "-";
  std::string out;
  for (int64_t x : s) out += (out.empty() ? "" : ",") + std::to_string(x);
  return out;
}

using SeatMap = std::map<int64_t, std::set<int64_t>>;  // child -> sections

SeatMap Seats(const std::vector<allocate::Placement>& ps) {
  SeatMap m;
  for (auto& p : ps) m[p.child_id].insert(p.section_id);
  return m;
}

// The first child whose seats differ, as a difference text; false when identical.
bool SeatDifference(const SeatMap& want, const SeatMap& got, const char* where_zh, const char* where_en,
                    VerifyOutcome& out) {
  std::set<int64_t> children;
  for (auto& [c, _] : want) children.insert(c);
  for (auto& [c, _] : got) children.insert(c);
  static const std::set<int64_t> none;
  for (int64_t c : children) {
    auto w = want.find(c);
    auto g = got.find(c);
    const auto& ws = w == want.end() ? none : w->second;
    const auto& gs = g == got.end() ? none : g->second;
    if (ws == gs) continue;
    out.difference_zh =
        "学生 " + std::to_string(c) + "：重新计算应录取教学班 " + Join(ws) + "，" + where_zh + "记录为 " + Join(gs);
    out.difference_en =
        "child " + std::to_string(c) + ": recomputed sections " + Join(ws) + ", " + where_en + " has " + Join(gs);
    return true;
  }
  return false;
}

// A (child, section) pair recorded twice: a set comparison would not see it ("13 seats" where
// 12 exist). Fills the difference text; false when every pair is recorded once.
bool DuplicateSeat(const std::vector<allocate::Placement>& ps, const char* where_zh, const char* where_en,
                   VerifyOutcome& out) {
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto& p : ps) {
    if (seen.insert({p.child_id, p.section_id}).second) continue;
    out.difference_zh = "学生 " + std::to_string(p.child_id) + "：" + where_zh + "中教学班 " +
                        std::to_string(p.section_id) + " 的席位重复记录";
    out.difference_en = "child " + std::to_string(p.child_id) + ": " + where_en + " records the seat in section " +
                        std::to_string(p.section_id) + " more than once";
    return true;
  }
  return false;
}

bool ListDifference(const std::vector<allocate::Child>& children, const std::map<int64_t, std::vector<int64_t>>& lists,
                    const char* where_zh, const char* where_en, VerifyOutcome& out) {
  for (auto& ch : children) {
    auto it = lists.find(ch.id);
    std::vector<int64_t> got = it == lists.end() ? std::vector<int64_t>{} : it->second;
    if (got == ch.ranked) continue;
    std::set<int64_t> a(ch.ranked.begin(), ch.ranked.end()), b(got.begin(), got.end());
    out.difference_zh = "学生 " + std::to_string(ch.id) + "：分配输入中的志愿（" + Join(a) + "）与" + where_zh + "（" +
                        Join(b) + "）不一致";
    out.difference_en =
        "child " + std::to_string(ch.id) + ": the allocation input's ranked list differs from " + where_en;
    return true;
  }
  return false;
}

VerifyOutcome Differ(VerifyOutcome out, std::string zh, std::string en) {
  out.identical = false;
  out.difference_zh = std::move(zh);
  out.difference_en = std::move(en);
  return out;
}

}  // namespace

namespace {
// [[weekday, band], ...]; false when malformed.
bool SlotsFromJson(const Json& arr, std::vector<allocate::Slot>& out) {
  for (auto& sl : arr) {
    if (!sl.is_array() || sl.size() != 2 || !sl[0].is_number_integer() || !sl[1].is_number_integer() ||
        !SmallInt(sl[0].get<int64_t>()) || !SmallInt(sl[1].get<int64_t>()))
      return false;
    out.push_back({sl[0].get<int>(), sl[1].get<int>()});
  }
  return true;
}
}  // namespace

Json InputJson(const allocate::Input& in) {
  Json sections = Json::array();
  for (auto& s : in.sections) {
    Json slots = Json::array();
    for (auto& sl : s.slots) slots.push_back({sl.weekday, sl.band});
    sections.push_back({{"id", s.id}, {"capacity", s.capacity}, {"grades", s.grades}, {"slots", slots}});
  }
  Json children = Json::array();
  for (auto& c : in.children) {
    Json child{{"id", c.id}, {"grade", c.grade}, {"priority", c.priority_groups ? 1 : 0}, {"ranked", c.ranked}};
    if (c.course_limit > 0) child["course_limit"] = c.course_limit;  // the family's own limit
    if (!c.held_slots.empty()) {  // slots of seats held from other rounds of the term
      Json held = Json::array();
      for (auto& sl : c.held_slots) held.push_back({sl.weekday, sl.band});
      child["held_slots"] = std::move(held);
    }
    children.push_back(std::move(child));
  }
  Json options{{"max_choices", in.options.max_choices},
               {"course_limit", in.options.course_limit},
               {"rank_cost", in.options.rank_cost},
               {"seats_first", in.options.seats_first}};
  if (!in.options.rule_name.empty()) options["rule"] = in.options.rule_name;
  return {{"options", options}, {"sections", sections}, {"children", children}};
}

Result<allocate::Input> InputFromJson(const Json& j) {
  if (!j.is_object()) return Bad("input");
  allocate::Input in;
  const Json& o = j.contains("options") ? j["options"] : Json();
  auto k = IntAt(o, "max_choices");
  auto l = IntAt(o, "course_limit");
  auto cost = IntList(o, "rank_cost");
  if (!k || !l || !cost || !SmallInt(*k) || !SmallInt(*l)) return Bad("options");
  in.options.max_choices = static_cast<int>(*k);
  in.options.course_limit = static_cast<int>(*l);
  in.options.rank_cost = *cost;
  // Records made before rules were named: the default rule, seats first.
  if (o.contains("seats_first")) {
    if (!o["seats_first"].is_boolean()) return Bad("options");
    in.options.seats_first = o["seats_first"].get<bool>();
  }
  if (o.contains("rule")) {
    if (!o["rule"].is_string()) return Bad("options");
    in.options.rule_name = o["rule"].get<std::string>();
  }
  if (!j.contains("sections") || !j["sections"].is_array()) return Bad("sections");
  for (auto& s : j["sections"]) {
    allocate::Section sec;
    auto id = IntAt(s, "id");
    auto cap = IntAt(s, "capacity");
    auto grades = IntList(s, "grades");
    if (!id || !cap || !grades || !SmallInt(*cap) || !s.contains("slots") || !s["slots"].is_array())
      return Bad("sections");
    sec.id = *id;
    sec.capacity = static_cast<int>(*cap);
    for (int64_t g : *grades) {
      if (!SmallInt(g)) return Bad("sections");
      sec.grades.push_back(static_cast<int>(g));
    }
    if (!SlotsFromJson(s["slots"], sec.slots)) return Bad("sections");
    in.sections.push_back(std::move(sec));
  }
  if (!j.contains("children") || !j["children"].is_array()) return Bad("children");
  for (auto& c : j["children"]) {
    allocate::Child ch;
    auto id = IntAt(c, "id");
    auto grade = IntAt(c, "grade");
    auto pri = IntAt(c, "priority");
    auto ranked = IntList(c, "ranked");
    if (!id || !grade || !pri || !ranked || !SmallInt(*grade)) return Bad("children");
    ch.id = *id;
    ch.grade = static_cast<int>(*grade);
    ch.priority_groups = *pri ? uint8_t{1} : uint8_t{0};
    ch.ranked = *ranked;
    if (c.contains("course_limit")) {
      auto limit = IntAt(c, "course_limit");
      if (!limit || !SmallInt(*limit)) return Bad("children");
      ch.course_limit = static_cast<int>(*limit);
    }
    if (c.contains("held_slots") && (!c["held_slots"].is_array() || !SlotsFromJson(c["held_slots"], ch.held_slots)))
      return Bad("children");
    in.children.push_back(std::move(ch));
  }
  return in;
}

Result<Record> LoadRecord(db::Conn& c, int64_t round_id) {
  auto r = store::LoadRecordRound(c, round_id);
  if (!r) return MakeError(kNotFound, "选课轮次不存在", "no such round", "round_id");
  if (r->mode != "preference")
    return MakeError(kRuleBroken, "先到先得轮次没有抽签分配，无需复核", "not a preference round", "round_id");
  if (!r->allocated) return MakeError(kRuleBroken, "本轮尚未分配", "the round is not allocated yet", "round_id");
  if (!r->input)
    return MakeError(kRuleBroken, "本轮分配时尚未保存分配输入（升级前的轮次），无法复核",
                     "the round was allocated before inputs were stored; it cannot be verified", "round_id");
  Record rec;
  rec.round_id = round_id;
  rec.seed = r->seed;
  rec.seed_hash = r->seed_hash;
  Json stored = Json::parse(*r->input, nullptr, false);
  auto in = InputFromJson(stored);
  if (!in.ok()) return in.error();
  rec.input = std::move(*in);
  // The seats this allocation created (a later drop is a later event, not the allocation's).
  // A seat's rank is its position in the child's list of the input (0 if not in it).
  std::map<int64_t, const allocate::Child*> kids;
  for (auto& ch : rec.input.children) kids[ch.id] = &ch;
  for (const auto& s : store::AllocationSeats(c, round_id)) {
    int rank = 0;
    if (auto k = kids.find(s.student_id); k != kids.end()) {
      auto& list = k->second->ranked;
      auto it = std::find(list.begin(), list.end(), s.section_id);
      if (it != list.end()) rank = static_cast<int>(it - list.begin()) + 1;
    }
    rec.placements.push_back({s.student_id, s.section_id, rank});
  }
  std::vector<allocate::Placement> placed;
  std::map<int64_t, std::vector<int64_t>> ranked;
  for (const auto& s : store::StoredResults(c, round_id)) {
    ranked[s.student_id].push_back(s.section_id);
    if (s.placed) placed.push_back({s.student_id, s.section_id, static_cast<int>(s.rank)});
    rec.lottery_positions[s.student_id] = static_cast<int>(s.lottery);
  }
  rec.result_placed = std::move(placed);
  rec.result_ranked = std::move(ranked);
  std::map<int64_t, std::vector<int64_t>> prefs;
  for (const auto& s : store::RankedPairs(c, round_id)) prefs[s.student_id].push_back(s.section_id);
  rec.preferences = std::move(prefs);
  return rec;
}

Json RecordJson(const Record& r) {
  Json placements = Json::array();
  for (auto& p : r.placements) placements.push_back({p.child_id, p.section_id, p.rank});
  Json lottery = Json::array();
  for (auto& [child, pos] : r.lottery_positions) lottery.push_back({child, pos});
  Json result{{"placements", placements}, {"lottery", lottery}};
  if (r.tiers)
    result["tiers"] = {{"priority_placed", r.tiers->priority_placed},
                       {"placed", r.tiers->placed},
                       {"seats", r.tiers->seats},
                       {"rank_cost", r.tiers->rank_cost}};
  return {{"format", kVerifyFormat},  {"round_id", r.round_id},      {"seed", r.seed.empty() ? Json() : Json(r.seed)},
          {"seed_hash", r.seed_hash}, {"input", InputJson(r.input)}, {"result", result}};
}

Result<Record> RecordFromJson(const Json& j) {
  if (!j.is_object() || !j.contains("format") || j["format"] != kVerifyFormat)
    return MakeError(kInvalid, std::string("不是本系统导出的复核文件（format 应为 ") + kVerifyFormat + "）",
                     std::string("not a verification file (format must be ") + kVerifyFormat + ")", "format");
  Record r;
  r.round_id = IntAt(j, "round_id").value_or(0);
  if (j.contains("seed") && j["seed"].is_string()) r.seed = j["seed"].get<std::string>();
  if (!j.contains("seed_hash") || !j["seed_hash"].is_string()) return Bad("seed_hash");
  r.seed_hash = j["seed_hash"].get<std::string>();
  auto in = InputFromJson(j.contains("input") ? j["input"] : Json());
  if (!in.ok()) return in.error();
  r.input = std::move(*in);
  if (!j.contains("result")) {  // an input to compute, nothing claimed
    r.claimed = false;
    return r;
  }
  const Json& res = j["result"];
  if (!res.is_object() || !res.contains("placements") || !res["placements"].is_array()) return Bad("result");
  for (auto& p : res["placements"]) {
    if (!p.is_array() || p.size() != 3 || !p[0].is_number_integer() || !p[1].is_number_integer() ||
        !p[2].is_number_integer() || !SmallInt(p[2].get<int64_t>()))
      return Bad("result.placements");
    r.placements.push_back({p[0].get<int64_t>(), p[1].get<int64_t>(), p[2].get<int>()});
  }
  if (!res.contains("lottery") || !res["lottery"].is_array()) return Bad("result.lottery");
  for (auto& l : res["lottery"]) {
    if (!l.is_array() || l.size() != 2 || !l[0].is_number_integer() || !l[1].is_number_integer() ||
        !SmallInt(l[1].get<int64_t>()))
      return Bad("result.lottery");
    r.lottery_positions[l[0].get<int64_t>()] = l[1].get<int>();
  }
  if (res.contains("tiers")) {
    const Json& t = res["tiers"];
    auto a = IntAt(t, "priority_placed"), b = IntAt(t, "placed"), s = IntAt(t, "seats"), c = IntAt(t, "rank_cost");
    if (!a || !b || !s || !c) return Bad("result.tiers");
    r.tiers = allocate::Tiers{*a, *b, *s, *c};
  }
  return r;
}

namespace {

// The named rule: the weights and the order of seats and ranks in the input are the rule's (an
// outcome that differs, or nothing when the record names no rule or its own).
std::optional<VerifyOutcome> NamedRuleDiffers(const Record& r, const VerifyOutcome& out) {
  if (r.input.options.rule_name.empty()) return std::nullopt;
  const RankRule* rule = FindRankRule(r.input.options.rule_name);
  if (!rule)
    return Differ(out, "记录中的计分规则“" + r.input.options.rule_name + "”不存在",
                  "the record names an unknown rank rule " + r.input.options.rule_name);
  if (RankCosts(*rule, r.input.options.max_choices) != allocate::RankCostTable(r.input.options) ||
      rule->seats_first != r.input.options.seats_first)
    return Differ(
        out, "分配输入的志愿代价或席位优先设置与所公布的计分规则“" + std::string(rule->label_zh) + "”不符",
        "the input's rank costs or seats-first setting differ from the named rule " + std::string(rule->name));
  return std::nullopt;
}

}  // namespace

VerifyOutcome VerifyRecord(const Record& r) {
  VerifyOutcome out;
  out.round_id = r.round_id;
  out.children = r.input.children.size();
  out.seats = r.placements.size();
  out.rule = r.input.options.rule_name;
  // 1. The seed: revealed, and the one committed before the round opened.
  if (r.seed.empty()) return Differ(out, "抽签种子尚未公开", "the seed is not revealed");
  auto seed = allocate::SeedFromHex(r.seed);
  if (!seed.ok()) return Differ(out, "公开的抽签种子格式有误", "the revealed seed is malformed");
  if (!allocate::RevealCheck(*seed, r.seed_hash))
    return Differ(out, "公开的抽签种子与事先公布的哈希（承诺）不符",
                  "the revealed seed does not match the commitment published before the round");
  // 2. The input agrees with what families ranked and with the stored results rows.
  if (r.preferences && ListDifference(r.input.children, *r.preferences, "家长填报的志愿", "select_preferences", out))
    return out;
  if (r.result_ranked && ListDifference(r.input.children, *r.result_ranked, "公布的结果", "select_results", out))
    return out;
  if (auto differs = NamedRuleDiffers(r, out)) return *differs;
  // 3. Recompute.
  auto alloc = allocate::Allocate(r.input, *seed);
  if (!alloc.ok())
    return Differ(out, "分配输入无法重新计算：" + alloc.error().message,
                  "the input cannot be recomputed: " + alloc.error().message_en);
  out.tiers = alloc->tiers;
  // 4. Lottery positions, child by child in input order.
  for (size_t i = 0; i < r.input.children.size(); ++i) {
    int64_t child = r.input.children[i].id;
    int want = alloc->children[i].lottery_position;
    auto it = r.lottery_positions.find(child);
    if (it == r.lottery_positions.end() || it->second != want)
      return Differ(out,
                    "学生 " + std::to_string(child) + "：重新计算的抽签号为 " + std::to_string(want) + "，记录为 " +
                        (it == r.lottery_positions.end() ? std::string("（无）") : std::to_string(it->second)),
                    "child " + std::to_string(child) + ": recomputed lottery position " + std::to_string(want) +
                        ", recorded " +
                        (it == r.lottery_positions.end() ? std::string("none") : std::to_string(it->second)));
  }
  if (r.lottery_positions.size() != r.input.children.size())
    return Differ(out, "抽签号记录中有分配输入以外的学生", "lottery positions recorded for children not in the input");
  // 5. The seats, then the results rows, then the claimed tier values.
  SeatMap want = Seats(alloc->placements);
  if (DuplicateSeat(r.placements, "选课记录（selections）", "selections", out)) return out;
  if (r.result_placed && DuplicateSeat(*r.result_placed, "录取结果（select_results）", "select_results", out))
    return out;
  if (SeatDifference(want, Seats(r.placements), "选课记录（selections）", "selections", out)) return out;
  if (r.result_placed &&
      SeatDifference(want, Seats(*r.result_placed), "录取结果（select_results）", "select_results", out))
    return out;
  // Every seat with the rank it has in the child's list (a rank 0 or another rank is a difference).
  for (auto& p : r.placements) {
    auto hit = std::find(alloc->placements.begin(), alloc->placements.end(), p);
    if (hit == alloc->placements.end())
      return Differ(
          out, "学生 " + std::to_string(p.child_id) + "：录取的志愿序号不符（记录为 " + std::to_string(p.rank) + "）",
          "child " + std::to_string(p.child_id) + ": the rank of a placement differs (recorded " +
              std::to_string(p.rank) + ")");
  }
  if (r.placements.size() != alloc->placements.size())
    return Differ(out,
                  "席位数不符：重新计算 " + std::to_string(alloc->placements.size()) + " 个，记录 " +
                      std::to_string(r.placements.size()) + " 个",
                  "seat count differs: recomputed " + std::to_string(alloc->placements.size()) + ", recorded " +
                      std::to_string(r.placements.size()));
  if (r.tiers && *r.tiers != alloc->tiers)
    return Differ(out, "公布的目标值（优先对象录取数、录取人数、席位数、志愿代价）与重新计算不符",
                  "the published tier values differ from the recomputed ones");
  out.identical = true;
  return out;
}

std::string Describe(const VerifyOutcome& v) {
  std::string round = v.round_id ? std::to_string(v.round_id) : std::string("?");
  if (!v.identical)
    return "复核不一致：第 " + round + " 轮，" + v.difference_zh + "\nMISMATCH: round " + round + ": " +
           v.difference_en;
  const auto& t = v.tiers;
  const RankRule* rule = FindRankRule(v.rule.empty() ? kDefaultRankRule : std::string_view(v.rule));
  std::string rule_zh =
      rule ? "计分规则“" + std::string(rule->label_zh) + "”（" + std::string(rule->name) + "）；" : "";
  std::string rule_en = rule ? "rule " + std::string(rule->name) + "; " : "";
  return "复核通过：第 " + round + " 轮，" + rule_zh + std::to_string(v.children) + " 名学生，" +
         std::to_string(v.seats) +
         " 个席位；抽签种子与事先公布的哈希一致，重新计算的分配结果与记录完全相同（优先对象录取 " +
         std::to_string(t.priority_placed) + " 人，录取 " + std::to_string(t.placed) + " 人，志愿代价 " +
         std::to_string(t.rank_cost) + "）\nverified: round " + round + ", " + rule_en + std::to_string(v.children) +
         " children, " + std::to_string(v.seats) +
         " seats; the seed matches its published commitment and the recomputed allocation is identical (T1=" +
         std::to_string(t.priority_placed) + " T2=" + std::to_string(t.placed) + " T3=" + std::to_string(t.seats) +
         " T4=" + std::to_string(t.rank_cost) + ")";
}

Result<allocate::Allocation> Recompute(const Record& r) {
  if (r.seed.empty()) return MakeError(kRuleBroken, "抽签种子尚未公开", "the seed is not revealed", "seed");
  auto seed = allocate::SeedFromHex(r.seed);
  if (!seed.ok()) return seed.error();
  if (!allocate::RevealCheck(*seed, r.seed_hash))
    return MakeError(kRuleBroken, "公开的抽签种子与事先公布的哈希（承诺）不符",
                     "the revealed seed does not match its commitment", "seed");
  return allocate::Allocate(r.input, *seed);
}

Json AllocationJson(const Record& r, const allocate::Allocation& a) {
  Json placements = Json::array();
  for (auto& p : a.placements) placements.push_back({p.child_id, p.section_id, p.rank});
  Json lottery = Json::array();
  for (auto& c : a.children) lottery.push_back({c.child_id, c.lottery_position});
  return {{"round_id", r.round_id},
          {"rule", r.input.options.rule_name.empty() ? Json() : Json(r.input.options.rule_name)},
          {"seats_first", r.input.options.seats_first},
          {"rank_cost", allocate::RankCostTable(r.input.options)},
          {"seed", r.seed},
          {"placements", placements},
          {"lottery", lottery},
          {"tiers",
           {{"priority_placed", a.tiers.priority_placed},
            {"placed", a.tiers.placed},
            {"seats", a.tiers.seats},
            {"rank_cost", a.tiers.rank_cost}}}};
}

std::string AllocationText(const Json& allocation) {
  std::string out = "{\n";
  bool first = true;
  for (auto it = allocation.begin(); it != allocation.end(); ++it) {
    out += first ? "" : ",\n";
    first = false;
    out += " " + Json(it.key()).dump() + ": ";
    const Json& v = it.value();
    if (v.is_array() && !v.empty() && v[0].is_array()) {
      out += "[\n";
      for (size_t i = 0; i < v.size(); ++i) out += "  " + v[i].dump() + (i + 1 < v.size() ? ",\n" : "\n");
      out += " ]";
    } else {
      out += v.dump();
    }
  }
  return out + "\n}";
}

std::vector<int64_t> AllocatedRounds(db::Conn& c) { return store::AllocatedRoundIds(c); }

Result<Json> Verification(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    bool found = false;
    if (who.role == auth::Role::kGuardian) {
      found = store::RoundSchoolOfGuardian(c, round_id, who.guardian_id.value_or(-1)).has_value();
    } else {
      auto sid = auth::ResolveSchool(c, who, school);
      if (!sid.ok()) return sid.error();
      found = store::RoundInSchool(c, round_id, *sid);
    }
    if (!found) return MakeError(kNotFound, "选课轮次不存在或无权访问", "no such round");
    auto rec = LoadRecord(c, round_id);
    if (!rec.ok()) return rec.error();
    // The published file: input, seats with ranks, lottery positions and the tier values they
    // give; the database-only cross-checks (results rows, preferences) stay in the database.
    Record shown;
    shown.round_id = rec->round_id;
    shown.seed = rec->seed;
    shown.seed_hash = rec->seed_hash;
    shown.input = std::move(rec->input);
    shown.placements = std::move(rec->placements);
    shown.lottery_positions = std::move(rec->lottery_positions);
    shown.tiers = allocate::Evaluate(shown.input, shown.placements);
    return RecordJson(shown);
  });
}

}  // namespace kehou::select
