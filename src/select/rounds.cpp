// rounds.cpp (select): creating, changing, listing and showing selection rounds.
#include "allocate/lottery.h"
#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/body.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/internal.h"
#include "select/service.h"
#include "select/store.h"

namespace kehou::select {

using namespace internal;
namespace {

using catalog::ParseGrades;
using catalog::ParseSlots;

// A new round's input, read and checked (ValidateRound) before any database work.
struct NewRound {
  Round round;
  std::string name, rule, seed, commitment;
  std::optional<int64_t> term, prev;
  std::vector<int64_t> section_ids;
};

Result<NewRound> ReadNewRound(const Json& body) {
  NewRound n;
  Round& r = n.round;
  BodyReader in(body);
  auto mode_name = in.Text("mode", {.label = "选课方式"});
  KEHOU_TRY(in.Finish());
  auto mode = ParseMode(mode_name.value_or("fcfs"));
  if (!mode)
    return Error::Invalid("选课方式无效（fcfs 先到先得 / preference 志愿分配）", "mode is fcfs or preference", "mode");
  r.mode = *mode;
  r.grades = catalog::ReadGrades(in);
  auto opens = ReadInstant(in, "opens_at", true, "开始时间");
  auto closes = ReadInstant(in, "closes_at", true, "截止时间");
  KEHOU_TRY(in.Finish());
  r.opens_at = *opens;
  if (auto c = CheckClosingTime(*closes, NowMs(), false); !c.ok()) return c.error();
  r.closes_at = *closes;
  // (int-sized bounds; ValidateRound checks the policy limits)
  auto mpc = in.Int("max_per_child", {.min = 0, .max = 1000, .label = "每人可选数"});
  auto mr = in.Int("max_ranks", {.min = 0, .max = 1000, .label = "志愿数"});
  n.term = in.Id("term_id", {.label = "学期"});
  n.prev = in.Id("previous_round_id", {.label = "上一轮"});
  auto rule_in = in.Text("rank_rule", {.max_len = 64, .label = "计分规则"});
  KEHOU_TRY(in.Finish());
  n.rule = rule_in.value_or(std::string(kDefaultRankRule));
  if (!FindRankRule(n.rule))
    return Error::Invalid(
        "计分规则无效（可选：equity 重视第一志愿、linear 线性计分、equity_ranks_first、linear_ranks_first）",
        "unknown rank_rule", "rank_rule");
  r.max_per_child = static_cast<int>(mpc.value_or(1));
  r.max_ranks = static_cast<int>(mr.value_or(kDefaultMaxRanks));
  if (auto s = ValidateRound(r); !s.ok()) return s.error();
  auto name_in = in.Text("name", {.required = true, .max_len = kMaxRoundNameChars, .label = "轮次名称"});
  auto ids_in = in.IdList("section_ids", {.label = "教学班"});
  KEHOU_TRY(in.Finish());
  n.name = *name_in;
  n.section_ids = ids_in.value_or(std::vector<int64_t>{});
  // Preference rounds: the lottery seed is committed now (its hash published), revealed after
  // the allocation (src/allocate/lottery.h).
  if (r.mode == Mode::kPreference) {
    allocate::Seed seed = allocate::NewSeed();
    n.seed = allocate::SeedToHex(seed);
    n.commitment = allocate::SeedCommitment(seed);
  }
  return n;
}

// Every section of an approved course open to one of the round's grades (a second round: the
// sections of the previous round that still have seats).
std::vector<int64_t> DefaultSections(db::Conn& c, int64_t school, const NewRound& n) {
  std::vector<int64_t> out;
  for (const auto& s : store::ApprovedSections(c, school, n.prev)) {
    auto cg = ParseGrades(s.grades);
    bool fits = false;
    if (cg.ok())
      for (int gr : n.round.grades) fits = fits || catalog::GradeIn(gr, *cg);
    if (fits && (!n.prev || s.taken < s.capacity)) out.push_back(s.id);
  }
  return out;
}

// Publishes the sections to the round: each of the school, of an approved course (R-CRS 3).
Status PublishSections(db::Conn& c, int64_t school, int64_t round_id, const std::vector<int64_t>& section_ids) {
  for (int64_t s : section_ids) {
    auto status = store::CourseStatusOfSection(c, s, school);
    if (!status)
      return Error::NotFound("教学班 " + std::to_string(s) + "不存在或无权访问", "no such section", "section_ids");
    if (auto open = catalog::CheckCourseOpen(*status); !open.ok()) {
      Error e = open.error();
      e.field = "section_ids";
      return e;
    }
    c.Exec(store::kInsertRoundSection, {school, round_id, s});
  }
  return Ok();
}

}  // namespace

Json RankRuleJson(std::string_view name, int max_ranks) {
  const RankRule* rule = FindRankRule(name);
  if (!rule) rule = FindRankRule(kDefaultRankRule);
  std::vector<int64_t> cost = RankCosts(*rule, max_ranks);
  Json points = Json::array();
  for (int64_t c : cost) points.push_back(cost.back() + 1 - c);
  return {
      {"name", rule->name}, {"label", rule->label_zh}, {"text", rule->text_zh},           {"text_en", rule->text_en},
      {"rank_cost", cost},  {"points", points},        {"seats_first", rule->seats_first}};
}

Json RankRulesJson(int max_ranks) {
  Json out = Json::array();
  for (const RankRule& r : RankRules()) out.push_back(RankRuleJson(r.name, max_ranks));
  return out;
}

// ---------------------------------------------------------------- rounds

Result<Json> CreateRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(NewRound n, ReadNewRound(body));
  const Round& r = n.round;
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (n.prev && !store::RoundInSchool(c, *n.prev, *sid))
      return Error::NotFound("上一轮不存在或无权访问", "no such previous round", "previous_round_id");
    // A round belongs to a term: the children enrolled for it choose (select/enrolment.h).
    Round for_term;
    for_term.term_id = n.term.value_or(0);
    auto rt = TermOfRound(c, *sid, for_term);
    if (!rt.ok()) {
      Error e = rt.error();
      if (n.term) e = Error::NotFound("学期不存在或无权访问", "no such term", "term_id");
      return e;
    }
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertRound,
                          {*sid, rt->id, n.name, std::string(ModeName(r.mode)), catalog::FormatGrades(r.grades),
                           r.opens_at, r.closes_at, int64_t{r.max_per_child}, int64_t{r.max_ranks}, n.commitment,
                           n.seed, db::Opt(n.prev), who.user_id ? db::Value(who.user_id) : db::Null(), now, n.rule});
    std::vector<int64_t> section_ids = n.section_ids.empty() ? DefaultSections(c, *sid, n) : n.section_ids;
    if (n.prev && section_ids.empty())
      return Error::RuleBroken("上一轮的教学班已全部满额（或不面向这些年级），没有可补选的名额",
                               "no section of the previous round has seats left for these grades", "previous_round_id");
    KEHOU_TRY(PublishSections(c, *sid, id, section_ids));
    auto row = store::RoundRow(c, id);
    Json out = RoundJson(*row, now);
    out["section_count"] = section_ids.size();
    auth::Audit(c, who, {"create", "select_round", id, nullptr, &out, *sid});
    return out;
  });
}

