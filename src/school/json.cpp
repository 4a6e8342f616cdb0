// json.cpp (school): the JSON codecs of school: schools, terms, bands, grades, classes and rooms
// as the pages see them (and as audit rows record them), and the request bodies they are read from
// (with core/body.h's BodyReader).
#include "school/internal.h"

namespace kehou::school {
namespace internal {

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
  return Json{{"kind", BandKindName(b.kind)},           {"kind_label", BandKindLabelZh(b.kind)},
              {"season", SeasonName(b.season)},         {"name", b.name},
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
  return Json{{"name", s.name},
              {"level", s.level},
              {"type", s.type},
              {"address", s.address},
              {"office_close_time", s.office_close_time}};
}

Json GradeJson(const store::GradeRow& g) {
  return Json{{"id", g.id},
              {"number", g.number},
              {"name", g.name},
              {"class_count", g.classes},
              {"student_count", g.students},
              {"leader_staff_id", OptId(g.leader_staff_id)},
              {"leader_name", g.leader_name}};
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

}  // namespace internal

using namespace internal;

// ---- parsing -------------------------------------------------------------------------------------

Result<SchoolPatch> ParseSchoolPatch(const Json& body) {
  BodyReader f(body);
  SchoolPatch p;
  p.name = f.Text("name", {.label = "学校名称"});
  p.address = f.Text("address", {.label = "地址"});
  if (auto v = f.Text("level", {.label = "学段"})) {
    p.level = ParseLevel(*v);
    if (!p.level)
      f.Set(Error::Invalid("学段须为 primary（小学）、junior（初中）或 nine_year（九年一贯制）",
                           "level must be primary, junior or nine_year", "level"));
  }
  if (auto v = f.Text("type", {.label = "办学类型"})) {
    p.type = ParseSchoolType(*v);
    if (!p.type)
      f.Set(Error::Invalid("办学类型须为 public（公办）、private（民办）或 private_boarding（民办寄宿制）",
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
    if (!a.is_array())
      return Error::Invalid("排除的星期应为列表，如 [4]", "excluded_weekdays must be a list like [4]",
                            "excluded_weekdays");
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
      if (!a[i].is_object())
        return Error::Invalid("假期应为对象", "a holiday must be an object", "holidays[" + std::to_string(i) + "]");
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
    if (!a[i].is_object())
      return Error::Invalid("服务时段应为对象", "a band must be an object", "bands[" + std::to_string(i) + "]");
    BodyReader f(a[i], prefix);
    f.Require("kind", "时段类型");
    f.Require("start_time", "开始时间");
    f.Require("end_time", "结束时间");
    Band b;
    if (auto k = f.Text("kind", {.label = "时段类型"})) {
      auto kind = ParseBandKind(*k);
      if (!kind)
        f.Set(Error::Invalid(
            "时段类型须为 morning（早间看护）、noon（午间看护）、after_school（课后服务）或 evening（晚自习）",
            "kind must be morning, noon, after_school or evening", prefix + "kind"));
      else b.kind = *kind;
    }
    if (auto s = f.Text("season", {.label = "适用季节"})) {
      auto season = ParseSeason(*s);
      if (!season)
        f.Set(Error::Invalid("适用季节须为 all（全年）、winter（冬季）或 summer（夏季）",
                             "season must be all, winter or summer", prefix + "season"));
      else b.season = *season;
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

}  // namespace kehou::school
