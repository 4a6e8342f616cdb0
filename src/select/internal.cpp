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

Result<store::Child> ChildOfGuardian(db::Conn& c, const auth::Principal& who, int64_t student_id) {
  auto child = store::ChildOfGuardian(c, who.guardian_id.value_or(-1), student_id);
  if (!child) return Error::NotFound("学生不存在或无权访问", "no such child", "student_id");
  return std::move(*child);
}

Held HeldFrom(int64_t section_id, int64_t course_id, int64_t round_id, std::string course_name,
              const std::string& slots) {
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
  for (auto& r : store::HeldSeats(c, school, student, term))
    out.push_back(HeldFrom(r.section_id, r.course_id, r.round_id, std::move(r.course_name), r.slots));
  return out;
}

// Fills the course side of a TakeCheck from a section (store::SectionInRound / SectionOfSchool).
void FillSection(TakeCheck& t, const store::Section& s) {
  t.section_in_round = true;
  t.section_id = s.id;
  t.course_id = s.course_id;
  t.course_name = s.course_name;
  auto g = ParseGrades(s.grades);
  if (g.ok()) t.course_grades = *g;
  auto sl = ParseSlots(s.slots);
  if (sl.ok()) t.slots = *sl;
  t.course_status = s.course_status;
}

Result<int64_t> RoundSchool(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id) {
  auto sid = auth::ResolveSchool(c, who, school);
  if (!sid.ok()) return sid.error();
  if (!store::RoundInSchool(c, round_id, *sid)) return Error::NotFound("选课轮次不存在或无权访问", "no such round");
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
  if (auto next = store::FirstWaiting(c, section_id)) {
    c.Exec(store::kOfferSeat, {*next, now, now + kOfferWindowMs});
  } else {
    c.Exec(store::kFreeSeat, {section_id});
  }
}

void ExpireOffersIn(db::Conn& c, int64_t now) {
  for (const auto& o : store::DueOffers(c, now)) {
    c.Exec(store::kExpireOffer, {o.id, now});
    PassSeat(c, o.section_id, now);
  }
}

}  // namespace kehou::select::internal
