// grid.cpp (timetable): the term as the grid sees it, a move checked against the hard rules (and
// the soft goals), moves and locks written with their audit rows.
#include "timetable/grid.h"

#include <algorithm>

#include "auth/audit.h"
#include "core/body.h"
#include "core/time.h"
#include "staff/service.h"
#include "timetable/grid_internal.h"
#include "timetable/grid_store.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

std::string SlotLabel(const GridTerm& g, int slot) {
  const Problem& p = g.tp.problem;
  return p.days[static_cast<size_t>(slot / p.Hours())] + " " + p.hours[static_cast<size_t>(slot % p.Hours())];
}

std::string Quoted(const Problem& p, int a) { return "「" + p.activities[static_cast<size_t>(a)].subject + "」"; }

std::vector<int> AtomsOf(const Problem& p, const Activity& x) {
  std::vector<int> out;
  for (int s : x.sets)
    for (int at : p.sets[static_cast<size_t>(s)].atoms) out.push_back(at);
  return out;
}

bool Has(const std::vector<int>& v, int x) { return std::find(v.begin(), v.end(), x) != v.end(); }

bool Blocked(const std::vector<bool>& v, int slot) {
  return !v.empty() && static_cast<size_t>(slot) < v.size() && v[static_cast<size_t>(slot)];
}

// The first other activity at `slot` for which pred(b) holds, or -1.
template <class F>
int OtherAt(const Problem& /*p*/, const Assignment& a, int self, int slot, F pred) {
  for (size_t b = 0; b < a.size(); ++b)
    if (static_cast<int>(b) != self && a[b].slot == slot && pred(static_cast<int>(b))) return static_cast<int>(b);
  return -1;
}

// The hard rules `next` breaks more often than `before`, each named with what it meets.
void HardViolations(const GridTerm& g, const Problem& p, const Assignment& next, int i, const Report& before,
                    const Report& after, std::vector<Violation>& out) {
  const Activity& x = p.activities[static_cast<size_t>(i)];
  const Placement pl = next[static_cast<size_t>(i)];
  const std::string at = SlotLabel(g, pl.slot);
  const std::string teacher = x.teachers.empty() ? "" : p.teachers[static_cast<size_t>(x.teachers[0])].name;
  const bool supervising =
      std::any_of(out.begin(), out.end(), [](const Violation& v) { return v.rule == "supervise_clash"; });
  if (after.teacher_clash > before.teacher_clash && !supervising) {  // a supervised group is named already
    int b = OtherAt(p, next, i, pl.slot, [&](int o) {
      for (int t : p.activities[static_cast<size_t>(o)].teachers)
        if (Has(x.teachers, t)) return true;
      return false;
    });
    out.push_back({"teacher_clash", "教师冲突：" + teacher + " 在" + at + "已有" + (b >= 0 ? Quoted(p, b) : "课"),
                   "teacher clash: " + teacher + " already teaches then", false});
  }
  if (after.student_clash > before.student_clash) {
    const auto mine = AtomsOf(p, x);
    int shared = -1;
    int b = OtherAt(p, next, i, pl.slot, [&](int o) {
      for (int a2 : AtomsOf(p, p.activities[static_cast<size_t>(o)]))
        if (Has(mine, a2)) {
          shared = a2;
          return true;
        }
      return false;
    });
    const bool cls = shared >= 0 && p.atoms[static_cast<size_t>(shared)].name.rfind("班级", 0) == 0;
    out.push_back(
        {cls ? "class_clash" : "student_clash",
         std::string(cls ? "班级冲突：该班" : "学生冲突：这些学生") + "在" + at + "已有" +
             (b >= 0 ? Quoted(p, b) : "课"),
         cls ? "class clash: the class has another session then" : "student clash: the students are busy then", false});
  }
  if (after.room_clash > before.room_clash) {
    int b = OtherAt(p, next, i, pl.slot, [&](int o) { return next[static_cast<size_t>(o)].room == pl.room; });
    out.push_back({"room_clash",
                   "教室冲突：" + p.rooms[static_cast<size_t>(pl.room)].name + " 在" + at + "已有" +
                       (b >= 0 ? Quoted(p, b) : "课"),
                   "room clash: the room is taken then", false});
  }
  if (after.teacher_days > before.teacher_days)
    out.push_back(
        {"teacher_days",
         "每位教师每周最多授课 " + std::to_string(kTeacherMaxDaysPerWeek) + " 天：" + teacher + " 已在其他日期授课",
         "a teacher serves on at most " + std::to_string(kTeacherMaxDaysPerWeek) + " days a week", false});
  if (after.not_available > before.not_available) {
    bool unwilling = false;
    for (int t : x.teachers) unwilling = unwilling || Blocked(p.teachers[static_cast<size_t>(t)].unavailable, pl.slot);
    if (unwilling)
      out.push_back({"willingness", "参与意愿：" + teacher + " 不愿在" + at + "授课",
                     "willingness: the teacher is not willing to serve then", false});
    else
      out.push_back({"band_not_allowed", "该课程不能排在" + at + "（课程的服务时段，晚自习仅限初中年级）",
                     "the course may not take this band (its bands; evening only for junior-middle grades)", false});
  }
  if (after.room_fit > before.room_fit) {
    std::string room = pl.room >= 0 ? p.rooms[static_cast<size_t>(pl.room)].name : "无教室";
    int cap = pl.room >= 0 ? p.rooms[static_cast<size_t>(pl.room)].capacity : 0;
    out.push_back({"room_fit",
                   "教室不合适：" + room + "（容量 " + std::to_string(cap) + "）不满足本班 " + std::to_string(x.size) +
                       " 人" + (x.room_type.empty() ? "" : "、场地类型 " + x.room_type),
                   "room does not fit: type or capacity", false});
  }
  if (after.group_days > before.group_days)
    out.push_back(
        {"group_days", "同一课程的课次须在不同日", "sessions of the course must be on different days", false});
}

