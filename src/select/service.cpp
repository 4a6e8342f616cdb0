#include "select/service.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <unordered_map>

#include "allocate/lottery.h"
#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/text.h"
#include "core/body.h"
#include "core/time.h"
#include "select/enrolment.h"
#include "select/store.h"

namespace kehou::select {
namespace {

using catalog::ParseGrades;
using catalog::ParseSlots;

Error NotFound(const std::string& zh, const std::string& en, std::string field = {}) {
  return MakeError(kNotFound, zh + "不存在或无权访问", "no such " + en, std::move(field));
}
Error Invalid(std::string zh, std::string en, std::string field) {
  return MakeError(kInvalid, std::move(zh), std::move(en), std::move(field));
}
Error Full() {
  return MakeError(kConflict, "该教学班已满，可加入候补名单", "the section is full; you may join its waiting list",
                   "section_id");
}
bool IsPg(db::Conn& c) { return c.dialect() == db::Dialect::kPostgres; }

// ---- time input: epoch ms, or 'YYYY-MM-DD HH:MM[:SS]' / ISO with 'T' in China time (UTC+8),
// or ISO ending in 'Z' (UTC).
Result<int64_t> InstantOf(const Json& b, const char* key) {
  if (!b.contains(key) || b[key].is_null()) return Invalid(std::string("请填写 ") + key, std::string(key) + " is required", key);
  const Json& v = b[key];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    std::string s = Trim(v.get<std::string>());
    if (auto n = ParseInt(s)) return *n;
    bool utc = !s.empty() && (s.back() == 'Z' || s.back() == 'z');
    if (utc) s.pop_back();
    if (s.size() >= 16) {
      auto d = ParseDate(s.substr(0, 10));
      auto t = ParseTimeOfDay(s.substr(11, 5));
      int sec = 0;
      if (s.size() >= 19 && s[16] == ':') sec = static_cast<int>(ParseInt(s.substr(17, 2)).value_or(0));
      if (d && t && (s[10] == 'T' || s[10] == ' ')) {
        int64_t ms = LocalInstant(*d, *t) + sec * 1000;
        if (utc) ms += kSchoolUtcOffsetMs;
        return ms;
      }
    }
  }
  return Invalid(std::string(key) + " 时间格式有误（如 2026-09-01 20:00）", std::string(key) + ": bad time", key);
}

Result<std::vector<int>> GradesOf(const Json& b) {
  if (!b.contains("grades")) return std::vector<int>{};
  const Json& g = b["grades"];
  if (g.is_string()) return ParseGrades(g.get<std::string>());
  std::string joined;
  if (g.is_array())
    for (auto& x : g) {
      if (!x.is_number_integer()) return Invalid("年级应为 1-9 的数字", "grades are numbers 1-9", "grades");
      joined += std::to_string(x.get<int64_t>()) + ",";
    }
  return ParseGrades(joined);
}

Json ErrorJson(const Error& e) {
  return {{"code", ErrorCodeName(e.code)}, {"message", e.message}, {"message_en", e.message_en}, {"field", e.field}};
}
Error ErrorFromJson(const Json& j) {
  return MakeError(ParseErrorCode(j.value("code", "")).value_or(kInternal), j.value("message", ""), j.value("message_en", ""), j.value("field", ""));
}

Outcome Replay(const std::string& answer, std::string_view stored_fingerprint, std::string_view fingerprint) {
  // The same key with another body or to another endpoint is refused, never answered with the
  // first request's answer (the key's fingerprint, select/rules.h RequestFingerprint).
  if (auto s = CheckFingerprint(stored_fingerprint, fingerprint); !s.ok()) return Outcome{s.error(), false};
  Json stored = Json::parse(answer, nullptr, false);
  Outcome o;
  o.replay = true;
  if (stored.is_object() && stored.value("ok", false)) o.result = stored["body"];
  else if (stored.is_object() && stored.contains("error")) o.result = ErrorFromJson(stored["error"]);
  else o.result = MakeError(kInternal, "无法读取已保存的答复", "stored answer unreadable");
  return o;
}

// Stores the answer with the idempotency key (same transaction as the seat) and returns it.
Outcome Finish(db::Conn& c, const auth::Principal& who, const std::string& key, int64_t school, Result<Json> r,
               int64_t now, std::string_view fingerprint) {
  if (!key.empty()) {
    Json stored = r.ok() ? Json{{"ok", true}, {"body", r.value()}} : Json{{"ok", false}, {"error", ErrorJson(r.error())}};
    int64_t status = r.ok() ? 200 : ErrorStatus(r.error().code);
    c.Exec(store::kInsertRequest, {*who.guardian_id, key, school, status, stored.dump(), now, std::string(fingerprint)});
  }
  return Outcome{std::move(r), false};
}

Held HeldFrom(int64_t section_id, int64_t course_id, int64_t round_id, std::string course_name, const std::string& slots) {
  Held h;
  h.section_id = section_id;
  h.course_id = course_id;
  h.round_id = round_id;
  h.course_name = std::move(course_name);
  auto sl = ParseSlots(slots);
  if (sl.ok()) h.slots = *sl;
  return h;
}

std::vector<Held> LoadHeld(db::Conn& c, int64_t school, int64_t student) {
  std::vector<Held> out;
  for (auto& r : c.Query(store::kHeld, {school, student}))
    out.push_back(HeldFrom(r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4)));
  return out;
}

// Columns [first, first + n) of a row, as a row of their own.
db::Row Slice(const db::Row& r, size_t first, size_t n) {
  auto names = std::make_shared<std::vector<std::string>>();
  std::vector<db::Value> values;
  for (size_t i = first; i < first + n; ++i) {
    names->push_back(r.names().at(i));
    values.push_back(r.at(i));
  }
  return db::Row(std::move(names), std::move(values));
}

// Fills the course side of a TakeCheck from a kSectionInRound / kSectionOfSchool row.
void FillSection(TakeCheck& t, const db::Row& s) {
  t.section_in_round = true;
  t.section_id = s.Int(0);
  t.course_id = s.Int(3);
  t.course_name = s.Text(4);
  auto g = ParseGrades(s.Text(5));
  if (g.ok()) t.course_grades = *g;
  auto sl = ParseSlots(s.Text(6));
  if (sl.ok()) t.slots = *sl;
  t.course_status = s.Text(7);
}

// ---- live seats cache
struct SeatsEntry {
  std::shared_ptr<const SeatsBody> body;
  int64_t fetched_ms = 0;
  int64_t school_id = 0;
};
std::mutex g_seats_mu;
std::unordered_map<int64_t, SeatsEntry> g_seats;
std::mutex g_access_mu;
std::map<std::pair<int64_t, int64_t>, int64_t> g_guardian_school;  // (guardian, school) -> checked at
constexpr int64_t kAccessCacheMs = 60'000;

void Invalidate(int64_t round_id) {
  std::lock_guard lock(g_seats_mu);
  g_seats.erase(round_id);
}

Result<int64_t> RoundSchool(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id) {
  auto sid = auth::ResolveSchool(c, who, school);
  if (!sid.ok()) return sid.error();
  auto r = c.QueryOne("SELECT school_id FROM select_rounds WHERE id = $1 AND school_id = $2", {round_id, *sid});
  if (!r) return NotFound("选课轮次", "round");
  return *sid;
}

}  // namespace

Json RankRuleJson(std::string_view name, int max_ranks) {
  const RankRule* rule = FindRankRule(name);
  if (!rule) rule = FindRankRule(kDefaultRankRule);
  std::vector<int64_t> cost = RankCosts(*rule, max_ranks);
  Json points = Json::array();
  for (int64_t c : cost) points.push_back(cost.back() + 1 - c);
  return {{"name", rule->name},           {"label", rule->label_zh}, {"text", rule->text_zh},
          {"text_en", rule->text_en},     {"rank_cost", cost},       {"points", points},
          {"seats_first", rule->seats_first}};
}

