#include "school/service.h"

#include <algorithm>
#include <utility>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "school/store.h"

namespace kehou::school {
namespace {

using auth::Principal;

// ---- errors --------------------------------------------------------------------------------------

// Officers read only; the permission table already says so, this keeps the service honest.
Status WriteAllowed(const Principal& who) {
  if (auth::IsAreaRole(who.role) || who.role == auth::Role::kGuardian)
    return MakeError(kForbidden, "无权修改学校设置", "not allowed to change school setup");
  return Ok();
}
// A rule error on data that already exists, raised by a change elsewhere.
Error Because(const Error& e, std::string_view zh, std::string_view en, std::string field) {
  Error out = e;
  out.message = std::string(zh) + e.message;
  out.message_en = std::string(en) + e.message_en;
  out.field = std::move(field);
  return out;
}

// ---- JSON input: core/body.h's BodyReader ------------------------------------------------------

// ---- JSON output ---------------------------------------------------------------------------------

Json DateJson(const std::optional<Date>& d) { return d ? Json(FormatDate(*d)) : Json(nullptr); }

Json DeviationJson(const Deviation& d) {
  Json j{{"code", d.code}, {"message", d.message}, {"message_en", d.message_en}};
  if (d.code == "excluded_weekday") j["weekday"] = d.weekday;
  if (d.code == "short_service") {
    j["season"] = SeasonName(d.season);
    j["minutes"] = d.minutes;
    j["required_minutes"] = kMinDailyServiceMinutes;
  }
  return j;
}

Json DeviationsJson(const std::vector<Band>& bands, const TermDates& t) {
  Json out = Json::array();
  for (const auto& d : Deviations(bands, t)) out.push_back(DeviationJson(d));
  return out;
}

Json HolidaysJson(const store::TermRow& t, bool with_ids) {
  Json hs = Json::array();
  for (size_t i = 0; i < t.dates.holidays.size(); ++i) {
    const Holiday& h = t.dates.holidays[i];
    Json j{{"name", h.name}, {"start_date", FormatDate(h.start)}, {"end_date", FormatDate(h.end)}};
    if (with_ids && i < t.holiday_ids.size()) j["id"] = t.holiday_ids[i];
    hs.push_back(std::move(j));
  }
  return hs;
}

// The term as the audit sees it: its own fields only.
Json TermAuditJson(const store::TermRow& t) {
  return Json{{"name", t.name},
              {"start_date", FormatDate(t.dates.start)},
              {"end_date", FormatDate(t.dates.end)},
              {"winter_from", DateJson(t.dates.winter_from)},
              {"summer_from", DateJson(t.dates.summer_from)},
              {"excluded_weekdays", t.dates.excluded_weekdays},
              {"is_current", t.is_current},
              {"holidays", HolidaysJson(t, false)}};
}

Json TermJson(db::Conn& c, const store::TermRow& t) {
  Json j = TermAuditJson(t);
  j["id"] = t.id;
  j["school_id"] = t.school_id;
  j["holidays"] = HolidaysJson(t, true);
  j["teaching_weeks"] = TeachingWeeks(t.dates);
  std::vector<Band> bands;
  for (const auto& b : store::LoadBands(c, t.school_id, t.id)) bands.push_back(b.band);
  j["deviations"] = DeviationsJson(bands, t.dates);
  return j;
}

Json BandJson(const Band& b) {
  return Json{{"kind", BandKindName(b.kind)},        {"kind_label", BandKindLabelZh(b.kind)},
              {"season", SeasonName(b.season)},      {"name", b.name},
              {"start_time", FormatTimeOfDay(b.start)}, {"end_time", FormatTimeOfDay(b.end)}};
}

Json BandsAuditJson(const std::vector<Band>& bands) {
  Json a = Json::array();
  for (const auto& b : bands) {
    Json j = BandJson(b);
    j.erase("kind_label");
    a.push_back(std::move(j));
  }
  return a;
}

Json SchoolJson(const store::SchoolRow& s) {
  auto level = ParseLevel(s.level);
  auto type = ParseSchoolType(s.type);
  return Json{{"id", s.id},
              {"name", s.name},
              {"level", s.level},
              {"level_label", level ? LevelLabelZh(*level) : ""},
              {"type", s.type},
              {"type_label", type ? SchoolTypeLabelZh(*type) : ""},
              {"address", s.address},
              {"area_id", s.area_id},
              {"area_name", s.area_name},
              {"office_close_time", s.office_close_time},
              {"charges_fee", ChargesServiceFee(s.type)},
              {"student_count", s.students},
              {"class_count", s.classes},
              {"staff_count", s.staff}};
}

Json SchoolAuditJson(const store::SchoolRow& s) {
  return Json{{"name", s.name}, {"level", s.level}, {"type", s.type}, {"address", s.address},
              {"office_close_time", s.office_close_time}};
}

Json GradeJson(const store::GradeRow& g) {
  return Json{{"id", g.id}, {"number", g.number}, {"name", g.name}, {"class_count", g.classes},
              {"student_count", g.students}};
}

Json OptId(const std::optional<int64_t>& v) { return v ? Json(*v) : Json(nullptr); }

Json ClassJson(const store::ClassRow& k) {
  return Json{{"id", k.id},
              {"grade_id", k.grade_id},
              {"grade_number", k.grade_number},
              {"grade_name", k.grade_name},
              {"number", k.number},
              {"name", k.name},
              {"class_teacher_id", OptId(k.class_teacher_id)},
              {"class_teacher_name", k.class_teacher_name},
              {"room_id", OptId(k.room_id)},
              {"room_name", k.room_name},
              {"student_count", k.students}};
}

Json ClassAuditJson(const store::ClassRow& k) {
  return Json{{"grade_id", k.grade_id},
              {"number", k.number},
              {"name", k.name},
              {"class_teacher_id", OptId(k.class_teacher_id)},
              {"room_id", OptId(k.room_id)}};
}

Json RoomJson(const store::RoomRow& r) {
  return Json{{"id", r.id},
              {"name", r.name},
              {"kind", r.kind},
              {"kind_label", RoomKindLabelZh(r.kind)},
              {"capacity", r.capacity},
              {"equipment", r.equipment},
              {"active", r.active}};
}

Json RoomAuditJson(const store::RoomRow& r) {
  Json j = RoomJson(r);
  j.erase("id");
  j.erase("kind_label");
  return j;
}

Json ListJson(Json items, Paging p) {
  auto total = static_cast<int64_t>(items.size());
  Json page_items = Json::array();
  if (p.size > 0) {
    int64_t from = std::max<int64_t>(0, (p.page - 1) * p.size);
    for (int64_t i = from; i < total && i < from + p.size; ++i) page_items.push_back(items[static_cast<size_t>(i)]);
  } else {
    page_items = std::move(items);
  }
  return Json{{"items", std::move(page_items)},
              {"total", total},
              {"page", p.size > 0 ? p.page : 1},
              {"page_size", p.size > 0 ? p.size : total}};
}

// Only the fields that differ, for the audit row.
std::pair<Json, Json> Diff(const Json& before, const Json& after) {
  Json b = Json::object(), a = Json::object();
  for (auto it = after.begin(); it != after.end(); ++it) {
    const Json* old = before.contains(it.key()) ? &before.at(it.key()) : nullptr;
    if (!old || *old != it.value()) {
      b[it.key()] = old ? *old : Json(nullptr);
      a[it.key()] = it.value();
    }
  }
  for (auto it = before.begin(); it != before.end(); ++it)
    if (!after.contains(it.key())) {
      b[it.key()] = it.value();
      a[it.key()] = nullptr;
    }
  return {b, a};
}

void Log(db::Conn& c, const Principal& who, std::string_view action, std::string_view entity, int64_t id,
         const Json* before, const Json* after, int64_t school_id) {
  auth::AuditEntry e;
  e.action = action;
  e.entity = entity;
  e.entity_id = id;
  e.before = before;
  e.after = after;
  e.school_id = school_id;
  auth::Audit(c, who, e);
}
void LogChange(db::Conn& c, const Principal& who, std::string_view entity, int64_t id, const Json& before,
               const Json& after, int64_t school_id) {
  auto [b, a] = Diff(before, after);
  if (a.empty()) return;  // nothing changed
  Log(c, who, "update", entity, id, &b, &a, school_id);
}

// ---- shared loads --------------------------------------------------------------------------------

Term ToTerm(const store::TermRow& r) {
  return Term{r.id, r.school_id, r.name, r.dates, r.is_current, TeachingWeeks(r.dates)};
}

std::vector<Band> Bands(const std::vector<store::BandRow>& rows) {
  std::vector<Band> out;
  for (const auto& r : rows) out.push_back(r.band);
  return out;
}

BandContext ContextOf(const store::SchoolRow& s, const TermDates& t) {
  BandContext ctx;
  ctx.level = ParseLevel(s.level).value_or(Level::kNineYear);
  ctx.office_close = ParseTimeOfDay(s.office_close_time).value_or(17 * 60);
  ctx.term = t;
  return ctx;
}

Json BandsAnswer(db::Conn& c, const store::SchoolRow& s, const store::TermRow& t) {
  auto rows = store::LoadBands(c, s.id, t.id);
  std::vector<Band> bands = Bands(rows);
  BandContext ctx = ContextOf(s, t.dates);
  Json items = Json::array();
  for (const auto& r : rows) {
    Json j = BandJson(r.band);
    j["id"] = r.id;
    items.push_back(std::move(j));
  }
  return Json{{"items", std::move(items)},
              {"office_close_time", s.office_close_time},
              {"deviations", DeviationsJson(bands, t.dates)},
              {"limits",
               {{"evening_allowed", MayHaveEvening(ctx.level)},
                {"evening_latest_end", FormatTimeOfDay(kEveningLatestEnd)},
                {"earliest_after_school_end", FormatTimeOfDay(EarliestAfterSchoolEnd(ctx.office_close))},
                {"office_close_margin_minutes", kOfficeCloseMarginMinutes},
                {"min_daily_service_minutes", kMinDailyServiceMinutes}}},
              {"term",
               {{"id", t.id},
                {"name", t.name},
                {"winter_from", DateJson(t.dates.winter_from)},
                {"summer_from", DateJson(t.dates.summer_from)},
                {"excluded_weekdays", t.dates.excluded_weekdays},
                {"seasons", [&] {
                   Json a = Json::array();
                   for (Season x : SeasonsInTerm(t.dates)) a.push_back(SeasonName(x));
                   return a;
                 }()}}}};
}

Result<store::SchoolRow> SchoolFor(db::Conn& c, const Principal& who, std::optional<int64_t> requested) {
  auto sid = auth::ResolveSchool(c, who, requested);
  if (!sid) return sid.error();
  auto s = store::LoadSchool(c, *sid);
  if (!s) return Error::NotFound("学校不存在", "no such school", "school_id");
  return *s;
}

Error TermNotFound() { return Error::NotFound("学期不存在", "no such term", "id"); }
Error ClassNotFound() { return Error::NotFound("班级不存在", "no such class", "id"); }
Error RoomNotFound() { return Error::NotFound("场地不存在", "no such room", "id"); }

}  // namespace

// ---- for other modules ---------------------------------------------------------------------------

std::optional<Term> CurrentTerm(db::Conn& c, int64_t school_id) {
  auto t = store::LoadCurrentTerm(c, school_id);
  if (!t) t = store::LoadTermOn(c, school_id, TodayLocal());
  if (!t) return std::nullopt;
  return ToTerm(*t);
}

std::optional<Term> CurrentTerm(db::Db& db, int64_t school_id) {
  return db.Read([&](db::Conn& c) { return CurrentTerm(c, school_id); });
}

std::optional<Term> TermOf(db::Conn& c, int64_t school_id, int64_t term_id) {
  auto t = store::LoadTerm(c, school_id, term_id);
  if (!t) return std::nullopt;
  return ToTerm(*t);
}

std::vector<Band> BandsOfTerm(db::Conn& c, int64_t school_id, int64_t term_id) {
  return Bands(store::LoadBands(c, school_id, term_id));
}

bool SchoolChargesFee(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne("SELECT type FROM schools WHERE id = $1", {school_id});
  return r && ChargesServiceFee(r->Text(0));
}

Result<int64_t> CreateSchool(db::Conn& c, const NewSchool& s) {
  if (!store::LoadArea(c, s.area_id)) return Error::NotFound("地区不存在", "no such area", "area_id");
  auto name = CheckName(s.name, "name", "学校名称");
  if (!name) return name.error();
  auto address = CheckName(s.address, "address", "地址", kMaxTextLength, false);
  if (!address) return address.error();
  int64_t id = store::InsertSchool(c, s.area_id, *name, std::string(LevelName(s.level)),
                                   std::string(SchoolTypeName(s.type)), *address);
  EnsureGrades(c, id, s.level);
  return id;
}

int EnsureGrades(db::Conn& c, int64_t school_id, Level level) {
  auto have = store::LoadGrades(c, school_id);
  int added = 0;
  for (int n = FirstGrade(level); n <= LastGrade(level); ++n) {
    bool exists = std::any_of(have.begin(), have.end(), [&](const store::GradeRow& g) { return g.number == n; });
    if (exists) continue;
    store::InsertGrade(c, school_id, n, GradeName(n));
    ++added;
  }
  return added;
}

// ---- parsing -------------------------------------------------------------------------------------

Result<SchoolPatch> ParseSchoolPatch(const Json& body) {
  BodyReader f(body);
  SchoolPatch p;
  p.name = f.Text("name", {.label = "学校名称"});
  p.address = f.Text("address", {.label = "地址"});
  if (auto v = f.Text("level", {.label = "学段"})) {
    p.level = ParseLevel(*v);
    if (!p.level) f.Set(Error::Invalid("学段须为 primary（小学）、junior（初中）或 nine_year（九年一贯制）",
                                "level must be primary, junior or nine_year", "level"));
  }
  if (auto v = f.Text("type", {.label = "办学类型"})) {
    p.type = ParseSchoolType(*v);
    if (!p.type) f.Set(Error::Invalid("办学类型须为 public（公办）、private（民办）或 private_boarding（民办寄宿制）",
                               "type must be public, private or private_boarding", "type"));
  }
  p.office_close_time = f.Time("office_close_time", {.label = "当地下班时间"});
  if (f.error()) return *f.error();
  if (p.name) {
    auto n = CheckName(*p.name, "name", "学校名称");
    if (!n) return n.error();
    p.name = *n;
  }
  if (p.address) {
    auto a = CheckName(*p.address, "address", "地址", kMaxTextLength, false);
    if (!a) return a.error();
    p.address = *a;
  }
  return p;
}

Result<TermInput> ParseTermInput(const Json& raw, bool create) {
  // Forms send "" for an empty date: it clears winter_from / summer_from like null does.
  Json body = raw;
  for (const char* key : {"winter_from", "summer_from"})
    if (body.contains(key) && body.at(key).is_string() && Trim(body.at(key).get<std::string>()).empty())
      body[key] = nullptr;
  BodyReader f(body);
  TermInput in;
  if (create) {
    f.Require("name", "学期名称");
    f.Require("start_date", "开始日期");
    f.Require("end_date", "结束日期");
  }
  in.name = f.Text("name", {.label = "学期名称"});
  in.start = f.Date("start_date", {.label = "开始日期"});
  in.end = f.Date("end_date", {.label = "结束日期"});
  in.winter_from = f.Nullable("winter_from", [&] { return f.Date("winter_from", {.label = "冬季作息起始日期"}); });
  in.summer_from = f.Nullable("summer_from", [&] { return f.Date("summer_from", {.label = "夏季作息起始日期"}); });
  in.is_current = f.Bool("is_current", {.label = "当前学期"});
  if (f.error()) return *f.error();
  if (body.contains("excluded_weekdays") && !body.at("excluded_weekdays").is_null()) {
    const Json& a = body.at("excluded_weekdays");
    if (!a.is_array()) return Error::Invalid("排除的星期应为列表，如 [4]", "excluded_weekdays must be a list like [4]", "excluded_weekdays");
    std::vector<int> days;
    for (const auto& v : a) {
      std::optional<int64_t> d;
      if (v.is_number_integer()) d = v.get<int64_t>();
      else if (v.is_string()) d = ParseInt(Trim(v.get<std::string>()));
      if (!d || *d < -100 || *d > 100)
        return Error::Invalid("排除的星期应为1-5的数字", "excluded_weekdays must be numbers 1-5", "excluded_weekdays");
      days.push_back(static_cast<int>(*d));
    }
    in.excluded_weekdays = std::move(days);
  }
  if (body.contains("holidays") && !body.at("holidays").is_null()) {
    const Json& a = body.at("holidays");
    if (!a.is_array()) return Error::Invalid("假期应为列表", "holidays must be a list", "holidays");
    if (a.size() > kMaxHolidays)
      return Error::Invalid("假期不能超过" + std::to_string(kMaxHolidays) + "个", "too many holidays", "holidays");
    std::vector<Holiday> hs;
    for (size_t i = 0; i < a.size(); ++i) {
      std::string prefix = "holidays[" + std::to_string(i) + "].";
      if (!a[i].is_object()) return Error::Invalid("假期应为对象", "a holiday must be an object", "holidays[" + std::to_string(i) + "]");
      BodyReader h(a[i], prefix);
      h.Require("start_date", "假期开始日期");
      h.Require("end_date", "假期结束日期");
      auto name = h.Text("name", {.label = "假期名称"});
      auto start = h.Date("start_date", {.label = "假期开始日期"});
      auto end = h.Date("end_date", {.label = "假期结束日期"});
      if (h.error()) return *h.error();
      auto n = CheckName(name.value_or(""), prefix + "name", "假期名称", kMaxNameLength, false);
      if (!n) return n.error();
      hs.push_back(Holiday{n->empty() ? "假期" : *n, *start, *end});
    }
    in.holidays = std::move(hs);
  }
  if (in.name) {
    auto n = CheckName(*in.name, "name", "学期名称");
    if (!n) return n.error();
    in.name = *n;
  }
  return in;
}

Result<std::vector<Band>> ParseBands(const Json& body) {
  if (!body.contains("bands") || !body.at("bands").is_array())
    return Error::Invalid("请提供服务时段列表 bands", "bands must be a list", "bands");
  const Json& a = body.at("bands");
  if (a.size() > kMaxBands)
    return Error::Invalid("服务时段不能超过" + std::to_string(kMaxBands) + "个", "too many bands", "bands");
  std::vector<Band> out;
  for (size_t i = 0; i < a.size(); ++i) {
    std::string prefix = "bands[" + std::to_string(i) + "].";
    if (!a[i].is_object()) return Error::Invalid("服务时段应为对象", "a band must be an object", "bands[" + std::to_string(i) + "]");
    BodyReader f(a[i], prefix);
    f.Require("kind", "时段类型");
    f.Require("start_time", "开始时间");
    f.Require("end_time", "结束时间");
    Band b;
    if (auto k = f.Text("kind", {.label = "时段类型"})) {
      auto kind = ParseBandKind(*k);
      if (!kind)
        f.Set(Error::Invalid("时段类型须为 morning（早间看护）、noon（午间看护）、after_school（课后服务）或 evening（晚自习）",
                      "kind must be morning, noon, after_school or evening", prefix + "kind"));
      else
        b.kind = *kind;
    }
    if (auto s = f.Text("season", {.label = "适用季节"})) {
      auto season = ParseSeason(*s);
      if (!season)
        f.Set(Error::Invalid("适用季节须为 all（全年）、winter（冬季）或 summer（夏季）", "season must be all, winter or summer",
                      prefix + "season"));
      else
        b.season = *season;
    }
    auto name = f.Text("name", {.label = "时段名称"});
    auto start = f.Time("start_time", {.label = "开始时间"});
    auto end = f.Time("end_time", {.label = "结束时间"});
    if (f.error()) return *f.error();
    auto n = CheckName(name.value_or(""), prefix + "name", "时段名称", kMaxNameLength, false);
    if (!n) return n.error();
    b.name = *n;
    b.start = *start;
    b.end = *end;
    out.push_back(std::move(b));
  }
  return out;
}

Result<ClassInput> ParseClassInput(const Json& body, bool create) {
  BodyReader f(body);
  ClassInput in;
  if (create) {
    f.Require("grade_id", "年级");
    f.Require("number", "班号");
  }
  in.grade_id = f.Int("grade_id", {.label = "年级"});
  if (auto n = f.Int("number", {.label = "班号"})) {
    if (*n < 1 || *n > kMaxClassNumber) {
      auto st = CheckClassNumber(0);
      return st.error();
    }
    in.number = static_cast<int>(*n);
  }
  in.name = f.Text("name", {.label = "班级名称"});
  in.class_teacher_id = f.Nullable("class_teacher_id", [&] { return f.Int("class_teacher_id", {.label = "班主任"}); });
  in.room_id = f.Nullable("room_id", [&] { return f.Int("room_id", {.label = "教室"}); });
  if (f.error()) return *f.error();
  if (in.name) {
    auto n = CheckName(*in.name, "name", "班级名称", kMaxNameLength, false);
    if (!n) return n.error();
    in.name = *n;
  }
  return in;
}

Result<RoomInput> ParseRoomInput(const Json& body, bool create) {
  BodyReader f(body);
  RoomInput in;
  if (create) {
    f.Require("name", "场地名称");
    f.Require("kind", "场地类型");
    f.Require("capacity", "容量");
  }
  in.name = f.Text("name", {.label = "场地名称"});
  in.kind = f.Text("kind", {.label = "场地类型"});
  in.capacity = f.Int("capacity", {.label = "容量"});
  in.equipment = f.Text("equipment", {.label = "设备"});
  in.active = f.Bool("active", {.label = "启用"});
  if (f.error()) return *f.error();
  if (in.name) {
    auto n = CheckName(*in.name, "name", "场地名称");
    if (!n) return n.error();
    in.name = *n;
  }
  if (in.kind && !IsRoomKind(*in.kind))
    return Error::Invalid("场地类型须为教室、运动场、体育馆、功能室、图书馆或实验室",
                   "kind must be classroom, sports_ground, gym, function_room, library or lab", "kind");
  if (in.capacity) {
    auto st = CheckRoomCapacity(*in.capacity);
    if (!st) return st.error();
  }
  if (in.equipment) {
    auto e = CheckName(*in.equipment, "equipment", "设备", kMaxTextLength, false);
    if (!e) return e.error();
    in.equipment = *e;
  }
  return in;
}

// ---- schools and areas ---------------------------------------------------------------------------

Result<Json> ListSchools(db::Db& db, const Principal& who) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    std::vector<store::SchoolRow> rows;
    if (who.role == auth::Role::kSysAdmin) {
      rows = store::SchoolsAll(c);
    } else if (auth::IsAreaRole(who.role)) {
      if (who.area_id) rows = store::SchoolsByArea(c, *who.area_id);
    } else if (who.role == auth::Role::kGuardian) {
      if (who.guardian_id) rows = store::SchoolsOfGuardian(c, *who.guardian_id);
    } else if (who.school_id) {
      if (auto s = store::LoadSchool(c, *who.school_id)) rows.push_back(*s);
    }
    Json items = Json::array();
    for (const auto& s : rows) {
      Json j = SchoolJson(s);
      if (who.role == auth::Role::kGuardian) {  // a family needs the school, not its figures
        for (const char* k : {"student_count", "class_count", "staff_count"}) j.erase(k);
      }
      items.push_back(std::move(j));
    }
    return ListJson(std::move(items), {});
  });
}

