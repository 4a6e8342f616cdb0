#include "attendance/http.h"

#include "access/grants.h"
#include "attendance/cancel.h"
#include "attendance/service.h"
#include "http/bind.h"
#include "notify/outbox.h"

namespace kehou::attendance {
using http::Bind;
using http::In;

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  // --- attendance (src/attendance) and the notification outbox (src/notify) — issue 13 §1, §6
  r.Get("/api/v1/attendance/sessions", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({.query = {"school_id", "date"}, .date = true},
             [&db](const In& in) { return ListSessions(db, in.me(), in.school, in.date, NowMs()); }));
  r.Get("/api/v1/attendance/sessions/:id/roster", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({.query = {"school_id", "date", "band"}, .date = true}, [&db](const In& in) {
          return SessionRoster(db, in.me(), in.school, in.id, in.date, in.req.Query("band").value_or(""), NowMs());
        }));
  r.Put("/api/v1/attendance/sessions/:id/roll", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({.body = true, .query = {"school_id"}},
             [&db](const In& in) { return SaveRoll(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  // Devices: no user session; the handler authenticates the device key itself.
  // devices: their own key (Authorization: Device)
  // A gate's batch waits while a person's write waits (RouteOptions::device_batch, issue 13 §7).
  r.Post("/api/v1/attendance/swipes", http::Allow::Public(/*csrf_exempt=*/true),
         Bind({.school = false},
              [&db](const In& in) {
                auto b = in.req.JsonBody();  // the key is checked first: a stranger gets 401 whatever the body
                return IngestSwipes(db, in.req.Header("Authorization"), in.req.remote, b.ok() ? *b : Json::object(),
                                    NowMs());
              }),
         {.device_batch = true});
  r.Get("/api/v1/attendance/devices", http::Allow{managers, admin},
        Bind({.query = {"school_id"}}, [&db](const In& in) { return ListDevices(db, in.me(), in.school); }));
  r.Post("/api/v1/attendance/devices", http::Allow{managers, admin},
         Bind({.body = true, .query = {"school_id"}},
              [&db](const In& in) { return CreateDevice(db, in.me(), in.school, in.body); }));
  r.Post("/api/v1/attendance/devices/:id/disable", http::Allow{managers, admin},
         Bind({.query = {"school_id"}}, [&db](const In& in) { return DisableDevice(db, in.me(), in.school, in.id); }));
  r.Put("/api/v1/attendance/cards", http::Allow{managers, admin},
        Bind({.body = true, .query = {"school_id"}},
             [&db](const In& in) { return PutCard(db, in.me(), in.school, in.body); }));
  r.Get("/api/v1/attendance/leaves", http::Allow{managers, {kTeachers, Scope::kOwnSections}, guardian, admin},
        Bind({.query = {"school_id", "date"}, .date = true},
             [&db](const In& in) { return ListLeaves(db, in.me(), in.school, in.date); }));
  r.Post("/api/v1/attendance/leaves", http::Allow{guardian},
         Bind({.body = true, .query = http::kNoQuery},
              [&db](const In& in) { return CreateLeave(db, in.me(), in.body, NowMs()); }));
  r.Get("/api/v1/attendance/board", http::Allow{managers, admin},
        Bind({.query = {"school_id", "date"}, .date = true},
             [&db](const In& in) { return Board(db, in.me(), in.school, in.date); }));
  r.Post("/api/v1/attendance/alerts/:id/resolve", http::Allow{managers, admin},
         Bind({.body = true, .query = {"school_id"}},
              [&db](const In& in) { return ResolveAlert(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  // weather, epidemic, pollution (attendance/cancel.h)
  r.Post("/api/v1/attendance/cancellations", http::Allow{managers},
         Bind({.body = true, .query = {"school_id"}},
              [&db](const In& in) { return CancelSessions(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/attendance/cancellations", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({.query = {"school_id", "date"}, .date = true},
             [&db](const In& in) { return ListCancellations(db, in.me(), in.school, in.date, NowMs()); }));
  r.Get("/api/v1/notify/outbox", http::Allow{managers, admin},
        Bind({.query = {"school_id", "status", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return notify::ListOutbox(db, in.me(), in.school, in.req.Query("status"), page.page, page.size);
        }));
}

}  // namespace kehou::attendance
