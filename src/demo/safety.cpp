#include "demo/safety.h"

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "attendance/service.h"
#include "core/time.h"
#include "demo/logins.h"
#include "safety/rules.h"
#include "safety/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;
constexpr int kHistoryDays = 7;  // the week of history
constexpr int64_t kMinute = 60'000;

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示安全数据：" + what + "失败：" + e.message, "demo safety: " + what + ": " + e.message,
                   e.field);
}

struct PastSession {
  Date day;
  int64_t section = 0;
  int start = 0;
  Json roster;
};
// The demo teacher's latest session of the past week that has ended, with its roster.
std::optional<PastSession> LatestSession(db::Db& db, const auth::Principal& teacher, int64_t now_ms) {
  for (int back = 1; back <= kHistoryDays; ++back) {
    const Date d = AddDays(LocalDate(now_ms), -back);
    auto s = attendance::ListSessions(db, teacher, std::nullopt, d, now_ms);
    if (!s.ok()) continue;
    for (const auto& it : (*s)["items"]) {
      if (!it["ended"].get<bool>()) continue;
      auto roster = attendance::SessionRoster(db, teacher, std::nullopt, it["section_id"], d, it["band"], now_ms);
      if (!roster.ok() || (*roster)["items"].size() < 4) continue;
      return PastSession{d, it["section_id"], *ParseTimeOfDay(it["start"].get<std::string>()), (*roster)["items"]};
    }
  }
  return std::nullopt;
}

// The demo school's accounts that keep the safety records.
struct Staffroom {
  auth::Principal office, teacher, ct, doctor, guard, safety;
};

Result<Staffroom> LoadStaffroom(db::Db& db, int64_t school_id) {
  using auth::Role;
  using auth::Scope;
  std::optional<auth::Principal> office, teacher, ct, doctor, guard, safety;
  db.Read([&](db::Conn& c) {
    office = DemoLogin(c, school_id, "office", Role::kOfficeDirector);
    teacher = DemoLogin(c, school_id, "teacher", Role::kTeacher, Scope::kOwnSections);
    ct = DemoLogin(c, school_id, "classteacher", Role::kClassTeacher, Scope::kOwnClass);
    doctor = DemoLogin(c, school_id, "doctor", Role::kSchoolDoctor);
    guard = DemoLogin(c, school_id, "guard", Role::kGuard);
    safety = DemoLogin(c, school_id, "safety", Role::kSafetyOfficer);
  });
  if (!office || !teacher || !doctor || !guard || !safety || !ct)
    return MakeError(kInternal, "演示学校缺少账号", "the demo school lacks an account");
  return Staffroom{*office, *teacher, *ct, *doctor, *guard, *safety};
}

// The safety demo: the records of the teacher's latest session, then the school's own routines
// (site checks, patrols, visitors), then insurance, the plan and the term's drill.
struct SafetyDemo {
  db::Db& db;
  const int64_t sid, now_ms;
  const Date today;
  const Staffroom& a;
  const PastSession& s;  // (only for the session steps)
  DemoSafety& out;

  int64_t During() const { return LocalInstant(s.day, s.start) + 20 * kMinute; }
  int64_t Child(size_t i) const { return s.roster[i]["student_id"].get<int64_t>(); }

  // Two children unwell: one seen by the doctor, one still open.
  Status Unwell() {
    const int64_t during = During();
    Json seen = {{"date", FormatDate(s.day)},
                 {"student_id", Child(1)},
                 {"symptom", "头痛、体温 37.8℃"},
                 {"actions", {"rest", "doctor", "guardian_called"}},
                 {"note", "在医务室休息，家长 17:30 前来接"}};
    auto u1 = safety::ReportUnwell(db, a.teacher, sid, s.section, seen, during);
    if (!u1.ok()) return Failed("身体不适报告", u1.error());
    if (auto r = safety::SeeUnwell(db, a.doctor, sid, (*u1)["id"], {{"note", "测体温 37.6℃，已物理降温，建议回家观察"}},
                                   during + 15 * kMinute);
        !r.ok())
      return Failed("校医确认", r.error());
    Json open = {{"date", FormatDate(s.day)},
                 {"student_id", Child(2)},
                 {"symptom", "腹痛"},
                 {"actions", {"rest"}},
                 {"note", "休息后好转"}};
    if (auto r = safety::ReportUnwell(db, a.teacher, sid, s.section, open, during + 30 * kMinute); !r.ok())
      return Failed("身体不适报告", r.error());
    out.unwell = 2;
    return Ok();
  }

  // The three concerns of the session (absent, late pickup, all on time).
  Status Concerns() {
    Json absent = Json::array();
    for (const auto& it : s.roster)
      if (it["mark"] == "absent" && !it["on_leave"].get<bool>())
        absent.push_back({{"student_id", it["student_id"]}, {"note", "已电话联系家长：孩子在家，身体不适"}});
    Json concerns = {{"date", FormatDate(s.day)},
                     {"absent", absent},
                     {"late_pickup", {{{"student_id", Child(3)}, {"note", "家长堵车，晚到 15 分钟，值班教师陪同"}}}},
                     {"all_on_time", false},
                     {"note", "其余学生均按时由家长接走"}};
    if (auto r = safety::SaveConcerns(db, a.teacher, sid, s.section, concerns, During() + 60 * kMinute); !r.ok())
      return Failed("三个关注", r.error());
    return Ok();
  }

