#include "demo/attendance.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "access/principal.h"
#include "attendance/service.h"
#include "catalog/service.h"
#include "core/time.h"
#include "demo/course_plans.h"
#include "demo/logins.h"
#include "demo/store.h"
#include "notify/outbox.h"

namespace kehou::demo {
namespace {
// Morning care two days a week: a teacher serves on at most 2 days a week (policy 004, the staff
// gate), so a class's care on more days would need a rota of teachers.
constexpr const char* kCareSlots = "2:morning,4:morning";  // the days the tests give the demo teacher
constexpr int kCareDaysPerWeek = 2;

using Json = nlohmann::json;

constexpr int kMaxDemoCareSections = 4;  // morning care sections the demo makes
constexpr int64_t kCarePlaces = 45;      // children of a class placed in its care section
constexpr int kLookBackDays = 14;        // how far back the demo looks for the last teaching day
constexpr int kLatePerMille = 80;        // share of children called late on a demo day

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示考勤数据：" + what + "失败：" + e.message,
                   "demo attendance: " + what + ": " + e.message, e.field);
}

// The demo guardian (whose login is their mobile): the first guardian account with a child here.
auth::Principal DemoGuardian(db::Conn& c, int64_t school_id) {
  auth::Principal p;
  if (auto u = store::FirstGuardianAccount(c, school_id)) {
    p.user_id = u->id;
    p.display_name = u->display_name;
    p.staff_id = u->staff_id;
    p.guardian_id = u->guardian_id;
  }
  p.login = "guardian";
  p.role = auth::Role::kGuardian;
  p.school_id = school_id;
  p.scope = auth::Scope::kOwnChildren;
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
                     : absent && *absent == id  ? "absent"
                     : Mix(static_cast<uint64_t>(id) ^ static_cast<uint64_t>(DaysFromCivil(day))) % 1000 < kLatePerMille
                         ? "late"
                         : "present";
    marks.push_back({{"student_id", id}, {"status", st}});
  }
  return attendance::SaveRoll(db, office, std::nullopt, section, {{"date", FormatDate(day)}, {"marks", marks}}, at);
}

using Sessions = std::vector<attendance::Session>;

// The attendance demo: a morning-care course with a section per class (the guardian's and the
// class teacher's first), its children enrolled with cards, a gate device, a leave, and the swipes
// and roll calls of the last teaching day and of today.
class AttendanceDemo {
 public:
  AttendanceDemo(db::Db& db, int64_t school_id, int64_t now_ms)
      : db_(db), school_id_(school_id), now_ms_(now_ms), today_(LocalDate(now_ms)) {}

  Result<DemoAttendance> Run() {
    LoadPeople();
    if (!office_.user_id)
      return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");
    if (classes_.empty()) return out_;
    KEHOU_TRY(CareCourse());
    KEHOU_TRY(CareSections());
    EnrolChildren();
    KEHOU_TRY(Device());
    KEHOU_TRY(Leave());
    KEHOU_TRY(CallDays());
    // The demo's receiver takes what the alerts queued (the outbox shows them sent).
    notify::LocalSender receiver;
    out_.delivered = notify::DeliverPending(db_, receiver, now_ms_).sent;
    out_.alerts = db_.Read([&](db::Conn& c) { return store::OpenAbsenceAlerts(c, school_id_); });
    return out_;
  }

 private:
  // The accounts, and up to four classes: the guardian's children's, the class teacher's, then any
  // class with a class teacher.
  void LoadPeople() {
    db_.Read([&](db::Conn& c) {
      office_ = DemoLogin(c, school_id_, "office", auth::Role::kOfficeDirector).value_or(auth::Principal{});
      leader_ = DemoLeader(c, school_id_);
      guardian_ = DemoGuardian(c, school_id_);
      if (auto t = DemoLogin(c, school_id_, "teacher", auth::Role::kTeacher, auth::Scope::kOwnSections))
        teacher_staff_ = t->staff_id;
      auto ct = DemoLogin(c, school_id_, "classteacher", auth::Role::kClassTeacher, auth::Scope::kOwnClass)
                    .value_or(auth::Principal{});
      std::set<int64_t> seen;
      auto add = [&](const std::vector<store::ClassRow>& rows) {
        for (const auto& r : rows)
          if (seen.insert(r.id).second && classes_.size() < kMaxDemoCareSections)
            classes_.push_back({r.id, r.class_teacher_id});
      };
      if (guardian_.guardian_id) {
        guardian_children_ = store::ChildrenOfGuardian(c, *guardian_.guardian_id, school_id_);
        add(store::ClassesOfGuardian(c, *guardian_.guardian_id, school_id_));
      }
      if (ct.staff_id) add(store::ClassesOfTeacher(c, school_id_, *ct.staff_id));
      add(store::ClassesWithTeacher(c, school_id_));
    });
  }

