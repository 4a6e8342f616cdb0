#include "attendance/service.h"

#include <set>

#include "attendance/cancel.h"
#include "attendance/internal.h"
#include "attendance/retry.h"
#include "attendance/store.h"
#include "auth/audit.h"
#include "catalog/service.h"
#include "core/body.h"
#include "notify/outbox.h"

namespace kehou::attendance {
namespace internal {

Error SessionNotFound() { return Error::NotFound("课程不存在或无权访问", "no such session", "id"); }

Result<Date> DayOf(std::optional<Date> day) { return day.value_or(TodayLocal()); }

std::optional<int64_t> OwnTeacher(const auth::Principal& who) {
  if (who.scope == auth::Scope::kSchool || who.scope == auth::Scope::kAll) return std::nullopt;
  return who.staff_id.value_or(-1);
}

Json SessionJson(const store::Session& s, int64_t now_ms) {
  const bool ended = Ended(s.time, now_ms);
  return {{"section_id", s.section_id},
          {"section", s.section},
          {"course", s.course},
          {"band", s.band},
          {"date", FormatDate(s.time.day)},
          {"start", FormatTimeOfDay(s.time.start)},
          {"end", FormatTimeOfDay(s.time.end)},
          {"teacher", s.teacher},
          {"room", s.room},
          {"ended", ended}};
}

}  // namespace internal

namespace {

using namespace internal;

// The roster's student ids, in roster order (the swipe and leave reads take them).
std::vector<int64_t> RosterIds(const std::vector<catalog::RosterChild>& roster) {
  std::vector<int64_t> ids;
  ids.reserve(roster.size());
  for (const auto& ch : roster) ids.push_back(ch.student_id);
  return ids;
}

struct RosterView {
  Json items = Json::array();
  Json counts = {{"total", 0}, {"present", 0},  {"late", 0},     {"absent", 0},
                 {"leave", 0}, {"unmarked", 0}, {"conflicts", 0}};
};

// A day's leave and swipes, loaded once for all the sessions of the day.
struct DayData {
  std::multimap<int64_t, Leave> leaves;
  std::map<int64_t, std::vector<int64_t>> swipes;
};
DayData LoadDay(db::Conn& c, int64_t school, const Date& day) {
  return {store::LeavesOn(c, school, day), store::SwipesOn(c, school, day)};
}

// The roster with each child's status (the mark, else leave), swipe and conflict.
RosterView BuildRoster(const store::Session& s, const DayData& day, const std::vector<catalog::RosterChild>& roster,
                       const std::map<int64_t, Mark>& marks) {
  RosterView v;
  const auto& leaves = day.leaves;
  const auto& swipes = day.swipes;
  for (const auto& child : roster) {
    bool on_leave = false;
    for (auto [it, end] = leaves.equal_range(child.student_id); it != end; ++it)
      on_leave = on_leave || LeaveCovers(it->second, s.section_id, s.time);
    std::optional<Mark> mark;
    if (auto m = marks.find(child.student_id); m != marks.end()) mark = m->second;
    std::optional<int64_t> swiped;
    if (auto w = swipes.find(child.student_id); w != swipes.end()) swiped = SessionSwipe(s.time, w->second);
    auto shown = ShownStatus(mark, on_leave);
    Conflict conflict = Reconcile(mark, on_leave, swiped.has_value());
    v.items.push_back({{"student_id", child.student_id},
                       {"student_no", child.student_no},
                       {"name", child.name},
                       {"class_name", child.class_name},
                       {"mark", mark ? Json(MarkName(*mark)) : Json()},
                       {"status", shown ? Json(MarkName(*shown)) : Json()},
                       {"on_leave", on_leave},
                       {"swiped_at", swiped ? Json(FormatLocalMinute(*swiped)) : Json()},
                       {"conflict", conflict == Conflict::kNone ? Json() : Json(ConflictName(conflict))}});
    v.counts["total"] = v.counts["total"].get<int>() + 1;
    std::string key = shown ? std::string(MarkName(*shown)) : "unmarked";
    v.counts[key] = v.counts[key].get<int>() + 1;
    if (conflict != Conflict::kNone) v.counts["conflicts"] = v.counts["conflicts"].get<int>() + 1;
  }
  return v;
}
RosterView BuildRoster(db::Conn& c, int64_t school, const store::Session& s, const DayData& day,
                       const std::vector<catalog::RosterChild>& roster) {
  return BuildRoster(s, day, roster, store::MarksOf(c, school, s));
}

// The session found, if the principal may see it (a teacher: only their own; else not_found).
Result<store::Session> Visible(const auth::Principal& who, std::optional<store::Session> s) {
  if (!s) return SessionNotFound();
  if (auto mine = OwnTeacher(who); mine && s->teacher_staff_id != *mine) return SessionNotFound();
  return std::move(*s);
}

Result<store::Session> VisibleSession(db::Conn& c, const auth::Principal& who, int64_t school, int64_t section_id,
                                      const Date& day, const std::string& band) {
  return Visible(who, store::SessionOf(c, school, section_id, day, band));
}

RosterView BuildRoster(db::Conn& c, int64_t school, const store::Session& s, const DayData& day) {
  return BuildRoster(c, school, s, day, catalog::RosterOn(c, school, s.section_id, s.time.day));
}

// One session's roster: its children's swipes only (one statement, the ids as a JSON array
// parameter; the school's whole day is thousands of swipes at the dismissal peak).
Json RosterAnswer(db::Conn& c, int64_t school, const store::Session& s, int64_t now_ms, const auth::Principal& who) {
  auto roster = catalog::RosterOn(c, school, s.section_id, s.time.day);
  const DayData day{store::LeavesOn(c, school, s.time.day), store::SwipesOf(c, school, s.time.day, RosterIds(roster))};
  RosterView v = BuildRoster(c, school, s, day, roster);
  Json session = SessionJson(s, now_ms);
  Editor ed = OwnTeacher(who) ? Editor::kTeacher : Editor::kOffice;
  session["editable"] = CheckRollWindow(s.time, now_ms, ed).ok();
  return {{"session", session}, {"items", v.items}, {"counts", v.counts}};
}

// The messages of an unexcused absence: the child's guardians and class teacher.
void QueueAbsence(db::Conn& c, int64_t school, const store::Session& s, const catalog::RosterChild& child,
                  int64_t now_ms) {
  std::string key = "absent:" + std::to_string(s.section_id) + ":" + FormatDate(s.time.day) + ":" + s.band + ":" +
                    std::to_string(child.student_id);
  std::string title = "缺勤提醒";
  const std::string name = s.section.rfind(s.course, 0) == 0 ? s.section : s.course + " " + s.section;
  std::string body = child.name + " 未请假，" + FormatDate(s.time.day) + " " + FormatTimeOfDay(s.time.start) + " 的「" +
                     name + "」点名为缺勤。请尽快联系学校。";
  for (int64_t g : store::GuardiansOf(c, school, child.student_id))
    notify::Enqueue(c, school, key, {"guardian", g}, title, body, now_ms);
  if (auto t = store::ClassTeacherOf(c, school, child.student_id))
    notify::Enqueue(c, school, key, {"staff", *t}, title, child.class_name + " " + body, now_ms);
}

}  // namespace

Result<Json> ListSessions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                          std::optional<Date> day, int64_t now_ms) {
  const Date d = day.value_or(LocalDate(now_ms));
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Editor ed = OwnTeacher(who) ? Editor::kTeacher : Editor::kOffice;
    Json items = Json::array();
    const DayData data = LoadDay(c, sid, d);
    for (const auto& s : store::SessionsOn(c, sid, d, OwnTeacher(who))) {
      RosterView v = BuildRoster(c, sid, s, data);
      Json j = SessionJson(s, now_ms);
      auto cancelled = CancelledNote(c, sid, s.section_id, d, s.band);  // weather, epidemic (cancel.h)
      j["editable"] = !cancelled && CheckRollWindow(s.time, now_ms, ed).ok();
      j["cancelled"] = cancelled ? Json(*cancelled) : Json();
      j["counts"] = v.counts;
      j["open_alerts"] = store::OpenAlertCount(c, sid, s);
      items.push_back(std::move(j));
    }
    return Json{{"date", FormatDate(d)}, {"items", items}, {"total", items.size()}};
  });
}