  // Handovers: three children to the class teacher (acknowledged), the unwell child to the doctor.
  Status Handovers() {
    const int64_t during = During();
    Json hand = {{"to_user_id", a.ct.user_id},
                 {"date", FormatDate(s.day)},
                 {"section_id", s.section},
                 {"place", "一楼多功能教室"},
                 {"student_ids", {Child(0), Child(1), Child(2)}},
                 {"watch", s.roster[1]["name"].get<std::string>() + " 头痛在医务室休息，家长 17:30 来接"}};
    auto h = safety::CreateHandover(db, a.teacher, sid, hand, during + 70 * kMinute);
    if (!h.ok()) return Failed("交接班", h.error());
    if (auto r =
            safety::AcknowledgeHandover(db, a.ct, sid, (*h)["id"], {{"note", "已清点，3 人"}}, during + 72 * kMinute);
        !r.ok())
      return Failed("接班确认", r.error());
    hand["to_user_id"] = a.doctor.user_id;
    hand["place"] = "医务室";
    hand["student_ids"] = {Child(1)};
    hand["watch"] = "体温 37.8℃，请每 15 分钟测一次";
    if (auto r = safety::CreateHandover(db, a.teacher, sid, hand, during + 75 * kMinute); !r.ok())
      return Failed("交接班", r.error());
    out.handovers = 2;
    return Ok();
  }

  // The doctor's health notes on three children, and a minor incident on the playground.
  Status HealthNotesAndIncident() {
    const char* notes[][3] = {{"allergy", "花生、坚果过敏", "避免含坚果的点心；误食立即送医务室并通知家长"},
                              {"constitution", "哮喘，剧烈运动易发作", "体育活动适度；随身带吸入剂"},
                              {"allergy", "青霉素过敏", "就医时告知医生"}};
    for (size_t i = 0; i < 3 && i < s.roster.size(); ++i) {
      Json n = {{"student_id", Child(i)}, {"kind", notes[i][0]}, {"detail", notes[i][1]}, {"care", notes[i][2]}};
      if (auto r = safety::CreateHealthNote(db, a.doctor, sid, n, now_ms); !r.ok())
        return Failed("健康信息", r.error());
      ++out.health_notes;
    }
    Json inc = {{"level", "minor"},
                {"student_id", Child(3)},
                {"place", "操场"},
                {"description", "课间跑步摔倒，右膝擦伤"},
                {"actions", "校医消毒包扎，观察无异常"},
                {"at_ms", During() + 40 * kMinute},
                {"notify_guardian", true}};
    if (auto r = safety::CreateIncident(db, a.safety, sid, inc, During() + 50 * kMinute); !r.ok())
      return Failed("安全事件", r.error());
    out.incidents = 1;
    return Ok();
  }

  // The site check on every school day of the last month but one (the list flags that day).
  Status SiteChecks() {
    for (int back = safety::kMissedCheckDays; back >= 1; --back) {
      const Date d = AddDays(today, -back);
      if (IsoWeekday(d) > 5) continue;
      const int64_t morning = LocalInstant(d, 14 * 60);
      if (back != 2) {  // one school day without its check
        Json check = {
            {"date", FormatDate(d)}, {"doors", "ok"},  {"windows", back == 3 ? "issue" : "ok"},
            {"equipment", "ok"},     {"wiring", "ok"}, {"note", back == 3 ? "三楼东侧窗户锁扣松动，已报修" : ""}};
        if (auto r = safety::SaveSiteCheck(db, a.guard, sid, check, morning); !r.ok())
          return Failed("场地检查", r.error());
        ++out.site_checks;
      }
    }
    return Ok();
  }

  // Two patrols a school day of the week (one finding followed up, one left open) and a visitor.
  Status PatrolsAndVisitors() {
    const char* areas[] = {"教学楼一层", "操场", "校门口", "食堂"};
    for (int back = kHistoryDays; back >= 1; --back) {
      const Date d = AddDays(today, -back);
      if (IsoWeekday(d) > 5) continue;
      for (int h = 0; h < 2; ++h) {
        const bool finding = back == 3 && h == 1;
        const bool open = back == 1 && h == 1;
        Json p = {{"area", areas[(back + h) % 4]}, {"ok", !(finding || open)}};
        if (finding) p["findings"] = "操场东侧围栏一处松动";
        if (open) p["findings"] = "二楼走廊灯不亮";
        auto r = safety::CreatePatrol(db, a.safety, sid, p, LocalInstant(d, 16 * 60 + 60 * h));
        if (!r.ok()) return Failed("巡查", r.error());
        if (finding)
          if (auto f = safety::FollowUpPatrol(db, a.safety, sid, (*r)["id"], {{"follow_up", "后勤已加固"}},
                                              LocalInstant(d, 18 * 60));
              !f.ok())
            return Failed("巡查跟进", f.error());
        ++out.patrols;
      }
      KEHOU_TRY(Visitor(d, back));
    }
    return Ok();
  }

