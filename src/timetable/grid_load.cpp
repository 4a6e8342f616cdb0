// grid_load.cpp (timetable): the term as the grid and the jobs see it: LoadTermProblem plus the
// teachers' willingness (参与意愿) as unavailable slots and the office's locks.
#include <algorithm>

#include "auth/audit.h"
#include "timetable/grid_internal.h"
#include "timetable/grid_store.h"

namespace kehou::timetable {

Result<int64_t> ResolveGridSchool(db::Db& db, const auth::Principal& who, std::optional<int64_t> school) {
  return db.Read([&](db::Conn& c) { return auth::ResolveSchool(c, who, school); });
}

void ApplyWillingness(const TermProblem& tp, const staff::Willingness& w, Teacher& t) {
  const Problem& p = tp.problem;
  t.unavailable.assign(static_cast<size_t>(p.Slots()), false);
  for (int d = 0; d < p.Days(); ++d)
    for (int h = 0; h < p.Hours(); ++h) {
      const bool day_ok = w.weekdays.empty() || std::find(w.weekdays.begin(), w.weekdays.end(),
                                                          tp.weekdays[static_cast<size_t>(d)]) != w.weekdays.end();
      const bool band_ok = w.bands.empty() ||
                           std::find(w.bands.begin(), w.bands.end(), tp.bands[static_cast<size_t>(h)]) != w.bands.end();
      t.unavailable[static_cast<size_t>(d * p.Hours() + h)] = !(day_ok && band_ok);
    }
}

Result<GridTerm> LoadGridTerm(db::Db& db, const auth::Principal& who, int64_t school_id, int64_t term_id) {
  GridTerm g;
  KEHOU_ASSIGN_OR_RETURN(g.tp, LoadTermProblem(db, who, school_id, term_id));
  Problem& p = g.tp.problem;
  const auto locks = db.Read([&](db::Conn& c) {
    // A teacher the office set on one placement (a move with teacher_staff_id) teaches it.
    for (const auto& row : store::LoadPlacements(c, school_id, term_id)) {
      const int i = SessionIndex(g.tp, row.section_id, row.session_no);
      if (i < 0 || !row.teacher_staff_id) continue;
      auto& ids = g.tp.teacher_ids;
      auto t = std::find(ids.begin(), ids.end(), *row.teacher_staff_id);
      if (t == ids.end()) {
        p.teachers.push_back(
            {staff::StaffName(c, school_id, *row.teacher_staff_id), {}, kTeacherMaxDaysPerWeek, false, {}});
        ids.push_back(*row.teacher_staff_id);
        t = ids.end() - 1;
      }
      p.activities[static_cast<size_t>(i)].teachers = {static_cast<int>(t - ids.begin())};
    }
    for (size_t t = 0; t < p.teachers.size(); ++t)
      ApplyWillingness(g.tp, staff::WillingnessOf(c, school_id, g.tp.teacher_ids[t]), p.teachers[t]);
    return grid_store::Locks(c, school_id, term_id);
  });
  g.stored = !g.tp.previous.empty();
  g.current = g.stored ? g.tp.previous : Assignment(p.activities.size(), Placement{});
  g.locked.assign(p.activities.size(), 0);
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const auto& s = g.tp.sessions[i];
    if (!locks.count({s.section_id, s.session_no}) || g.current[i].slot < 0) continue;
    g.locked[i] = 1;
    p.activities[i].locked_slot = g.current[i].slot;
    p.activities[i].locked_room = g.current[i].room;
  }
  return g;
}

}  // namespace kehou::timetable