void SoftViolations(const Report& before, const Report& after, std::vector<Violation>& out) {
  if (after.group_spread > before.group_spread)
    out.push_back({"soft_spread", "软目标：同一课程的课次宜分散在一周的不同日",
                   "soft goal: sessions of one course spread over the week", true});
  if (after.teaching_days > before.teaching_days)
    out.push_back({"soft_days", "软目标：教师的授课天数增加", "soft goal: a teacher teaches on more days", true});
  if (after.non_preferred_room > before.non_preferred_room)
    out.push_back({"soft_room", "软目标：不是该班的首选教室", "soft goal: not the section's preferred room", true});
}

Result<MoveTarget> ParseMove(const Json& body) {
  BodyReader r(body);
  MoveTarget m;
  m.section_id = r.Id("section_id", {.required = true, .label = "教学班"}).value_or(0);
  m.session_no =
      static_cast<int>(r.Int("session_no", {.required = true, .min = 1, .max = 20, .label = "课次"}).value_or(1));
  m.weekday = static_cast<int>(r.Int("weekday", {.required = true, .min = 1, .max = 5, .label = "星期"}).value_or(1));
  m.band = r.Text("band", {.required = true, .max_len = 20, .label = "时段"}).value_or("");
  if (auto v = r.Nullable("room_id", [&] { return r.Id("room_id", {.label = "教室"}); }); v) m.room_id = *v;
  if (auto v = r.Nullable("teacher_staff_id", [&] { return r.Id("teacher_staff_id", {.label = "教师"}); }); v)
    m.teacher_staff_id = *v;
  m.override_soft = r.Bool("override_soft", {.label = "放宽软目标"}).value_or(false);
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return m;
}

