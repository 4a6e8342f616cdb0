// duties.cpp (timetable_term): standby teachers, AB backups and basic-service groups in a term's
// problem (internal.h).
#include <algorithm>

#include "staff/service.h"
#include "timetable/internal.h"
#include "timetable/store.h"

namespace kehou::timetable::internal {
namespace {

int TeacherIndex(TermProblem& tp, int64_t staff_id, const std::string& name) {
  auto it = std::find(tp.teacher_ids.begin(), tp.teacher_ids.end(), staff_id);
  if (it != tp.teacher_ids.end()) return static_cast<int>(it - tp.teacher_ids.begin());
  Teacher t;
  t.name = name;
  t.max_days = kTeacherMaxDaysPerWeek;
  tp.problem.teachers.push_back(std::move(t));
  tp.teacher_ids.push_back(staff_id);
  return static_cast<int>(tp.teacher_ids.size()) - 1;
}

std::optional<int> IndexOf(const std::vector<int64_t>& ids, std::optional<int64_t> id) {
  if (!id) return std::nullopt;
  auto it = std::find(ids.begin(), ids.end(), *id);
  if (it == ids.end()) return std::nullopt;
  return static_cast<int>(it - ids.begin());
}

}  // namespace

Date GateDay(const Date& start, const Date& end) {
  const Date today = TodayLocal();
  return today < start ? start : (end < today ? end : today);
}

void AddDuties(db::Conn& c, TermProblem& tp, const Date& term_start, const Date& term_end) {
  Problem& p = tp.problem;
  const size_t S = static_cast<size_t>(p.Slots());
  for (const auto& person : staff::ServingStaff(c, tp.school_id, tp.term_id, GateDay(term_start, term_end))) {
    if (!person.gate_ok || (person.kind != "in_school" && person.kind != "retired") || person.subjects.empty())
      continue;
    Teacher& t = p.teachers[static_cast<size_t>(TeacherIndex(tp, person.staff_id, person.name))];
    t.standby = true;
    t.unwilling.assign(S, false);
    for (int d = 0; d < p.Days(); ++d)
      for (int h = 0; h < p.Hours(); ++h) {
        const auto& wd = person.will_weekdays;
        const auto& wb = person.will_bands;
        const bool day_ok =
            wd.empty() || std::find(wd.begin(), wd.end(), tp.weekdays[static_cast<size_t>(d)]) != wd.end();
        const bool band_ok =
            wb.empty() || std::find(wb.begin(), wb.end(), tp.bands[static_cast<size_t>(h)]) != wb.end();
        t.unwilling[static_cast<size_t>(d * p.Hours() + h)] = !(day_ok && band_ok);
      }
  }
  for (auto& x : p.activities) x.needs_backup = true;  // sections (groups come next)
  for (const auto& g : store::LoadGroups(c, tp.school_id, tp.term_id)) {
    auto d = std::find(tp.weekdays.begin(), tp.weekdays.end(), g.weekday);
    auto h = std::find(tp.bands.begin(), tp.bands.end(), g.band);
    if (d == tp.weekdays.end() || h == tp.bands.end()) continue;  // a weekday or band the term no longer has
    Activity x;
    x.id = kGroupActivityBase + g.id;
    x.subject = g.name + "（基础托管）";
    x.size = g.size;
    // Homework and reading: a classroom, function room, library or lab (not a ground or the gym).
    for (size_t r = 0; r < p.rooms.size(); ++r)
      if (p.rooms[r].type != "sports_ground" && p.rooms[r].type != "gym")
        x.allowed_rooms.push_back(static_cast<int>(r));
    x.open_teacher = true;
    x.locked_slot = static_cast<int>(d - tp.weekdays.begin()) * p.Hours() + static_cast<int>(h - tp.bands.begin());
    if (auto r = IndexOf(tp.room_ids, g.class_room_id)) x.preferred_rooms = {*r};
    p.activities.push_back(std::move(x));
    tp.sessions.push_back({0, 0, g.id});
  }
}

void AddPreviousDuties(db::Conn& c, TermProblem& tp) {
  const auto placements = store::LoadPlacements(c, tp.school_id, tp.term_id);
  const auto groups = store::LoadGroups(c, tp.school_id, tp.term_id);
  Staffing staff(tp.sessions.size());
  bool any = false;
  for (size_t i = 0; i < tp.sessions.size(); ++i) {
    const auto& s = tp.sessions[i];
    if (s.group_id) {
      for (const auto& g : groups) {
        if (g.id != s.group_id) continue;
        if (auto t = IndexOf(tp.teacher_ids, g.supervisor_staff_id)) staff[i].teacher = *t, any = true;
        if (!tp.previous.empty())
          tp.previous[i] = {tp.problem.activities[i].locked_slot, IndexOf(tp.room_ids, g.room_id).value_or(-1)};
      }
      continue;
    }
    for (const auto& pl : placements)
      if (pl.section_id == s.section_id && pl.session_no == s.session_no)
        if (auto t = IndexOf(tp.teacher_ids, pl.backup_staff_id)) staff[i].backup = *t, any = true;
  }
  if (any) tp.previous_staff = std::move(staff);
}

}  // namespace kehou::timetable::internal