Json RankRulesJson(int max_ranks) {
  Json out = Json::array();
  for (const RankRule& r : RankRules()) out.push_back(RankRuleJson(r.name, max_ranks));
  return out;
}

namespace {

Json RoundJson(const db::Row& r, int64_t now) {
  Round rd;
  rd.opens_at = r.Int("opens_at");
  rd.closes_at = r.Int("closes_at");
  Json grades = Json::array();
  auto g = ParseGrades(r.Text("grades"));
  if (g.ok())
    for (int x : *g) grades.push_back(x);
  Json out{{"id", r.Int("id")},
           {"name", r.Text("name")},
           {"mode", r.Text("mode")},
           {"term_id", r.OptInt("term_id") ? Json(*r.OptInt("term_id")) : Json()},
           {"grades", grades},
           {"opens_at", rd.opens_at},
           {"closes_at", rd.closes_at},
           {"opens_at_iso", FormatInstant(rd.opens_at)},
           {"closes_at_iso", FormatInstant(rd.closes_at)},
           {"phase", std::string(PhaseOf(rd, now))},
           {"max_per_child", r.Int("max_per_child")},
           {"max_ranks", r.Int("max_ranks")},
           {"seed_hash", r.Text("seed_hash")},
           {"seed", r.OptText("seed") ? Json(*r.OptText("seed")) : Json()},
           {"allocated_at", r.OptInt("allocated_at") ? Json(*r.OptInt("allocated_at")) : Json()},
           {"previous_round_id", r.OptInt("previous_round_id") ? Json(*r.OptInt("previous_round_id")) : Json()},
           {"rank_rule", RankRuleJson(r.Text("rank_rule"), static_cast<int>(r.Int("max_ranks")))},
           {"server_now", now}};
  return out;
}

// Seat freed in a section: the first waiting child gets an offer (the seat stays held for it);
// with nobody waiting the seat returns to the pool.
void PassSeat(db::Conn& c, int64_t section_id, int64_t now) {
  auto next = c.QueryOne("SELECT id FROM waitlist WHERE section_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1",
                         {section_id});
  if (next) {
    c.Exec("UPDATE waitlist SET status = 'offered', offered_at = $2, offer_expires_at = $3 WHERE id = $1",
           {next->Int(0), now, now + kOfferWindowMs});
  } else {
    c.Exec(store::kFreeSeat, {section_id});
  }
}

void ExpireOffersIn(db::Conn& c, int64_t now) {
  for (auto& r : c.Query("SELECT id, section_id FROM waitlist WHERE status = 'offered' AND offer_expires_at <= $1",
                         {now})) {
    c.Exec("UPDATE waitlist SET status = 'expired', decided_at = $2 WHERE id = $1 AND status = 'offered'",
           {r.Int(0), now});
    PassSeat(c, r.Int(1), now);
  }
}

}  // namespace

void ClearSeatsCache() {
  std::lock_guard lock(g_seats_mu);
  g_seats.clear();
  std::lock_guard lock2(g_access_mu);
  g_guardian_school.clear();
  ClearEnrolledCache();
}

// ---------------------------------------------------------------- rounds

Result<Json> CreateRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body) {
  Round r;
  BodyReader in(body);
  auto mode_name = in.Text("mode", {.label = "选课方式"});
  KEHOU_TRY(in.Finish());
  auto mode = ParseMode(mode_name.value_or("fcfs"));
  if (!mode) return Invalid("选课方式无效（fcfs 先到先得 / preference 志愿分配）", "mode is fcfs or preference", "mode");
  r.mode = *mode;
  auto g = GradesOf(body);
  if (!g.ok()) return g.error();
  r.grades = *g;
  auto opens = InstantOf(body, "opens_at");
  if (!opens.ok()) return opens.error();
  auto closes = InstantOf(body, "closes_at");
  if (!closes.ok()) return closes.error();
  r.opens_at = *opens;
  if (auto c = CheckClosingTime(*closes, NowMs(), false); !c.ok()) return c.error();
  r.closes_at = *closes;
  // (int-sized bounds; ValidateRound checks the policy limits)
  auto mpc = in.Int("max_per_child", {.min = 0, .max = 1000, .label = "每人可选数"});
  auto mr = in.Int("max_ranks", {.min = 0, .max = 1000, .label = "志愿数"});
  auto term = in.Id("term_id", {.label = "学期"});
  auto prev = in.Id("previous_round_id", {.label = "上一轮"});
  auto rule_in = in.Text("rank_rule", {.max_len = 64, .label = "计分规则"});
  KEHOU_TRY(in.Finish());
  std::string rule = rule_in.value_or(std::string(kDefaultRankRule));
  if (!FindRankRule(rule))
    return Invalid("计分规则无效（可选：equity 重视第一志愿、linear 线性计分、equity_ranks_first、linear_ranks_first）",
                   "unknown rank_rule", "rank_rule");
  r.max_per_child = static_cast<int>(mpc.value_or(1));
  r.max_ranks = static_cast<int>(mr.value_or(kDefaultMaxRanks));
  if (auto s = ValidateRound(r); !s.ok()) return s.error();
  auto name_in = in.Text("name", {.required = true, .max_len = kMaxRoundNameChars, .label = "轮次名称"});
  auto ids_in = in.IdList("section_ids", {.label = "教学班"});
  KEHOU_TRY(in.Finish());
  std::string name = *name_in;
  std::vector<int64_t> section_ids = ids_in.value_or(std::vector<int64_t>{});
  // Preference rounds: the lottery seed is committed now (its hash published), revealed after
  // the allocation (src/allocate/lottery.h).
  std::string seed, commitment;
  if (r.mode == Mode::kPreference) {
    allocate::Seed s = allocate::NewSeed();
    seed = allocate::SeedToHex(s);
    commitment = allocate::SeedCommitment(s);
  }
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (prev && !c.QueryOne("SELECT 1 FROM select_rounds WHERE id = $1 AND school_id = $2", {*prev, *sid}))
      return NotFound("上一轮", "previous round", "previous_round_id");
    // A round belongs to a term: the children enrolled for it choose (select/enrolment.h).
    Round for_term;
    for_term.term_id = term.value_or(0);
    auto rt = TermOfRound(c, *sid, for_term);
    if (!rt.ok()) {
      Error e = rt.error();
      if (term) e = NotFound("学期", "term", "term_id");
      return e;
    }
    int64_t now = NowMs();
    int64_t id = c.Insert(store::kInsertRound,
                          {*sid, rt->id, name, std::string(ModeName(r.mode)), catalog::FormatGrades(r.grades),
                           r.opens_at, r.closes_at, int64_t{r.max_per_child}, int64_t{r.max_ranks},
                           commitment, seed, db::Opt(prev),
                           who.user_id ? db::Value(who.user_id) : db::Null(), now, rule});
    if (section_ids.empty()) {
      // Every section of an approved course open to one of the round's grades (a second round:
      // the sections of the previous round that still have seats).
      std::string sql = "SELECT x.id, c.grades, x.capacity, x.taken FROM sections x JOIN courses c ON c.id = x.course_id"
                        " WHERE x.school_id = $1 AND c.status = 'approved'";
      if (prev) sql += " AND x.id IN (SELECT section_id FROM round_sections WHERE round_id = $2)";
      db::Params p{*sid};
      if (prev) p.emplace_back(*prev);
      for (auto& s : c.Query(sql + " ORDER BY x.id", p)) {
        auto cg = ParseGrades(s.Text(1));
        bool fits = false;
        if (cg.ok())
          for (int gr : r.grades) fits = fits || catalog::GradeIn(gr, *cg);
        if (fits && (!prev || s.Int(3) < s.Int(2))) section_ids.push_back(s.Int(0));
      }
      if (prev && section_ids.empty())
        return Error::RuleBroken("上一轮的教学班已全部满额（或不面向这些年级），没有可补选的名额",
                                 "no section of the previous round has seats left for these grades", "previous_round_id");
    }
    for (int64_t s : section_ids) {
      auto sec = c.QueryOne("SELECT c.status FROM sections x JOIN courses c ON c.id = x.course_id"
                            " WHERE x.id = $1 AND x.school_id = $2",
                            {s, *sid});
      if (!sec) return NotFound("教学班 " + std::to_string(s), "section", "section_ids");
      // Only approved courses are published to rounds (R-CRS 3).
      if (auto open = catalog::CheckCourseOpen(sec->Text(0)); !open.ok()) {
        Error e = open.error();
        e.field = "section_ids";
        return e;
      }
      c.Exec("INSERT INTO round_sections (school_id, round_id, section_id) VALUES ($1,$2,$3)", {*sid, id, s});
    }
    auto row = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {id});
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
    auto row = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {id});
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
    if (body.contains("opens_at")) {
      auto v = InstantOf(body, "opens_at");
      if (!v.ok()) return v.error();
      r.opens_at = *v;
    }
    if (body.contains("closes_at")) {
      auto v = InstantOf(body, "closes_at");
      if (!v.ok()) return v.error();
      auto at = CheckClosingTime(*v, now, true);
      if (!at.ok()) return at.error();
      r.closes_at = *at;
    }
    std::string rule = row->Text("rank_rule");
    if (body.contains("rank_rule") && !(body["rank_rule"].is_string() && body["rank_rule"] == rule)) {
      if (!body["rank_rule"].is_string() || !FindRankRule(body["rank_rule"].get<std::string>()))
        return Invalid("计分规则无效", "unknown rank_rule", "rank_rule");
      // Families rank knowing the rule: it is fixed once the round opens.
      if (now >= row->Int("opens_at"))
        return MakeError(kConflict, "选课开始后不能再更改计分规则", "the rank rule is fixed once the round opens",
                         "rank_rule");
      rule = body["rank_rule"].get<std::string>();
    }
    BodyReader in(body);
    if (auto v = in.Int("max_per_child", {.min = 0, .max = 1000, .label = "每人可选数"})) r.max_per_child = static_cast<int>(*v);
    auto name_in = in.Text("name", {.max_len = kMaxRoundNameChars, .label = "轮次名称"});
    if (in.IsNull("name")) in.Fail("name", "请填写轮次名称", "is required");
    KEHOU_TRY(in.Finish());
    if (name_in && name_in->empty()) return Invalid("请填写轮次名称", "name is required", "name");
    if (auto s = ValidateRound(r); !s.ok()) return s.error();
    std::string name = name_in.value_or(row->Text("name"));
    if (c.Exec("UPDATE select_rounds SET name = $2, opens_at = $3, closes_at = $4, max_per_child = $5, rank_rule = $6"
               " WHERE id = $1 AND allocated_at IS NULL",
               {id, name, r.opens_at, r.closes_at, int64_t{r.max_per_child}, rule}) != 1)
      return CheckNotAllocated(true).error();  // allocated meanwhile
    auto after_row = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {id});
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
      for (auto& r : c.Query("SELECT DISTINCT school_id FROM student_guardians WHERE guardian_id = $1",
                             {who.guardian_id.value_or(-1)}))
        schools.push_back(r.Int(0));
    } else {
      auto sid = auth::ResolveSchool(c, who, school);
      if (!sid.ok()) return sid.error();
      schools.push_back(*sid);
    }
    int64_t now = NowMs();
    Json items = Json::array();
    for (int64_t s : schools)
      for (auto& r : c.Query(std::string("SELECT ") + store::kRoundColumns +
                                 " FROM select_rounds WHERE school_id = $1 ORDER BY opens_at DESC, id DESC",
                             {s}))
        items.push_back(RoundJson(r, now));
    Json out{{"items", items}, {"total", items.size()}, {"server_now", now},
             {"rank_rules", RankRulesJson(kDefaultMaxRanks)}};
    return out;
  });
}