Result<Json> SessionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                           std::optional<Date> day, const std::string& band, int64_t now_ms) {
  const Date d = day.value_or(LocalDate(now_ms));
  int64_t school_id = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    school_id = sid;
    KEHOU_ASSIGN_OR_RETURN(auto s, VisibleSession(c, who, sid, section_id, d, band));
    return RosterAnswer(c, sid, s, now_ms, who);
  });
  if (out.ok())
    auth::LogListRead(db, who,
                      {"attendance_roster", "section_id=" + std::to_string(section_id) + "&date=" + FormatDate(d),
                       static_cast<int64_t>((*out)["items"].size()), "", school_id});
  return out;
}

namespace {

// The roll's marks: one per child, each a known status.
Result<std::map<int64_t, Mark>> ReadMarks(const Json& marks_json) {
  std::map<int64_t, Mark> marks;
  for (size_t i = 0; i < marks_json.size(); ++i) {
    const Json& m = marks_json[i];
    if (!m.is_object()) return Error::Invalid("点名结果格式不对", "marks must be objects", "marks");
    BodyReader mr(m, "marks[" + std::to_string(i) + "].");
    auto student = mr.Id("student_id", {.required = true, .label = "学生"});
    auto status = mr.Text("status", {.required = true, .max_len = 10, .label = "出勤状态"});
    KEHOU_TRY(mr.Finish(UnknownFields::kRefuse));
    auto mark = ParseMark(*status);
    if (!mark)
      return Error::Invalid("出勤状态只能是 出勤、迟到、缺勤 或 请假", "status must be present, late, absent or leave",
                            mr.Field("status"));
    if (!marks.emplace(*student, *mark).second)
      return Error::Invalid("同一学生出现了两次", "a student is named twice", mr.Field("student_id"));
  }
  return marks;
}

}  // namespace

