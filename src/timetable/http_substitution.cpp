#include "timetable/http_substitution.h"

#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "timetable/service.h"

namespace kehou::timetable {
namespace {

using http::Request;
using http::Response;
using Json = nlohmann::json;

// Parses ?school_id, :id (when with_id) and the JSON body (when with_body), then calls fn.
template <class F>
Response With(Request& req, bool with_id, bool with_body, F&& fn, int ok_status = 200) {
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  int64_t id = 0;
  if (with_id) {
    auto v = req.IdParam("id");
    if (!v.ok()) return http::ErrorResponse(v.error(), req);
    id = *v;
  }
  Json body = Json::object();
  if (with_body) {
    auto b = req.JsonBody();
    if (!b.ok()) return http::ErrorResponse(b.error(), req);
    body = std::move(*b);
  }
  return http::Answer(fn(*school, id, body), req, ok_status);
}

Result<Json> Groups(db::Db& db, Request& req, std::optional<int64_t> school) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "term_id", "weekday", "band", "q", "page", "page_size"}));
  KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
  KEHOU_ASSIGN_OR_RETURN(auto term, req.OptIdQuery("term_id"));
  KEHOU_ASSIGN_OR_RETURN(auto weekday, req.OptIntQuery("weekday", 1, 5));
  const std::string band = Trim(req.Query("band").value_or(""));
  if (!band.empty() && band != "morning" && band != "noon" && band != "after_school" && band != "evening")
    return Error::Invalid("时段无效", "unknown band", "band");
  Json f{{"weekday", weekday.value_or(0)},
         {"band", band},
         {"q", Trim(req.Query("q").value_or(""))},
         {"page", pg.page},
         {"page_size", pg.size}};
  return ListGroups(db, req.Me(), school, term, f);
}

Result<Json> Substitutions(db::Db& db, Request& req, std::optional<int64_t> school) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "date", "status"}));
  const std::string date = Trim(req.Query("date").value_or(""));
  if (!date.empty() && !ParseDate(date)) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date is YYYY-MM-DD", "date");
  const std::string status = Trim(req.Query("status").value_or(""));
  if (!status.empty() && status != "open" && status != "assigned" && status != "cancelled")
    return Error::Invalid("状态无效", "unknown status", "status");
  return ListSubstitutions(db, req.Me(), school, Json{{"date", date}, {"status", status}});
}

}  // namespace

void RegisterSubstitutionRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1";
  r.Get(api + "/timetable/groups", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) { return Groups(db, req, school); });
  });
  r.Post(api + "/timetable/groups/generate", [&db](Request& req) {
    return With(req, false, true, [&](auto school, int64_t, const Json& body) -> Result<Json> {
      BodyReader b(body);
      const auto term = b.Id("term_id", {.label = "学期"});
      KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
      return GenerateGroups(db, req.Me(), school, term, NowMs());
    });
  });
  r.Put(api + "/timetable/settings", [&db](Request& req) {
    return With(req, false, true, [&](auto school, int64_t, const Json& body) {
      return SaveGroupSettings(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get(api + "/substitutions", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) { return Substitutions(db, req, school); });
  });
  r.Post(api + "/substitutions/absences", [&db](Request& req) {
    return With(
        req, false, true,
        [&](auto school, int64_t, const Json& body) { return ReportAbsence(db, req.Me(), school, body, NowMs()); },
        201);
  });
  r.Get(api + "/substitutions/:id/candidates", [&db](Request& req) {
    return With(req, true, false,
                [&](auto school, int64_t id, const Json&) { return SubstituteCandidates(db, req.Me(), school, id); });
  });
  r.Post(api + "/substitutions/:id/assign", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& body) {
      return AssignSubstitute(db, req.Me(), school, id, body, NowMs());
    });
  });
}

}  // namespace kehou::timetable