Result<Json> GetRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    int64_t sid = 0;
    if (who.role == auth::Role::kGuardian) {
      auto r = c.QueryOne("SELECT r.school_id FROM select_rounds r WHERE r.id = $1 AND EXISTS (SELECT 1 FROM"
                          " student_guardians sg WHERE sg.guardian_id = $2 AND sg.school_id = r.school_id)",
                          {id, who.guardian_id.value_or(-1)});
      if (!r) return NotFound("选课轮次", "round");
      sid = r->Int(0);
    } else {
      auto s = RoundSchool(c, who, school, id);
      if (!s.ok()) return s.error();
      sid = *s;
    }
    auto row = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {id});
    Json out = RoundJson(*row, NowMs());
    Json sections = Json::array();
    for (auto& s : c.Query(
             "SELECT x.id, x.name, x.capacity, x.taken, c.id AS course_id, c.name AS course_name, c.category, c.grades,"
             " c.slots, c.fee_fen, c.description, c.institution,"
             " (SELECT st.name FROM staff st WHERE st.id = COALESCE(x.teacher_staff_id, c.teacher_staff_id)) AS teacher"
             " FROM round_sections rs JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id"
             " WHERE rs.round_id = $1 ORDER BY c.category, c.name, x.id",
             {id})) {
      Json slots = Json::array();
      if (auto sl = ParseSlots(s.Text("slots")); sl.ok())
        for (auto& x : *sl) slots.push_back({{"weekday", x.weekday}, {"band", x.band}, {"label", catalog::DescribeSlotZh(x)}});
      Json grades = Json::array();
      if (auto g = ParseGrades(s.Text("grades")); g.ok())
        for (int x : *g) grades.push_back(x);
      sections.push_back({{"id", s.Int("id")}, {"name", s.Text("name")}, {"capacity", s.Int("capacity")},
                          {"taken", s.Int("taken")}, {"remaining", s.Int("capacity") - s.Int("taken")},
                          {"course_id", s.Int("course_id")}, {"course_name", s.Text("course_name")},
                          {"category", s.Text("category")},
                          {"category_label", std::string(catalog::CategoryLabelZh(s.Text("category")))},
                          {"grades", grades}, {"slots", slots}, {"fee_fen", s.Int("fee_fen")},
                          {"description", s.Text("description")}, {"teacher_name", s.Text("teacher")},
                          {"institution", s.Text("institution")}});
    }
    out["sections"] = sections;
    (void)sid;
    return out;
  });
}

// ---------------------------------------------------------------- live seats