namespace {

// A roll save as checked before its writes (see SaveRoll): the session, its roster, the day's leave
// and the roster's swipes (for the answer), whether the edit is late and the session still editable.
struct RollPlan {
  int64_t school = 0;
  store::Session s;
  std::vector<catalog::RosterChild> roster;
  DayData day;
  bool late_edit = false;
  bool editable = false;
};

Error CancelledError(const std::string& note) {
  return Error::RuleBroken("该课后服务已停课：" + note, "the session is cancelled: " + note, "date");
}

// The checks of a roll save (on a reader on PostgreSQL, inside the write on SQLite): session visible
// (a teacher: their own), in its window, the whole roster marked and no one else. Not cancelled is
// checked by the write itself (`store::RollStateOf`, in the same statement as the marks): it must be
// checked there anyway (a cancellation committed after the plan), so a plan that passes does not
// read it too; a plan that refuses reads it, so a cancelled session is still refused as cancelled
// first (before its window or roster). The day's leave is read with the session and its roster
// (`store::SessionWithRosterOf`: one round trip on PostgreSQL).
Result<RollPlan> PlanRoll(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                          const Date& day, const std::string& band, const std::map<int64_t, Mark>& marks,
                          int64_t now_ms) {
  KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
  auto found = store::SessionWithRosterOf(c, sid, section_id, day, band);  // one round trip
  KEHOU_ASSIGN_OR_RETURN(auto s, Visible(who, std::move(found.session)));
  const Editor ed = OwnTeacher(who) ? Editor::kTeacher : Editor::kOffice;
  const auto refuse = [&](Error e) -> Error {
    if (auto note = CancelledNote(c, sid, section_id, day, s.band)) return CancelledError(*note);
    return e;
  };
  if (auto w = CheckRollWindow(s.time, now_ms, ed); !w.ok()) return refuse(w.error());
  auto roster = std::move(found.roster);
  std::set<int64_t> on_roster;
  for (const auto& ch : roster) {
    on_roster.insert(ch.student_id);
    if (!marks.count(ch.student_id))
      return refuse(Error::Invalid("整份名单一次提交：" + ch.name + " 还没有点名",
                                   "every child of the roster must be marked", "marks"));
  }
  for (const auto& [id, m] : marks)
    if (!on_roster.count(id))
      return refuse(Error::Invalid("学生 " + std::to_string(id) + " 不在本节课的名单上",
                                   "a student is not on the roster", "marks"));
  DayData data;
  data.leaves = std::move(found.leaves);
  const bool late_edit = Ended(s.time, now_ms);
  const bool editable = CheckRollWindow(s.time, now_ms, ed).ok();
  return RollPlan{sid, std::move(s), std::move(roster), std::move(data), late_edit, editable};
}

// Whether a leave of the day covers the child for the plan's session.
bool OnLeave(const RollPlan& p, int64_t student_id) {
  bool on_leave = false;
  for (auto [it, end] = p.day.leaves.equal_range(student_id); it != end; ++it)
    on_leave = on_leave || LeaveCovers(it->second, p.s.section_id, p.s.time);
  return on_leave;
}

// The roll written inside the write transaction: one statement reads the session's marks, open
// alerts and cancellation (checked again: a cancellation committed since the plan refuses), one
// upserts the changed marks, then the alerts (rare: per child) and the audit row.
Status WriteRoll(db::Conn& c, const auth::Principal& who, const RollPlan& p, const std::map<int64_t, Mark>& marks,
                 int64_t now_ms) {
  const int64_t sid = p.school;
  const store::Session& s = p.s;
  const store::RollState state = store::RollStateOf(c, sid, s);
  if (state.cancelled) return CancelledError(*state.cancelled);
  Json changed_before = Json::object(), changed_after = Json::object();
  std::map<int64_t, Mark> changed;
  for (const auto& ch : p.roster) {
    const Mark m = marks.at(ch.student_id);
    auto old = state.marks.find(ch.student_id);
    if (old != state.marks.end() && old->second == m) continue;
    std::string k = std::to_string(ch.student_id);
    changed_before[k] = old == state.marks.end() ? Json() : Json(MarkName(old->second));
    changed_after[k] = MarkName(m);
    changed.emplace(ch.student_id, m);
  }
  store::PutMarks(c, sid, s, changed, who.user_id, now_ms);
  int alerts = 0;
  for (const auto& ch : p.roster) {
    auto m = changed.find(ch.student_id);
    if (m == changed.end()) continue;
    if (UnexcusedAbsence(m->second, OnLeave(p, ch.student_id))) {
      if (store::OpenAlert(c, sid, s, ch.student_id, now_ms)) {
        QueueAbsence(c, sid, s, ch, now_ms);
        ++alerts;
      }
    } else if (state.open_alerts.count(ch.student_id)) {
      store::ResolveSessionAlert(c, sid, s, ch.student_id, "点名更正为" + std::string(MarkLabelZh(m->second)),
                                 who.user_id, now_ms);
    }
  }
  Json b{{"date", FormatDate(s.time.day)}, {"band", s.band}, {"marks", changed_before}};
  Json a{{"date", FormatDate(s.time.day)}, {"band", s.band}, {"marks", changed_after}, {"alerts", alerts}};
  auth::Audit(c, who,
              {p.late_edit ? "roll_call_late_edit" : "roll_call", "attendance_session", s.section_id, &b, &a, sid});
  return {};
}

// PostgreSQL: WriteRoll as ONE call that commits on its own (store::SaveRollDirect, sql/0590:
// kehou_save_roll), one round trip instead of five (BEGIN, state, marks, audit, COMMIT). The same
// answers as WriteRoll: a cancelled session refuses, only the changed marks are written, the same
// audit row; the roster's swipes of the day (for the answer) come back in the same round trip, into
// `p.day.swipes`. False (nothing written) when the save opens or resolves an absence alert: the
// caller then runs WriteRoll's transaction, which queues the messages by notify's rules. A deadlock
// or serialization failure (nothing written: one implicit transaction) is run again, as Db::Write does.
Result<bool> WriteRollDirect(db::Db& db, const auth::Principal& who, RollPlan& p, const std::map<int64_t, Mark>& marks,
                             int64_t now_ms) {
  std::vector<store::RollMarkIn> rows;
  rows.reserve(p.roster.size());
  for (const auto& ch : p.roster) {
    const Mark m = marks.at(ch.student_id);
    rows.push_back({ch.student_id, m, UnexcusedAbsence(m, OnLeave(p, ch.student_id))});
  }
  const store::RollSaveAudit audit{p.late_edit ? "roll_call_late_edit" : "roll_call",
                                   who.display_name.empty() ? who.login : who.display_name, who.client, who.request_id};
  auto out = WithRetries([&] {
    return db.Direct(
        [&](db::Conn& c) { return store::SaveRollDirect(c, p.school, p.s, rows, who.user_id, now_ms, audit); });
  });
  if (out.outcome == store::DirectRoll::kCancelled) return CancelledError(out.note);
  if (out.outcome != store::DirectRoll::kSaved) return false;
  p.day.swipes = std::move(out.swipes);
  return true;
}

}  // namespace

