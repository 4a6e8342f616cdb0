#include "timetable/service.h"

#include <algorithm>
#include <map>
#include <set>

#include "auth/audit.h"
#include "catalog/service.h"
#include "core/time.h"
#include "school/service.h"
#include "timetable/internal.h"
#include "timetable/solver.h"
#include "timetable/store.h"

namespace kehou::timetable {
namespace {

using Json = nlohmann::json;

int64_t IntOr(const Json& j, const char* k, int64_t fallback) {
  return j.contains(k) && j[k].is_number_integer() ? j[k].get<int64_t>() : fallback;
}

// The term's time grid: its weekdays (Monday to Friday less the excluded ones) as days and the
// kinds of its service bands as hours. Returns the term, whose dates the duties need.
Result<school::Term> LoadTermGrid(db::Db& db, TermProblem& tp) {
  auto dates = db.Read([&](db::Conn& c) -> Result<std::pair<school::Term, std::vector<school::Band>>> {
    auto t = school::TermOf(c, tp.school_id, tp.term_id);
    if (!t) return Error::NotFound("学期不存在", "no such term", "term");
    return std::make_pair(*t, school::BandsOfTerm(c, tp.school_id, tp.term_id));
  });
  if (!dates.ok()) return dates.error();
  const auto& [term, bands] = *dates;
  Problem& p = tp.problem;
  for (int wd = 1; wd <= 5; ++wd)
    if (std::find(term.dates.excluded_weekdays.begin(), term.dates.excluded_weekdays.end(), wd) ==
        term.dates.excluded_weekdays.end()) {
      tp.weekdays.push_back(wd);
      p.days.push_back("周" + std::string("一二三四五").substr(static_cast<size_t>(wd - 1) * 3, 3));
    }
  std::set<school::BandKind> kinds;
  for (const auto& b : bands) kinds.insert(b.kind);
  for (auto k : kinds) {
    tp.bands.emplace_back(school::BandKindName(k));
    p.hours.emplace_back(school::BandKindLabelZh(k));
  }
  if (p.days.empty() || p.hours.empty())
    return Error::Invalid("学期没有可排课的星期或服务时段", "the term has no weekdays or service bands to use", "term");
  return term;
}

Result<void> LoadRooms(db::Db& db, const auth::Principal& who, TermProblem& tp) {
  KEHOU_ASSIGN_OR_RETURN(Json rooms, school::ListRooms(db, who, tp.school_id, school::RoomQuery{}));
  for (const auto& r : rooms["items"]) {
    tp.room_ids.push_back(r["id"].get<int64_t>());
    tp.problem.rooms.push_back(
        {r["name"].get<std::string>(), static_cast<int>(IntOr(r, "capacity", 0)), r["kind"].get<std::string>(), {}});
  }
  return Ok();
}

// The approved courses of the term (a course without a term belongs to the current one), by id.
Result<std::map<int64_t, Json>> LoadTermCourses(db::Db& db, const auth::Principal& who, const TermProblem& tp) {
  const auto current = db.Read([&](db::Conn& c) { return school::CurrentTerm(c, tp.school_id); });
  const bool is_current = current && current->id == tp.term_id;
  KEHOU_ASSIGN_OR_RETURN(Json courses, catalog::ListCourses(db, who, tp.school_id, Json::object()));
  std::map<int64_t, Json> course_of;
  for (const auto& c : courses["items"]) {
    const bool ours = c["term_id"].is_null() ? is_current : c["term_id"].get<int64_t>() == tp.term_id;
    if (ours && c["status"] == "approved") course_of[c["id"].get<int64_t>()] = c;
  }
  return course_of;
}

// Builds the activities of the term's sections, sharing the atoms of a class and the teachers.
struct SectionAdder {
  TermProblem& tp;
  std::map<int64_t, int> teacher_index, class_atom;

  // Students: the administrative class (sections of one class clash), else the section itself.
  int Atom(const Json& x) {
    Problem& p = tp.problem;
    const size_t S = static_cast<size_t>(p.Slots());
    if (!x["class_id"].is_null()) {
      auto [it, fresh] = class_atom.emplace(x["class_id"].get<int64_t>(), static_cast<int>(p.atoms.size()));
      if (fresh) p.atoms.push_back({"班级 " + std::to_string(it->first), std::vector<bool>(S, false)});
      return it->second;
    }
    p.atoms.push_back({x["name"].get<std::string>(), std::vector<bool>(S, false)});
    return static_cast<int>(p.atoms.size()) - 1;
  }