Result<Json> GetSchool(db::Db& db, const Principal& who, int64_t school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json j = SchoolJson(*s);
    auto t = CurrentTerm(c, s->id);
    j["current_term"] = t ? Json{{"id", t->id}, {"name", t->name}} : Json(nullptr);
    return j;
  });
}

Result<Json> UpdateSchool(db::Db& db, const Principal& who, int64_t school_id, const SchoolPatch& p) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto old = SchoolFor(c, who, school_id);
    if (!old) return old.error();
    store::SchoolRow s = *old;
    if (p.name) s.name = *p.name;
    if (p.address) s.address = *p.address;
    if (p.type) s.type = std::string(SchoolTypeName(*p.type));
    if (p.level) s.level = std::string(LevelName(*p.level));
    if (p.office_close_time) s.office_close_time = FormatTimeOfDay(*p.office_close_time);
    Level level = ParseLevel(s.level).value_or(Level::kNineYear);

    // Grades follow the level: a grade that no longer fits must have no classes.
    if (s.level != old->level) {
      for (const auto& g : store::LoadGrades(c, s.id)) {
        if (GradeFitsLevel(level, g.number)) continue;
        if (g.classes > 0) {
          auto st = CheckGradeFitsLevel(level, g.number, "level");
          return Because(st.error(), g.name + "还有" + std::to_string(g.classes) + "个班级，不能改变学段。",
                         g.name + " still has classes. ", "level");
        }
        store::DeleteGrade(c, s.id, g.id);
      }
      EnsureGrades(c, s.id, level);
    }
    // The current term's bands must still keep the rules (evening, after-school end).
    if (s.level != old->level || s.office_close_time != old->office_close_time) {
      auto t = store::LoadCurrentTerm(c, s.id);
      if (!t) t = store::LoadTermOn(c, s.id, TodayLocal());
      if (t) {
        auto st = CheckBands(Bands(store::LoadBands(c, s.id, t->id)), ContextOf(s, t->dates));
        if (!st)
          return Because(st.error(), "当前学期的服务时段将不再符合规则，请先调整服务时段。",
                         "the current term's bands would break a rule; change them first. ",
                         s.office_close_time != old->office_close_time ? "office_close_time" : "level");
      }
    }
    store::UpdateSchool(c, s);
    if (s.office_close_time != old->office_close_time) store::UpdateOfficeClose(c, s.id, s.office_close_time);
    LogChange(c, who, "school", s.id, SchoolAuditJson(*old), SchoolAuditJson(s), s.id);
    auto fresh = store::LoadSchool(c, s.id);
    Json j = SchoolJson(*fresh);
    auto t = CurrentTerm(c, s.id);
    j["current_term"] = t ? Json{{"id", t->id}, {"name", t->name}} : Json(nullptr);
    return j;
  });
}