// Loads the term for a move; a new teacher is checked at the gate and added to the problem.
Result<GridTerm> LoadForMove(db::Db& db, const auth::Principal& who, int64_t sid, int64_t term_id,
                             const MoveTarget& m) {
  KEHOU_ASSIGN_OR_RETURN(GridTerm g, LoadGridTerm(db, who, sid, term_id));
  if (!m.teacher_staff_id) return g;
  auto& ids = g.tp.teacher_ids;
  if (std::find(ids.begin(), ids.end(), *m.teacher_staff_id) != ids.end()) return g;
  auto added = db.Read([&](db::Conn& c) -> Result<Teacher> {
    KEHOU_TRY(staff::CheckAssignable(c, sid, *m.teacher_staff_id, term_id, TodayLocal()));
    Teacher t{staff::StaffName(c, sid, *m.teacher_staff_id), {}, kTeacherMaxDaysPerWeek, /*standby=*/true, {}};
    ApplyWillingness(g.tp, staff::WillingnessOf(c, sid, *m.teacher_staff_id), t);
    return t;
  });
  if (!added.ok()) return added.error();
  g.tp.problem.teachers.push_back(std::move(*added));
  ids.push_back(*m.teacher_staff_id);
  return g;
}

// The moved session's AB backup, chosen again at its new place by the solver's rules
// (ChooseBackup over the moved timetable and the stored duties); -1 when nobody may.
int BackupAfterMove(const GridTerm& g, const MoveTarget& m, int i, int room) {
  Problem p = g.tp.problem;
  if (m.teacher_staff_id) {
    const auto& ids = g.tp.teacher_ids;
    auto t = std::find(ids.begin(), ids.end(), *m.teacher_staff_id);
    if (t != ids.end()) p.activities[static_cast<size_t>(i)].teachers = {static_cast<int>(t - ids.begin())};
  }
  Assignment next = g.current;
  next[static_cast<size_t>(i)] = {TargetSlot(g.tp, m), room};
  return ChooseBackup(p, next, g.tp.previous_staff, i);
}

// What teacher t does at `slot` in timetable a with duties staff, apart from activity `self`: the activity they teach
// or supervise, or back up; -1 when free. *what names it.
int DutyAt(const Problem& p, const Assignment& a, const Staffing& staff, int self, int t, int slot, std::string* what) {
  for (size_t o = 0; o < a.size(); ++o) {
    if (a[o].slot != slot || static_cast<int>(o) == self) continue;
    const Activity& y = p.activities[o];
    if (Has(y.teachers, t) || (y.open_teacher && staff[o].teacher == t)) {
      *what = y.open_teacher ? "看管" : "授课";
      return static_cast<int>(o);
    }
    if (y.needs_backup && staff[o].backup == t) {
      *what = "担任 AB 岗备岗";
      return static_cast<int>(o);
    }
  }
  return -1;
}

// A move against the stored duties. The section's teacher may not go where they supervise a
// basic-service group (supervise_clash) or back up another session (backup_clash); the session's
// own AB backup may not be teaching, supervising or backing up another session at the new place
// (backup_busy). Otherwise the backup is chosen again as MovePlacement stores it (ChooseBackup:
// willing, within their days); nobody: the evaluation leaves the post aside (the move warns
// no_backup). Leaves in staff[i] the backup the evaluation counts.
void DutyViolations(const GridTerm& g, Problem& p, const Assignment& next, Staffing& staff, int i,
                    std::vector<Violation>& out) {
  Activity& x = p.activities[static_cast<size_t>(i)];
  const int slot = next[static_cast<size_t>(i)].slot;
  const std::string at = SlotLabel(g, slot);
  for (int t : x.teachers) {
    std::string what;
    const int b = DutyAt(p, next, staff, i, t, slot, &what);
    if (b < 0 || Has(p.activities[static_cast<size_t>(b)].teachers, t)) continue;  // teaching: teacher_clash
    const std::string& name = p.teachers[static_cast<size_t>(t)].name;
    if (what == "看管")
      out.push_back({"supervise_clash", "教师冲突：" + name + " 在" + at + "看管" + Quoted(p, b),
                     "teacher clash: " + name + " supervises a basic-service group then", false});
    else
      out.push_back({"backup_clash", "AB岗冲突：" + name + " 在" + at + "是" + Quoted(p, b) + "的备岗教师",
                     "AB backup clash: " + name + " is the AB backup of another session then", false});
  }
  if (!x.needs_backup) return;
  const int keep = staff[static_cast<size_t>(i)].backup;
  if (keep >= 0) {
    std::string what;
    const int b = DutyAt(p, next, staff, i, keep, slot, &what);
    if (b >= 0 || Has(x.teachers, keep)) {
      const std::string& name = p.teachers[static_cast<size_t>(keep)].name;
      out.push_back({"backup_busy",
                     "AB岗冲突：本课次的备岗教师 " + name + " 在" + at + (b >= 0 ? what + Quoted(p, b) : "授本课次"),
                     "AB backup busy: the session's backup " + name + " is on another duty then", false});
      return;  // named once: the evaluation counts the post as it stood
    }
  }
  staff[static_cast<size_t>(i)].backup = ChooseBackup(p, next, staff, i);
  if (staff[static_cast<size_t>(i)].backup < 0) x.needs_backup = false;  // no_backup: a warning, not a refusal
}

