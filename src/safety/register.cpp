// Safety records (issue 13 §4): the incident log (guardian notice through the outbox), emergency
// plans and the drill per term, the visitor / gate register.
#include "auth/audit.h"
#include "core/ids.h"
#include "notify/outbox.h"
#include "safety/internal.h"
#include "safety/rules.h"
#include "safety/store.h"
#include "school/service.h"

namespace kehou::safety {
namespace {

using namespace internal;

}  // namespace

Result<Json> ListIncidents(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    Json items = Json::array();
    for (auto& r : c.Query(store::kIncidentsInRange, {sid, from, to, q.size, (q.page - 1) * q.size})) {
      Json j = RowJson(r);
      j["guardian_notified"] = r.Int("guardian_notified") != 0;
      j["time"] = FormatLocalMinute(r.Int("at_ms"));
      j["level_zh"] = IncidentLevelZh(r.Text("level"));
      items.push_back(std::move(j));
    }
    return Json{{"items", items}, {"total", items.size()}};
  });
}

Result<Json> CreateIncident(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                            int64_t now_ms) {
  BodyReader r(body);
  auto level = r.Text("level", {.required = true, .max_len = 20, .label = "级别"});
  auto student = r.Id("student_id", {.label = "涉及学生"});
  auto place = r.Text("place", {.required = true, .max_len = 100, .label = "地点"});
  auto desc = r.Text("description", {.required = true, .max_len = kMaxNoteChars, .multiline = true, .label = "经过"});
  auto actions =
      r.Text("actions", {.required = true, .max_len = kMaxNoteChars, .multiline = true, .label = "处置措施"});
  auto at = r.Int("at_ms", {.min = 0, .label = "发生时间"});
  auto notify_guardian = r.Bool("notify_guardian", {.label = "通知家长"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (!ValidIncidentLevel(*level))
    return Error::Invalid("级别应为轻微、较重或严重", "level is minor|moderate|serious", "level");
  const int64_t when = at.value_or(now_ms);
  if (when > now_ms) return Error::Invalid("发生时间不能晚于现在", "not ahead", "at_ms");
  const bool tell = notify_guardian.value_or(student.has_value());
  if (tell && !student) return Error::Invalid("通知家长须选择涉及的学生", "name the child", "student_id");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::optional<db::Row> child;
    if (student) {
      child = store::Student(c, sid, *student);
      if (!child) return Error::NotFound("学生不存在", "no such student", "student_id");
    }
    int64_t id = c.Insert(store::kInsertIncident,
                          {sid, FormatDate(LocalDate(when)), when, *level, db::Opt(student), *place, *desc, *actions,
                           int64_t{tell ? 1 : 0}, who.user_id, who.display_name, now_ms});
    if (tell) {
      const std::string text = child->Text("name") + " 于 " + FormatLocalMinute(when) + " 在" + *place + "发生" +
                               IncidentLevelZh(*level) + "安全事件：" + *desc + "。学校已处置：" + *actions + "。";
      for (int64_t g : store::Guardians(c, sid, *student))
        notify::Enqueue(c, sid, "incident:" + std::to_string(id), {"guardian", g}, "安全事件告知", text, now_ms);
    }
    Json after = {{"level", *level}, {"student_id", student ? Json(*student) : Json()}, {"guardian_notified", tell}};
    auth::Audit(c, who, {"create", "incident", id, nullptr, &after, sid});
    Json j = RowJson(*c.QueryOne(store::kIncidentById, {sid, id}));
    j["guardian_notified"] = tell;
    return j;
  });
}

Result<Json> ListPlans(db::Db& db, const auth::Principal& who, SchoolArg school) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json items = RowsJson(c.Query(store::kPlans, {sid}));
    return Json{{"items", items}, {"total", items.size()}};
  });
}

Result<Json> CreatePlan(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto title = r.Text("title", {.required = true, .max_len = 100, .label = "预案名称"});
  auto kind = r.Text("kind", {.required = true, .max_len = 40, .label = "类别"});
  auto text = r.Text("body", {.max_len = 20000, .multiline = true, .label = "内容"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t id = c.Insert(store::kInsertPlan, {sid, *title, *kind, text.value_or(""), who.user_id, now_ms});
    Json after = {{"title", *title}, {"kind", *kind}};
    auth::Audit(c, who, {"create", "emergency_plan", id, nullptr, &after, sid});
    return Json{{"id", id}, {"title", *title}, {"kind", *kind}};
  });
}