Result<Json> AreaOverview(db::Db& db, const Principal& who, int64_t area_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto not_found = Error::NotFound("地区不存在或无权访问", "no such area", "id");
    auto area = store::LoadArea(c, area_id);
    if (!area) return not_found;
    if (who.role != auth::Role::kSysAdmin) {
      if (!auth::IsAreaRole(who.role) || !who.area_id) return not_found;
      if (area->id != *who.area_id && area->parent_id != who.area_id) return not_found;
    }
    Json schools = Json::array();
    int64_t students = 0, classes = 0, staff = 0;
    auto rows = store::SchoolsByArea(c, area->id);
    for (const auto& s : rows) {
      auto level = ParseLevel(s.level);
      auto type = ParseSchoolType(s.type);
      schools.push_back(Json{{"id", s.id},
                             {"name", s.name},
                             {"level", s.level},
                             {"level_label", level ? LevelLabelZh(*level) : ""},
                             {"type", s.type},
                             {"type_label", type ? SchoolTypeLabelZh(*type) : ""},
                             {"area_id", s.area_id},
                             {"area_name", s.area_name},
                             {"students", s.students},
                             {"classes", s.classes},
                             {"staff", s.staff}});
      students += s.students;
      classes += s.classes;
      staff += s.staff;
    }
    return Json{{"area",
                 {{"id", area->id},
                  {"kind", area->kind},
                  {"name", area->name},
                  {"parent_id", OptId(area->parent_id)},
                  {"office_close_time", area->office_close_time}}},
                {"schools", std::move(schools)},
                {"totals",
                 {{"schools", static_cast<int64_t>(rows.size())},
                  {"students", students},
                  {"classes", classes},
                  {"staff", staff}}}};
  });
}

