#include "staff/http.h"

#include "core/text.h"
#include "staff/records_io.h"
#include "staff/service.h"

namespace kehou::staff {
namespace {

using http::Request;
using http::Response;

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

// GET /staff-records and /staff-records/blocked.
Result<Json> List(db::Db& db, Request& req, std::optional<int64_t> school, bool blocked) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "q", "kind", "blocked", "page", "page_size"}));
  KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
  std::string flag = req.Query("blocked").value_or("");
  if (!flag.empty() && flag != "0" && flag != "1" && flag != "true" && flag != "false")
    return Error::Invalid("blocked 应为 0 或 1", "blocked is 0 or 1", "blocked");
  Json f{{"q", Trim(req.Query("q").value_or(""))},
         {"kind", Trim(req.Query("kind").value_or(""))},
         {"blocked", blocked || flag == "1" || flag == "true"},
         {"page", pg.page},
         {"page_size", pg.size}};
  return ListRecords(db, req.Me(), school, f);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1";
  r.Get(api + "/staff-records", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) { return List(db, req, school, false); });
  });
  r.Get(api + "/staff-records/blocked", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) { return List(db, req, school, true); });
  });
  r.Get(api + "/staff-records/export", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    if (auto s = req.OnlyQuery({"school_id", "q", "kind", "blocked"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    Json f{{"q", Trim(req.Query("q").value_or(""))},
           {"kind", Trim(req.Query("kind").value_or(""))},
           {"blocked", req.Query("blocked").value_or("") == "1"}};
    auto file = ExportRecords(db, req.Me(), *school, f);
    if (!file.ok()) return http::ErrorResponse(file.error(), req);
    return http::Download(std::move(*file));
  });
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(
      api + "/staff-records/import",
      [&db](Request& req) {
        auto school = req.OptIdQuery("school_id");
        if (!school.ok()) return http::ErrorResponse(school.error(), req);
        auto body = req.JsonBody();
        if (!body.ok()) return http::ErrorResponse(body.error(), req);
        auto out = ImportRecords(db, req.Me(), *school, *body);
        if (!out.ok()) return http::ErrorResponse(out.error(), req);
        if ((*out)["ok"].get<bool>()) return http::JsonResponse(*out);
        // 422: the error envelope plus every row's error; nothing was written.
        const size_t bad = (*out)["errors"].size();
        Response resp = http::ErrorResponse(
            Error::RuleBroken("有 " + std::to_string(bad) + " 处错误，未导入任何数据，请修改后重新导入",
                              std::to_string(bad) + " errors; nothing was imported"),
            req);
        Json j = Json::parse(resp.body);
        for (auto it = out->begin(); it != out->end(); ++it) j[it.key()] = it.value();
        return http::JsonResponse(j, 422);
      },
      import_options);
  r.Get(api + "/staff-records/:id", [&db](Request& req) {
    return With(req, true, false, [&](auto school, int64_t id, const Json&) { return GetRecord(db, req.Me(), school, id); });
  });
  r.Put(api + "/staff-records/:id", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return SaveRecord(db, req.Me(), school, id, b); });
  });
  r.Post(api + "/staff-records/:id/trainings", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return AddTraining(db, req.Me(), school, id, b); }, 201);
  });
  r.Get(api + "/institutions", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) -> Result<Json> {
      KEHOU_TRY(req.OnlyQuery({"school_id"}));
      return ListInstitutions(db, req.Me(), school);
    });
  });
  r.Post(api + "/institutions", [&db](Request& req) {
    return With(req, false, true, [&](auto, int64_t, const Json& b) { return CreateInstitution(db, req.Me(), b); }, 201);
  });
  r.Put(api + "/institutions/:id", [&db](Request& req) {
    return With(req, true, true, [&](auto, int64_t id, const Json& b) { return UpdateInstitution(db, req.Me(), id, b); });
  });
  r.Post(api + "/institution-contracts", [&db](Request& req) {
    return With(req, false, true, [&](auto school, int64_t, const Json& b) { return CreateContract(db, req.Me(), school, b); }, 201);
  });
  r.Post(api + "/institution-contracts/:id/exit", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return ExitContract(db, req.Me(), school, id, b); });
  });
}

}  // namespace kehou::staff