Result<std::shared_ptr<const SeatsBody>> Seats(db::Db& db, const auth::Principal& who, int64_t round_id) {
  int64_t now = NowMs();
  std::optional<SeatsEntry> hit;
  {
    std::lock_guard lock(g_seats_mu);
    auto it = g_seats.find(round_id);
    if (it != g_seats.end() && now - it->second.fetched_ms < kSeatsCacheMs) hit = it->second;
  }
  if (!hit) {
    SeatsEntry e;
    bool found = db.Read([&](db::Conn& c) {
      auto r = c.QueryOne("SELECT school_id, opens_at, closes_at FROM select_rounds WHERE id = $1", {round_id});
      if (!r) return false;
      e.school_id = r->Int(0);
      Json sections = Json::array();
      for (auto& s : c.Query(store::kSeats, {round_id}))
        sections.push_back({s.Int(0), s.Int(1) - s.Int(2)});  // [section_id, remaining]
      Round rd;
      rd.opens_at = r->Int(1);
      rd.closes_at = r->Int(2);
      auto body = std::make_shared<SeatsBody>();
      std::string dumped = sections.dump();
      body->etag = "\"" + std::to_string(std::hash<std::string>{}(dumped)) + "-" + std::string(PhaseOf(rd, now)) + "\"";
      body->json = "{\"round_id\":" + std::to_string(round_id) + ",\"phase\":\"" + std::string(PhaseOf(rd, now)) +
                   "\",\"as_of\":" + std::to_string(now) + ",\"fields\":[\"section_id\",\"remaining\"],\"sections\":" +
                   dumped + "}";
      e.body = std::move(body);
      return true;
    });
    if (!found) return NotFound("选课轮次", "round");
    e.fetched_ms = now;
    std::lock_guard lock(g_seats_mu);
    g_seats[round_id] = e;
    hit = e;
  }
  // Access: staff of the school (or officers/sysadmin), or a guardian with a child there.
  if (who.role == auth::Role::kGuardian) {
    auto key = std::make_pair(who.guardian_id.value_or(-1), hit->school_id);
    bool ok = false;
    {
      std::lock_guard lock(g_access_mu);
      auto it = g_guardian_school.find(key);
      ok = it != g_guardian_school.end() && now - it->second < kAccessCacheMs;
    }
    if (!ok) {
      ok = db.Read([&](db::Conn& c) {
        return c.QueryOne("SELECT 1 FROM student_guardians WHERE guardian_id = $1 AND school_id = $2", {key.first, key.second})
            .has_value();
      });
      if (!ok) return NotFound("选课轮次", "round");
      std::lock_guard lock(g_access_mu);
      if (g_guardian_school.size() > 200000) g_guardian_school.clear();
      g_guardian_school[key] = now;
    }
  } else if (!who.school_id || *who.school_id != hit->school_id) {
    auto ok = db.Read([&](db::Conn& c) { return auth::ResolveSchool(c, who, hit->school_id); });
    if (!ok.ok()) return NotFound("选课轮次", "round");
  }
  return hit->body;
}

// ---------------------------------------------------------------- take / drop

namespace {

// How often the PostgreSQL take path reads and decides again when the child's seats changed
// between its read and its write (another tap of the same family), before it takes the
// transactional path, which waits for the child's lock instead.
constexpr int kTakeStaleAttempts = 4;

// KEHOU_PG_TAKE=transaction keeps PostgreSQL on the transactional take path (one statement per
// round trip), for an A/B measurement in one sitting (make bench-select).
bool DirectTakeOnPg() {
  static const bool direct = [] {
    const char* v = std::getenv("KEHOU_PG_TAKE");
    return !(v && std::string_view(v) == "transaction");
  }();
  return direct;
}

// PostgreSQL (docs/ARCHITECTURE.md, "Taking a seat on PostgreSQL"): one statement reads what the
// rules need (store::kTakeLoadPg), the same rules as on SQLite decide here, and one call of
// kehou_take_seat (sql/0027, with the key's fingerprint since 0028) writes: two round trips, each its own transaction, so no lock is
// held across the network. nullopt: the child's seats changed between the read and the write.
std::optional<Outcome> TakeSeatDirect(db::Conn& c, const auth::Principal& who, int64_t round_id, int64_t student_id,
                                      int64_t section_id, const std::string& key, std::string_view fingerprint) {
  int64_t now = NowMs();
  auto row = c.QueryOne(store::kTakeLoadPg, {*who.guardian_id, key, student_id, round_id, section_id});
  if (!row) throw db::DbError("take: the read returned no row");
  if (!row->IsNull(0)) return Replay(row->Text(1), row->Text(store::kTakeLoadFingerprint), fingerprint);
  if (row->IsNull(store::kTakeLoadChild)) return Outcome{NotFound("学生", "child", "student_id")};
  db::Row child = Slice(*row, store::kTakeLoadChild, 4);
  int64_t school = child.Int(1);
  if (row->IsNull(store::kTakeLoadRound)) return Outcome{NotFound("选课轮次", "round", "round_id")};
  Round round = store::RoundFrom(*row, store::kTakeLoadRound);
  TakeCheck t;
  t.round = &round;
  t.child_grade = static_cast<int>(child.Int(2));
  t.section_id = section_id;
  t.now = now;
  std::optional<db::Row> sec;
  if (!row->IsNull(store::kTakeLoadSection)) {
    sec = Slice(*row, store::kTakeLoadSection, 9);
    FillSection(t, *sec);
  }
  std::vector<int64_t> held_ids;
  Json held = Json::parse(row->Text(store::kTakeLoadHeld), nullptr, false);
  if (held.is_array())
    for (auto& h : held) {
      t.held.push_back(HeldFrom(h[0].get<int64_t>(), h[1].get<int64_t>(), h[2].get<int64_t>(), h[3].get<std::string>(),
                                h[4].get<std::string>()));
      held_ids.push_back(t.held.back().section_id);
    }
  if (auto s = CanTake(t); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
  if (auto s = CheckEnrolled(c, school, student_id, round, now); !s.ok())
    return Finish(c, who, key, school, s.error(), now, fingerprint);
  std::sort(held_ids.begin(), held_ids.end());
  std::string held_sig;
  for (int64_t id : held_ids) held_sig += (held_sig.empty() ? "" : ",") + std::to_string(id);
  Json body{{"status", "confirmed"},
            {"round_id", round_id},
            {"section_id", section_id},
            {"student_id", student_id},
            {"course_name", t.course_name},
            {"section_name", sec->Text(8)},
            {"confirmed_at", now}};
  Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
  Error full = Full();
  std::string full_answer = Json{{"ok", false}, {"error", ErrorJson(full)}}.dump();
  auto w = c.QueryOne(store::kTakeWritePg,
                      {*who.guardian_id, key.empty() ? db::Null() : db::Value(key), school, student_id, round_id,
                       section_id, held_sig, now, who.user_id ? db::Value(who.user_id) : db::Null(),
                       who.display_name.empty() ? who.login : who.display_name, who.client, who.request_id,
                       body.dump(), audit.dump(), int64_t{ErrorStatus(full.code)}, full_answer, std::string(fingerprint)});
  if (!w) throw db::DbError("take: the write returned no row");
  std::string outcome = w->Text(0);
  if (outcome == "stale") return std::nullopt;
  if (outcome == "replay") return Replay(w->Text(4), w->Text(5), fingerprint);
  if (outcome == "full") return Outcome{full, false};
  body["selection_id"] = w->Int(1);
  body["remaining"] = std::max<int64_t>(0, w->Int(2));
  return Outcome{std::move(body), false};
}

}  // namespace

Outcome TakeSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& key, std::string_view fingerprint) {
  if (!who.guardian_id) return {NotFound("学生", "child", "student_id")};
  if (!key.empty())
    if (auto s = ValidateIdempotencyKey(key); !s.ok()) return {s.error()};
  if (db.dialect() == db::Dialect::kPostgres && DirectTakeOnPg()) {
    for (int attempt = 1; attempt <= kTakeStaleAttempts; ++attempt) {
      try {
        auto o = db.Direct([&](db::Conn& c) { return TakeSeatDirect(c, who, round_id, student_id, section_id, key, fingerprint); });
        if (o) return std::move(*o);
      } catch (const db::DbError& e) {
        // A concurrent double tap with the same key (or a seat in the same slot) won a unique
        // index, or a deadlock: read again and answer from what the winner stored.
        if (!(e.unique_violation || e.retryable) || attempt >= kTakeStaleAttempts) throw;
      }
    }
    // Still changing under us: the transactional path below waits for the child's lock.
  }
  for (int attempt = 1;; ++attempt) {
    try {
      Outcome o = db.Write([&](db::Conn& c) -> Outcome {
        int64_t now = NowMs();
        if (!key.empty())
          if (auto stored = c.QueryOne(store::kFindRequest, {*who.guardian_id, key})) return Replay(stored->Text(1), stored->Text(2), fingerprint);
        auto child = c.QueryOne(store::kChildOfGuardian, {*who.guardian_id, student_id});
        if (!child) return {NotFound("学生", "child", "student_id")};
        int64_t school = child->Int(1);
        if (IsPg(c)) c.Query(store::kLockChildPg, {student_id});
        auto round = store::LoadRound(c, round_id, &school);
        if (!round) return {NotFound("选课轮次", "round", "round_id")};
        TakeCheck t;
        t.round = &*round;
        t.child_grade = static_cast<int>(child->Int(2));
        t.section_id = section_id;
        t.now = now;
        auto sec = c.QueryOne(store::kSectionInRound, {round_id, section_id});
        if (sec) FillSection(t, *sec);
        t.held = LoadHeld(c, school, student_id);
        if (auto s = CanTake(t); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok())
          return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (c.Exec(store::kTakeSeat, {section_id}) != 1) return Finish(c, who, key, school, Full(), now, fingerprint);
        int64_t sel = c.Insert(store::kInsertSelection, {school, round_id, section_id, student_id, std::string("fcfs"),
                                                         who.user_id, now});
        Json body{{"status", "confirmed"},
                  {"selection_id", sel},
                  {"round_id", round_id},
                  {"section_id", section_id},
                  {"student_id", student_id},
                  {"course_name", t.course_name},
                  {"section_name", sec->Text(8)},
                  {"remaining", std::max<int64_t>(0, sec->Int(1) - sec->Int(2) - 1)},
                  {"confirmed_at", now}};
        Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
        auth::Audit(c, who, {"select_take", "selection", sel, nullptr, &audit, school});
        return Finish(c, who, key, school, std::move(body), now, fingerprint);
      });
      return o;
    } catch (const db::DbError& e) {
      // PostgreSQL: a concurrent double tap with the same key (or the same seat) lost the race
      // on a unique index; run again to answer from what the winner stored.
      if (!e.unique_violation || attempt >= 3) throw;
    }
  }
}

