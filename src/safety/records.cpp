// Safety records (issue 13 §4, R-DAY-7/8): insurance per term with coverage and gaps, the daily
// site check before the service, hourly patrols; and the office board's safety figures.
#include <algorithm>
#include <map>
#include <set>

#include "auth/audit.h"
#include "enroll/rules.h"
#include "enroll/service.h"
#include "safety/internal.h"
#include "safety/rules.h"
#include "safety/store.h"
#include "school/service.h"

namespace kehou::safety {
namespace {

using namespace internal;

Result<school::Term> TermFor(db::Conn& c, int64_t sid, std::optional<int64_t> term_id) {
  auto t = term_id ? school::TermOf(c, sid, *term_id) : school::CurrentTerm(c, sid);
  if (!t) return Error::NotFound("学期不存在", "no such term", "term_id");
  return *t;
}

std::set<int64_t> EnrolledChildren(db::Conn& c, int64_t sid, const school::Term& t, const Date& today) {
  Date day = today < t.dates.start ? t.dates.start : (t.dates.end < today ? t.dates.end : today);
  std::set<int64_t> out;
  for (const auto& e : enroll::ApprovedOf(c, sid, t.id, std::nullopt))
    if (enroll::EnrolledOn(enroll::AppStatus::kApproved, e.signed_current_version, e.exit_effective, t.dates.start,
                           t.dates.end, day))
      out.insert(e.student_id);
  return out;
}

Json GapsJson(const std::vector<DateRange>& gaps) {
  Json out = Json::array();
  for (const auto& g : gaps) out.push_back({{"from", FormatDate(g.from)}, {"to", FormatDate(g.to)}});
  return out;
}

// Is `day` a day with service (a school day of the current term, weekday not excluded), and when
// does its first band start?
struct ServiceDay {
  bool service = false;
  std::optional<int> first_start;
};
ServiceDay ServiceOn(db::Conn& c, int64_t sid, const Date& day) {
  ServiceDay out;
  auto term = school::CurrentTerm(c, sid);
  if (!term || !school::IsSchoolDay(term->dates, day)) return out;
  const auto& ex = term->dates.excluded_weekdays;
  if (std::find(ex.begin(), ex.end(), IsoWeekday(day)) != ex.end()) return out;
  out.service = true;
  for (const auto& b : school::BandsOn(term->dates, school::BandsOfTerm(c, sid, term->id), day))
    if (!out.first_start || b.start < *out.first_start) out.first_start = b.start;
  return out;
}

std::string CheckStateOn(db::Conn& c, int64_t sid, const Date& day, int64_t now_ms) {
  const bool checked = c.QueryOne(store::kSiteChecked, {sid, FormatDate(day)}).has_value();
  ServiceDay sd = ServiceOn(c, sid, day);
  const int now_minute = static_cast<int>(((now_ms + kSchoolUtcOffsetMs) / 60000) % (24 * 60));
  return std::string(
      CheckStateName(SiteCheckState(sd.service, checked, day, LocalDate(now_ms), now_minute, sd.first_start)));
}

}  // namespace

Result<Json> ListInsurance(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q,
                           const Date& today) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto term, TermFor(c, sid, q.term_id));
    auto rows = c.Query(store::kInsurance, {sid, term.id});
    std::vector<DateRange> liability, accident_dates;
    std::vector<Policy> accident;
    Json items = Json::array();
    for (const auto& r : rows) {
      DateRange d{*ParseDate(r.Text("from_date")), *ParseDate(r.Text("to_date"))};
      Json ids = Json::parse(r.Text("student_ids"), nullptr, false);
      Policy p{d, r.Int("covers_all") != 0, {}};
      if (ids.is_array())
        for (const auto& id : ids) p.children.insert(id.get<int64_t>());
      Json j = RowJson(r);
      j.erase("student_ids");
      j["covers_all"] = p.covers_all;
      j["covered"] = static_cast<int64_t>(p.children.size());
      items.push_back(std::move(j));
      if (r.Text("kind") == "liability") {
        liability.push_back(d);
      } else {
        accident_dates.push_back(d);
        accident.push_back(std::move(p));
      }
    }
    const DateRange span{term.dates.start, term.dates.end};
    auto enrolled = EnrolledChildren(c, sid, term, today);
    Json uncovered = Json::array();
    for (int64_t id : UncoveredChildren(enrolled, accident))
      if (auto s = store::Student(c, sid, id)) uncovered.push_back(RowJson(*s));
    Json coverage = {{"liability_gaps", GapsJson(CoverageGaps(span, liability))},
                     {"accident_gaps", GapsJson(CoverageGaps(span, accident_dates))},
                     {"enrolled", enrolled.size()},
                     {"uncovered", uncovered}};
    coverage["ok"] = coverage["liability_gaps"].empty() && coverage["accident_gaps"].empty() && uncovered.empty();
    Json t = {{"id", term.id},
              {"name", term.name},
              {"start", FormatDate(term.dates.start)},
              {"end", FormatDate(term.dates.end)}};
    return Json{{"term", t}, {"items", items}, {"total", items.size()}, {"coverage", coverage}};
  });
}

