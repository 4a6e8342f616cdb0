// internal.cpp (select): the helpers internal.h declares.
#include "select/internal.h"

#include "auth/audit.h"
#include "catalog/rules.h"
#include "core/text.h"
#include "core/time.h"
#include "select/store.h"

namespace kehou::select::internal {

using catalog::ParseGrades;
using catalog::ParseSlots;

Error Full() {
  return MakeError(kConflict, "该教学班已满，可加入候补名单", "the section is full; you may join its waiting list",
                   "section_id");
}
bool IsPg(db::Conn& c) { return c.dialect() == db::Dialect::kPostgres; }

std::optional<int64_t> ReadInstant(BodyReader& in, std::string_view key, bool required, std::string_view label) {
  const Json* v = in.Raw(key, required || in.Has(key), label);  // (null: refused as missing)
  if (!v) return std::nullopt;
  if (!v->is_string() || ParseInt(Trim(v->get<std::string>()))) return in.Int(key, {.label = label});
  std::string s = in.Text(key, {.max_len = 40, .label = label}).value_or("");
  bool utc = !s.empty() && (s.back() == 'Z' || s.back() == 'z');
  if (utc) s.pop_back();
  if (in.ok() && s.size() >= 16) {
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
  in.Fail(key, std::string(key) + " 时间格式有误（如 2026-09-01 20:00）", "bad time");
  return std::nullopt;
}

Result<db::Row> ChildOfGuardian(db::Conn& c, const auth::Principal& who, int64_t student_id) {
  auto child = c.QueryOne(store::kChildOfGuardian, {who.guardian_id.value_or(-1), student_id});
  if (!child) return Error::NotFound("学生不存在或无权访问", "no such child", "student_id");
  return std::move(*child);
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

std::vector<Held> LoadHeld(db::Conn& c, int64_t school, int64_t student, int64_t term) {
  std::vector<Held> out;
  for (auto& r : c.Query(store::kHeld, {school, student, term}))
    out.push_back(HeldFrom(r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4)));
  return out;
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

Result<int64_t> RoundSchool(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id) {
  auto sid = auth::ResolveSchool(c, who, school);
  if (!sid.ok()) return sid.error();
  auto r = c.QueryOne("SELECT school_id FROM select_rounds WHERE id = $1 AND school_id = $2", {round_id, *sid});
  if (!r) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
  return *sid;
}

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

}  // namespace kehou::select::internal