Result<Json> SaveRoll(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                      const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto day = r.Date("date", {.required = true, .label = "日期"});
  auto band = r.Text("band", {.max_len = 20, .label = "时段"});
  const Json* marks_json = r.Raw("marks", true, "点名结果", Json::value_t::array);
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  KEHOU_ASSIGN_OR_RETURN(auto marks, ReadMarks(*marks_json));
  // On PostgreSQL the checks (with the day's leave) are read on a reader before the write, in one
  // round trip (`store::SessionWithRosterOf`): each statement of a write is a round trip while it
  // holds a write connection. The write itself is one call (state, marks, audit: WriteRollDirect,
  // sql/0590) with the roster's swipes for the answer in the same round trip: a save is two round
  // trips. On SQLite the checks run inside the write, on the one writer, as before: its statements
  // run in-process on a warm page cache, while a reader starting after any commit re-reads every
  // page it needs (SQLite drops a connection's cache when the database changed): measured,
  // sequential saves took 1.3-1.8 ms checked in the write and 1.9-5.3 ms checked on a reader first.
  // The roster's swipes are then read on a reader after the commit (outside the one writer), as
  // they are after a PostgreSQL save that ran WriteRoll's transaction (an absence alert).
  const bool on_reader = db.dialect() == db::Dialect::kPostgres;
  const auto plan_in = [&](db::Conn& c) {
    return PlanRoll(c, who, school, section_id, *day, band.value_or(""), marks, now_ms);
  };
  std::optional<RollPlan> planned;
  if (on_reader) {
    KEHOU_ASSIGN_OR_RETURN(RollPlan p, db.Read(plan_in));
    planned = std::move(p);
  }
  // On PostgreSQL the write is one call (WriteRollDirect) unless the save opens or resolves an alert.
  bool written = false;
  if (on_reader) {
    KEHOU_ASSIGN_OR_RETURN(written, WriteRollDirect(db, who, *planned, marks, now_ms));
  }
  if (!written) {
    KEHOU_TRY(db.Write([&](db::Conn& c) -> Status {
      if (!on_reader) {
        KEHOU_ASSIGN_OR_RETURN(RollPlan p, plan_in(c));
        planned = std::move(p);
      }
      return WriteRoll(c, who, *planned, marks, now_ms);
    }));
  }
  RollPlan& plan = *planned;
  if (!written)
    plan.day.swipes =
        db.Read([&](db::Conn& c) { return store::SwipesOf(c, plan.school, plan.s.time.day, RosterIds(plan.roster)); });
  // The answer: the marks just saved (the whole roster), the day's leave and the roster's swipes.
  RosterView v = BuildRoster(plan.s, plan.day, plan.roster, marks);
  Json session = SessionJson(plan.s, now_ms);
  session["editable"] = plan.editable;
  return Json{{"session", session}, {"items", v.items}, {"counts", v.counts}};
}

