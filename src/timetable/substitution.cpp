// substitution.cpp (timetable_term): absences and substitutes (R-STF-4, service.h).
#include <algorithm>

#include "auth/audit.h"
#include "core/body.h"
#include "notify/outbox.h"
#include "school/service.h"
#include "staff/service.h"
#include "timetable/internal.h"
#include "timetable/substitution_store.h"

namespace kehou::timetable {
namespace {

using Json = nlohmann::json;

// A teacher acting for themself (not the office): their staff id (-1 without one).
std::optional<int64_t> OwnStaff(const auth::Principal& who) {
  if (who.scope == auth::Scope::kSchool || who.scope == auth::Scope::kAll) return std::nullopt;
  return who.staff_id.value_or(-1);
}

Json SubJson(const store::Substitution& s) {
  return {{"id", s.id},
          {"section_id", s.section_id},
          {"section", s.section},
          {"course", s.course},
          {"date", s.day},
          {"band", s.band},
          {"absent_staff_id", s.absent_staff_id},
          {"absent", s.absent_name},
          {"substitute_staff_id", s.substitute_staff_id ? Json(*s.substitute_staff_id) : Json(nullptr)},
          {"substitute", s.substitute_name},
          {"source", s.source},
          {"status", s.status},
          {"reason", s.reason}};
}

std::string BandZh(const std::string& band) {
  if (auto k = school::ParseBandKind(band)) return std::string(school::BandKindLabelZh(*k));
  return band;
}

// Tells the substitute and the absent teacher (one message each per substitution and substitute).
void Tell(db::Conn& c, int64_t school, const store::Substitution& s, int64_t now_ms) {
  if (!s.substitute_staff_id) return;
  const std::string when = s.day + " " + BandZh(s.band);
  const std::string key = "substitution:" + std::to_string(s.id) + ":" + std::to_string(*s.substitute_staff_id);
  notify::Enqueue(c, school, key, {"staff", *s.substitute_staff_id}, "代课安排",
                  "请于 " + when + " 代 " + s.absent_name + " 老师上《" + s.course + "》" + s.section + "。", now_ms);
  notify::Enqueue(c, school, key, {"staff", s.absent_staff_id}, "代课已安排",
                  when + " 的《" + s.course + "》" + s.section + " 由 " + s.substitute_name + " 老师代课。", now_ms);
}

struct Candidate {
  int64_t staff_id = 0;
  std::string name;
  bool within = false, willing = false;
  size_t days = 0;
  int64_t duties = 0;
};

// Gated teachers (standby criteria, duties.cpp) free at the substitution's time, ranked.
std::vector<Candidate> Candidates(db::Conn& c, int64_t school, const store::Substitution& s, const Date& day,
                                  const school::Term& term) {
  const int wd = IsoWeekday(day);
  std::vector<Candidate> out;
  for (const auto& p : staff::ServingStaff(c, school, term.id, day)) {
    if (!p.gate_ok || (p.kind != "in_school" && p.kind != "retired") || p.subjects.empty()) continue;
    if (p.staff_id == s.absent_staff_id) continue;
    if (store::BusyAt(c, school, term.id, p.staff_id, wd, s.band, s.day)) continue;
    const auto week = store::WeekOf(c, school, term.id, p.staff_id);
    Candidate k{p.staff_id, p.name};
    std::set<int> days = week.days;
    days.insert(wd);
    k.days = week.days.size();
    k.within = static_cast<int>(days.size()) <= kTeacherMaxDaysPerWeek;
    k.duties = week.duties;
    k.willing = (p.will_weekdays.empty() || std::count(p.will_weekdays.begin(), p.will_weekdays.end(), wd)) &&
                (p.will_bands.empty() || std::count(p.will_bands.begin(), p.will_bands.end(), s.band));
    out.push_back(std::move(k));
  }
  std::stable_sort(out.begin(), out.end(), [](const Candidate& a, const Candidate& b) {
    return std::make_tuple(!a.within, !a.willing, a.duties, a.staff_id) <
           std::make_tuple(!b.within, !b.willing, b.duties, b.staff_id);
  });
  return out;
}

Result<school::Term> Current(db::Conn& c, int64_t school) {
  auto t = school::CurrentTerm(c, school);
  if (!t) return Error::Invalid("没有当前学期", "no current term", "date");
  return *t;
}

}  // namespace

Result<Json> ReportAbsence(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body,
                           int64_t now_ms) {
  BodyReader r(body);
  const auto day = r.Date("date", {.required = true, .label = "缺勤日期"});
  const auto sections =
      r.IdList("section_ids", {.required = true, .label = "缺勤的教学班", .max_items = kMaxAbsenceSections});
  const auto reason = r.Text("reason", {.max_len = 200, .label = "缺勤原因"});
  const auto named = r.Id("staff_id", {.label = "缺勤教师"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (sections->empty()) return Error::Invalid("请选择缺勤的教学班", "name at least one section", "section_ids");
  const auto own = OwnStaff(who);
  if (own && named && *named != *own)
    return Error::Forbidden("只能报告本人的缺勤", "a teacher reports only their own absence", "staff_id");
  const Date today = LocalDate(now_ms);
  if (own && *day < today)
    return Error::Invalid("不能补报已过去的日期，请联系课后服务办公室", "a past day: ask the office", "date");
  if (AddDays(today, kAbsenceDaysAhead) < *day)
    return Error::Invalid("只能报告 " + std::to_string(kAbsenceDaysAhead) + " 天内的缺勤", "at most 30 days ahead",
                          "date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto term, Current(c, sid));
    if (*day < term.dates.start || term.dates.end < *day || !school::IsSchoolDay(term.dates, *day))
      return Error::Invalid("该日不是本学期的上课日", "not a school day of the current term", "date");
    const int wd = IsoWeekday(*day);
    Json items = Json::array();
    for (int64_t section_id : *sections) {
      auto x = store::SectionOf(c, sid, section_id);
      if (!x) return Error::NotFound("教学班不存在", "no such section", "section_ids");
      if (!x->teacher_staff_id)
        return Error::Invalid("该教学班没有任课教师", "the section has no teacher", "section_ids");
      const int64_t absent = own ? *own : named.value_or(*x->teacher_staff_id);
      if (*x->teacher_staff_id != absent)
        return own ? Error::Forbidden("只能报告本人所教教学班的缺勤", "only your own sections", "section_ids")
                   : Error::Invalid("该教学班不由这位教师任教", "the section is not this teacher's", "section_ids");
      bool any = false;
      // Its sessions that day: the course's weekly slots (attendance) and the solved timetable's places.
      const auto placed = store::PlacedBands(c, sid, term.id, section_id, wd);
      for (const char* band : {"morning", "noon", "after_school", "evening"}) {
        const std::string slot = std::to_string(wd) + ":" + band;
        if (("," + x->slots + ",").find("," + slot + ",") == std::string::npos &&
            std::find(placed.begin(), placed.end(), band) == placed.end())
          continue;
        any = true;
        store::Substitution s;
        s.term_id = term.id;
        s.section_id = section_id;
        s.day = FormatDate(*day);
        s.band = band;
        s.absent_staff_id = absent;
        s.reason = reason.value_or("");
        s.source = "none";
        s.status = "open";
        // The section's AB backup, if still free then and within their day limit.
        if (auto b = store::BackupOf(c, sid, term.id, section_id, wd, band);
            b && *b != absent && !store::BusyAt(c, sid, term.id, *b, wd, band, s.day) &&
            staff::CheckAssignable(c, sid, *b, term.id, *day).ok()) {
          auto days = store::WeekOf(c, sid, term.id, *b).days;
          days.insert(wd);
          if (static_cast<int>(days.size()) <= kTeacherMaxDaysPerWeek) {
            s.substitute_staff_id = b;
            s.source = "backup";
            s.status = "assigned";
          }
        }
        const int64_t id = store::PutSubstitution(c, sid, s, who.user_id, now_ms);
        auto saved = store::FindSubstitution(c, sid, id);
        Tell(c, sid, *saved, now_ms);
        items.push_back(SubJson(*saved));
      }
      if (!any)
        return Error::Invalid("教学班《" + x->course + "》" + x->name + " 在该日没有课",
                              "the section has no session that day", "section_ids");
    }
    Json after = {{"date", FormatDate(*day)}, {"items", items}};
    auth::Audit(c, who, {"report_absence", "substitution", items[0]["id"].get<int64_t>(), nullptr, &after, sid});
    return Json{{"items", items}};
  });
}

Result<Json> ListSubstitutions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                               const Json& filters) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    const auto own = OwnStaff(who);
    Json items = Json::array();
    for (const auto& s :
         store::ListSubstitutions(c, sid, filters.value("date", ""), filters.value("status", ""), own.value_or(0)))
      items.push_back(SubJson(s));
    const int64_t total = static_cast<int64_t>(items.size());
    return Json{{"items", items}, {"total", total}};
  });
}