Result<Json> CreateInsurance(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                             int64_t now_ms) {
  BodyReader r(body);
  auto term_id = r.Id("term_id", {.label = "学期"});
  auto kind = r.Text("kind", {.required = true, .max_len = 20, .label = "险种"});
  auto policy = r.Text("policy_no", {.required = true, .max_len = 60, .label = "保单号"});
  auto insurer = r.Text("insurer", {.required = true, .max_len = 100, .label = "保险公司"});
  auto from = r.Date("from_date", {.required = true, .label = "起期"});
  auto to = r.Date("to_date", {.required = true, .label = "止期"});
  auto all = r.Bool("covers_all", {.label = "覆盖全部在册学生"});
  auto children = r.IdList("student_ids", {.label = "被保险学生", .max_items = 5000});
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .label = "备注"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!ValidInsuranceKind(*kind))
    return Error::Invalid("险种应为校方责任险（liability）或学生意外险（accident）", "kind is liability|accident",
                          "kind");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    KEHOU_ASSIGN_OR_RETURN(auto term, TermFor(c, sid, term_id));
    KEHOU_TRY(CheckPolicyDates({*from, *to}, {term.dates.start, term.dates.end}));
    Json ids = children.value_or(std::vector<int64_t>{});
    for (const auto& id : ids)
      if (!store::Student(c, sid, id.get<int64_t>()))
        return Error::NotFound("被保险学生不存在", "no such student", "student_ids");
    int64_t id = c.Insert(store::kInsertInsurance,
                          {sid, term.id, *kind, *policy, *insurer, FormatDate(*from), FormatDate(*to),
                           int64_t{all.value_or(false) ? 1 : 0}, ids.dump(), note.value_or(""), who.user_id, now_ms});
    Json after = {{"kind", *kind}, {"policy_no", *policy}, {"term_id", term.id}, {"covered", ids.size()}};
    auth::Audit(c, who, {"create", "insurance", id, nullptr, &after, sid});
    return Json{{"id", id}, {"term_id", term.id}, {"kind", *kind}, {"policy_no", *policy}};
  });
}

Result<Json> ListSiteChecks(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q,
                            int64_t now_ms) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    Json items = Json::array();
    for (auto& r : c.Query(store::kSiteChecks, {sid, from, to, q.size, (q.page - 1) * q.size})) {
      Json j = RowJson(r);
      int issues = 0;
      for (const char* k : {"doors", "windows", "equipment", "wiring"}) issues += j[k] == "issue";
      j["issues"] = issues;
      items.push_back(std::move(j));
    }
    const Date today = LocalDate(now_ms);
    ServiceDay sd = ServiceOn(c, sid, today);
    Json t = {{"date", FormatDate(today)},
              {"state", CheckStateOn(c, sid, today, now_ms)},
              {"first_start", sd.first_start ? Json(FormatTimeOfDay(*sd.first_start)) : Json()}};
    // Past service days of the range (at most kMissedCheckDays back) without a check.
    std::set<std::string> checked;
    for (const auto& it : items) checked.insert(it["day"].get<std::string>());
    Json missed = Json::array();
    const Date first = std::max(q.day ? *q.day : q.from.value_or(AddDays(today, -kMissedCheckDays)),
                                AddDays(today, -kMissedCheckDays));
    const Date last = std::min(q.day ? *q.day : q.to.value_or(today), AddDays(today, -1));
    for (Date d = first; !(last < d); d = AddDays(d, 1))
      if (!checked.count(FormatDate(d)) && ServiceOn(c, sid, d).service) missed.push_back(FormatDate(d));
    return Json{{"items", items}, {"total", items.size()}, {"today", t}, {"missed_days", missed}};
  });
}

