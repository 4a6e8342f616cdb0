#include "demo/timetable.h"

#include <set>
#include <string>

#include "school/service.h"
#include "timetable/grid.h"
#include "timetable/solver.h"

namespace kehou::demo {
namespace {

// The demo's staff records wish for after-school bands only (demo/staff.cpp), while some of the
// teachers run morning or noon care: their wish gains the bands of the courses they teach, as a
// school would record it, and they are willing on every weekday (at most 2 of them are used, the
// 2-days rule), so the term solves with willingness as a hard rule and the grid has free slots.
constexpr const char* kDemoTeacherWeekdays = "1,2,3,4,5";
void WidenWillingness(db::Db& db, int64_t school_id, const timetable::TermProblem& tp) {
  const auto& p = tp.problem;
  std::vector<std::set<std::string>> bands(p.teachers.size());
  for (const auto& x : p.activities)
    for (int t : x.teachers)
      for (int s : x.sets)
        for (int at : p.sets[static_cast<size_t>(s)].atoms)
          for (int h = 0; h < p.Hours(); ++h) {
            const auto& un = p.atoms[static_cast<size_t>(at)].unavailable;
            if (un.empty() || !un[static_cast<size_t>(h)])
              bands[static_cast<size_t>(t)].insert(tp.bands[static_cast<size_t>(h)]);
          }
  db.Write([&](db::Conn& c) {
    for (size_t t = 0; t < bands.size(); ++t) {
      auto row = c.QueryOne("SELECT will_bands FROM staff_records WHERE school_id = $1 AND staff_id = $2",
                            {school_id, tp.teacher_ids[t]});
      if (!row || row->Text(0).empty()) continue;
      std::set<std::string> all = bands[t];
      std::string cur = row->Text(0);
      for (size_t a = 0, b; a <= cur.size(); a = b + 1) {
        b = cur.find(',', a);
        if (b == std::string::npos) b = cur.size();
        if (b > a) all.insert(cur.substr(a, b - a));
      }
      std::string joined;
      for (const auto& x : all) joined += (joined.empty() ? "" : ",") + x;
      c.Exec("UPDATE staff_records SET will_bands = $3, will_weekdays = $4 WHERE school_id = $1 AND staff_id = $2",
             {school_id, tp.teacher_ids[t], joined, std::string(kDemoTeacherWeekdays)});
    }
  });
}

}  // namespace

Result<DemoTimetable> CreateDemoTimetable(db::Db& db, int64_t school_id) {
  DemoTimetable out;
  auth::Principal office;
  db.Read([&](db::Conn& c) {
    if (auto u =
            c.QueryOne("SELECT id, display_name FROM users WHERE login = 'office' AND school_id = $1", {school_id})) {
      office.user_id = u->Int(0);
      office.display_name = u->Text(1);
    }
  });
  if (!office.user_id) return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");
  office.login = "office";
  office.role = auth::Role::kOfficeDirector;
  office.school_id = school_id;
  office.scope = auth::Scope::kSchool;
  office.client = "kehou demo";
  auto term = school::CurrentTerm(db, school_id);
  if (!term) return out;
  out.term_id = term->id;
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g0, timetable::LoadGridTerm(db, office, school_id, term->id));
  WidenWillingness(db, school_id, g0.tp);
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g, timetable::LoadGridTerm(db, office, school_id, term->id));
  out.sessions = static_cast<int64_t>(g.tp.problem.activities.size());
  if (out.sessions == 0) return out;
  timetable::SolveOptions o;
  o.seconds = kDemoSolveSeconds;
  auto r = timetable::Solve(g.tp.problem, o);
  if (!r.solved)
    return MakeError(kInternal, "演示学期排课失败：" + (r.reasons.empty() ? std::string() : r.reasons[0].zh),
                     "the demo term did not solve");
  KEHOU_TRY(timetable::SaveTermTimetable(db, office, g.tp, r.assignment));
  for (const auto& pl : r.assignment) out.placed += pl.slot >= 0;
  return out;
}

}  // namespace kehou::demo
