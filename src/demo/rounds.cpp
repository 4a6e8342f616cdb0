#include "demo/rounds.h"

#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "access/principal.h"
#include "catalog/service.h"
#include "demo/course_plans.h"
#include "demo/logins.h"
#include "demo/store.h"
#include "select/enrolment.h"
#include "select/service.h"

namespace kehou::demo {
namespace {

using Json = nlohmann::json;

struct DemoCourse {
  const char* name;
  const char* category;
  const char* slots;  // "weekday:band"
  int sections;
  int capacity;  // per section, at most 45
  const char* description;
};

// Grades 1-2, ranked in the closed preference round: 235 seats for some 350 children.
constexpr DemoCourse kPreferenceCourses[] = {
    {"绘本悦读", "reading", "1:after_school", 2, 40, "师生共读绘本，学讲故事、画故事"},
    {"趣味田径", "sports", "2:after_school", 2, 40, "跑、跳、投的游戏化练习"},
    {"童趣儿童画", "arts", "3:after_school", 1, 40, "蜡笔、水彩与拼贴"},
    {"科学小实验", "science", "4:after_school", 1, 35, "动手做简单安全的小实验"},
};
// Grades 3-6, first come first served, open now.
constexpr DemoCourse kFcfsCourses[] = {
    {"航模入门", "science", "1:after_school", 1, 30, "纸飞机到橡筋动力模型"},
    {"篮球", "sports", "2:after_school", 2, 40, "运球、传球与小场比赛"},
    {"硬笔书法", "arts", "3:after_school", 1, 40, "楷书笔画与结构"},
    {"合唱团", "arts", "4:after_school", 1, 45, "发声训练与二声部合唱"},
    {"编程启蒙", "science", "5:after_school", 1, 30, "图形化编程做小游戏"},
};

constexpr int64_t kDayMs = 86'400'000;

Error Failed(const std::string& what, const Error& e) {
  return MakeError(e.code, "演示选课数据：" + what + "失败：" + e.message, "demo selection: " + what + ": " + e.message,
                   e.field);
}

// Makes the courses and their sections; returns the section ids.
Result<std::vector<int64_t>> MakeCourses(db::Db& db, const auth::Principal& office, const DemoCourse* courses, size_t n,
                                         const Json& grades, std::vector<int64_t>& teachers, DemoRounds& out) {
  std::vector<int64_t> sections;
  size_t next_teacher = 0;
  for (size_t i = 0; i < n; ++i) {
    const DemoCourse& d = courses[i];
    Json body{{"name", d.name},      {"category", d.category},
              {"grades", grades},    {"capacity", d.capacity * d.sections},
              {"slots", d.slots},    {"description", d.description},
              {"status", "approved"}};
    if (!teachers.empty()) body["teacher_staff_id"] = teachers[next_teacher % teachers.size()];
    // The principal posts the course with its lesson plan: approved with the decision recorded.
    auth::Principal leader = db.Read([&](db::Conn& cn) { return DemoLeader(cn, *office.school_id); });
    auto c = catalog::CreateCourse(db, leader, std::nullopt, WithDemoPlan(body));
    if (!c.ok()) return Failed(std::string("课程《") + d.name + "》", c.error());
    ++out.courses;
    for (int k = 0; k < d.sections; ++k) {
      Json s{{"capacity", d.capacity}};
      if (!teachers.empty()) s["teacher_staff_id"] = teachers[next_teacher++ % teachers.size()];
      auto sec = catalog::CreateSection(db, office, std::nullopt, (*c)["id"].get<int64_t>(), s);
      if (!sec.ok()) return Failed(std::string("教学班（") + d.name + "）", sec.error());
      sections.push_back((*sec)["id"].get<int64_t>());
      ++out.sections;
    }
  }
  return sections;
}

// A deterministic pseudo-random number from a student id (splitmix64's finaliser).
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The office (who runs the rounds) and up to kMaxTeachers active teachers (who lead the courses).
constexpr int64_t kMaxTeachers = 40;
Result<auth::Principal> OfficeAndTeachers(db::Db& db, int64_t school_id, std::vector<int64_t>& teachers) {
  auto office = db.Read([&](db::Conn& c) {
    teachers = store::ActiveTeachers(c, school_id, kMaxTeachers);
    return DemoLogin(c, school_id, "office", auth::Role::kOfficeDirector);
  });
  if (!office) return MakeError(kInternal, "演示学校没有 office 账号", "the demo school has no office login");
  return *office;
}

// Preferences of the enrolled children (three of the four courses' sections, in an order that
// follows the child's id), written while the round is open; then the round closes. Returns how
// many children ranked.
Result<int64_t> RankPreferences(db::Conn& c, int64_t school_id, int64_t round_id, const std::vector<int64_t>& sections,
                                int64_t now_ms) {
  auto round = select::RoundOf(c, round_id);
  if (!round) return MakeError(kInternal, "志愿轮不存在", "no round");
  auto enrolled = select::EnrolledChildren(c, school_id, *round, now_ms);
  if (!enrolled.ok()) return enrolled.error();
  const std::vector<int64_t> logins = store::ChildrenWithGuardianLogin(c, school_id);
  const std::set<int64_t> with_login(logins.begin(), logins.end());
  int64_t n = 0;
  for (const int64_t sid : store::LowerGradeChildren(c, school_id)) {
    if (!enrolled->count(sid)) continue;
    const uint64_t h = Mix(static_cast<uint64_t>(sid));
    if (!with_login.count(sid) && static_cast<int>(h % 100) >= kDemoRankingPercent) continue;
    std::vector<int64_t> order = sections;
    for (size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[(h >> (i * 4)) % i]);
    // Three choices, no two sections of one course (the same time: the second would clash).
    std::vector<int64_t> picked;
    std::set<int64_t> courses;
    for (int64_t sec : order) {
      if (picked.size() == 3) break;
      int64_t course = store::CourseOfSection(c, sec).value_or(0);
      if (!courses.insert(course).second) continue;
      picked.push_back(sec);
    }
    for (size_t k = 0; k < picked.size(); ++k)
      store::InsertPreference(c, school_id, round_id, sid, static_cast<int64_t>(k + 1), picked[k],
                              now_ms - 5 * kDayMs + static_cast<int64_t>(h % (4 * kDayMs)));
    ++n;
  }
  store::SetRoundCloses(c, round_id, now_ms - 2 * kDayMs);
  return n;
}

// The preference round (grades 1-2): opened ten days ago, ranked, closed two days ago, allocated.
Status PreferenceRound(db::Db& db, const auth::Principal& office, std::vector<int64_t>& teachers, int64_t now_ms,
                       DemoRounds& out) {
  auto pref_sections =
      MakeCourses(db, office, kPreferenceCourses, std::size(kPreferenceCourses), Json::array({1, 2}), teachers, out);
  if (!pref_sections.ok()) return pref_sections.error();
  auto pref = select::CreateRound(db, office, std::nullopt,
                                  {{"name", "第一轮选课（一、二年级 · 志愿填报）"},
                                   {"mode", "preference"},
                                   {"grades", {1, 2}},
                                   {"section_ids", *pref_sections},
                                   {"opens_at", now_ms - 10 * kDayMs},
                                   {"closes_at", now_ms + kDayMs},
                                   {"max_per_child", 1},
                                   {"max_ranks", 3}});
  if (!pref.ok()) return Failed("志愿轮", pref.error());
  out.preference_round_id = (*pref)["id"].get<int64_t>();
  auto ranked = db.Write([&](db::Conn& c) {
    return RankPreferences(c, *office.school_id, out.preference_round_id, *pref_sections, now_ms);
  });
  if (!ranked.ok()) return Failed("志愿", ranked.error());
  out.ranked_children = *ranked;
  auto alloc = select::Allocate(db, office, std::nullopt, out.preference_round_id);
  if (!alloc.ok()) return Failed("志愿分配", alloc.error());
  out.placed_children = (*alloc).value("placed_children", int64_t{0});
  out.seats = (*alloc).value("seats", int64_t{0});
  return Ok();
}

// The first-come round (grades 3-6): open since yesterday, for a week.
Status FcfsRound(db::Db& db, const auth::Principal& office, std::vector<int64_t>& teachers, int64_t now_ms,
                 DemoRounds& out) {
  auto fcfs_sections =
      MakeCourses(db, office, kFcfsCourses, std::size(kFcfsCourses), Json::array({3, 4, 5, 6}), teachers, out);
  if (!fcfs_sections.ok()) return fcfs_sections.error();
  auto fcfs = select::CreateRound(db, office, std::nullopt,
                                  {{"name", "第二轮选课（三至六年级 · 先到先得）"},
                                   {"mode", "fcfs"},
                                   {"grades", {3, 4, 5, 6}},
                                   {"section_ids", *fcfs_sections},
                                   {"opens_at", now_ms - kDayMs},
                                   {"closes_at", now_ms + 7 * kDayMs},
                                   {"max_per_child", 2}});
  if (!fcfs.ok()) return Failed("先到先得轮", fcfs.error());
  out.fcfs_round_id = (*fcfs)["id"].get<int64_t>();
  return Ok();
}

}  // namespace

Result<DemoRounds> CreateDemoRounds(db::Db& db, int64_t school_id, int64_t now_ms) {
  DemoRounds out;
  std::vector<int64_t> teachers;
  KEHOU_ASSIGN_OR_RETURN(const auth::Principal office, OfficeAndTeachers(db, school_id, teachers));
  KEHOU_TRY(PreferenceRound(db, office, teachers, now_ms, out));
  KEHOU_TRY(FcfsRound(db, office, teachers, now_ms, out));
  return out;
}

}  // namespace kehou::demo