  // The course's lead: the demo teacher, else the first class teacher whose two days allow it.
  Status CareCourse() {
    Json course_body{{"name", "早间看护"},
                     {"category", "reading"},
                     {"grades", {1, 2, 3, 4, 5, 6, 7, 8, 9}},
                     {"capacity", 45 * static_cast<int>(classes_.size())},
                     {"slots", kCareSlots},
                     {"sessions_per_week", kCareDaysPerWeek},
                     {"description", "基础托管：早到校的孩子在本班教室看护与早读"},
                     {"status", "approved"}};
    std::vector<int64_t> leads;
    if (teacher_staff_) leads.push_back(*teacher_staff_);
    for (const auto& k : classes_)
      if (k.second) leads.push_back(*k.second);
    Result<Json> course = MakeError(kInvalid, "没有可以任课的教师", "no teacher may lead the care course");
    for (int64_t lead : leads) {
      course_body["teacher_staff_id"] = lead;
      course = catalog::CreateCourse(db_, leader_, std::nullopt, WithDemoPlan(course_body));
      if (course.ok() || course.error().code != ErrorCode::kRuleBroken) break;
    }
    if (!course.ok()) return Failed("课程《早间看护》", course.error());
    out_.course_id = (*course)["id"];
    return Ok();
  }

  // A section per class, led by its class teacher (the first by the demo teacher).
  Status CareSections() {
    for (size_t i = 0; i < classes_.size(); ++i) {
      Json s{{"capacity", 45}, {"formation", "class"}, {"class_id", classes_[i].first}};
      auto teacher = i == 0 && teacher_staff_ ? teacher_staff_ : classes_[i].second;
      if (teacher) s["teacher_staff_id"] = *teacher;
      auto sec = catalog::CreateSection(db_, office_, std::nullopt, out_.course_id, s);
      if (!sec.ok() && teacher && sec.error().code == ErrorCode::kRuleBroken) {
        // The teacher's two days a week (policy 004) are taken, or the gate refuses them: the class's
        // care goes to the duty roster (no named teacher) rather than break the rule.
        s.erase("teacher_staff_id");
        sec = catalog::CreateSection(db_, office_, std::nullopt, out_.course_id, s);
      }
      if (!sec.ok()) return Failed("早间看护教学班", sec.error());
      sections_.push_back((*sec)["id"]);
    }
    out_.sections = static_cast<int64_t>(sections_.size());
    return Ok();
  }

  // The classes' children enrolled for the term take their class's section (at most 45), each with
  // a card.
  void EnrolChildren() {
    db_.Write([&](db::Conn& c) {
      for (size_t i = 0; i < classes_.size(); ++i) {
        auto kids = store::EnrolledChildrenOfClass(c, school_id_, classes_[i].first, kCarePlaces);
        for (const auto& k : kids) store::PlaceWithCard(c, school_id_, sections_[i], k, office_.user_id, now_ms_);
        store::SetSectionTaken(c, sections_[i], static_cast<int64_t>(kids.size()));
        out_.children += static_cast<int64_t>(kids.size());
      }
    });
  }

  Status Device() {
    auto device = attendance::CreateDevice(db_, office_, std::nullopt, {{"name", "东门闸机"}});
    if (!device.ok()) return Failed("刷卡设备", device.error());
    out_.device_id = (*device)["id"];
    out_.device_key = (*device)["key"];
    return Ok();
  }

  Sessions SessionsOn(const Date& d) {
    return db_.Read([&](db::Conn& c) { return attendance::SessionsOn(c, school_id_, d); });
  }