  // Bands: those of the course's own slots; evening only for junior-middle grades.
  void BlockBands(const Json& course, int atom) {
    Problem& p = tp.problem;
    std::set<std::string> course_bands;
    for (const auto& sl : course["slots"]) course_bands.insert(sl["band"].get<std::string>());
    int top_grade = 0;
    for (const auto& g : course["grades"]) top_grade = std::max(top_grade, g.get<int>());
    for (size_t h = 0; h < tp.bands.size(); ++h) {
      const bool allowed = (course_bands.empty() || course_bands.count(tp.bands[h])) &&
                           (tp.bands[h] != "evening" || top_grade >= kFirstEveningGrade);
      if (!allowed)
        for (int d = 0; d < p.Days(); ++d)
          p.atoms[static_cast<size_t>(atom)].unavailable[static_cast<size_t>(d) * tp.bands.size() + h] = true;
    }
  }

  // The section's teacher, else the course's; none when neither has one.
  std::vector<int> Teachers(const Json& x, const Json& course) {
    const Json& tid = !x["teacher_staff_id"].is_null() ? x["teacher_staff_id"] : course["teacher_staff_id"];
    if (tid.is_null()) return {};
    auto [it, fresh] = teacher_index.emplace(tid.get<int64_t>(), static_cast<int>(tp.problem.teachers.size()));
    if (fresh) {
      std::string name = !x["teacher_staff_id"].is_null() ? x["teacher_name"].get<std::string>()
                                                          : course["teacher_name"].get<std::string>();
      tp.problem.teachers.push_back(
          {name.empty() ? "教师 " + std::to_string(it->first) : name, {}, kTeacherMaxDaysPerWeek, false, {}});
      tp.teacher_ids.push_back(it->first);
    }
    return {it->second};
  }