  Status Visitor(const Date& d, int back) {
    Json v = {{"name", back % 2 ? "赵师傅" : "钱女士"},
              {"id_last4", "123X"},
              {"mobile", "13912345678"},
              {"purpose", back % 2 ? "维修教室灯具" : "送学生药品"},
              {"host", back % 2 ? "后勤处" : "校医室"}};
    auto vr = safety::CreateVisitor(db, a.guard, sid, v, LocalInstant(d, 15 * 60));
    if (!vr.ok()) return Failed("来访登记", vr.error());
    if (auto r = safety::VisitorOut(db, a.guard, sid, (*vr)["id"], LocalInstant(d, 15 * 60 + 40)); !r.ok())
      return Failed("访客离校", r.error());
    ++out.visitors;
    return Ok();
  }

  // Insurance: liability for all, accident cover with a gap (one enrolled child without it).
  Status Insurance(const Json& cover) {
    const Json& term = cover["term"];
    Json ids = Json::array();
    const Json& enrolled = cover["coverage"]["uncovered"];
    for (size_t i = 1; i < enrolled.size(); ++i) ids.push_back(enrolled[i]["id"]);
    Json liability = {{"kind", "liability"},           {"policy_no", "PZAA2026" + std::to_string(sid) + "0001"},
                      {"insurer", "中国人民财产保险"}, {"from_date", term["start"]},
                      {"to_date", term["end"]},        {"covers_all", true},
                      {"note", "教育局统保"}};
    Json accident = {{"kind", "accident"},     {"policy_no", "PEAC2026" + std::to_string(sid) + "0002"},
                     {"insurer", "中国平安"},  {"from_date", term["start"]},
                     {"to_date", term["end"]}, {"student_ids", ids},
                     {"note", "家长自愿投保"}};
    for (const Json& p : {liability, accident}) {
      if (auto r = safety::CreateInsurance(db, a.office, sid, p, now_ms); !r.ok()) return Failed("保险", r.error());
      ++out.policies;
    }
    return Ok();
  }

  // The fire evacuation plan and this term's drill five days ago (or on the term's first day).
  Status PlanAndDrill(const Json& term) {
    auto plan = safety::CreatePlan(db, a.safety, sid,
                                   {{"title", "课后服务消防疏散应急预案"},
                                    {"kind", "消防"},
                                    {"body",
                                     "一、报警：发现火情立即报告值班领导并拨打 "
                                     "119。\n二、疏散：各班教师按指定路线带领学生到操场集合，清点人数。\n三、报告：疏散"
                                     "完毕后五分钟内向安全办报告人数。"}},
                                   now_ms);
    if (!plan.ok()) return Failed("应急预案", plan.error());
    Date drill_day = AddDays(today, -5);
    if (auto ts = ParseDate(term["start"].get<std::string>()); ts && drill_day < *ts) drill_day = *ts;
    if (today < drill_day) return Ok();
    Json drill = {
        {"plan_id", (*plan)["id"]},
        {"date", FormatDate(drill_day)},
        {"kind", "消防疏散"},
        {"participants", 320},
        {"minutes", 4},
        {"record", "16:40 鸣警报，各班 4 分钟内到操场集合，人数清点无误；二楼东侧楼梯口拥挤，下次安排教师分流。"}};
    if (auto r = safety::CreateDrill(db, a.safety, sid, drill, now_ms); !r.ok()) return Failed("演练", r.error());
    out.drills = 1;
    return Ok();
  }
};

}  // namespace

Result<DemoSafety> CreateDemoSafety(db::Db& db, int64_t school_id, int64_t now_ms) {
  DemoSafety out;
  KEHOU_ASSIGN_OR_RETURN(const Staffroom a, LoadStaffroom(db, school_id));
  const PastSession none;
  const auto latest = LatestSession(db, a.teacher, now_ms);
  SafetyDemo demo{db, school_id, now_ms, LocalDate(now_ms), a, latest ? *latest : none, out};
  if (latest) {  // the teacher's latest session: unwell reports, concerns, handovers, health notes
    KEHOU_TRY(demo.Unwell());
    KEHOU_TRY(demo.Concerns());
    KEHOU_TRY(demo.Handovers());
    KEHOU_TRY(demo.HealthNotesAndIncident());
  }
  KEHOU_TRY(demo.SiteChecks());
  KEHOU_TRY(demo.PatrolsAndVisitors());
  // Insurance (a gap: one enrolled child without accident cover), a plan and this term's drill.
  auto cover = safety::ListInsurance(db, a.office, school_id, {}, demo.today);
  if (cover.ok()) {
    KEHOU_TRY(demo.Insurance(*cover));
    KEHOU_TRY(demo.PlanAndDrill((*cover)["term"]));
  }
  return out;
}

}  // namespace kehou::demo