Result<Json> Board(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, std::optional<Date> day) {
  const Date d = day.value_or(TodayLocal());
  int64_t school_id = 0;
  auto out = db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    school_id = sid;
    Json totals = {{"sessions", 0}, {"total", 0}, {"present", 0},  {"late", 0},
                   {"absent", 0},   {"leave", 0}, {"unmarked", 0}, {"conflicts", 0}};
    const DayData data = LoadDay(c, sid, d);
    for (const auto& s : store::SessionsOn(c, sid, d)) {
      RosterView v = BuildRoster(c, sid, s, data);
      totals["sessions"] = totals["sessions"].get<int>() + 1;
      for (auto& [k, n] : v.counts.items()) totals[k] = totals[k].get<int>() + n.get<int>();
    }
    totals["swipes"] = store::SwipeCount(c, sid, d);
    Json alerts = Json::array();
    for (const auto& a : store::OpenAlertsOfSchool(c, sid))
      alerts.push_back({{"id", a.id},
                        {"date", a.day},
                        {"band", a.band},
                        {"section_id", a.section_id},
                        {"section", a.section},
                        {"course", a.course},
                        {"student_id", a.student_id},
                        {"student_name", a.student_name},
                        {"class_name", a.class_name},
                        {"created_at", FormatLocalMinute(a.created_at)}});
    return Json{{"date", FormatDate(d)}, {"totals", totals}, {"alerts", alerts}};
  });
  if (out.ok())
    auth::LogListRead(
        db, who,
        {"attendance_board", "date=" + FormatDate(d), static_cast<int64_t>((*out)["alerts"].size()), "", school_id});
  return out;
}

Result<Json> ResolveAlert(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto note = r.Text("note", {.required = true, .max_len = 200, .multiline = true, .label = "处理说明"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto status = store::AlertStatus(c, sid, id);
    if (!status) return Error::NotFound("缺勤提醒不存在", "no such alert", "id");
    if (*status != "open") return Error::Conflict("该缺勤提醒已处理", "the alert is resolved already", "id");
    store::ResolveAlert(c, sid, id, *note, who.user_id ? std::optional<int64_t>(who.user_id) : std::nullopt, now_ms);
    Json b{{"status", "open"}}, a{{"status", "resolved"}, {"note", *note}};
    auth::Audit(c, who, {"resolve", "absence_alert", id, &b, &a, sid});
    return Json{{"id", id}, {"status", "resolved"}, {"note", *note}};
  });
}

}  // namespace kehou::attendance