  // The guardian's first child is on leave today (asked yesterday) and was on the last teaching
  // day: the last day before today on which the care sections met.
  Status Leave() {
    auto has_care = [&](const Sessions& list) {
      return std::any_of(list.begin(), list.end(), [&](const attendance::Session& x) {
        return std::find(sections_.begin(), sections_.end(), x.section_id) != sections_.end();
      });
    };
    for (int back = 1; back <= kLookBackDays && !last_; ++back)
      if (has_care(SessionsOn(AddDays(today_, -back)))) last_ = AddDays(today_, -back);
    if (guardian_children_.empty() || !guardian_.user_id) return Ok();
    const Date from = last_.value_or(today_);
    auto leave = attendance::CreateLeave(db_, guardian_,
                                         {{"student_id", guardian_children_.front()},
                                          {"from_date", FormatDate(from)},
                                          {"to_date", FormatDate(AddDays(today_, 1))},
                                          {"reason", "感冒发烧，在家休息"}},
                                         LocalInstant(AddDays(from, -1), 20 * 60));
    if (!leave.ok()) return Failed("请假", leave.error());
    ++out_.leaves;
    return Ok();
  }

  // The children on the session's roster swipe in before it starts (some have no card with them).
  Status SwipeIn(const attendance::Session& s, int64_t at) {
    Json list = Json::array();
    auto roster = db_.Read([&](db::Conn& c) { return catalog::RosterOn(c, school_id_, s.section_id, s.time.day); });
    for (size_t k = 0; k < roster.size(); ++k) {
      if (Mix(static_cast<uint64_t>(roster[k].student_id)) % 10 == 0) continue;
      int64_t t = attendance::StartMs(s.time) - 600'000 + static_cast<int64_t>(k) * 7'000;
      list.push_back({{"uid", "demo-" + std::to_string(s.section_id) + "-" + FormatDate(s.time.day) + "-" +
                                  std::to_string(roster[k].student_id)},
                      {"card_no", roster[k].student_no.empty() ? "-" : "CARD-" + roster[k].student_no},
                      {"at_ms", t}});
    }
    if (list.empty()) return Ok();
    auto r = attendance::IngestSwipes(db_, "Device " + out_.device_key, "kehou demo", {{"swipes", list}}, at);
    if (!r.ok()) return r.error();
    out_.swipes += (*r)["accepted"].get<int64_t>();
    return Ok();
  }

  // One child absent without leave (once): not in the demo teacher's own section.
  std::optional<int64_t> Absentee(const attendance::Session& s) {
    if (alerted_ || (teacher_staff_ && s.teacher_staff_id == teacher_staff_)) return std::nullopt;
    auto roster = db_.Read([&](db::Conn& c) { return catalog::RosterOn(c, school_id_, s.section_id, s.time.day); });
    if (roster.size() <= 2) return std::nullopt;
    alerted_ = true;
    return roster[roster.size() / 2].student_id;
  }

  // The last teaching day: swipes and every roll called. Today: every section but the demo
  // teacher's own is called. The absentee is today's, or the last day's when today has no session.
  Status CallDays() {
    Sessions today_sessions;
    for (const auto& s : SessionsOn(today_))
      if (!teacher_staff_ || s.teacher_staff_id != teacher_staff_) today_sessions.push_back(s);
    if (last_)
      for (const auto& s : SessionsOn(*last_)) {
        const int64_t at = attendance::StartMs(s.time) + 15 * 60'000;
        if (auto st = SwipeIn(s, at); !st.ok()) return Failed("刷卡记录", st.error());
        auto r = Call(db_, office_, s.section_id, *last_, at, today_sessions.empty() ? Absentee(s) : std::nullopt);
        if (!r.ok()) return Failed("点名", r.error());
        ++out_.roll_calls;
      }
    for (const auto& s : today_sessions) {
      const int64_t at = attendance::StartMs(s.time) + 15 * 60'000;
      if (at <= now_ms_)
        if (auto st = SwipeIn(s, at); !st.ok()) return Failed("刷卡记录", st.error());
      auto r = Call(db_, office_, s.section_id, today_, at, Absentee(s));
      if (!r.ok()) return Failed("点名", r.error());
      ++out_.roll_calls;
    }
    return Ok();
  }

  db::Db& db_;
  const int64_t school_id_, now_ms_;
  const Date today_;
  DemoAttendance out_;
  auth::Principal office_, guardian_, leader_;
  std::optional<int64_t> teacher_staff_;
  std::vector<std::pair<int64_t, std::optional<int64_t>>> classes_;  // class, its class teacher
  std::vector<int64_t> guardian_children_, sections_;
  std::optional<Date> last_;
  bool alerted_ = false;
};

}  // namespace

Result<DemoAttendance> CreateDemoAttendance(db::Db& db, int64_t school_id, int64_t now_ms) {
  return AttendanceDemo(db, school_id, now_ms).Run();
}

}  // namespace kehou::demo