Outcome DropSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& key, std::string_view fingerprint) {
  if (!who.guardian_id) return {NotFound("学生", "child", "student_id")};
  if (!key.empty())
    if (auto s = ValidateIdempotencyKey(key); !s.ok()) return {s.error()};
  for (int attempt = 1;; ++attempt) {
    try {
      return db.Write([&](db::Conn& c) -> Outcome {
        int64_t now = NowMs();
        if (!key.empty())
          if (auto stored = c.QueryOne(store::kFindRequest, {*who.guardian_id, key})) return Replay(stored->Text(1), stored->Text(2), fingerprint);
        auto child = c.QueryOne(store::kChildOfGuardian, {*who.guardian_id, student_id});
        if (!child) return {NotFound("学生", "child", "student_id")};
        int64_t school = child->Int(1);
        if (IsPg(c)) c.Query(store::kLockChildPg, {student_id});
        auto round = store::LoadRound(c, round_id, &school);
        if (!round) return {NotFound("选课轮次", "round", "round_id")};
        if (auto s = CheckOpen(*round, now); !s.ok()) return Finish(c, who, key, school, s.error(), now, fingerprint);
        if (round->mode != Mode::kFcfs)
          return Finish(c, who, key, school,
                        MakeError(kRuleBroken, "志愿分配轮次不能自行退选，请联系学校", "ask the school to drop a seat",
                                  "round_id"),
                        now, fingerprint);
        int64_t n = c.Exec(
            "UPDATE selections SET status = 'dropped', dropped_at = $5 WHERE school_id = $1 AND student_id = $2"
            " AND section_id = $3 AND round_id = $4 AND status = 'confirmed'",
            {school, student_id, section_id, round_id, now});
        if (n != 1)
          return Finish(c, who, key, school,
                        MakeError(kNotFound, "本轮没有选上这个教学班", "no seat in this section", "section_id"), now, fingerprint);
        // A dropped seat goes to the section's waiting list first (the next child is offered it
        // with a time window), and back to the pool for everyone only when nobody waits.
        PassSeat(c, section_id, now);
        Json audit{{"round_id", round_id}, {"section_id", section_id}, {"student_id", student_id}};
        auth::Audit(c, who, {"select_drop", "selection", std::nullopt, &audit, nullptr, school});
        Json body{{"status", "dropped"}, {"round_id", round_id}, {"section_id", section_id},
                  {"student_id", student_id}, {"dropped_at", now}};
        return Finish(c, who, key, school, std::move(body), now, fingerprint);
      });
    } catch (const db::DbError& e) {
      if (!e.unique_violation || attempt >= 3) throw;
    }
  }
}

// ---------------------------------------------------------------- the family's view

Result<Json> Mine(db::Db& db, const auth::Principal& who, int64_t round_id) {
  if (!who.guardian_id) return NotFound("选课轮次", "round");
  int64_t now = NowMs();
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto rrow = c.QueryOne(std::string("SELECT ") + store::kRoundColumns + " FROM select_rounds WHERE id = $1", {round_id});
    if (!rrow) return NotFound("选课轮次", "round");
    int64_t school = rrow->Int("school_id");
    auto round = store::LoadRound(c, round_id, nullptr);
    Json children = Json::array();
    bool family_here = false;
    for (auto& ch : c.Query("SELECT st.id, st.name, g.number, cl.name FROM student_guardians sg"
                            " JOIN students st ON st.id = sg.student_id JOIN classes cl ON cl.id = st.class_id"
                            " JOIN grades g ON g.id = cl.grade_id"
                            " WHERE sg.guardian_id = $1 AND sg.school_id = $2 AND st.active = 1 ORDER BY st.id",
                            {*who.guardian_id, school})) {
      family_here = true;
      // Only the children of the round's grades take part (a sibling in another grade does not).
      if (round && std::find(round->grades.begin(), round->grades.end(), static_cast<int>(ch.Int(2))) == round->grades.end())
        continue;
      int64_t sid = ch.Int(0);
      Json seats = Json::array();
      for (auto& s : c.Query("SELECT sel.section_id, x.name, c.name, sel.source, sel.created_at, COALESCE(sel.round_id, 0)"
                             " FROM selections sel JOIN sections x ON x.id = sel.section_id"
                             " JOIN courses c ON c.id = x.course_id"
                             " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed' ORDER BY sel.id",
                             {school, sid}))
        seats.push_back({{"section_id", s.Int(0)}, {"section_name", s.Text(1)}, {"course_name", s.Text(2)},
                         {"source", s.Text(3)}, {"confirmed_at", s.Int(4)}, {"round_id", s.Int(5)}});
      Json prefs = Json::array();
      for (auto& p : c.Query("SELECT p.rank, p.section_id, x.name, c.name FROM select_preferences p"
                             " JOIN sections x ON x.id = p.section_id JOIN courses c ON c.id = x.course_id"
                             " WHERE p.round_id = $1 AND p.student_id = $2 ORDER BY p.rank",
                             {round_id, sid}))
        prefs.push_back({{"rank", p.Int(0)}, {"section_id", p.Int(1)}, {"section_name", p.Text(2)}, {"course_name", p.Text(3)}});
      Json results = Json::array();
      for (auto& r : c.Query("SELECT section_id, rank, placed, lottery, priority, reason FROM select_results"
                             " WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
                             {round_id, sid}))
        results.push_back({{"section_id", r.Int(0)}, {"rank", r.Int(1)}, {"placed", r.Int(2) != 0},
                           {"lottery", r.Int(3)}, {"priority", r.Int(4) != 0},
                           {"reason", Json::parse(r.Text(5), nullptr, false)}});
      Json waits = Json::array();
      for (auto& w : c.Query("SELECT w.id, w.section_id, w.status, w.offer_expires_at,"
                             " (SELECT COUNT(*) FROM waitlist v WHERE v.section_id = w.section_id AND v.status = 'waiting'"
                             "  AND v.id < w.id) AS ahead FROM waitlist w"
                             " WHERE w.student_id = $1 AND w.status IN ('waiting','offered') ORDER BY w.id",
                             {sid}))
        waits.push_back({{"id", w.Int(0)}, {"section_id", w.Int(1)}, {"status", w.Text(2)},
                         {"offer_expires_at", w.OptInt(3) ? Json(*w.OptInt(3)) : Json()},
                         {"position", w.Int(4) + 1}});
      // Whether the child may choose here (enrolled for the round's term), so the page can say so
      // before the family taps.
      Json enrolment{{"enrolled", true}};
      if (round)
        if (auto s = CheckEnrolled(c, school, sid, *round, now); !s.ok())
          enrolment = {{"enrolled", false}, {"message", s.error().message}};
      auto own_limit = c.QueryOne(store::kChildLimit, {round_id, sid});
      children.push_back({{"student_id", sid}, {"name", ch.Text(1)}, {"grade", ch.Int(2)}, {"class_name", ch.Text(3)},
                          {"course_limit", own_limit ? Json(own_limit->Int(0)) : Json()},
                          {"enrolled", enrolment["enrolled"]}, {"enrolment_message", enrolment.value("message", "")},
                          {"seats", seats}, {"preferences", prefs}, {"results", results}, {"waitlist", waits}});
    }
    if (!family_here) return NotFound("选课轮次", "round");
    Json out{{"round", RoundJson(*rrow, now)}, {"children", children}};
    return out;
  });
}

