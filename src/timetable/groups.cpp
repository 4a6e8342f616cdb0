// groups.cpp (timetable_term): the basic-service groups of a term (service.h), generated from the
// enrolled children's applications and listed with their rooms and supervisors.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "auth/audit.h"
#include "core/body.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "school/service.h"
#include "timetable/basic_groups.h"
#include "timetable/internal.h"
#include "timetable/store.h"

namespace kehou::timetable {
namespace {

using Json = nlohmann::json;

Result<school::Term> TermFor(db::Conn& c, int64_t school, std::optional<int64_t> term_id) {
  std::optional<school::Term> t = term_id ? school::TermOf(c, school, *term_id) : school::CurrentTerm(c, school);
  if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
  return *t;
}

// The bands of basic service the school offers in this term: after-school, noon care and evening
// study when the school's settings say so, each only if the term defines the band.
std::set<std::string> ServiceBands(db::Conn& c, int64_t school, int64_t term) {
  const store::Settings set = store::LoadSettings(c, school);
  std::set<std::string> defined, out;
  for (const auto& b : school::BandsOfTerm(c, school, term)) defined.insert(std::string(school::BandKindName(b.kind)));
  for (const char* b : {"after_school", "noon", "evening"}) {
    const std::string band = b;
    if (!defined.count(band)) continue;
    if ((band == "noon" && !set.noon_care) || (band == "evening" && !set.evening_study)) continue;
    out.insert(band);
  }
  return out;
}

// The groups the enrolled children make now, keyed for comparison with the stored ones.
std::vector<store::StoredGroup> Desired(db::Conn& c, int64_t school, const school::Term& term, int64_t& children) {
  const Date on = internal::GateDay(term.dates.start, term.dates.end);
  std::map<int64_t, store::ChildClass> klass;
  for (const auto& k : store::ClassesOf(c, school)) klass[k.student_id] = k;
  const auto bands = ServiceBands(c, school, term.id);
  std::map<std::pair<int, std::string>, std::vector<GroupChild>> by_slot;
  children = 0;
  for (const auto& e : enroll::ApprovedOf(c, school, term.id, std::nullopt)) {
    if (!enroll::EnrolledOn(enroll::AppStatus::kApproved, e.signed_current_version, e.exit_effective, term.dates.start,
                            term.dates.end, on))
      continue;
    auto k = klass.find(e.student_id);
    if (k == klass.end()) continue;
    ++children;
    for (int wd : e.days) {
      if (wd < 1 || wd > 5 || std::count(term.dates.excluded_weekdays.begin(), term.dates.excluded_weekdays.end(), wd))
        continue;
      for (auto b : e.bands) {
        const std::string band(enroll::BandName(b));
        if (!bands.count(band)) continue;
        if (band == "evening" && k->second.grade < kFirstEveningGrade) continue;
        by_slot[{wd, band}].push_back(
            {e.student_id, k->second.class_id, k->second.grade, k->second.class_name, k->second.grade_name});
      }
    }
  }
  std::vector<store::StoredGroup> out;
  for (auto& [slot, kids] : by_slot)
    for (auto& f : FormGroups(std::move(kids))) {
      store::StoredGroup g;
      g.weekday = slot.first;
      g.band = slot.second;
      g.name = f.name;
      g.grade = f.grade;
      g.class_id = f.class_id;
      g.size = static_cast<int>(f.members.size());
      g.play_reading = f.play_reading;
      g.members = std::move(f.members);
      out.push_back(std::move(g));
    }
  return out;
}

// One group across regenerations: the same slot (weekday, band) and the same class (or mixed group)
// of the same grade, under the same name (a class's split part is in its name).
using GroupKey = std::tuple<int, std::string, int, std::optional<int64_t>, std::string>;
GroupKey Key(const store::StoredGroup& g) { return {g.weekday, g.band, g.grade, g.class_id, g.name}; }

// What a regeneration writes: the stored groups the children no longer make go; a group that stays
// (Key) keeps its id, supervisor and room (the room while it still holds the group) and takes its
// new children; a group the stored ones do not have comes new, without room or supervisor until a
// solve places it.
struct Regeneration {
  std::vector<int64_t> removed;
  std::vector<store::StoredGroup> updated, added;
  int64_t unchanged = 0, rooms_cleared = 0;
  bool Changed() const { return !removed.empty() || !updated.empty() || !added.empty(); }
};

Regeneration Plan(const std::vector<store::StoredGroup>& have, std::vector<store::StoredGroup> want) {
  Regeneration out;
  std::map<GroupKey, const store::StoredGroup*> stored;
  for (const auto& h : have) stored.emplace(Key(h), &h);
  std::set<int64_t> kept;
  for (auto& w : want) {
    auto it = stored.find(Key(w));
    if (it == stored.end()) {
      out.added.push_back(std::move(w));
      continue;
    }
    const store::StoredGroup& h = *it->second;
    kept.insert(h.id);
    if (h.size == w.size && h.play_reading == w.play_reading && h.members == w.members) {
      ++out.unchanged;
      continue;
    }
    w.id = h.id;
    w.supervisor_staff_id = h.supervisor_staff_id;
    if (h.room_id && h.room_capacity >= w.size) w.room_id = h.room_id;
    if (h.room_id && !w.room_id) ++out.rooms_cleared;
    out.updated.push_back(std::move(w));
  }
  for (const auto& h : have)
    if (!kept.count(h.id)) out.removed.push_back(h.id);
  return out;
}

Json GroupJson(const store::StoredGroup& g) {
  return {{"id", g.id},
          {"weekday", g.weekday},
          {"band", g.band},
          {"name", g.name},
          {"grade", g.grade},
          {"class_id", g.class_id ? Json(*g.class_id) : Json(nullptr)},
          {"size", g.size},
          {"play_reading", g.play_reading},
          {"room_id", g.room_id ? Json(*g.room_id) : Json(nullptr)},
          {"room", g.room_name},
          {"supervisor_staff_id", g.supervisor_staff_id ? Json(*g.supervisor_staff_id) : Json(nullptr)},
          {"supervisor", g.supervisor_name}};
}

}  // namespace

Result<Json> ListGroups(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<int64_t> term_id, const Json& filters) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto term, TermFor(c, sid, term_id));
    const int64_t weekday = filters.value("weekday", int64_t{0});
    const std::string band = filters.value("band", "");
    const std::string q = filters.value("q", "");
    const int64_t page = filters.value("page", int64_t{1}), size = filters.value("page_size", int64_t{50});
    Json items = Json::array();
    int64_t total = 0, children = 0;
    for (const auto& g : store::LoadGroups(c, sid, term.id)) {
      if ((weekday && g.weekday != weekday) || (!band.empty() && g.band != band)) continue;
      if (!q.empty() && g.name.find(q) == std::string::npos && g.supervisor_name.find(q) == std::string::npos) continue;
      ++total;
      children += g.size;
      if (total > (page - 1) * size && total <= page * size) items.push_back(GroupJson(g));
    }
    const auto set = store::LoadSettings(c, sid);
    return Json{{"term_id", term.id},
                {"settings", {{"noon_care", set.noon_care}, {"evening_study", set.evening_study}}},
                {"max_group_size", kMaxGroupSize},
                {"items", items},
                {"total", total},
                {"child_places", children}};
  });
}