// ---- terms and bands -----------------------------------------------------------------------------

Result<Json> ListTerms(db::Db& db, const Principal& who, std::optional<int64_t> school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& t : store::LoadTerms(c, s->id)) items.push_back(TermJson(c, t));
    return ListJson(std::move(items), {});
  });
}

namespace {

// Applies the input to a term row, checks the term rules, the name's uniqueness and that the
// term's existing bands still keep the rules.
Status ApplyTerm(db::Conn& c, const store::SchoolRow& s, const TermInput& in, store::TermRow& t) {
  if (in.name) t.name = *in.name;
  if (in.start) t.dates.start = *in.start;
  if (in.end) t.dates.end = *in.end;
  if (in.winter_from) t.dates.winter_from = *in.winter_from;
  if (in.summer_from) t.dates.summer_from = *in.summer_from;
  if (in.excluded_weekdays) t.dates.excluded_weekdays = *in.excluded_weekdays;
  if (in.holidays) t.dates.holidays = *in.holidays;
  if (in.is_current) t.is_current = *in.is_current;
  if (auto st = CheckTerm(t.dates); !st) return st;
  if (auto other = store::TermIdByName(c, s.id, t.name); other && *other != t.id)
    return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
  if (t.id) {
    auto st = CheckBands(Bands(store::LoadBands(c, s.id, t.id)), ContextOf(s, t.dates));
    if (!st)
      return Because(st.error(), "本学期已设置的服务时段将不再符合规则，请先调整服务时段。",
                     "the term's bands would break a rule; change them first. ",
                     in.winter_from ? "winter_from" : in.summer_from ? "summer_from" : "start_date");
  }
  return Ok();
}

void ClearOthers(db::Conn& c, const Principal& who, int64_t school_id, int64_t term_id) {
  for (int64_t other : store::ClearOtherCurrent(c, school_id, term_id)) {
    Json b{{"is_current", true}}, a{{"is_current", false}};
    Log(c, who, "update", "term", other, &b, &a, school_id);
  }
}

}  // namespace