Json ViolationsJson(const std::vector<Violation>& v) {
  Json out = Json::array();
  for (const auto& x : v) out.push_back({{"rule", x.rule}, {"message", x.zh}, {"message_en", x.en}, {"soft", x.soft}});
  return out;
}

}  // namespace

int TargetSlot(const TermProblem& tp, const MoveTarget& m) {
  auto d = std::find(tp.weekdays.begin(), tp.weekdays.end(), m.weekday);
  auto h = std::find(tp.bands.begin(), tp.bands.end(), m.band);
  if (d == tp.weekdays.end() || h == tp.bands.end()) return -1;
  return static_cast<int>(d - tp.weekdays.begin()) * tp.problem.Hours() + static_cast<int>(h - tp.bands.begin());
}

int ChosenRoom(const GridTerm& g, const MoveTarget& m, int i) {
  const TermProblem& tp = g.tp;
  const Problem& p = tp.problem;
  const Activity& x = p.activities[static_cast<size_t>(i)];
  if (!x.needs_room) return -1;
  if (m.room_id) {
    auto r = std::find(tp.room_ids.begin(), tp.room_ids.end(), *m.room_id);
    return r == tp.room_ids.end() ? -1 : static_cast<int>(r - tp.room_ids.begin());
  }
  const int slot = TargetSlot(tp, m);
  auto free_then = [&](int r) {
    return OtherAt(p, g.current, i, slot, [&](int o) { return g.current[static_cast<size_t>(o)].room == r; }) < 0;
  };
  const int kept = g.current[static_cast<size_t>(i)].room;
  if (kept >= 0 && RoomFits(p, x, kept) && free_then(kept)) return kept;
  for (int r : x.preferred_rooms)
    if (RoomFits(p, x, r) && free_then(r)) return r;
  for (size_t r = 0; r < p.rooms.size(); ++r)
    if (RoomFits(p, x, static_cast<int>(r)) && free_then(static_cast<int>(r))) return static_cast<int>(r);
  return kept;  // none fits and is free: keep it, the check names the clash
}

int SessionIndex(const TermProblem& tp, int64_t section_id, int session_no) {
  for (size_t i = 0; i < tp.sessions.size(); ++i)
    if (tp.sessions[i].section_id == section_id && tp.sessions[i].session_no == session_no) return static_cast<int>(i);
  return -1;
}