Result<Json> GenerateGroups(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                            std::optional<int64_t> term_id, int64_t now_ms) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto term, TermFor(c, sid, term_id));
    int64_t children = 0;
    auto want = Desired(c, sid, term, children);
    auto have = store::LoadGroups(c, sid, term.id);
    const auto members = store::LoadGroupMembers(c, sid, term.id);
    for (auto& g : have)
      if (auto it = members.find(g.id); it != members.end()) g.members = it->second;
    const Regeneration plan = Plan(have, std::move(want));
    Json after = {{"term_id", term.id},
                  {"groups", plan.unchanged + static_cast<int64_t>(plan.updated.size() + plan.added.size())},
                  {"children", children},
                  {"changed", plan.Changed()},
                  {"unchanged", plan.unchanged},
                  {"updated", plan.updated.size()},
                  {"added", plan.added.size()},
                  {"removed", plan.removed.size()},
                  {"rooms_cleared", plan.rooms_cleared}};
    if (!plan.Changed()) return after;
    for (int64_t id : plan.removed) store::DeleteGroup(c, sid, id);  // first: a new group may take a freed name
    for (const auto& g : plan.updated) store::UpdateGroup(c, sid, g);
    for (const auto& g : plan.added) store::InsertGroup(c, sid, term.id, g, now_ms);
    Json before = {{"groups", have.size()}};
    auth::Audit(c, who, {"generate", "timetable_groups", term.id, &before, &after, sid});
    return after;
  });
}

Result<Json> SaveGroupSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body,
                               int64_t now_ms) {
  BodyReader r(body);
  const auto noon = r.Bool("noon_care", {.required = true, .label = "午间看护"});
  const auto evening = r.Bool("evening_study", {.required = true, .label = "晚自习看管"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const auto old = store::LoadSettings(c, sid);
    store::Settings s{noon.value_or(false), evening.value_or(false)};
    store::SaveSettings(c, sid, s, now_ms);
    Json before = {{"noon_care", old.noon_care}, {"evening_study", old.evening_study}};
    Json after = {{"noon_care", s.noon_care}, {"evening_study", s.evening_study}};
    auth::Audit(c, who, {"update", "timetable_settings", sid, &before, &after, sid});
    return after;
  });
}

}  // namespace kehou::timetable