  // One activity per weekly session, the sessions of a section spread over days as a group.
  void Add(const Json& x, const Json& course) {
    Problem& p = tp.problem;
    ++tp.sections;
    const int64_t section_id = x["id"].get<int64_t>();
    const int atom = Atom(x);
    BlockBands(course, atom);
    const int set = static_cast<int>(p.sets.size());
    p.sets.push_back(
        {p.atoms[static_cast<size_t>(atom)].name, static_cast<int>(IntOr(x, "capacity", 0)), {atom}, 0, -1});
    const std::vector<int> teachers = Teachers(x, course);
    ActivityGroup group{{}, 1, kSectionSpreadWeight, false};
    const int sessions = static_cast<int>(IntOr(course, "sessions_per_week", 1));
    for (int k = 1; k <= sessions; ++k) {
      Activity a;
      a.id = section_id * 100 + k;
      a.group_id = sessions > 1 ? section_id * 100 + 1 : 0;
      a.subject = x["course_name"].get<std::string>();
      a.teachers = teachers;
      a.sets = {set};
      a.size = static_cast<int>(IntOr(x, "capacity", 0));
      a.room_type = course["venue_kind"].get<std::string>();
      if (!x["room_id"].is_null()) {
        auto it = std::find(tp.room_ids.begin(), tp.room_ids.end(), x["room_id"].get<int64_t>());
        if (it != tp.room_ids.end()) a.preferred_rooms = {static_cast<int>(it - tp.room_ids.begin())};
      }
      group.activities.push_back(static_cast<int>(p.activities.size()));
      p.activities.push_back(std::move(a));
      tp.sessions.push_back({section_id, k});
    }
    if (group.activities.size() > 1) p.groups.push_back(std::move(group));
  }
};

Result<void> LoadSections(db::Db& db, const auth::Principal& who, TermProblem& tp) {
  KEHOU_ASSIGN_OR_RETURN(auto course_of, LoadTermCourses(db, who, tp));
  KEHOU_ASSIGN_OR_RETURN(Json sections, catalog::ListSections(db, who, tp.school_id, std::nullopt));
  SectionAdder adder{tp, {}, {}};
  for (const auto& x : sections["items"]) {
    auto cit = course_of.find(x["course_id"].get<int64_t>());
    if (cit != course_of.end()) adder.Add(x, cit->second);
  }
  return Ok();
}

// The stored timetable, as the previous solution (placements that no longer exist are dropped).
void LoadPrevious(db::Db& db, TermProblem& tp) {
  const Problem& p = tp.problem;
  const auto stored = db.Read([&](db::Conn& c) { return store::LoadPlacements(c, tp.school_id, tp.term_id); });
  if (stored.empty()) return;
  tp.previous.assign(p.activities.size(), Placement{});
  for (size_t i = 0; i < tp.sessions.size(); ++i)
    for (const auto& s : stored) {
      if (s.section_id != tp.sessions[i].section_id || s.session_no != tp.sessions[i].session_no) continue;
      auto d = std::find(tp.weekdays.begin(), tp.weekdays.end(), s.weekday);
      auto h = std::find(tp.bands.begin(), tp.bands.end(), s.band);
      if (d == tp.weekdays.end() || h == tp.bands.end()) continue;
      Placement pl{static_cast<int>(d - tp.weekdays.begin()) * p.Hours() + static_cast<int>(h - tp.bands.begin()), -1};
      auto r = s.room_id ? std::find(tp.room_ids.begin(), tp.room_ids.end(), *s.room_id) : tp.room_ids.end();
      if (r != tp.room_ids.end()) pl.room = static_cast<int>(r - tp.room_ids.begin());
      tp.previous[i] = pl;
    }
}

}  // namespace

Result<TermProblem> LoadTermProblem(db::Db& db, const auth::Principal& who, int64_t school_id, int64_t term_id) {
  TermProblem tp;
  tp.school_id = school_id;
  tp.term_id = term_id;
  KEHOU_ASSIGN_OR_RETURN(school::Term term, LoadTermGrid(db, tp));
  KEHOU_TRY(LoadRooms(db, who, tp));
  KEHOU_TRY(LoadSections(db, who, tp));
  // Standby teachers, AB backups and the basic-service groups (duties.cpp).
  db.Read([&](db::Conn& c) {
    internal::AddDuties(c, tp, term.dates.start, term.dates.end);
    return 0;
  });
  LoadPrevious(db, tp);
  db.Read([&](db::Conn& c) {
    internal::AddPreviousDuties(c, tp);
    return 0;
  });
  return tp;
}

Result<nlohmann::json> SaveTermTimetable(db::Db& db, const auth::Principal& who, const TermProblem& tp,
                                         const Assignment& a) {
  Staffing staff;
  AssignStaff(tp.problem, a, tp.previous_staff, staff);
  return SaveTermTimetable(db, who, tp, a, staff);
}

Result<nlohmann::json> SaveTermTimetable(db::Db& db, const auth::Principal& who, const TermProblem& tp,
                                         const Assignment& a, const Staffing& staff) {
  const Problem& p = tp.problem;
  auto staff_id = [&](int t) {
    return t >= 0 ? std::optional<int64_t>(tp.teacher_ids[static_cast<size_t>(t)]) : std::nullopt;
  };
  struct GroupPlace {
    int64_t id;
    std::optional<int64_t> room, supervisor;
  };
  std::vector<GroupPlace> groups;
  std::vector<store::StoredPlacement> rows;
  for (size_t i = 0; i < a.size() && i < tp.sessions.size(); ++i) {
    if (a[i].slot < 0) continue;
    const Staff st = i < staff.size() ? staff[i] : Staff{};
    if (tp.sessions[i].group_id) {
      groups.push_back(
          {tp.sessions[i].group_id,
           a[i].room >= 0 ? std::optional<int64_t>(tp.room_ids[static_cast<size_t>(a[i].room)]) : std::nullopt,
           staff_id(st.teacher)});
      continue;
    }
    store::StoredPlacement r;
    r.backup_staff_id = staff_id(st.backup);
    r.section_id = tp.sessions[i].section_id;
    r.session_no = tp.sessions[i].session_no;
    r.weekday = tp.weekdays[static_cast<size_t>(a[i].slot / p.Hours())];
    r.band = tp.bands[static_cast<size_t>(a[i].slot % p.Hours())];
    if (a[i].room >= 0) r.room_id = tp.room_ids[static_cast<size_t>(a[i].room)];
    const auto& teachers = p.activities[i].teachers;
    if (!teachers.empty()) r.teacher_staff_id = tp.teacher_ids[static_cast<size_t>(teachers.front())];
    rows.push_back(std::move(r));
  }
  return db.Write([&](db::Conn& c) -> Result<Json> {
    store::ReplacePlacements(c, tp.school_id, tp.term_id, rows, NowMs());
    for (const auto& g : groups) store::PlaceGroup(c, tp.school_id, g.id, g.room, g.supervisor);
    int64_t backups = 0;
    for (const auto& r : rows) backups += r.backup_staff_id ? 1 : 0;
    Json after = {{"term_id", tp.term_id},
                  {"sections", tp.sections},
                  {"sessions", rows.size()},
                  {"groups", groups.size()},
                  {"backups", backups}};
    auth::Audit(c, who, {"solve", "timetable", tp.term_id, nullptr, &after, tp.school_id});
    return after;
  });
}

}  // namespace kehou::timetable
