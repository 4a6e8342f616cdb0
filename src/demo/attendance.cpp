#include "demo/attendance.h"

#include <algorithm>

#include <nlohmann/json.hpp>
#include <set>

#include "attendance/service.h"
#include "attendance/store.h"
#include "access/principal.h"
#include "catalog/service.h"
#include "demo/course_plans.h"
#include "core/time.h"
#include "notify/outbox.h"

namespace kehou::demo {
namespace {
// Morning care two days a week: a teacher serves on at most 2 days a week (policy 004, the staff
// gate), so a class's care on more days would need a rota of teachers.
constexpr const char* kCareSlots = "2:morning,4:morning";  // the days the tests give the demo teacher
constexpr int kCareDaysPerWeek = 2;

using Json = nlohmann::json;

constexpr int kMaxDemoCareSections = 4;   // morning care sections the demo makes
constexpr int kLookBackDays = 14;         // how far back the demo looks for the last teaching day
constexpr int kLatePerMille = 80;         // share of children called late on a demo day

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示考勤数据：" + what + "失败：" + e.message, "demo attendance: " + what + ": " + e.message,
                   e.field);
}

auth::Principal Account(db::Conn& c, int64_t school_id, const char* login, auth::Role role, auth::Scope scope) {
  auth::Principal p;
  // The demo guardian's login is their mobile: the first guardian account with a child here.
  auto u = role == auth::Role::kGuardian
               ? c.QueryOne("SELECT u.id, u.display_name, u.staff_id, u.guardian_id FROM users u WHERE u.role = 'guardian'"
                            " AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = u.guardian_id"
                            " AND sg.school_id = $1) ORDER BY u.id LIMIT 1",
                            {school_id})
               : c.QueryOne("SELECT id, display_name, staff_id, guardian_id FROM users WHERE login = $1 AND school_id = $2",
                            {std::string(login), school_id});
  if (u) {
    p.user_id = u->Int(0);
    p.display_name = u->Text(1);
    p.staff_id = u->OptInt(2);
    p.guardian_id = u->OptInt(3);
  }
  p.login = u ? (role == auth::Role::kGuardian ? "guardian" : login) : login;
  p.role = role;
  p.school_id = school_id;
  p.scope = scope;
  p.client = "kehou demo";
  return p;
}

uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  return x ^ (x >> 31);
}

// Calls one session's roll as the office at `at` (inside the session). `absent` (if on the roster)
// is marked absent; children covered by leave are marked leave; a few are late.
Result<Json> Call(db::Db& db, const auth::Principal& office, int64_t section, const Date& day, int64_t at,
                  std::optional<int64_t> absent) {
  auto roster = attendance::SessionRoster(db, office, std::nullopt, section, day, "", at);
  if (!roster.ok()) return roster.error();
  Json marks = Json::array();
  for (const auto& it : (*roster)["items"]) {
    int64_t id = it["student_id"];
    std::string st = it["on_leave"].get<bool>() ? "leave"
                     : absent && *absent == id ? "absent"
                     : Mix(static_cast<uint64_t>(id) ^ static_cast<uint64_t>(DaysFromCivil(day))) % 1000 < kLatePerMille
                         ? "late"
                         : "present";
    marks.push_back({{"student_id", id}, {"status", st}});
  }
  return attendance::SaveRoll(db, office, std::nullopt, section, {{"date", FormatDate(day)}, {"marks", marks}}, at);
}

}  // namespace

