#include "attendance/http.h"

#include "attendance/cancel.h"
#include "attendance/service.h"
#include "notify/outbox.h"

namespace kehou::attendance {
namespace {

using http::Request;
using http::Response;

Result<std::optional<Date>> DateQuery(const Request& req) {
  auto q = req.Query("date");
  if (!q || q->empty()) return std::optional<Date>{};
  auto d = ParseDate(*q);
  if (!d) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD", "date");
  return std::optional<Date>{*d};
}

// ?school_id, optional :id, optional JSON body -> fn(school, id, body)
template <class F>
Response With(Request& req, std::initializer_list<std::string_view> query, bool with_body, F&& fn) {
  if (auto s = req.OnlyQuery(query); !s.ok()) return http::ErrorResponse(s.error(), req);
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
  auto day = DateQuery(req);
  if (!day.ok()) return http::ErrorResponse(day.error(), req);
  return http::Answer(fn(*school, id, body, *day), req);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  r.Get("/api/v1/attendance/sessions", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false, [&](auto school, int64_t, const Json&, auto day) {
      return ListSessions(db, req.Me(), school, day, NowMs());
    });
  });
  r.Get("/api/v1/attendance/sessions/:id/roster", [&db](Request& req) {
    return With(req, {"school_id", "date", "band"}, false, [&](auto school, int64_t id, const Json&, auto day) {
      return SessionRoster(db, req.Me(), school, id, day, req.Query("band").value_or(""), NowMs());
    });
  });
  r.Put("/api/v1/attendance/sessions/:id/roll", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, auto) {
      return SaveRoll(db, req.Me(), school, id, body, NowMs());
    });
  });
  // Devices: no user session; the handler authenticates the device key itself.
  r.Post("/api/v1/attendance/swipes", [&db](Request& req) {
    auto b = req.JsonBody();  // the key is checked first: a stranger gets 401 whatever the body
    return http::Answer(IngestSwipes(db, req.Header("Authorization"), req.remote, b.ok() ? *b : Json::object(), NowMs()),
                        req);
  });
  r.Get("/api/v1/attendance/devices", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t, const Json&, auto) { return ListDevices(db, req.Me(), school); });
  });
  r.Post("/api/v1/attendance/devices", [&db](Request& req) {
    return With(req, {"school_id"}, true,
                [&](auto school, int64_t, const Json& body, auto) { return CreateDevice(db, req.Me(), school, body); });
  });
  r.Post("/api/v1/attendance/devices/:id/disable", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t id, const Json&, auto) { return DisableDevice(db, req.Me(), school, id); });
  });
  r.Put("/api/v1/attendance/cards", [&db](Request& req) {
    return With(req, {"school_id"}, true,
                [&](auto school, int64_t, const Json& body, auto) { return PutCard(db, req.Me(), school, body); });
  });
  r.Get("/api/v1/attendance/leaves", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false,
                [&](auto school, int64_t, const Json&, auto day) { return ListLeaves(db, req.Me(), school, day); });
  });
  r.Post("/api/v1/attendance/leaves", [&db](Request& req) {
    return With(req, {}, true,
                [&](auto, int64_t, const Json& body, auto) { return CreateLeave(db, req.Me(), body, NowMs()); });
  });
  r.Get("/api/v1/attendance/board", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false,
                [&](auto school, int64_t, const Json&, auto day) { return Board(db, req.Me(), school, day); });
  });
  r.Post("/api/v1/attendance/alerts/:id/resolve", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, auto) {
      return ResolveAlert(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Post("/api/v1/attendance/cancellations", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return CancelSessions(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/attendance/cancellations", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false, [&](auto school, int64_t, const Json&, auto day) {
      return ListCancellations(db, req.Me(), school, day, NowMs());
    });
  });
  r.Get("/api/v1/notify/outbox", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "status", "page", "page_size"}); !s.ok())
      return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return http::Answer(notify::ListOutbox(db, req.Me(), *school, req.Query("status"), page->page, page->size), req);
  });
}

}  // namespace kehou::attendance