Result<Json> CreateTerm(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const TermInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.name || !in.start || !in.end)
    return Error::Invalid("请填写学期名称、开始日期和结束日期", "name, start_date and end_date are required",
                   !in.name ? "name" : !in.start ? "start_date" : "end_date");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::TermRow t;
    t.school_id = s->id;
    // The school's first current term: a new term is current unless told otherwise.
    t.is_current = !store::LoadCurrentTerm(c, s->id).has_value();
    if (auto st = ApplyTerm(c, *s, in, t); !st) return st.error();
    // Others stop being current first: the index terms_one_current allows one per school.
    // (An error below rolls this back with the rest.)
    if (t.is_current) ClearOthers(c, who, s->id, 0);
    try {
      t.id = store::InsertTerm(c, s->id, t);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
    }
    store::ReplaceHolidays(c, s->id, t.id, t.dates.holidays);
    auto fresh = store::LoadTerm(c, s->id, t.id);
    Json after = TermAuditJson(*fresh);
    Log(c, who, "create", "term", t.id, nullptr, &after, s->id);
    return TermJson(c, *fresh);
  });
}

Result<Json> UpdateTerm(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                        const TermInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadTerm(c, s->id, term_id);
    if (!old) return TermNotFound();
    store::TermRow t = *old;
    if (auto st = ApplyTerm(c, *s, in, t); !st) return st.error();
    if (t.is_current && !old->is_current) ClearOthers(c, who, s->id, t.id);  // before: one current per school
    try {
      store::UpdateTerm(c, t);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名学期「" + t.name + "」", "a term with this name exists", "name");
    }
    if (in.holidays) store::ReplaceHolidays(c, s->id, t.id, t.dates.holidays);
    auto fresh = store::LoadTerm(c, s->id, t.id);
    LogChange(c, who, "term", t.id, TermAuditJson(*old), TermAuditJson(*fresh), s->id);
    return TermJson(c, *fresh);
  });
}

