#include "demo/timetable.h"

#include <set>
#include <string>

#include "core/time.h"
#include "timetable/grid.h"
#include "timetable/service.h"
#include "timetable/solver.h"

namespace kehou::demo {
namespace {

constexpr const char* kSurnames[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"};
constexpr const char* kGiven[] = {"秀兰", "建国", "玉梅", "志强"};

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

// The supervisors: retired teachers with a passed check and a contract over the term, willing on
// every weekday after school.
Result<int64_t> AddSupervisors(db::Db& db, int64_t school) {
  return db.Write([&](db::Conn& c) -> Result<int64_t> {
    auto term = c.QueryOne(
        "SELECT start_date, end_date FROM terms WHERE school_id = $1 AND is_current = 1 ORDER BY id DESC", {school});
    if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
    const Date today = TodayLocal(), start = *ParseDate(term->Text(0)), end = *ParseDate(term->Text(1));
    const int64_t now = NowMs();
    int64_t n = 0;
    for (int i = 0; i < kDemoSupervisors; ++i) {
      const std::string name = std::string(kSurnames[i % 10]) + kGiven[i / 10 % 4];
      std::string mobile = std::to_string(i);
      mobile = "1990571" + std::string(4 - mobile.size(), '0') + mobile;
      if (c.QueryOne("SELECT id FROM staff WHERE school_id = $1 AND mobile = $2", {school, mobile})) continue;
      const int64_t id = c.Insert(
          "INSERT INTO staff (school_id, name, gender, kind, subjects, mobile, institution, active, created_at, "
          "updated_at)"
          " VALUES ($1, $2, $3, 'retired', '作业辅导', $4, '', 1, $5, $5) RETURNING id",
          {school, name, std::string(i % 2 ? "M" : "F"), mobile, now});
      c.Exec(
          "INSERT INTO staff_records (school_id, staff_id, qualifications, check_date, check_result, check_certificate,"
          " check_valid_until, health_valid_until, contract_start, contract_end, hourly_rate_fen, will_weekdays,"
          " will_bands, will_content, will_max_hours, updated_at) VALUES ($1, $2, '教师资格证（退休返聘）', $3, "
          "'passed',"
          " $4, $5, $6, $7, $8, 5000, '1,2,3,4,5', 'after_school', '作业辅导与看护', 6, $9)",
          {school, id, FormatDate(AddDays(today, -30)), "WF" + std::to_string(20270000 + id),
           FormatDate(AddDays(today, 335)), FormatDate(AddDays(today, 200)), FormatDate(AddDays(start, -10)),
           FormatDate(AddDays(end, 30)), now});
      ++n;
    }
    return n;
  });
}

// One absence: a teacher of a section with a stored backup reports the section's next session.
Result<int64_t> OneAbsence(db::Db& db, int64_t school) {
  auto pick = db.Read([&](db::Conn& c) {
    return c.QueryOne(
        "SELECT p.section_id, p.teacher_staff_id, p.weekday, t.end_date FROM timetable_placements p"
        " JOIN terms t ON t.id = p.term_id AND t.is_current = 1 JOIN sections x ON x.id = p.section_id"
        " JOIN courses co ON co.id = x.course_id WHERE p.school_id = $1 AND p.backup_staff_id IS NOT NULL"
        " AND p.band = 'after_school' AND p.teacher_staff_id IS NOT NULL ORDER BY p.section_id LIMIT 1",
        {school});
  });
  if (!pick) return int64_t{0};
  auth::Principal teacher;
  teacher.role = auth::Role::kTeacher;
  teacher.scope = auth::Scope::kOwnSections;
  teacher.school_id = school;
  teacher.staff_id = pick->Int(1);
  teacher.login = "demo";
  const int weekday = static_cast<int>(pick->Int(2));
  const Date end = *ParseDate(pick->Text(3));
  // The first day from tomorrow on whose weekday the timetable places the section (school open).
  for (Date d = AddDays(TodayLocal(), 1); !(end < d) && d < AddDays(TodayLocal(), timetable::kAbsenceDaysAhead);
       d = AddDays(d, 1)) {
    if (IsoWeekday(d) != weekday) continue;
    auto r = timetable::ReportAbsence(
        db, teacher, school,
        {{"date", FormatDate(d)}, {"section_ids", {pick->Int(0)}}, {"reason", "外出参加区教研活动"}}, NowMs());
    if (r.ok()) return static_cast<int64_t>((*r)["items"].size());
  }
  return int64_t{0};
}

}  // namespace

Result<DemoTimetable> CreateDemoTimetable(db::Db& db, int64_t school_id) {
  DemoTimetable out;
  KEHOU_ASSIGN_OR_RETURN(out.supervisors, AddSupervisors(db, school_id));
  const auto who = System(school_id);
  auto term = db.Read([&](db::Conn& c) {
    return c.QueryOne("SELECT id FROM terms WHERE school_id = $1 AND is_current = 1 ORDER BY id DESC", {school_id});
  });
  if (!term) return Error::Invalid("演示学校没有当前学期", "the demo school has no current term");
  KEHOU_ASSIGN_OR_RETURN(auto groups, timetable::GenerateGroups(db, who, school_id, term->Int(0), NowMs()));
  out.groups = groups["groups"].get<int64_t>();
  // Solved as the console's 课表 loads the term (willingness a hard rule), after the wishes are
  // widened to the bands the teachers teach (WidenWillingness), so the grid shows no broken rule.
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g0, timetable::LoadGridTerm(db, who, school_id, term->Int(0)));
  WidenWillingness(db, school_id, g0.tp);
  KEHOU_ASSIGN_OR_RETURN(timetable::GridTerm g, timetable::LoadGridTerm(db, who, school_id, term->Int(0)));
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
