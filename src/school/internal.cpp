// internal.cpp (school): the helpers internal.h declares (but the JSON codecs: json.cpp).
#include "school/internal.h"

namespace kehou::school::internal {

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

Error TermNotFound() { return Error::NotFound("学期不存在", "no such term", "id"); }
Error ClassNotFound() { return Error::NotFound("班级不存在", "no such class", "id"); }
Error RoomNotFound() { return Error::NotFound("场地不存在", "no such room", "id"); }

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

void LogChange(db::Conn& c, const Principal& who, std::string_view entity, int64_t id, const Json& before,
               const Json& after, int64_t school_id) {
  auto [b, a] = Diff(before, after);
  if (a.empty()) return;  // nothing changed
  auth::Audit(c, who, {"update", entity, id, &b, &a, school_id});
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

}  // namespace kehou::school::internal