Result<Json> UpdateRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                         const Json& body) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = RoundSchool(c, who, school, id);
    if (!sid.ok()) return sid.error();
    auto row = store::RoundRow(c, id);
    int64_t now = NowMs();
    // An allocated round is published (its record verifies for ever): frozen.
    if (auto s = CheckNotAllocated(row->OptInt("allocated_at").has_value()); !s.ok()) return s.error();
    Json before = RoundJson(*row, now);
    Round r;
    r.mode = ParseMode(row->Text("mode")).value_or(Mode::kFcfs);
    auto g = ParseGrades(row->Text("grades"));
    r.grades = g.ok() ? *g : std::vector<int>{};
    r.opens_at = row->Int("opens_at");
    r.closes_at = row->Int("closes_at");
    r.max_per_child = static_cast<int>(row->Int("max_per_child"));
    r.max_ranks = static_cast<int>(row->Int("max_ranks"));
    {
      BodyReader times(body);
      auto opens = ReadInstant(times, "opens_at", false, "开始时间");
      auto closes = ReadInstant(times, "closes_at", false, "截止时间");
      KEHOU_TRY(times.Finish());
      if (opens) r.opens_at = *opens;
      if (closes) {
        auto at = CheckClosingTime(*closes, now, true);
        if (!at.ok()) return at.error();
        r.closes_at = *at;
      }
    }
    std::string rule = row->Text("rank_rule");
    if (body.contains("rank_rule") && !(body["rank_rule"].is_string() && body["rank_rule"] == rule)) {
      if (!body["rank_rule"].is_string() || !FindRankRule(body["rank_rule"].get<std::string>()))
        return Error::Invalid("计分规则无效", "unknown rank_rule", "rank_rule");
      // Families rank knowing the rule: it is fixed once the round opens.
      if (now >= row->Int("opens_at"))
        return MakeError(kConflict, "选课开始后不能再更改计分规则", "the rank rule is fixed once the round opens",
                         "rank_rule");
      rule = body["rank_rule"].get<std::string>();
    }
    BodyReader in(body);
    if (auto v = in.Int("max_per_child", {.min = 0, .max = 1000, .label = "每人可选数"}))
      r.max_per_child = static_cast<int>(*v);
    auto name_in = in.Text("name", {.max_len = kMaxRoundNameChars, .label = "轮次名称"});
    if (in.IsNull("name")) in.Fail("name", "请填写轮次名称", "is required");
    KEHOU_TRY(in.Finish());
    if (name_in && name_in->empty()) return Error::Invalid("请填写轮次名称", "name is required", "name");
    if (auto s = ValidateRound(r); !s.ok()) return s.error();
    std::string name = name_in.value_or(row->Text("name"));
    if (c.Exec(store::kUpdateRound, {id, name, r.opens_at, r.closes_at, int64_t{r.max_per_child}, rule}) != 1)
      return CheckNotAllocated(true).error();  // allocated meanwhile
    auto after_row = store::RoundRow(c, id);
    Json after = RoundJson(*after_row, now);
    auth::Audit(c, who, {"update", "select_round", id, &before, &after, *sid});
    Invalidate(id);
    return after;
  });
}