// ---------------------------------------------------------------- office

Result<Json> Report(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id,
                    ReportListing listing) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = RoundSchool(c, who, school, round_id);
    if (!sid.ok()) return sid.error();
    auto round = store::LoadRound(c, round_id, nullptr);
    Json sections = Json::array();
    int64_t seats = 0, taken = 0;
    for (auto& s : c.Query("SELECT x.id, x.name, c.name, x.capacity, x.taken,"
                           " (SELECT COUNT(*) FROM waitlist w WHERE w.section_id = x.id AND w.status = 'waiting')"
                           " FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
                           " JOIN courses c ON c.id = x.course_id WHERE rs.round_id = $1 ORDER BY c.name, x.id",
                           {round_id})) {
      seats += s.Int(3);
      taken += s.Int(4);
      sections.push_back({{"section_id", s.Int(0)}, {"section_name", s.Text(1)}, {"course_name", s.Text(2)},
                          {"capacity", s.Int(3)}, {"taken", s.Int(4)},
                          {"fill_rate", s.Int(3) ? static_cast<double>(s.Int(4)) / static_cast<double>(s.Int(3)) : 0.0},
                          {"waiting", s.Int(5)}});
    }
    // Children of the round's grades: took part (ranked, a seat of the round held or dropped, a
    // waiting list joined from it) without a seat from it, or did not take part at all.
    Json unplaced = Json::array(), absent = Json::array();
    int64_t unplaced_total = 0, absent_total = 0, eligible = 0, took_part = 0;
    const int64_t first = (listing.page - 1) * listing.size;
    for (auto& st : c.Query("SELECT st.id, st.name, cl.name, g.number,"
                            " (SELECT COUNT(*) FROM selections sel WHERE sel.student_id = st.id AND sel.round_id = $2"
                            "  AND sel.status = 'confirmed') AS n,"
                            " (SELECT COUNT(*) FROM select_preferences p WHERE p.student_id = st.id AND p.round_id = $2) AS ranked,"
                            " (SELECT COUNT(*) FROM selections sel WHERE sel.student_id = st.id AND sel.round_id = $2) AS seats_ever,"
                            " (SELECT COUNT(*) FROM waitlist w WHERE w.student_id = st.id AND w.round_id = $2) AS waited,"
                            " st.student_no"
                            " FROM students st JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id"
                            " WHERE st.school_id = $1 AND st.active = 1 ORDER BY g.number, cl.number, st.student_no",
                            {*sid, round_id})) {
      if (!catalog::GradeIn(static_cast<int>(st.Int(3)), round->grades)) continue;
      ++eligible;
      Json row{{"student_id", st.Int(0)}, {"student_no", st.Text(8)}, {"name", st.Text(1)}, {"class_name", st.Text(2)},
               {"grade", st.Int(3)}, {"ranked", st.Int(5)}, {"waiting", st.Int(7)}};
      if (st.Int(5) == 0 && st.Int(6) == 0 && st.Int(7) == 0) {
        ++absent_total;
        if (listing.all) absent.push_back(std::move(row));
        continue;
      }
      ++took_part;
      if (st.Int(4) > 0) continue;
      if (listing.all || (unplaced_total >= first && unplaced_total < first + listing.size))
        unplaced.push_back(std::move(row));
      ++unplaced_total;
    }
    Json out{{"round_id", round_id},
             {"seats", seats},
             {"taken", taken},
             {"fill_rate", seats ? static_cast<double>(taken) / static_cast<double>(seats) : 0.0},
             {"sections", sections},
             {"eligible_children", eligible},
             {"took_part", took_part},
             {"absent_total", absent_total},
             {"unplaced_total", unplaced_total},
             {"page", listing.all ? 1 : listing.page},
             {"page_size", listing.all ? unplaced_total : listing.size},
             {"unplaced", unplaced}};
    if (listing.all) out["absent"] = absent;
    return out;
  });
}

Result<Json> Place(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                   int64_t student_id, std::optional<int64_t> round_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    int64_t now = NowMs();
    auto child = c.QueryOne(store::kChildOfSchool, {student_id, *sid});
    if (!child) return NotFound("学生", "child", "student_id");
    if (IsPg(c)) c.Query(store::kLockChildPg, {student_id});
    auto sec = c.QueryOne(store::kSectionOfSchool, {section_id, *sid});
    if (!sec) return NotFound("教学班", "section", "section_id");
    std::optional<Round> placed_in;
    if (round_id) {
      int64_t school_of_round = *sid;
      placed_in = store::LoadRound(c, *round_id, &school_of_round);
      if (!placed_in) return NotFound("选课轮次", "round", "round_id");
    }
    // By hand too, only an enrolled child gets a seat (nobody is forced in).
    if (auto s = CheckEnrolled(c, *sid, student_id, placed_in.value_or(Round{}), now); !s.ok()) return s.error();
    // The rules of a seat, but the office places outside any round's opening hours.
    Round open;
    open.id = round_id.value_or(0);
    open.opens_at = now - 1;
    open.closes_at = now + 1;
    open.max_per_child = kMaxPerChildLimit;
    open.grades = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    TakeCheck t;
    t.round = &open;
    t.child_grade = static_cast<int>(child->Int(2));
    t.now = now;
    FillSection(t, *sec);
    t.held = LoadHeld(c, *sid, student_id);
    if (auto s = CanTake(t); !s.ok()) return s.error();
    if (auto s = catalog::CheckRoom(sec->Int(2), sec->Int(1)); !s.ok()) return s.error();
    if (c.Exec(store::kTakeSeat, {section_id}) != 1) return Full();
    int64_t sel = c.Insert(store::kInsertSelection, {*sid, db::Opt(round_id), section_id, student_id,
                                                     std::string("manual"), who.user_id, now});
    Json after{{"section_id", section_id}, {"student_id", student_id}, {"round_id", db::Opt(round_id) == db::Null() ? Json() : Json(*round_id)}, {"source", "manual"}};
    auth::Audit(c, who, {"place", "selection", sel, nullptr, &after, *sid});
    if (round_id) Invalidate(*round_id);
    Json out{{"selection_id", sel}, {"section_id", section_id}, {"student_id", student_id}, {"status", "confirmed"}};
    return out;
  });
}