Result<Json> ListDrills(db::Db& db, const auth::Principal& who, SchoolArg school, const Date& today) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    Json terms = Json::array();
    for (const auto& t : school::TermsOf(c, sid)) {
      int64_t n = c.QueryOne(store::kDrillsOfTerm, {sid, t.id})->Int("n");
      terms.push_back(
          {{"term_id", t.id},
           {"name", t.name},
           {"drills", n},
           {"state", DrillStateName(TermDrillState(static_cast<int>(n), {t.dates.start, t.dates.end}, today))}});
    }
    Json items = RowsJson(c.Query(store::kDrills, {sid}));
    return Json{{"terms", terms}, {"items", items}, {"total", items.size()}};
  });
}

Result<Json> CreateDrill(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto term_id = r.Id("term_id", {.label = "学期"});
  auto plan_id = r.Id("plan_id", {.label = "预案"});
  auto day = r.Date("date", {.required = true, .label = "日期"});
  auto kind = r.Text("kind", {.required = true, .max_len = 40, .label = "演练类别"});
  auto participants = r.Int("participants", {.min = 0, .max = 100000, .label = "参加人数"});
  auto minutes = r.Int("minutes", {.min = 0, .max = 600, .label = "用时（分钟）"});
  auto record = r.Text("record", {.required = true, .max_len = 5000, .multiline = true, .label = "演练记录"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (LocalDate(now_ms) < *day) return Error::Invalid("演练日期不能晚于今天", "not ahead", "date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto term = term_id ? school::TermOf(c, sid, *term_id) : school::CurrentTerm(c, sid);
    if (!term) return Error::NotFound("学期不存在", "no such term", "term_id");
    if (*day < term->dates.start || term->dates.end < *day)
      return Error::Invalid("演练日期不在该学期内", "the date is outside the term", "date");
    if (plan_id && !c.QueryOne(store::kPlanOfSchool, {sid, *plan_id}))
      return Error::NotFound("预案不存在", "no such plan", "plan_id");
    int64_t id =
        c.Insert(store::kInsertDrill, {sid, term->id, db::Opt(plan_id), FormatDate(*day), *kind,
                                       participants.value_or(0), minutes.value_or(0), *record, who.user_id, now_ms});
    Json after = {{"term_id", term->id}, {"date", FormatDate(*day)}, {"kind", *kind}};
    auth::Audit(c, who, {"create", "drill", id, nullptr, &after, sid});
    return Json{{"id", id}, {"term_id", term->id}, {"date", FormatDate(*day)}};
  });
}

Result<Json> ListVisitors(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto [from, to] = Range(q);
    Json items = RowsJson(c.Query(store::kVisitors, {sid, from, to, q.size, (q.page - 1) * q.size}));
    for (auto& it : items) it["mobile"] = auth::MaskMobile(it["mobile"].get<std::string>());
    int64_t in = c.QueryOne(store::kVisitorsInRange, {sid, from, to})->Int("n");
    return Json{{"items", items}, {"total", items.size()}, {"inside", in}};
  });
}

Result<Json> CreateVisitor(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms) {
  BodyReader r(body);
  auto name = r.Text("name", {.required = true, .max_len = 40, .label = "来访人"});
  auto last4 = r.Text("id_last4", {.max_len = 4, .label = "证件后四位"});
  auto mobile = r.Text("mobile", {.max_len = 11, .label = "手机号"});
  auto purpose = r.Text("purpose", {.required = true, .max_len = 100, .label = "来访事由"});
  auto host = r.Text("host", {.max_len = 40, .label = "被访人"});
  KEHOU_TRY(r.Finish(UnknownFields::kRefuse));
  if (last4 && !last4->empty() && last4->size() != 4)
    return Error::Invalid("证件后四位应为 4 位", "4 characters", "id_last4");
  if (mobile && !mobile->empty() && !ValidMobile(*mobile))
    return Error::Invalid("手机号格式不正确", "bad mobile", "mobile");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    int64_t id =
        c.Insert(store::kInsertVisitor, {sid, FormatDate(LocalDate(now_ms)), *name, last4.value_or(""),
                                         mobile.value_or(""), *purpose, host.value_or(""), now_ms, who.user_id});
    Json after = {{"name", *name}, {"purpose", *purpose}};
    auth::Audit(c, who, {"visitor_in", "visitor", id, nullptr, &after, sid});
    return Json{{"id", id}, {"name", *name}, {"in_at", now_ms}};
  });
}

Result<Json> VisitorOut(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, int64_t now_ms) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto v = c.QueryOne(store::kVisitorOut, {sid, id});
    if (!v) return NotFound("来访记录", "visitor");
    if (v->OptInt("out_at")) return Error::Conflict("该访客已登记离校", "already out");
    c.Exec(store::kSignOutVisitor, {sid, id, now_ms});
    Json after = {{"out_at", now_ms}};
    auth::Audit(c, who, {"visitor_out", "visitor", id, nullptr, &after, sid});
    return Json{{"id", id}, {"out_at", now_ms}};
  });
}

}  // namespace kehou::safety
