#include "demo/timetable.h"

#include <set>
#include <string>

#include "core/time.h"
#include "demo/store.h"
#include "school/service.h"
#include "timetable/grid.h"
#include "timetable/service.h"
#include "timetable/solver.h"

namespace kehou::demo {
namespace {

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
constexpr const char* kGiven[] = {"秀兰", "建国", "玉梅", "志强"};
constexpr int64_t kSupervisorHourlyFen = 5000;  // 50 yuan an hour
constexpr int64_t kSupervisorMaxHours = 6;      // hours a week they are willing to serve

auth::Principal System(int64_t school) {
  auth::Principal p;
  p.role = auth::Role::kSysAdmin;
  p.scope = auth::Scope::kAll;
  p.school_id = school;
  p.login = "demo";
  p.display_name = "演示数据";
  return p;
}

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
      const std::string cur = store::WillBands(c, school_id, tp.teacher_ids[t]).value_or("");
      if (cur.empty()) continue;
      std::set<std::string> all = bands[t];
      for (size_t a = 0, b; a <= cur.size(); a = b + 1) {
        b = cur.find(',', a);
        if (b == std::string::npos) b = cur.size();
        if (b > a) all.insert(cur.substr(a, b - a));
      }
      std::string joined;
      for (const auto& x : all) joined += (joined.empty() ? "" : ",") + x;
      store::SetWillingness(c, school_id, tp.teacher_ids[t], joined, kDemoTeacherWeekdays);
    }
  });
}

// The supervisors: retired teachers with a passed check and a contract over the term, willing on
// every weekday after school.
Result<int64_t> AddSupervisors(db::Db& db, int64_t school) {
  return db.Write([&](db::Conn& c) -> Result<int64_t> {
    auto term = school::CurrentTerm(c, school);
    if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
    const Date today = TodayLocal(), start = term->dates.start, end = term->dates.end;
    const int64_t now = NowMs();
    int64_t n = 0;
    for (int i = 0; i < kDemoSupervisors; ++i) {
      const std::string name = std::string(kSurnames[i % 10]) + kGiven[i / 10 % 4];
      std::string mobile = std::to_string(i);
      mobile = "1990571" + std::string(4 - mobile.size(), '0') + mobile;
      if (store::StaffByMobile(c, school, mobile)) continue;
      const int64_t id =
          store::InsertStaffMember(c, {school, name, i % 2 ? "M" : "F", "retired", "作业辅导", mobile, now});
      store::StaffRecordRow r;
      r.school_id = school;
      r.staff_id = id;
      r.qualifications = "教师资格证（退休返聘）";
      r.check_date = FormatDate(AddDays(today, -30));
      r.check_result = "passed";
      r.check_certificate = "WF" + std::to_string(20270000 + id);
      r.check_valid_until = FormatDate(AddDays(today, 335));
      r.health_valid_until = FormatDate(AddDays(today, 200));
      r.contract_start = FormatDate(AddDays(start, -10));
      r.contract_end = FormatDate(AddDays(end, 30));
      r.hourly_rate_fen = kSupervisorHourlyFen;
      r.will_weekdays = "1,2,3,4,5";
      r.will_bands = "after_school";
      r.will_content = "作业辅导与看护";
      r.will_max_hours = kSupervisorMaxHours;
      r.now = now;
      store::InsertStaffRecord(c, r);
      ++n;
    }
    return n;
  });
}

// One absence: a teacher of a section with a stored backup reports the section's next session.
Result<int64_t> OneAbsence(db::Db& db, int64_t school) {
  auto pick = db.Read([&](db::Conn& c) { return store::SectionWithBackup(c, school); });
  if (!pick) return int64_t{0};
  auth::Principal teacher;
  teacher.role = auth::Role::kTeacher;
  teacher.scope = auth::Scope::kOwnSections;
  teacher.school_id = school;
  teacher.staff_id = pick->teacher_staff_id;
  teacher.login = "demo";
  const int weekday = pick->weekday;
  const Date end = *ParseDate(pick->term_end);
  // The first day from tomorrow on whose weekday the timetable places the section (school open).
  for (Date d = AddDays(TodayLocal(), 1); !(end < d) && d < AddDays(TodayLocal(), timetable::kAbsenceDaysAhead);
       d = AddDays(d, 1)) {
    if (IsoWeekday(d) != weekday) continue;
    auto r = timetable::ReportAbsence(
        db, teacher, school,
        {{"date", FormatDate(d)}, {"section_ids", {pick->section_id}}, {"reason", "外出参加区教研活动"}}, NowMs());
    if (r.ok()) return static_cast<int64_t>((*r)["items"].size());
  }
  return int64_t{0};
}

}  // namespace

Result<DemoTimetable> CreateDemoTimetable(db::Db& db, int64_t school_id) {
  DemoTimetable out;
  KEHOU_ASSIGN_OR_RETURN(out.supervisors, AddSupervisors(db, school_id));
  const auto who = System(school_id);
  auto term = school::CurrentTerm(db, school_id);
  if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
  KEHOU_ASSIGN_OR_RETURN(auto groups, timetable::GenerateGroups(db, who, school_id, term->id, NowMs()));
  out.groups = groups["groups"].get<int64_t>();
  // Solved as the console's 课表 loads the term (willingness a hard rule), after the wishes are
  // widened to the bands the teachers teach (WidenWillingness), so the grid shows no broken rule.
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g0, timetable::LoadGridTerm(db, who, school_id, term->id));
  WidenWillingness(db, school_id, g0.tp);
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g, timetable::LoadGridTerm(db, who, school_id, term->id));
  const timetable::TermProblem& tp = g.tp;
  timetable::SolveOptions o;
  o.seed = 20260901;
  o.seconds = 20;
  const auto r = timetable::Solve(tp.problem, o);
  out.solve_seconds = r.seconds;
  if (!r.solved)
    return Error::Invalid("演示学校的课表无解：" + (r.reasons.empty() ? r.report.Describe() : r.reasons[0].zh),
                          "the demo term has no timetable");
  KEHOU_ASSIGN_OR_RETURN(auto saved, timetable::SaveTermTimetable(db, who, tp, r.assignment, r.staff));
  out.sessions = saved["sessions"].get<int64_t>();
  out.backups = saved["backups"].get<int64_t>();
  KEHOU_ASSIGN_OR_RETURN(out.substitutions, OneAbsence(db, school_id));
  return out;
}

}  // namespace kehou::demo