Result<Json> Remove(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                    int64_t student_id) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    int64_t now = NowMs();
    ExpireOffersIn(c, now);
    int64_t n = c.Exec(store::kDropSelection, {*sid, student_id, section_id, now});
    if (n != 1) return NotFound("该生在此教学班的名额", "seat", "student_id");
    PassSeat(c, section_id, now);
    Json before{{"section_id", section_id}, {"student_id", student_id}, {"status", "confirmed"}};
    auth::Audit(c, who, {"remove", "selection", std::nullopt, &before, nullptr, *sid});
    Json out{{"section_id", section_id}, {"student_id", student_id}, {"status", "dropped"}};
    return out;
  });
}

// ---------------------------------------------------------------- waiting lists

Result<Json> JoinWaitlist(db::Db& db, const auth::Principal& who, int64_t section_id, int64_t student_id) {
  if (!who.guardian_id) return NotFound("学生", "child", "student_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    auto child = c.QueryOne(store::kChildOfGuardian, {*who.guardian_id, student_id});
    if (!child) return NotFound("学生", "child", "student_id");
    int64_t school = child->Int(1);
    auto sec = c.QueryOne(store::kSectionOfSchool, {section_id, school});
    if (!sec) return NotFound("教学班", "section", "section_id");
    auto grades = ParseGrades(sec->Text(5));
    if (!grades.ok() || !catalog::GradeIn(static_cast<int>(child->Int(2)), *grades))
      return MakeError(kRuleBroken, "该课程不面向该生所在年级", "the course is not for the child's grade", "section_id");
    if (auto s = CheckEnrolled(c, school, student_id, Round{}, now); !s.ok()) return s.error();
    if (sec->Int(2) < sec->Int(1))
      return MakeError(kConflict, "该教学班尚有空位，请直接选课", "the section has seats; take one", "section_id");
    if (c.QueryOne("SELECT 1 FROM selections WHERE student_id = $1 AND section_id = $2 AND status = 'confirmed'",
                   {student_id, section_id}))
      return MakeError(kRuleBroken, "已在该教学班中", "already in this section", "section_id");
    if (c.QueryOne("SELECT 1 FROM waitlist WHERE student_id = $1 AND section_id = $2 AND status IN ('waiting','offered')",
                   {student_id, section_id}))
      return MakeError(kConflict, "已在候补名单中", "already waiting", "section_id");
    int64_t id = c.Insert("INSERT INTO waitlist (school_id, section_id, student_id, status, created_at)"
                          " VALUES ($1,$2,$3,'waiting',$4) RETURNING id",
                          {school, section_id, student_id, now});
    auto pos = c.QueryOne("SELECT COUNT(*) FROM waitlist WHERE section_id = $1 AND status = 'waiting' AND id <= $2",
                          {section_id, id});
    Json after{{"section_id", section_id}, {"student_id", student_id}};
    auth::Audit(c, who, {"waitlist_join", "waitlist", id, nullptr, &after, school});
    Json out{{"id", id}, {"section_id", section_id}, {"student_id", student_id}, {"status", "waiting"},
             {"position", pos->Int(0)}};
    return out;
  });
}

Result<Json> AnswerOffer(db::Db& db, const auth::Principal& who, int64_t waitlist_id, bool accept) {
  if (!who.guardian_id) return NotFound("候补", "waitlist entry");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    // PostgreSQL: the per-child lock that take, drop and placement hold, taken before the child's
    // seats are read (else an accept racing a take on another server gives two seats in a slot).
    if (IsPg(c))
      if (auto of = c.QueryOne("SELECT w.student_id FROM waitlist w JOIN student_guardians sg"
                               " ON sg.student_id = w.student_id AND sg.guardian_id = $2 WHERE w.id = $1",
                               {waitlist_id, *who.guardian_id}))
        c.Query(store::kLockChildPg, {of->Int(0)});
    ExpireOffersIn(c, now);
    auto w = c.QueryOne("SELECT w.id, w.school_id, w.section_id, w.student_id, w.status FROM waitlist w"
                        " JOIN student_guardians sg ON sg.student_id = w.student_id AND sg.guardian_id = $2"
                        " WHERE w.id = $1",
                        {waitlist_id, *who.guardian_id});
    if (!w) return NotFound("候补", "waitlist entry");
    int64_t school = w->Int(1), section = w->Int(2), student = w->Int(3);
    if (w->Text(4) == "expired") return MakeError(kRuleBroken, "补录名额已过期，已顺延给下一位", "the offer expired");
    if (w->Text(4) != "offered") return MakeError(kConflict, "目前没有待确认的补录名额", "no open offer");
    if (accept) {
      // (declining needs no enrolment: it passes the seat on)
      if (auto s = CheckEnrolled(c, school, student, Round{}, now); !s.ok()) return s.error();
      auto sec = c.QueryOne(store::kSectionOfSchool, {section, school});
      auto child = c.QueryOne(store::kChildOfSchool, {student, school});
      std::vector<catalog::Slot> slots;
      if (auto sl = ParseSlots(sec->Text(6)); sl.ok()) slots = *sl;
      for (auto& h : LoadHeld(c, school, student))
        if (auto clash = catalog::FirstClash(slots, h.slots))
          return MakeError(kRuleBroken,
                           "上课时间冲突：与已选的《" + h.course_name + "》同在" + catalog::DescribeSlotZh(*clash) +
                               "，请先退选或放弃补录",
                           "time clash with " + h.course_name, "waitlist_id");
      (void)child;
      // The seat was held for this offer (taken already counts it).
      int64_t sel = c.Insert(store::kInsertSelection, {school, db::Null(), section, student, std::string("waitlist"),
                                                       who.user_id, now});
      c.Exec("UPDATE waitlist SET status = 'accepted', decided_at = $2 WHERE id = $1", {waitlist_id, now});
      Json after{{"section_id", section}, {"student_id", student}, {"selection_id", sel}};
      auth::Audit(c, who, {"waitlist_accept", "waitlist", waitlist_id, nullptr, &after, school});
      Json out{{"status", "accepted"}, {"selection_id", sel}, {"section_id", section}};
      return out;
    }
    c.Exec("UPDATE waitlist SET status = 'declined', decided_at = $2 WHERE id = $1", {waitlist_id, now});
    PassSeat(c, section, now);
    Json after{{"section_id", section}, {"student_id", student}};
    auth::Audit(c, who, {"waitlist_decline", "waitlist", waitlist_id, nullptr, &after, school});
    Json out{{"status", "declined"}, {"section_id", section}};
    return out;
  });
}

Result<Json> Waitlist(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto sid = auth::ResolveSchool(c, who, school);
    if (!sid.ok()) return sid.error();
    if (!c.QueryOne("SELECT 1 FROM sections WHERE id = $1 AND school_id = $2", {section_id, *sid}))
      return NotFound("教学班", "section");
    Json items = Json::array();
    for (auto& w : c.Query("SELECT w.id, w.student_id, st.name, w.status, w.created_at, w.offer_expires_at FROM waitlist w"
                           " JOIN students st ON st.id = w.student_id WHERE w.section_id = $1"
                           " AND w.status IN ('waiting','offered') ORDER BY w.id",
                           {section_id}))
      items.push_back({{"id", w.Int(0)}, {"student_id", w.Int(1)}, {"name", w.Text(2)}, {"status", w.Text(3)},
                       {"since", w.Int(4)}, {"offer_expires_at", w.OptInt(5) ? Json(*w.OptInt(5)) : Json()}});
    Json out{{"items", items}, {"total", items.size()}, {"offer_window_ms", kOfferWindowMs}};
    return out;
  });
}

