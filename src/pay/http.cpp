#include "pay/http.h"

#include "core/time.h"
#include "pay/service.h"

namespace kehou::pay {
namespace {

using http::Request;
using http::Response;

// ?school_id, :id (when the route has one), the JSON body (when with_body) -> fn(id, school, body)
template <class F>
Response With(Request& req, bool with_body, F&& fn, int ok_status = 200) {
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  int64_t id = 0;
  if (req.params.count("id")) {
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
  return http::Answer(fn(id, *school, body), req, ok_status);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/pay";
  r.Get(api + "/settings", [&db](Request& req) {
    return With(req, false, [&](int64_t, auto school, const Json&) { return GetSettings(db, req.Me(), school); });
  });
  r.Put(api + "/settings", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return PutSettings(db, req.Me(), school, b); });
  });
  r.Put(api + "/scores", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return PutScore(db, req.Me(), school, b); });
  });
  r.Get(api + "/runs", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return ListRuns(db, req.Me(), school, page->page, page->size);
    });
  });
  r.Post(api + "/runs", [&db](Request& req) {
    return With(req, true,
                [&](int64_t, auto school, const Json& b) { return RunMonth(db, req.Me(), school, b, TodayLocal()); });
  });
  r.Get(api + "/runs/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return GetRun(db, req.Me(), school, id); });
  });
  r.Post(api + "/runs/:id/approve", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return ApproveRun(db, req.Me(), school, id); });
  });
  r.Get(api + "/runs/:id/export", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto f = ExportRun(db, req.Me(), *school, *id);
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Get(api + "/my-slips", [&db](Request& req) { return http::Answer(MySlips(db, req.Me()), req); });
  r.Get(api + "/slips/:id", [&db](Request& req) {
    return With(req, false, [&](int64_t id, auto school, const Json&) { return GetSlip(db, req.Me(), school, id); });
  });
}

}  // namespace kehou::pay