Result<Json> SaveSiteCheck(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto day = r.Date("date", {.label = "日期"});
  std::map<std::string, std::string> v;
  for (const char* k : {"doors", "windows", "equipment", "wiring"})
    v[k] = r.Text(k, {.required = true, .max_len = 10}).value_or("");
  auto note = r.Text("note", {.max_len = kMaxNoteChars, .multiline = true, .label = "说明"});
  auto photo = r.Text("photo", {.max_len = kMaxPhotoBytes, .label = "照片"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  for (auto& [k, val] : v)
    if (!ValidCheckValue(val)) return Error::Invalid("检查结果应为 ok 或 issue", "ok or issue", k);
  if (photo && !photo->empty() && photo->rfind("data:image/", 0) != 0)
    return Error::Invalid("照片格式不正确", "photo must be a data:image URL", "photo");
  const Date d = day.value_or(LocalDate(now_ms));
  if (LocalDate(now_ms) < d) return Error::Invalid("不能登记未来日期的检查", "not ahead", "date");
  const bool issues =
      v["doors"] == "issue" || v["windows"] == "issue" || v["equipment"] == "issue" || v["wiring"] == "issue";
  if (issues && note.value_or("").empty()) return Error::Invalid("发现问题时须填写说明", "describe the issue", "note");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto before = c.QueryOne(store::kSiteCheckOfDay, {sid, FormatDate(d)});
    int64_t id = c.Insert(store::kInsertSiteCheck,
                          {sid, FormatDate(d), v["doors"], v["windows"], v["equipment"], v["wiring"], note.value_or(""),
                           photo.value_or(""), who.user_id, who.display_name, now_ms});
    Json after = {{"date", FormatDate(d)}, {"issues", issues}, {"replaced", before.has_value()}};
    auth::Audit(c, who, {before ? "update" : "create", "site_check", id, nullptr, &after, sid});
    return Json{{"id", id}, {"date", FormatDate(d)}, {"state", "done"}};
  });
}

Result<Json> ListPatrols(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    Json items = Json::array();
    for (auto& r : c.Query(store::kPatrols, {sid, from, to, q.size, (q.page - 1) * q.size})) {
      Json j = RowJson(r);
      j["ok"] = r.Int("ok") != 0;
      j["time"] = FormatLocalMinute(r.Int("at_ms"));
      j["open"] = r.Int("ok") == 0 && r.IsNull(r.Index("follow_up_done_at"));
      items.push_back(std::move(j));
    }
    int64_t open = c.QueryOne(store::kOpenPatrolFindings, {sid})->Int("n");
    return Json{{"items", items}, {"total", items.size()}, {"open", open}};
  });
}

Result<Json> CreatePatrol(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto area = r.Text("area", {.required = true, .max_len = 60, .label = "巡查区域"});
  auto ok = r.Bool("ok", {.required = true, .label = "是否正常"});
  auto findings = r.Text("findings", {.max_len = kMaxNoteChars, .multiline = true, .label = "发现问题"});
  auto follow = r.Text("follow_up", {.max_len = kMaxNoteChars, .multiline = true, .label = "处理措施"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!*ok && findings.value_or("").empty())
    return Error::Invalid("发现问题时须填写问题描述", "describe the finding", "findings");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t id =
        c.Insert(store::kInsertPatrol, {sid, FormatDate(LocalDate(now_ms)), now_ms, *area, int64_t{*ok ? 1 : 0},
                                        findings.value_or(""), follow.value_or(""), who.user_id, who.display_name});
    Json after = {{"area", *area}, {"ok", *ok}};
    auth::Audit(c, who, {"create", "patrol", id, nullptr, &after, sid});
    return Json{{"id", id}, {"area", *area}, {"ok", *ok}};
  });
}

Result<Json> FollowUpPatrol(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                            int64_t now_ms) {
  BodyReader r(body);
  auto follow =
      r.Text("follow_up", {.required = true, .max_len = kMaxNoteChars, .multiline = true, .label = "处理结果"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto p = c.QueryOne(store::kPatrolFollowUp, {sid, id});
    if (!p) return NotFound("巡查记录", "patrol");
    if (p->OptInt("follow_up_done_at")) return Error::Conflict("该问题已处理完毕", "already followed up");
    c.Exec(store::kFollowUpPatrol, {sid, id, *follow, now_ms});
    Json after = {{"follow_up_done_at", now_ms}};
    auth::Audit(c, who, {"follow_up", "patrol", id, nullptr, &after, sid});
    return Json{{"id", id}, {"follow_up", *follow}, {"follow_up_done_at", now_ms}};
  });
}

Result<Json> Summary(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day,
                     int64_t now_ms) {
  const Date d = day.value_or(LocalDate(now_ms));
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto count = [&](const char* sql) { return c.QueryOne(sql, {sid, FormatDate(d)})->Int("n"); };
    Json out = {{"date", FormatDate(d)}, {"site_check", CheckStateOn(c, sid, d, now_ms)}};
    out["unwell_open"] = c.QueryOne(store::kUnwellOpenCount, {sid})->Int("n");
    out["unwell_today"] = count(store::kUnwellOnDay);
    out["handovers_pending"] = count(store::kHandoversPendingOnDay);
    out["incidents_today"] = count(store::kIncidentsOnDay);
    out["patrols_today"] = count(store::kPatrolsOnDay);
    out["visitors_in"] = count(store::kVisitorsIn);
    if (auto term = school::CurrentTerm(c, sid)) {
      int64_t drills = c.QueryOne(store::kDrillsOfTerm, {sid, term->id})->Int("n");
      out["drill"] = DrillStateName(TermDrillState(static_cast<int>(drills), {term->dates.start, term->dates.end}, d));
    }
    return out;
  });
}

}  // namespace kehou::safety
