#include "timetable/http.h"

#include "core/text.h"
#include "timetable/grid.h"

namespace kehou::timetable {
namespace {

using http::Request;
using http::Response;

// Parses ?school_id, the id parameter `param` and the JSON body (when with_body), then calls fn.
template <class F>
Response With(Request& req, const char* param, bool with_body, F&& fn, int ok_status = 200) {
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  auto id = req.IdParam(param);
  if (!id.ok()) return http::ErrorResponse(id.error(), req);
  Json body = Json::object();
  if (with_body) {
    auto b = req.JsonBody();
    if (!b.ok()) return http::ErrorResponse(b.error(), req);
    body = std::move(*b);
  }
  return http::Answer(fn(*school, *id, body), req, ok_status);
}

Result<GridView> ViewOf(const Request& req) {
  GridView v;
  v.view = Trim(req.Query("view").value_or("school"));
  KEHOU_ASSIGN_OR_RETURN(v.id, req.OptIdQuery("id"));
  return v;
}

}  // namespace

void RegisterGridRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/timetable";
  r.Post(api + "/terms/:term_id/solve", [&db](Request& req) {
    return With(
        req, "term_id", true, [&](auto s, int64_t t, const Json& b) { return StartSolve(db, req.Me(), s, t, b); }, 202);
  });
  r.Get(api + "/jobs/:id", [&db](Request& req) {
    return With(req, "id", false, [&](auto s, int64_t id, const Json&) { return SolveJob(db, req.Me(), s, id); });
  });
  r.Post(api + "/jobs/:id/cancel", [&db](Request& req) {
    return With(req, "id", false, [&](auto s, int64_t id, const Json&) { return CancelSolve(db, req.Me(), s, id); });
  });
  r.Get(api + "/terms/:term_id", [&db](Request& req) {
    if (auto q = req.OnlyQuery({"school_id", "view", "id"}); !q.ok()) return http::ErrorResponse(q.error(), req);
    return With(req, "term_id", false, [&](auto s, int64_t t, const Json&) -> Result<Json> {
      KEHOU_ASSIGN_OR_RETURN(GridView v, ViewOf(req));
      return TermGrid(db, req.Me(), s, t, v);
    });
  });
  r.Post(api + "/terms/:term_id/check", [&db](Request& req) {
    return With(req, "term_id", true,
                [&](auto s, int64_t t, const Json& b) { return CheckMove(db, req.Me(), s, t, b); });
  });
  r.Put(api + "/terms/:term_id/placement", [&db](Request& req) {
    return With(req, "term_id", true,
                [&](auto s, int64_t t, const Json& b) { return MovePlacement(db, req.Me(), s, t, b); });
  });
  r.Put(api + "/terms/:term_id/lock", [&db](Request& req) {
    return With(req, "term_id", true, [&](auto s, int64_t t, const Json& b) { return SetLock(db, req.Me(), s, t, b); });
  });
  r.Get(api + "/terms/:term_id/export", [&db](Request& req) {
    if (auto q = req.OnlyQuery({"school_id", "view", "id", "format"}); !q.ok())
      return http::ErrorResponse(q.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto term = req.IdParam("term_id");
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    auto v = ViewOf(req);
    if (!v.ok()) return http::ErrorResponse(v.error(), req);
    auto f = ExportGrid(db, req.Me(), *school, *term, *v, req.Query("format").value_or("xlsx"));
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Get(api + "/my-week", [&db](Request& req) {
    if (auto q = req.OnlyQuery({}); !q.ok()) return http::ErrorResponse(q.error(), req);
    return http::Answer(MyWeek(db, req.Me()), req);
  });
}

}  // namespace kehou::timetable
