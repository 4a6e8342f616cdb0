// School setup routes: parse -> school/service.h -> answer. Nothing else.
#include "school/http.h"

#include "core/text.h"
#include "school/service.h"

namespace kehou::school {
namespace {

using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

// Paging only when the request names it; otherwise the whole (small) list.
Result<Paging> PagingOf(const Request& req) {
  if (!req.Query("page") && !req.Query("page_size")) return Paging{};
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  return Paging{p.page, p.size};
}

bool Truthy(const std::optional<std::string>& v) { return v && (*v == "1" || *v == "true"); }

// Runs body(school_id) after parsing ?school_id= (officers and the sysadmin; school roles may
// omit it).
template <class F>
Response WithSchool(const Request& req, F&& body, int ok_status = 200) {
  auto sid = req.OptIdQuery("school_id");
  if (!sid) return http::ErrorResponse(sid.error(), req);
  return http::Answer(body(*sid), req, ok_status);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;

  // ---- schools and areas
  r.Get(api + "/schools", [&db](Request& req) { return http::Answer(ListSchools(db, req.Me()), req); });
  r.Get(api + "/schools/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    return http::Answer(GetSchool(db, req.Me(), *id), req);
  });
  r.Put(api + "/schools/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto patch = ParseSchoolPatch(*body);
    if (!patch) return http::ErrorResponse(patch.error(), req);
    return http::Answer(UpdateSchool(db, req.Me(), *id, *patch), req);
  });
  r.Get(api + "/areas/:id/overview", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    return http::Answer(AreaOverview(db, req.Me(), *id), req);
  });

  // ---- terms and service hours
  r.Get(api + "/terms", [&db](Request& req) {
    return WithSchool(req, [&](std::optional<int64_t> sid) { return ListTerms(db, req.Me(), sid); });
  });
  r.Post(api + "/terms", [&db](Request& req) {
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseTermInput(*body, /*create=*/true);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return CreateTerm(db, req.Me(), sid, *in); }, 201);
  });
  r.Put(api + "/terms/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseTermInput(*body, /*create=*/false);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return UpdateTerm(db, req.Me(), sid, *id, *in); });
  });
  r.Get(api + "/terms/:id/bands", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return GetBands(db, req.Me(), sid, *id); });
  });
  r.Put(api + "/terms/:id/bands", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto bands = ParseBands(*body);
    if (!bands) return http::ErrorResponse(bands.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return PutBands(db, req.Me(), sid, *id, *bands); });
  });

  // ---- grades and classes
  r.Get(api + "/grades", [&db](Request& req) {
    return WithSchool(req, [&](std::optional<int64_t> sid) { return ListGrades(db, req.Me(), sid); });
  });
  r.Get(api + "/classes", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "grade_id", "page", "page_size"}); !s) return http::ErrorResponse(s.error(), req);
    auto grade = req.OptIdQuery("grade_id");
    if (!grade) return http::ErrorResponse(grade.error(), req);
    auto paging = PagingOf(req);
    if (!paging) return http::ErrorResponse(paging.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) {
      return ListClasses(db, req.Me(), sid, *grade, *paging);
    });
  });
  r.Post(api + "/classes", [&db](Request& req) {
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseClassInput(*body, /*create=*/true);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return CreateClass(db, req.Me(), sid, *in); }, 201);
  });
  r.Put(api + "/grades/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return SetGradeLeader(db, req.Me(), sid, *id, *body); });
  });
  r.Put(api + "/classes/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseClassInput(*body, /*create=*/false);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return UpdateClass(db, req.Me(), sid, *id, *in); });
  });

  // ---- rooms and venues
  r.Get(api + "/rooms", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "q", "kind", "include_inactive", "page", "page_size"}); !s)
      return http::ErrorResponse(s.error(), req);
    auto paging = PagingOf(req);
    if (!paging) return http::ErrorResponse(paging.error(), req);
    RoomQuery q;
    q.q = req.Query("q").value_or("");
    q.kind = req.Query("kind").value_or("");
    q.include_inactive = Truthy(req.Query("include_inactive"));
    q.paging = *paging;
    return WithSchool(req, [&](std::optional<int64_t> sid) { return ListRooms(db, req.Me(), sid, q); });
  });
  r.Post(api + "/rooms", [&db](Request& req) {
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseRoomInput(*body, /*create=*/true);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return CreateRoom(db, req.Me(), sid, *in); }, 201);
  });
  r.Put(api + "/rooms/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body) return http::ErrorResponse(body.error(), req);
    auto in = ParseRoomInput(*body, /*create=*/false);
    if (!in) return http::ErrorResponse(in.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return UpdateRoom(db, req.Me(), sid, *id, *in); });
  });
  r.Delete(api + "/rooms/:id", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    return WithSchool(req, [&](std::optional<int64_t> sid) { return DeleteRoom(db, req.Me(), sid, *id); });
  });
}

}  // namespace kehou::school