Result<Json> SubstituteCandidates(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto s = store::FindSubstitution(c, sid, id);
    if (!s) return Error::NotFound("代课记录不存在", "no such substitution", "id");
    KEHOU_ASSIGN_OR_RETURN(auto term, Current(c, sid));
    Json items = Json::array();
    for (const auto& k : Candidates(c, sid, *s, *ParseDate(s->day), term))
      items.push_back({{"staff_id", k.staff_id},
                       {"name", k.name},
                       {"within_day_limit", k.within},
                       {"willing", k.willing},
                       {"days", k.days},
                       {"duties", k.duties},
                       {"suggested", items.empty() && k.within}});
    return Json{{"substitution", SubJson(*s)}, {"items", items}, {"max_days", kTeacherMaxDaysPerWeek}};
  });
}

Result<Json> AssignSubstitute(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                              const Json& body, int64_t now_ms) {
  BodyReader r(body);
  const auto staff_id = r.Id("staff_id", {.required = true, .label = "代课教师"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto s = store::FindSubstitution(c, sid, id);
    if (!s) return Error::NotFound("代课记录不存在", "no such substitution", "id");
    if (s->status == "cancelled") return Error::Conflict("该缺勤已取消", "the absence was cancelled", "id");
    KEHOU_ASSIGN_OR_RETURN(auto term, Current(c, sid));
    const Date day = *ParseDate(s->day);
    KEHOU_TRY(staff::CheckAssignable(c, sid, *staff_id, term.id, day));
    if (*staff_id == s->absent_staff_id)
      return Error::Invalid("代课教师不能是缺勤教师本人", "the substitute is the absent teacher", "staff_id");
    const auto all = Candidates(c, sid, *s, day, term);
    auto k = std::find_if(all.begin(), all.end(), [&](const Candidate& x) { return x.staff_id == *staff_id; });
    if (k == all.end())
      return Error::RuleBroken("该教师当时有课、看管或缺勤，不能代课", "the teacher is busy or absent then",
                               "staff_id");
    if (!k->within)
      return Error::RuleBroken("该教师本周已服务 " + std::to_string(k->days) + " 天，代课将超过每周最多 " +
                                   std::to_string(kTeacherMaxDaysPerWeek) + " 天的规定",
                               "over the teacher's days a week (at most 2)", "staff_id");
    Json before = SubJson(*s);
    store::AssignSubstitution(c, sid, id, *staff_id, "office", who.user_id, now_ms);
    auto saved = store::FindSubstitution(c, sid, id);
    Tell(c, sid, *saved, now_ms);
    Json after = SubJson(*saved);
    auth::Audit(c, who, {"assign_substitute", "substitution", id, &before, &after, sid});
    return after;
  });
}

std::optional<int64_t> WhoTaught(db::Conn& c, int64_t school, int64_t section_id, const Date& day,
                                 const std::string& band) {
  auto s = store::SubstitutionAt(c, school, section_id, FormatDate(day), band);
  if (!s || s->status != "assigned") return std::nullopt;
  return s->substitute_staff_id;
}

std::vector<SubstituteOn> SubstitutesOn(db::Conn& c, int64_t school, const Date& day) {
  return db::FetchOne(c, SubstitutesOnFetch(school, day));
}

db::Fetch<std::vector<SubstituteOn>> SubstitutesOnFetch(int64_t school, const Date& day) {
  auto f = store::SubstitutionsFetch(school, FormatDate(day), "assigned", 0);
  return {std::move(f.stmt), [make = std::move(f.make)](const db::Rows& rows) {
            std::vector<SubstituteOn> out;
            for (const auto& s : make(rows))
              if (s.substitute_staff_id)
                out.push_back({s.section_id, s.band, *s.substitute_staff_id, s.substitute_name});
            return out;
          }};
}

}  // namespace kehou::timetable