Result<std::vector<Violation>> MoveViolations(const GridTerm& g, const MoveTarget& m) {
  const TermProblem& tp = g.tp;
  const int i = SessionIndex(tp, m.section_id, m.session_no);
  if (i < 0) return Error::NotFound("本学期课表中没有该课次", "no such session in the term's timetable", "section_id");
  if (std::find(tp.weekdays.begin(), tp.weekdays.end(), m.weekday) == tp.weekdays.end())
    return Error::Invalid("该星期不排课（不在服务日内）", "not a service weekday", "weekday");
  if (std::find(tp.bands.begin(), tp.bands.end(), m.band) == tp.bands.end())
    return Error::Invalid("本学期没有该服务时段", "no such band in the term", "band");
  Problem p = tp.problem;
  for (auto& x : p.activities) x.locked_slot = x.locked_room = -1;  // locks are checked apart
  const int slot = TargetSlot(tp, m);
  Activity& x = p.activities[static_cast<size_t>(i)];
  std::vector<Violation> out;
  if (g.locked[static_cast<size_t>(i)])
    out.push_back({"locked", "该课次已锁定，请先解锁再移动", "the session is locked; unlock it first", false});
  if (m.teacher_staff_id) {
    auto t = std::find(tp.teacher_ids.begin(), tp.teacher_ids.end(), *m.teacher_staff_id);
    if (t == tp.teacher_ids.end()) return Error::NotFound("教师不存在", "no such teacher", "teacher_staff_id");
    x.teachers = {static_cast<int>(t - tp.teacher_ids.begin())};
  }
  Assignment next = g.current;
  if (m.room_id && std::find(tp.room_ids.begin(), tp.room_ids.end(), *m.room_id) == tp.room_ids.end())
    return Error::NotFound("教室不存在", "no such room", "room_id");
  next[static_cast<size_t>(i)] = {slot, ChosenRoom(g, m, i)};
  Problem before_p = tp.problem;
  for (auto& y : before_p.activities) y.locked_slot = y.locked_room = -1;
  if (tp.previous_staff.size() != p.activities.size()) {  // no duties stored: the timetable alone
    const Report before = Evaluate(before_p, g.current), after = Evaluate(p, next);
    HardViolations(g, p, next, i, before, after, out);
    SoftViolations(before, after, out);
    return out;
  }
  // With the stored duties (supervisors of basic-service groups, AB backups): a supervisor
  // teaches their group, a backup is on duty then (free of teaching and of other backups) and
  // their day counts toward their days a week (policy in model.h).
  Staffing staff = tp.previous_staff;
  DutyViolations(g, p, next, staff, i, out);
  const Report before = Evaluate(before_p, g.current, tp.previous_staff, {}), after = Evaluate(p, next, staff, {});
  HardViolations(g, p, next, i, before, after, out);
  SoftViolations(before, after, out);
  return out;
}

Result<Json> CheckMove(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                       const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  KEHOU_ASSIGN_OR_RETURN(MoveTarget m, ParseMove(body));
  KEHOU_ASSIGN_OR_RETURN(GridTerm g, LoadForMove(db, who, sid, term_id, m));
  KEHOU_ASSIGN_OR_RETURN(auto v, MoveViolations(g, m));
  const bool hard = std::any_of(v.begin(), v.end(), [](const Violation& x) { return !x.soft; });
  return Json{{"ok", !hard}, {"soft_only", !hard && !v.empty()}, {"violations", ViolationsJson(v)}};
}