Result<Json> GetBands(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto t = store::LoadTerm(c, s->id, term_id);
    if (!t) return TermNotFound();
    return BandsAnswer(c, *s, *t);
  });
}

Result<Json> PutBands(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                      const std::vector<Band>& bands) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto t = store::LoadTerm(c, s->id, term_id);
    if (!t) return TermNotFound();
    if (auto st = CheckBands(bands, ContextOf(*s, t->dates)); !st) return st.error();
    Json before{{"bands", BandsAuditJson(Bands(store::LoadBands(c, s->id, t->id)))}};
    store::ReplaceBands(c, s->id, t->id, bands);
    Json after{{"bands", BandsAuditJson(Bands(store::LoadBands(c, s->id, t->id)))}};
    if (before != after) Log(c, who, "update", "service_bands", t->id, &before, &after, s->id);
    return BandsAnswer(c, *s, *t);
  });
}

// ---- grades and classes --------------------------------------------------------------------------

Result<Json> ListGrades(db::Db& db, const Principal& who, std::optional<int64_t> school_id) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& g : store::LoadGrades(c, s->id)) items.push_back(GradeJson(g));
    return ListJson(std::move(items), {});
  });
}

Result<Json> ListClasses(db::Db& db, const Principal& who, std::optional<int64_t> school_id,
                         std::optional<int64_t> grade_id, Paging paging) {
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    Json items = Json::array();
    for (const auto& k : store::LoadClasses(c, s->id, grade_id)) items.push_back(ClassJson(k));
    return ListJson(std::move(items), paging);
  });
}

