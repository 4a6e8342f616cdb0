#include "people/http.h"

#include "core/text.h"
#include "people/service.h"

namespace kehou::people {
namespace {

using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

// ?q, ?class_id, ?grade_id, ?kind, ?include_inactive, ?page, ?page_size, ?school_id.
Result<ListQuery> ListQueryOf(const Request& req) {
  KEHOU_TRY(req.OnlyQuery({"q", "kind", "include_inactive", "class_id", "grade_id", "school_id", "page", "page_size"}));
  ListQuery q;
  q.q = req.Query("q").value_or("");
  q.kind = Trim(req.Query("kind").value_or(""));
  auto inactive = req.Query("include_inactive").value_or("");
  q.include_inactive = inactive == "1" || inactive == "true";
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  q.page = p.page;
  q.page_size = p.size;
  for (auto [key, target] : {std::pair{"class_id", &q.class_id}, std::pair{"grade_id", &q.grade_id},
                             std::pair{"school_id", &q.school_id}}) {
    auto v = req.OptIdQuery(key);
    if (!v.ok()) return v.error();
    *target = *v;
  }
  return q;
}

Response FileAnswer(const Result<FileOut>& f, const Request& req) {
  if (!f.ok()) return http::ErrorResponse(f.error(), req);
  return http::Download(f.value());
}

// Runs fn(id, school_id, body) after parsing them; answers its Result<Json>.
template <class F>
Response WithIdAndBody(Request& req, F&& fn, int ok_status = 200) {
  auto id = req.IdParam("id");
  if (!id.ok()) return http::ErrorResponse(id.error(), req);
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  auto body = req.JsonBody();
  if (!body.ok()) return http::ErrorResponse(body.error(), req);
  return http::Answer(fn(*id, *school, *body), req, ok_status);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;
  constexpr int kCreated = 201;
  constexpr int kRuleBrokenStatus = 422;

  // ---- students
  r.Get(api + "/students", [&db](Request& req) {
    auto q = ListQueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    return http::Answer(ListStudents(db, req.Me(), *q), req);
  });
  r.Get(api + "/students/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    return http::Answer(GetStudent(db, req.Me(), *id, *school), req);
  });
  r.Post(api + "/students", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    return http::Answer(CreateStudent(db, req.Me(), *body, *school), req, kCreated);
  });
  r.Put(api + "/students/:id", [&db](Request& req) {
    return WithIdAndBody(req, [&](int64_t id, std::optional<int64_t> school, const Json& body) {
      return UpdateStudent(db, req.Me(), id, body, school);
    });
  });
  r.Get(api + "/classes/:id/students", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto text = ClassStudentsText(db, req.Me(), *id, *school);
    if (!text.ok()) return http::ErrorResponse(text.error(), req);
    Response resp;
    resp.body = std::move(*text);
    return resp;
  });

  // ---- guardians
  r.Get(api + "/guardians", [&db](Request& req) {
    auto q = ListQueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    return http::Answer(ListGuardians(db, req.Me(), *q), req);
  });
  r.Get(api + "/me/children", [&db](Request& req) { return http::Answer(MyChildren(db, req.Me()), req); });

  // ---- staff
  r.Get(api + "/staff", [&db](Request& req) {
    auto q = ListQueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    return http::Answer(ListStaff(db, req.Me(), *q), req);
  });
  r.Post(api + "/staff", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    return http::Answer(CreateStaff(db, req.Me(), *body, *school), req, kCreated);
  });
  r.Put(api + "/staff/:id", [&db](Request& req) {
    return WithIdAndBody(req, [&](int64_t id, std::optional<int64_t> school, const Json& body) {
      return UpdateStaff(db, req.Me(), id, body, school);
    });
  });

  // ---- imports and exports
  r.Get(api + "/imports/:kind/template", [](Request& req) {
    return FileAnswer(ImportTemplate(req.params["kind"], req.Query("format").value_or("xlsx")), req);
  });
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(
      api + "/imports/:kind/preview",
      [&db](Request& req) {
        auto school = req.OptIdQuery("school_id");
        if (!school.ok()) return http::ErrorResponse(school.error(), req);
        auto body = req.JsonBody();
        if (!body.ok()) return http::ErrorResponse(body.error(), req);
        return http::Answer(PreviewImport(db, req.Me(), req.params["kind"], *body, *school), req);
      },
      import_options);
  r.Post(
      api + "/imports/:kind",
      [&db](Request& req) {
        auto school = req.OptIdQuery("school_id");
        if (!school.ok()) return http::ErrorResponse(school.error(), req);
        auto body = req.JsonBody();
        if (!body.ok()) return http::ErrorResponse(body.error(), req);
        auto out = RunImport(db, req.Me(), req.params["kind"], *body, *school);
        if (!out.ok()) return http::ErrorResponse(out.error(), req);
        if (out->ok) return http::JsonResponse(out->body);
        // 422 with the error envelope and the same rows as the preview; nothing was written.
        int bad = static_cast<int>(out->body["errors"].size());
        Error e = MakeError(kRuleBroken, "有" + std::to_string(bad) + "处错误，未导入任何数据，请修改后重新导入",
                            std::to_string(bad) + " errors; nothing was imported");
        Response resp = http::ErrorResponse(e, req);
        Json j = Json::parse(resp.body);
        for (auto it = out->body.begin(); it != out->body.end(); ++it) j[it.key()] = it.value();
        return http::JsonResponse(j, kRuleBrokenStatus);
      },
      import_options);
  r.Get(api + "/exports/:list", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    return FileAnswer(Export(db, req.Me(), req.params["list"], *school), req);
  });
}

}  // namespace kehou::people
