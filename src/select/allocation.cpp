// Preference rounds: the office's allocation run. Reads the round's sections (remaining seats),
// the children's ranked lists and priority groups, runs src/allocate (the exact optimum with the
// committed lottery seed), then in ONE write transaction takes every seat with the same
// conditional UPDATE as FCFS (so nothing can oversell even if the office placed someone by hand
// meanwhile), stores each child's results with the explanation and the exact input
// (select_rounds.allocation_input, for `kehou allocate --verify`), reveals the seed and audits.
#include <algorithm>
#include <map>
#include <set>

#include "allocate/allocate.h"
#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/service.h"
#include "select/store.h"
#include "select/verify.h"

namespace kehou::select {
namespace {

int BandNumber(const std::string& band) {
  if (band == "morning") return 0;
  if (band == "noon") return 1;
  if (band == "after_school") return 2;
  return 3;
}

Json CutoffJson(const allocate::Cutoff& c) {
  if (c.rank == 0) return Json();
  return {{"rank", c.rank}, {"lottery_position", c.lottery_position}};
}

// What an allocation reads, in one read transaction.
struct Loaded {
  allocate::Input in;
  std::string seed_hex, commitment;
  int64_t sid = 0;
  std::map<int64_t, std::string> section_names;
  std::set<int64_t> not_enrolled;  // ranked, but no longer enrolled for the term
  const RankRule* rule = nullptr;
  std::string ranking_version;
};

// The round's sections with their remaining seats.
void LoadSections(db::Conn& c, int64_t round_id, Loaded& l) {
  for (const auto& x : store::AllocSections(c, round_id)) {
    allocate::Section sec;
    sec.id = x.id;
    sec.capacity = static_cast<int>(std::clamp<int64_t>(x.remaining, 0, catalog::kMaxSectionSize));
    if (auto g = catalog::ParseGrades(x.grades); g.ok()) sec.grades = *g;
    if (auto sl = catalog::ParseSlots(x.slots); sl.ok())
      for (auto& slot : *sl) sec.slots.push_back({slot.weekday, BandNumber(slot.band)});
    l.section_names[sec.id] = x.label;
    l.in.sections.push_back(std::move(sec));
  }
}

// The children who ranked, enrolled for the round's term (a child who left the service since
// ranking, 准出, is not allocated a seat), with their families' own limits.
Status LoadChildren(db::Conn& c, int64_t round_id, int64_t now, Loaded& l) {
  auto round = store::LoadRound(c, round_id, nullptr);
  auto enrolled = EnrolledChildren(c, l.sid, *round, now);
  if (!enrolled.ok()) return enrolled.error();
  allocate::Input& in = l.in;
  std::map<int64_t, size_t> index;
  for (const auto& p : store::RankedChoices(c, round_id)) {
    if (!enrolled->count(p.student_id)) {
      l.not_enrolled.insert(p.student_id);
      continue;
    }
    auto [it, fresh] = index.emplace(p.student_id, in.children.size());
    if (fresh) {
      allocate::Child ch;
      ch.id = p.student_id;
      ch.grade = static_cast<int>(p.grade);
      ch.priority_groups =
          static_cast<uint8_t>((p.left_behind ? allocate::kLeftBehind : 0) | (p.low_income ? allocate::kLowIncome : 0) |
                               (p.disability ? allocate::kDisability : 0));
      in.children.push_back(std::move(ch));
    }
    in.children[it->second].ranked.push_back(p.section_id);
  }
  // Seats the children already hold in the term (other rounds, placements): their slots are fixed.
  for (const auto& h : store::HeldSlotsOfRanked(c, round_id, round->term_id, l.sid))
    if (auto it = index.find(h.student_id); it != index.end())
      if (auto sl = catalog::ParseSlots(h.slots); sl.ok())
        for (auto& slot : *sl) in.children[it->second].held_slots.push_back({slot.weekday, BandNumber(slot.band)});
  // Families' own per-child limits (at most the round's).
  for (const auto& lim : store::ChildLimits(c, round_id))
    if (auto it = index.find(lim.student_id); it != index.end())
      in.children[it->second].course_limit =
          static_cast<int>(std::clamp<int64_t>(lim.course_limit, 1, in.options.course_limit));
  return Ok();
}

Result<Loaded> Load(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id,
                    int64_t now) {
  Loaded l;
  KEHOU_ASSIGN_OR_RETURN(l.sid, auth::ResolveSchool(c, who, school));
  auto r = store::LoadAllocRound(c, round_id, l.sid);
  if (!r) return MakeError(kNotFound, "选课轮次不存在或无权访问", "no such round");
  if (r->mode != "preference") return MakeError(kRuleBroken, "先到先得轮次无需分配", "not a preference round");
  if (now < r->closes_at) return MakeError(kRuleBroken, "志愿填报尚未结束，结束后才能分配", "the round is still open");
  if (r->allocated) return MakeError(kConflict, "本轮已完成分配", "already allocated");
  l.seed_hex = r->seed_secret;
  l.commitment = r->seed_hash;
  l.in.options.max_choices = static_cast<int>(r->max_ranks);
  l.in.options.course_limit = static_cast<int>(r->max_per_child);
  // The round's named rule: its weights and whether more seats come before better ranks.
  l.rule = FindRankRule(r->rank_rule);
  if (!l.rule) l.rule = FindRankRule(kDefaultRankRule);
  l.in.options.rule_name = std::string(l.rule->name);
  l.in.options.rank_cost = RankCosts(*l.rule, l.in.options.max_choices);
  l.in.options.seats_first = l.rule->seats_first;
  LoadSections(c, round_id, l);
  KEHOU_TRY(LoadChildren(c, round_id, now, l));
  l.ranking_version = store::RankingVersion(c, round_id);
  return l;
}

// Why a child got, or did not get, a section it ranked (select_results.reason, shown to the family).
Json ReasonJson(const Loaded& l, const allocate::ChildReport& r, const allocate::Child& ch, int64_t section,
                bool placed, const allocate::SectionReport* sr,
                const std::map<int64_t, const allocate::Missed*>& missed) {
  const allocate::Input& in = l.in;
  Json reason{{"rule", r.rule},
              {"rule_text", r.rule == "priority_group" ? "优先保障对象（留守儿童、低保家庭、残疾儿童）优先录取"
                                                       : "按志愿顺序与抽签号录取"},
              {"rank_rule", l.rule->name},
              {"rank_rule_label", l.rule->label_zh},
              {"rank_rule_text", l.rule->text_zh},
              {"course_limit", ch.course_limit ? ch.course_limit : in.options.course_limit},
              {"lottery_position", r.lottery_position},
              {"section_name", l.section_names.count(section) ? l.section_names.at(section) : std::string()},
              {"cutoff", sr ? CutoffJson(sr->general_cutoff) : Json()},
              {"priority_cutoff", sr ? CutoffJson(sr->priority_cutoff) : Json()},
              {"capacity", sr ? sr->capacity : 0},
              {"applicants", sr ? sr->applicants : 0}};
  const bool own_limit = ch.course_limit > 0 && ch.course_limit < in.options.course_limit;
  if (placed) {
    reason["code"] = "placed";
    reason["text"] = "已录取";
  } else if (auto m = missed.find(section); m != missed.end()) {
    reason["code"] = allocate::ReasonCode(m->second->reason);
    reason["text"] = allocate::ReasonTextZh(m->second->reason);
    if (m->second->reason == allocate::Reason::kLimit && own_limit)
      reason["text"] =
          "孩子已达到家长设定的课程数上限（" + std::to_string(ch.course_limit) + " 门），且已分到的课程志愿更靠前。";
  } else if (own_limit && static_cast<int>(r.placed.size()) >= ch.course_limit) {
    reason["code"] = "family_limit";
    reason["text"] = "家长设定该孩子最多选 " + std::to_string(ch.course_limit) + " 门，已录取更靠前的志愿";
  } else {
    reason["code"] = "better_rank_held";
    reason["text"] = "已录取更靠前的志愿";
  }
  return reason;
}

// One select_results row per ranked section of every child.
void WriteResults(db::Conn& c, const Loaded& l, int64_t round_id, const allocate::Allocation& alloc) {
  std::map<int64_t, const allocate::SectionReport*> sec_report;
  for (auto& s : alloc.sections) sec_report[s.section_id] = &s;
  for (size_t i = 0; i < alloc.children.size(); ++i) {
    const allocate::ChildReport& r = alloc.children[i];
    const allocate::Child& ch = l.in.children[i];
    std::map<int64_t, const allocate::Missed*> missed;
    for (auto& m : r.missed) missed[m.section_id] = &m;
    for (size_t k = 0; k < ch.ranked.size(); ++k) {
      int64_t section = ch.ranked[k];
      bool placed = std::any_of(r.placed.begin(), r.placed.end(), [&](auto& p) { return p.section_id == section; });
      auto sr = sec_report.find(section);
      Json reason = ReasonJson(l, r, ch, section, placed, sr == sec_report.end() ? nullptr : sr->second, missed);
      c.Exec(store::kInsertResult, {l.sid, round_id, ch.id, section, static_cast<int64_t>(k + 1), int64_t{placed},
                                    int64_t{r.lottery_position}, int64_t{r.priority_groups != 0}, reason.dump()});
    }
  }
}

// The seats, the results and the audit row, in the write transaction.
Result<Json> Store(db::Conn& c, const auth::Principal& who, const Loaded& l, int64_t round_id, int64_t now,
                   const allocate::Allocation& alloc) {
  // The round may have been allocated meanwhile by another office click.
  // The exact input is kept with the revealed seed, so anyone can re-run it (select/verify.h).
  if (c.Exec(store::kMarkAllocated, {round_id, now, l.seed_hex, InputJson(l.in).dump()}) != 1)
    return MakeError(kConflict, "本轮已完成分配", "already allocated");
  // The round was reopened and a family ranked since the input was read: the stored input would
  // not match the families' lists (--verify would fail for ever). Run again.
  if (store::ClosesAfter(c, round_id, now) || store::RankingVersion(c, round_id) != l.ranking_version)
    return MakeError(kConflict, "分配期间轮次被重新开放或志愿有变化，请重新运行分配",
                     "the round was reopened or rankings changed meanwhile; run again");
  // PostgreSQL: the per-child lock every path that gives a child a seat holds (take, drop,
  // placement, waiting-list accept), in id order, before any seat is written.
  if (c.dialect() == db::Dialect::kPostgres) {
    std::set<int64_t> placed_ids;
    for (const allocate::Placement& p : alloc.placements) placed_ids.insert(p.child_id);
    for (int64_t child : placed_ids) store::LockChild(c, child);
  }
  for (const allocate::Placement& p : alloc.placements) {
    if (c.Exec(store::kTakeSeat, {p.section_id}) != 1)
      return MakeError(kConflict, "分配期间教学班名额发生变化，请重新运行分配", "seats changed meanwhile; run again");
    c.Exec(store::kInsertSelection,
           {l.sid, round_id, p.section_id, p.child_id, std::string("allocation"), who.user_id, now});
  }
  WriteResults(c, l, round_id, alloc);
  int64_t placed_children = 0, priority_children = 0;
  for (const allocate::ChildReport& r : alloc.children) {
    if (!r.placed.empty()) ++placed_children;
    if (r.priority_groups) ++priority_children;
  }
  Json summary{{"round_id", round_id},
               {"children", l.in.children.size()},
               {"placed_children", placed_children},
               {"seats", alloc.placements.size()},
               {"priority_children", priority_children},
               {"priority_placed", alloc.tiers.priority_placed},
               {"not_enrolled_children", l.not_enrolled.size()},
               {"rank_cost", alloc.tiers.rank_cost},
               {"rank_rule", l.rule->name},
               {"seed", l.seed_hex},
               {"seed_hash", l.commitment}};
  auth::Audit(c, who, {"allocate", "select_round", round_id, nullptr, &summary, l.sid});
  return summary;
}

}  // namespace

Result<Json> Allocate(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id) {
  int64_t now = NowMs();
  auto loaded = db.Read([&](db::Conn& c) { return Load(c, who, school, round_id, now); });
  if (!loaded.ok()) return loaded.error();
  auto seed = allocate::SeedFromHex(loaded->seed_hex);
  if (!seed.ok() || !allocate::RevealCheck(*seed, loaded->commitment))
    return MakeError(kInternal, "抽签种子与公布的哈希不符", "the seed does not match its published commitment");
  auto alloc = allocate::Allocate(loaded->in, *seed);
  if (!alloc.ok()) return alloc.error();
  return db.Write([&](db::Conn& c) { return Store(c, who, *loaded, round_id, now, *alloc); });
}
}  // namespace kehou::select