namespace {

// Applies the input to a class row and checks it: grade of the school fitting its level, class
// number, the class teacher an active staff member of the school, the room an active room of the
// school, grade + number unique.
Status ApplyClass(db::Conn& c, const store::SchoolRow& s, const ClassInput& in, store::ClassRow& k) {
  const std::string old_generated = k.id ? ClassName(k.grade_number, k.number) : std::string();
  if (in.grade_id && *in.grade_id != k.grade_id) {
    auto g = store::LoadGrade(c, s.id, *in.grade_id);
    if (!g) return Error::NotFound("年级不存在", "no such grade", "grade_id");
    k.grade_id = g->id;
    k.grade_number = g->number;
    k.grade_name = g->name;
  }
  if (auto st = CheckGradeFitsLevel(ParseLevel(s.level).value_or(Level::kNineYear), k.grade_number, "grade_id"); !st)
    return st;
  if (in.number) k.number = *in.number;
  if (auto st = CheckClassNumber(k.number); !st) return st;
  if (in.name && !in.name->empty()) {
    k.name = *in.name;
  } else if (in.name || k.id == 0 || k.name == old_generated) {
    k.name = ClassName(k.grade_number, k.number);  // generated names follow grade and number
  }
  if (in.class_teacher_id) {
    k.class_teacher_id = *in.class_teacher_id;
    k.class_teacher_name.clear();
    if (k.class_teacher_id) {
      auto name = store::StaffName(c, s.id, *k.class_teacher_id);
      if (!name)
        return Error::Invalid("班主任须为本校在职教职工", "the class teacher must be active staff of this school",
                       "class_teacher_id");
      k.class_teacher_name = *name;
    }
  }
  if (in.room_id) {
    k.room_id = *in.room_id;
    k.room_name.clear();
    if (k.room_id) {
      auto room = store::LoadRoom(c, s.id, *k.room_id);
      if (!room || !room->active)
        return Error::Invalid("教室须为本校在用的场地", "the room must be an active room of this school", "room_id");
      k.room_name = room->name;
    }
  }
  if (auto other = store::ClassIdByNumber(c, s.id, k.grade_id, k.number); other && *other != k.id)
    return Error::Conflict(k.grade_name + "已有(" + std::to_string(k.number) + ")班",
                    "grade " + std::to_string(k.grade_number) + " already has class " + std::to_string(k.number),
                    "number");
  return Ok();
}

Error ClassConflict(const store::ClassRow& k) {
  return Error::Conflict(k.grade_name + "已有(" + std::to_string(k.number) + ")班", "this class number exists", "number");
}

}  // namespace