void ExpireOffers(db::Db& db, int64_t now) {
  bool any = db.Read([&](db::Conn& c) {
    return c.QueryOne("SELECT 1 FROM waitlist WHERE status = 'offered' AND offer_expires_at <= $1", {now}).has_value();
  });
  if (any) db.Write([&](db::Conn& c) { ExpireOffersIn(c, now); });
}

// ---------------------------------------------------------------- exits (issue 11)

namespace {
// The child's confirmed seats in sections of the exit's term.
constexpr const char* kExitSeats =
    "SELECT sel.id, sel.section_id, sel.round_id FROM selections sel"
    " JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
    " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed'"
    " AND (co.term_id = $3 OR (co.term_id IS NULL AND EXISTS"
    "   (SELECT 1 FROM terms t WHERE t.id = $3 AND t.school_id = $1 AND t.is_current = 1)))"
    " ORDER BY sel.id";
}  // namespace

int ReleaseExitSeats(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e, int64_t now) {
  if (e.today < e.effective_date) return 0;  // a future exit: nothing until its day
  int released = 0;
  std::set<int64_t> rounds;
  for (const auto& r : c.Query(kExitSeats, {e.school_id, e.student_id, e.term_id})) {
    int64_t n = c.Exec("UPDATE selections SET status = 'dropped', dropped_at = $2 WHERE id = $1 AND status = 'confirmed'",
                       {r.Int(0), now});
    if (n != 1) continue;
    PassSeat(c, r.Int(1), now);
    Json before{{"section_id", r.Int(1)}, {"student_id", e.student_id}, {"status", "confirmed"}};
    Json after{{"status", "dropped"}, {"exit_id", e.exit_id}, {"effective_date", FormatDate(e.effective_date)}};
    auth::Audit(c, who, {"exit_release", "selection", r.Int(0), &before, &after, e.school_id});
    if (auto rid = r.OptInt(2)) rounds.insert(*rid);
    ++released;
  }
  for (int64_t rid : rounds) Invalidate(rid);
  return released;
}

void OnExitRecorded(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e) {
  ReleaseExitSeats(c, who, e, NowMs());
}

int ReleaseDueExits(db::Db& db, const Date& today, int64_t now) {
  constexpr const char* kDue =
      "SELECT e.id, e.school_id, e.term_id, e.student_id, e.effective_date FROM exits e"
      " WHERE e.effective_date <= $1 AND EXISTS (SELECT 1 FROM selections sel"
      "   JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
      "   WHERE sel.school_id = e.school_id AND sel.student_id = e.student_id AND sel.status = 'confirmed'"
      "   AND (co.term_id = e.term_id OR (co.term_id IS NULL AND EXISTS"
      "     (SELECT 1 FROM terms t WHERE t.id = e.term_id AND t.is_current = 1))))"
      " ORDER BY e.id";
  std::string day = FormatDate(today);
  bool any = db.Read([&](db::Conn& c) { return !c.Query(kDue, {day}).empty(); });
  if (!any) return 0;
  return db.Write([&](db::Conn& c) {
    auth::Principal system;
    system.role = auth::Role::kSysAdmin;
    system.scope = auth::Scope::kAll;
    system.display_name = "系统";
    system.login = "system";
    int released = 0;
    for (const auto& r : c.Query(kDue, {day})) {
      auto eff = ParseDate(r.Text(4));
      if (!eff) continue;
      enroll::ExitEvent e{r.Int(0), r.Int(1), r.Int(2), r.Int(3), *eff, today};
      released += ReleaseExitSeats(c, system, e, now);
    }
    return released;
  });
}

// ---------------------------------------------------------------- preference rounds

Result<Json> SetPreferences(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                            const std::vector<int64_t>& section_ids, std::optional<int> course_limit) {
  if (!who.guardian_id) return NotFound("学生", "child", "student_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    int64_t now = NowMs();
    auto child = c.QueryOne(store::kChildOfGuardian, {*who.guardian_id, student_id});
    if (!child) return NotFound("学生", "child", "student_id");
    int64_t school = child->Int(1);
    auto round = store::LoadRound(c, round_id, &school);
    if (!round) return NotFound("选课轮次", "round", "round_id");
    if (auto s = CheckNotAllocated(round->allocated); !s.ok()) return s.error();
    if (auto s = CheckOpen(*round, now); !s.ok()) return s.error();
    if (round->mode != Mode::kPreference)
      return MakeError(kRuleBroken, "本轮为先到先得，请直接选课", "this round is first come, first served", "round_id");
    int grade = static_cast<int>(child->Int(2));
    if (!catalog::GradeIn(grade, round->grades))
      return MakeError(kRuleBroken, "本轮选课不面向该生所在年级", "the round is not for the child's grade", "student_id");
    if (auto s = ValidateRanking(section_ids, round->max_ranks); !s.ok()) return s.error();
    if (course_limit && (*course_limit < 1 || *course_limit > round->max_per_child))
      return Invalid("该生最多选几门应为 1-" + std::to_string(round->max_per_child) + "（本轮上限）",
                     "course_limit: 1 to the round's max_per_child", "course_limit");
    if (auto s = CheckEnrolled(c, school, student_id, *round, now); !s.ok()) return s.error();
    for (int64_t sec_id : section_ids) {
      auto sec = c.QueryOne(store::kSectionInRound, {round_id, sec_id});
      if (!sec) return MakeError(kNotFound, "本轮没有教学班 " + std::to_string(sec_id), "section not in round", "section_ids");
      auto g = ParseGrades(sec->Text(5));
      if (!g.ok() || !catalog::GradeIn(grade, *g))
        return MakeError(kRuleBroken, "《" + sec->Text(4) + "》不面向该生所在年级", "a course is not for the child's grade",
                         "section_ids");
    }
    Json before = Json::array();
    for (auto& p : c.Query("SELECT section_id FROM select_preferences WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
                           {round_id, student_id}))
      before.push_back(p.Int(0));
    c.Exec("DELETE FROM select_preferences WHERE round_id = $1 AND student_id = $2", {round_id, student_id});
    Json after = Json::array();
    for (size_t i = 0; i < section_ids.size(); ++i) {
      c.Exec("INSERT INTO select_preferences (school_id, round_id, student_id, rank, section_id, by_user_id, updated_at)"
             " VALUES ($1,$2,$3,$4,$5,$6,$7)",
             {school, round_id, student_id, static_cast<int64_t>(i + 1), section_ids[i], who.user_id, now});
      after.push_back(section_ids[i]);
    }
    auto old_limit = c.QueryOne(store::kChildLimit, {round_id, student_id});
    c.Exec(store::kDeleteChildLimit, {round_id, student_id});
    if (course_limit)
      c.Exec(store::kInsertChildLimit, {school, round_id, student_id, int64_t{*course_limit}, now});
    Json limit_after = course_limit ? Json(*course_limit) : Json();
    Json b{{"student_id", student_id}, {"sections", before}, {"course_limit", old_limit ? Json(old_limit->Int(0)) : Json()}},
        a{{"student_id", student_id}, {"sections", after}, {"course_limit", limit_after}};
    auth::Audit(c, who, {"rank", "select_preferences", round_id, &b, &a, school});
    Json out{{"round_id", round_id}, {"student_id", student_id}, {"section_ids", after},
             {"course_limit", limit_after}, {"saved_at", now}};
    return out;
  });
}

}  // namespace kehou::select