Result<DemoAttendance> CreateDemoAttendance(db::Db& db, int64_t school_id, int64_t now_ms) {
  DemoAttendance out;
  auth::Principal office, guardian, leader;
  std::optional<int64_t> teacher_staff;
  std::vector<std::pair<int64_t, std::optional<int64_t>>> classes;  // class, its class teacher
  std::vector<int64_t> guardian_children;
  db.Read([&](db::Conn& c) {
    office = Account(c, school_id, "office", auth::Role::kOfficeDirector, auth::Scope::kSchool);
    leader = DemoLeader(c, school_id);
    guardian = Account(c, school_id, "guardian", auth::Role::kGuardian, auth::Scope::kOwnChildren);
    teacher_staff = Account(c, school_id, "teacher", auth::Role::kTeacher, auth::Scope::kOwnSections).staff_id;
    auto ct = Account(c, school_id, "classteacher", auth::Role::kClassTeacher, auth::Scope::kOwnClass);
    std::set<int64_t> seen;
    auto add = [&](const std::string& sql, db::Params p) {
      for (auto& r : c.Query(sql, p))
        if (seen.insert(r.Int(0)).second && classes.size() < kMaxDemoCareSections) classes.push_back({r.Int(0), r.OptInt(1)});
    };
    if (guardian.guardian_id) {
      for (auto& r : c.Query("SELECT sg.student_id FROM student_guardians sg JOIN students st ON st.id = sg.student_id"
                             " WHERE sg.guardian_id = $1 AND st.school_id = $2 ORDER BY st.id",
                             {*guardian.guardian_id, school_id}))
        guardian_children.push_back(r.Int(0));
      add("SELECT DISTINCT cl.id, cl.class_teacher_id FROM student_guardians sg JOIN students st ON st.id = sg.student_id"
          " JOIN classes cl ON cl.id = st.class_id WHERE sg.guardian_id = $1 AND st.school_id = $2 ORDER BY cl.id",
          {*guardian.guardian_id, school_id});
    }
    if (ct.staff_id)
      add("SELECT id, class_teacher_id FROM classes WHERE school_id = $1 AND class_teacher_id = $2 ORDER BY id",
          {school_id, *ct.staff_id});
    add("SELECT id, class_teacher_id FROM classes WHERE school_id = $1 AND class_teacher_id IS NOT NULL ORDER BY id",
        {school_id});
  });
  if (!office.user_id) return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");
  if (classes.empty()) return out;

  Json course_body{{"name", "早间看护"}, {"category", "reading"}, {"grades", {1, 2, 3, 4, 5, 6, 7, 8, 9}},
                                       {"capacity", 45 * static_cast<int>(classes.size())},
                                       {"slots", kCareSlots}, {"sessions_per_week", kCareDaysPerWeek},
                                       {"description", "基础托管：早到校的孩子在本班教室看护与早读"}, {"status", "approved"}};
  // The course's lead: the demo teacher, else the first class teacher whose two days allow it.
  std::vector<int64_t> leads;
  if (teacher_staff) leads.push_back(*teacher_staff);
  for (const auto& k : classes)
    if (k.second) leads.push_back(*k.second);
  Result<Json> course = MakeError(kInvalid, "没有可以任课的教师", "no teacher may lead the care course");
  for (int64_t lead : leads) {
    course_body["teacher_staff_id"] = lead;
    course = catalog::CreateCourse(db, leader, std::nullopt, WithDemoPlan(course_body));
    if (course.ok() || course.error().code != ErrorCode::kRuleBroken) break;
  }
  if (!course.ok()) return Failed("课程《早间看护》", course.error());
  out.course_id = (*course)["id"];
  std::vector<int64_t> sections;
  for (size_t i = 0; i < classes.size(); ++i) {
    Json s{{"capacity", 45}, {"formation", "class"}, {"class_id", classes[i].first}};
    auto teacher = i == 0 && teacher_staff ? teacher_staff : classes[i].second;
    if (teacher) s["teacher_staff_id"] = *teacher;
    auto sec = catalog::CreateSection(db, office, std::nullopt, out.course_id, s);
    if (!sec.ok() && teacher && sec.error().code == ErrorCode::kRuleBroken) {
      // The teacher's two days a week (policy 004) are taken, or the gate refuses them: the class's
      // care goes to the duty roster (no named teacher) rather than break the rule.
      s.erase("teacher_staff_id");
      sec = catalog::CreateSection(db, office, std::nullopt, out.course_id, s);
    }
    if (!sec.ok()) return Failed("早间看护教学班", sec.error());
    sections.push_back((*sec)["id"]);
  }
  out.sections = static_cast<int64_t>(sections.size());
  // The classes' children enrolled for the term take their class's section (at most 45).
  db.Write([&](db::Conn& c) {
    for (size_t i = 0; i < classes.size(); ++i) {
      auto kids = c.Query("SELECT st.id, st.student_no FROM students st WHERE st.school_id = $1 AND st.class_id = $2"
                          " AND st.active = 1 AND EXISTS (SELECT 1 FROM applications a JOIN terms t ON t.id = a.term_id"
                          " WHERE a.student_id = st.id AND a.status = 'approved' AND t.is_current = 1)"
                          " ORDER BY st.student_no LIMIT 45",
                          {school_id, classes[i].first});
      for (auto& k : kids) {
        c.Exec("INSERT INTO selections (school_id, section_id, student_id, status, source, by_user_id, created_at)"
               " VALUES ($1, $2, $3, 'confirmed', 'manual', $4, $5)",
               {school_id, sections[i], k.Int(0), office.user_id, now_ms});
        c.Exec("INSERT INTO attendance_cards (school_id, card_no, student_id, created_at) VALUES ($1, $2, $3, $4)",
               {school_id, "CARD-" + k.Text(1), k.Int(0), now_ms});
      }
      c.Exec("UPDATE sections SET taken = $2 WHERE id = $1", {sections[i], static_cast<int64_t>(kids.size())});
      out.children += static_cast<int64_t>(kids.size());
    }
  });

  auto device = attendance::CreateDevice(db, office, std::nullopt, {{"name", "东门闸机"}});
  if (!device.ok()) return Failed("刷卡设备", device.error());
  out.device_id = (*device)["id"];
  out.device_key = (*device)["key"];
  const std::string device_auth = "Device " + out.device_key;

  const Date today = LocalDate(now_ms);
  auto sessions_on = [&](const Date& d) {
    return db.Read([&](db::Conn& c) { return attendance::store::SessionsOn(c, school_id, d); });
  };
  // The guardian's first child is on leave today (asked yesterday) and was on the last day.
  // The last teaching day: the last day before today on which the care sections met.
  auto has_care = [&](const std::vector<attendance::store::Session>& list) {
    return std::any_of(list.begin(), list.end(), [&](const attendance::store::Session& x) {
      return std::find(sections.begin(), sections.end(), x.section_id) != sections.end();
    });
  };
  std::optional<Date> last;
  for (int back = 1; back <= kLookBackDays && !last; ++back)
    if (has_care(sessions_on(AddDays(today, -back)))) last = AddDays(today, -back);
  if (!guardian_children.empty() && guardian.user_id) {
    const Date from = last.value_or(today);
    auto leave = attendance::CreateLeave(db, guardian,
                                         {{"student_id", guardian_children.front()}, {"from_date", FormatDate(from)},
                                          {"to_date", FormatDate(AddDays(today, 1))}, {"reason", "感冒发烧，在家休息"}},
                                         LocalInstant(AddDays(from, -1), 20 * 60));
    if (!leave.ok()) return Failed("请假", leave.error());
    ++out.leaves;
  }
  auto swipe_in = [&](const attendance::store::Session& s, int64_t at) -> Status {
    Json list = Json::array();
    auto roster = db.Read([&](db::Conn& c) { return catalog::RosterOn(c, school_id, s.section_id, s.time.day); });
    for (size_t k = 0; k < roster.size(); ++k) {
      if (Mix(static_cast<uint64_t>(roster[k].student_id)) % 10 == 0) continue;  // some children have no card with them
      int64_t t = attendance::StartMs(s.time) - 600'000 + static_cast<int64_t>(k) * 7'000;
      list.push_back({{"uid", "demo-" + std::to_string(s.section_id) + "-" + FormatDate(s.time.day) + "-" +
                                  std::to_string(roster[k].student_id)},
                      {"card_no", roster[k].student_no.empty() ? "-" : "CARD-" + roster[k].student_no},
                      {"at_ms", t}});
    }
    if (list.empty()) return Ok();
    auto r = attendance::IngestSwipes(db, device_auth, "kehou demo", {{"swipes", list}}, at);
    if (!r.ok()) return r.error();
    out.swipes += (*r)["accepted"].get<int64_t>();
    return Ok();
  };
  auto others = [&](const std::vector<attendance::store::Session>& list) {
    std::vector<attendance::store::Session> o;
    for (const auto& s : list)
      if (!teacher_staff || s.teacher_staff_id != teacher_staff) o.push_back(s);
    return o;
  };
  const auto today_sessions = others(sessions_on(today));
  // One child absent without leave: today, or on the last teaching day when today has no session.
  bool alerted = false;
  auto absentee = [&](const attendance::store::Session& s) -> std::optional<int64_t> {
    if (alerted || (teacher_staff && s.teacher_staff_id == teacher_staff)) return std::nullopt;
    auto roster = db.Read([&](db::Conn& c) { return catalog::RosterOn(c, school_id, s.section_id, s.time.day); });
    if (roster.size() <= 2) return std::nullopt;
    alerted = true;
    return roster[roster.size() / 2].student_id;
  };
  // The last teaching day: swipes and every roll called.
  if (last)
    for (const auto& s : sessions_on(*last)) {
      const int64_t at = attendance::StartMs(s.time) + 15 * 60'000;
      if (auto st = swipe_in(s, at); !st.ok()) return Failed("刷卡记录", st.error());
      auto r = Call(db, office, s.section_id, *last, at, today_sessions.empty() ? absentee(s) : std::nullopt);
      if (!r.ok()) return Failed("点名", r.error());
      ++out.roll_calls;
    }
  // Today: every section but the demo teacher's own is called.
  for (const auto& s : today_sessions) {
    const int64_t at = attendance::StartMs(s.time) + 15 * 60'000;
    if (at <= now_ms)
      if (auto st = swipe_in(s, at); !st.ok()) return Failed("刷卡记录", st.error());
    auto r = Call(db, office, s.section_id, today, at, absentee(s));
    if (!r.ok()) return Failed("点名", r.error());
    ++out.roll_calls;
  }
  // The demo's receiver takes what the alerts queued (the outbox shows them sent).
  notify::LocalSender receiver;
  out.delivered = notify::DeliverPending(db, receiver, now_ms).sent;
  out.alerts = db.Read([&](db::Conn& c) {
    return c.QueryOne("SELECT COUNT(*) FROM absence_alerts WHERE school_id = $1 AND status = 'open'", {school_id})->Int(0);
  });
  return out;
}

}  // namespace kehou::demo