Result<Json> CreateClass(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const ClassInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.grade_id || !in.number)
    return Error::Invalid("请填写年级和班号", "grade_id and number are required", !in.grade_id ? "grade_id" : "number");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::ClassRow k;
    if (auto st = ApplyClass(c, *s, in, k); !st) return st.error();
    try {
      k.id = store::InsertClass(c, s->id, k);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return ClassConflict(k);
    }
    auto fresh = store::LoadClass(c, s->id, k.id);
    Json after = ClassAuditJson(*fresh);
    Log(c, who, "create", "class", k.id, nullptr, &after, s->id);
    return ClassJson(*fresh);
  });
}

Result<Json> UpdateClass(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t class_id,
                         const ClassInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadClass(c, s->id, class_id);
    if (!old) return ClassNotFound();
    store::ClassRow k = *old;
    if (auto st = ApplyClass(c, *s, in, k); !st) return st.error();
    try {
      store::UpdateClass(c, s->id, k);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return ClassConflict(k);
    }
    auto fresh = store::LoadClass(c, s->id, k.id);
    LogChange(c, who, "class", k.id, ClassAuditJson(*old), ClassAuditJson(*fresh), s->id);
    return ClassJson(*fresh);
  });
}

// ---- rooms ---------------------------------------------------------------------------------------

Result<Json> ListRooms(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const RoomQuery& q) {
  if (!q.kind.empty() && !IsRoomKind(q.kind))
    return Error::Invalid("场地类型不正确", "unknown room kind", "kind");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::RoomFilter f{Trim(q.q), q.kind, q.include_inactive};
    Json items = Json::array();
    for (const auto& r : store::LoadRooms(c, s->id, f)) items.push_back(RoomJson(r));
    return ListJson(std::move(items), q.paging);
  });
}

namespace {
Error RoomConflict(db::Conn& c, int64_t school_id, const std::string& name) {
  std::string extra;
  if (auto id = store::RoomIdByName(c, school_id, name))
    if (auto r = store::LoadRoom(c, school_id, *id); r && !r->active) extra = "（已停用，可重新启用）";
  return Error::Conflict("已有同名场地「" + name + "」" + extra, "a room with this name exists", "name");
}
}  // namespace

Result<Json> CreateRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, const RoomInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  if (!in.name || !in.kind || !in.capacity)
    return Error::Invalid("请填写场地名称、类型和容量", "name, kind and capacity are required",
                   !in.name ? "name" : !in.kind ? "kind" : "capacity");
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    store::RoomRow r{0, *in.name, *in.kind, *in.capacity, in.equipment.value_or(""), in.active.value_or(true)};
    if (store::RoomIdByName(c, s->id, r.name)) return RoomConflict(c, s->id, r.name);
    try {
      r.id = store::InsertRoom(c, s->id, r);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名场地「" + r.name + "」", "a room with this name exists", "name");
    }
    Json after = RoomAuditJson(r);
    Log(c, who, "create", "room", r.id, nullptr, &after, s->id);
    return RoomJson(r);
  });
}

Result<Json> UpdateRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t room_id,
                        const RoomInput& in) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadRoom(c, s->id, room_id);
    if (!old) return RoomNotFound();
    store::RoomRow r = *old;
    if (in.name) r.name = *in.name;
    if (in.kind) r.kind = *in.kind;
    if (in.capacity) r.capacity = *in.capacity;
    if (in.equipment) r.equipment = *in.equipment;
    if (in.active) r.active = *in.active;
    if (auto other = store::RoomIdByName(c, s->id, r.name); other && *other != r.id)
      return RoomConflict(c, s->id, r.name);
    try {
      store::UpdateRoom(c, s->id, r);
    } catch (const db::DbError& e) {
      if (!e.unique_violation) throw;
      return Error::Conflict("已有同名场地「" + r.name + "」", "a room with this name exists", "name");
    }
    LogChange(c, who, "room", r.id, RoomAuditJson(*old), RoomAuditJson(r), s->id);
    return RoomJson(r);
  });
}

Result<Json> DeleteRoom(db::Db& db, const Principal& who, std::optional<int64_t> school_id, int64_t room_id) {
  if (auto st = WriteAllowed(who); !st) return st.error();
  return db.Write([&](db::Conn& c) -> Result<Json> {
    auto s = SchoolFor(c, who, school_id);
    if (!s) return s.error();
    auto old = store::LoadRoom(c, s->id, room_id);
    if (!old) return RoomNotFound();
    Json before = RoomAuditJson(*old);
    bool deleted = store::ClassesUsingRoom(c, s->id, room_id) == 0 && store::TryDeleteRoom(c, s->id, room_id);
    if (deleted) {
      Log(c, who, "delete", "room", room_id, &before, nullptr, s->id);
    } else if (old->active) {
      store::RoomRow r = *old;
      r.active = false;
      store::UpdateRoom(c, s->id, r);
      Json b{{"active", true}}, a{{"active", false}};
      Log(c, who, "deactivate", "room", room_id, &b, &a, s->id);
    }
    return Json{{"id", room_id}, {"deleted", deleted}, {"deactivated", !deleted}};
  });
}

}  // namespace kehou::school