Result<Json> ListRounds(db::Db& db, const auth::Principal& who, std::optional<int64_t> school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    std::vector<int64_t> schools;
    if (who.role == auth::Role::kGuardian) {
      schools = store::GuardianSchools(c, who.guardian_id.value_or(-1));
    } else {
      auto sid = auth::ResolveSchool(c, who, school);
      if (!sid.ok()) return sid.error();
      schools.push_back(*sid);
    }
    int64_t now = NowMs();
    Json items = Json::array();
    for (int64_t s : schools)
      for (auto& r : store::RoundRowsOfSchool(c, s)) items.push_back(RoundJson(r, now));
    Json out{{"items", items},
             {"total", items.size()},
             {"server_now", now},
             {"rank_rules", RankRulesJson(kDefaultMaxRanks)}};
    return out;
  });
}

Result<Json> GetRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    int64_t sid = 0;
    if (who.role == auth::Role::kGuardian) {
      auto r = store::RoundSchoolOfGuardian(c, id, who.guardian_id.value_or(-1));
      if (!r) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
      sid = *r;
    } else {
      auto s = RoundSchool(c, who, school, id);
      if (!s.ok()) return s.error();
      sid = *s;
    }
    auto row = store::RoundRow(c, id);
    Json out = RoundJson(*row, NowMs());
    Json sections = Json::array();
    for (auto& s : store::RoundSectionsShown(c, id)) {
      Json slots = Json::array();
      if (auto sl = ParseSlots(s.Text("slots")); sl.ok())
        for (auto& x : *sl)
          slots.push_back({{"weekday", x.weekday}, {"band", x.band}, {"label", catalog::DescribeSlotZh(x)}});
      Json grades = Json::array();
      if (auto g = ParseGrades(s.Text("grades")); g.ok())
        for (int x : *g) grades.push_back(x);
      sections.push_back({{"id", s.Int("id")},
                          {"name", s.Text("name")},
                          {"capacity", s.Int("capacity")},
                          {"taken", s.Int("taken")},
                          {"remaining", s.Int("capacity") - s.Int("taken")},
                          {"course_id", s.Int("course_id")},
                          {"course_name", s.Text("course_name")},
                          {"category", s.Text("category")},
                          {"category_label", std::string(catalog::CategoryLabelZh(s.Text("category")))},
                          {"grades", grades},
                          {"slots", slots},
                          {"fee_fen", s.Int("fee_fen")},
                          {"description", s.Text("description")},
                          {"teacher_name", s.Text("teacher")},
                          {"institution", s.Text("institution")},
                          {"room_name", s.OptText("room").value_or("")},
                          {"start_date", s.OptText("start_date").value_or("")},
                          {"end_date", s.OptText("end_date").value_or("")}});
    }
    out["sections"] = sections;
    (void)sid;
    return out;
  });
}

std::optional<Round> RoundOf(db::Conn& c, int64_t round_id) { return store::LoadRound(c, round_id, nullptr); }

}  // namespace kehou::select