Result<Json> MovePlacement(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                           const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  KEHOU_ASSIGN_OR_RETURN(MoveTarget m, ParseMove(body));
  KEHOU_ASSIGN_OR_RETURN(GridTerm g, LoadForMove(db, who, sid, term_id, m));
  KEHOU_ASSIGN_OR_RETURN(auto v, MoveViolations(g, m));
  for (const auto& x : v)
    if (!x.soft) return Error::Conflict(x.zh, x.en, x.rule);
  for (const auto& x : v)
    if (x.soft && !m.override_soft)
      return Error::Conflict(x.zh + "（如确需如此安排，请勾选“放宽软目标”）", x.en + " (set override_soft)", x.rule);
  const int i = SessionIndex(g.tp, m.section_id, m.session_no);
  const Activity& act = g.tp.problem.activities[static_cast<size_t>(i)];
  const Placement old = g.current[static_cast<size_t>(i)];
  std::optional<int64_t> teacher = m.teacher_staff_id;
  if (!teacher && !act.teachers.empty()) teacher = g.tp.teacher_ids[static_cast<size_t>(act.teachers[0])];
  // The room MoveViolations chose (given, kept, or the first fitting free one).
  const int chosen = ChosenRoom(g, m, i);
  std::optional<int64_t> room;
  if (chosen >= 0) room = g.tp.room_ids[static_cast<size_t>(chosen)];
  // The AB backup of the old place may not be free at the new one: it is chosen again by the same
  // rules; when nobody may, the session keeps none and the answer warns by name (no_backup).
  std::optional<int64_t> backup;
  std::string backup_name;
  if (act.needs_backup) {
    const int b = BackupAfterMove(g, m, i, chosen);
    if (b >= 0) {
      backup = g.tp.teacher_ids[static_cast<size_t>(b)];
      backup_name = g.tp.problem.teachers[static_cast<size_t>(b)].name;
    }
  }
  return db.Write([&](db::Conn& c) -> Result<Json> {
    store::StoredPlacement row{m.section_id, m.session_no, m.weekday, m.band, room, teacher, backup};
    grid_store::UpsertPlacement(c, sid, term_id, row, NowMs());
    Json before =
        old.slot >= 0 ? Json{{"weekday", g.tp.weekdays[static_cast<size_t>(old.slot / g.tp.problem.Hours())]},
                             {"band", g.tp.bands[static_cast<size_t>(old.slot % g.tp.problem.Hours())]},
                             {"room_id", old.room >= 0 ? Json(g.tp.room_ids[static_cast<size_t>(old.room)]) : Json()}}
                      : Json{{"placed", false}};
    before["session_no"] = m.session_no;
    Json after{{"session_no", m.session_no},
               {"weekday", m.weekday},
               {"band", m.band},
               {"room_id", room ? Json(*room) : Json()},
               {"teacher_staff_id", teacher ? Json(*teacher) : Json()},
               {"backup_staff_id", backup ? Json(*backup) : Json()},
               {"override_soft", m.override_soft && !v.empty()}};
    if (!v.empty()) {
      Json soft = Json::array();
      for (const auto& x : v) soft.push_back(x.rule);
      after["soft_overridden"] = soft;
    }
    auth::Audit(c, who, {"move", "timetable_placement", m.section_id, &before, &after, sid});
    after["section_id"] = m.section_id;
    after["violations"] = ViolationsJson(v);
    after["backup"] = backup ? Json(backup_name) : Json();
    after["warnings"] = Json::array();
    if (act.needs_backup && !backup)
      after["warnings"].push_back(
          {{"code", "no_backup"},
           {"message",
            "该课次移动后找不到 AB "
            "岗备岗教师（需另一位通过准入、当时空闲、愿意服务且每周不超过服务天数的教师），请另行安排"},
           {"message_en",
            "no AB backup after the move (another gated teacher, free, willing, within the day limit): "
            "arrange one"}});
    return after;
  });
}

Result<Json> SetLock(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                     const Json& body) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, ResolveGridSchool(db, who, school));
  BodyReader r(body);
  const int64_t section = r.Id("section_id", {.required = true, .label = "教学班"}).value_or(0);
  const int session =
      static_cast<int>(r.Int("session_no", {.required = true, .min = 1, .max = 20, .label = "课次"}).value_or(1));
  const bool locked = r.Bool("locked", {.required = true, .label = "锁定"}).value_or(false);
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  KEHOU_ASSIGN_OR_RETURN(GridTerm g, LoadGridTerm(db, who, sid, term_id));
  const int i = SessionIndex(g.tp, section, session);
  if (i < 0) return Error::NotFound("本学期课表中没有该课次", "no such session in the term's timetable", "section_id");
  if (locked && g.current[static_cast<size_t>(i)].slot < 0)
    return Error::Invalid("未排入课表的课次不能锁定", "an unplaced session cannot be locked", "section_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    grid_store::SetLock(c, sid, term_id, section, session, locked, NowMs());
    Json after{{"section_id", section}, {"session_no", session}, {"locked", locked}};
    auth::Audit(c, who, {locked ? "lock" : "unlock", "timetable_placement", section, nullptr, &after, sid});
    return after;
  });
}

}  // namespace kehou::timetable
