#include "app/routes.h"

#include "activation/http.h"
#include "app/store.h"
#include "attendance/http.h"
#include "auth/http.h"
#include "catalog/http.h"
#include "enroll/http.h"
#include "fees/http.h"
#include "ledger/http.h"
#include "notify/http.h"
#include "pay/http.h"
#include "people/http.h"
#include "pickup/http.h"
#include "safety/http.h"
#include "school/http.h"
#include "select/http.h"
#include "staff/http.h"
#include "timetable/http.h"
#include "timetable/http_substitution.h"
#include "workbench/http.h"

namespace kehou::app {

void RegisterAllRoutes(http::Router& r, db::Db& db, auth::AuthService& auth) {
  r.Get("/api/v1/health", [&db](http::Request& req) {
    db.Read([](db::Conn& c) { store::Probe(c); });
    (void)req;
    return http::JsonResponse(
        {{"status", "ok"}, {"db", db.dialect() == db::Dialect::kSqlite ? "sqlite" : "postgresql"}});
  });
  auth::RegisterRoutes(r, auth);
  school::RegisterRoutes(r, db);
  people::RegisterRoutes(r, db);
  catalog::RegisterRoutes(r, db);
  enroll::RegisterRoutes(r, db);
  select::RegisterRoutes(r, db);
  attendance::RegisterRoutes(r, db);
  safety::RegisterRoutes(r, db);
  notify::RegisterRoutes(r, db);
  activation::RegisterRoutes(r, db);
  workbench::RegisterRoutes(r, db);
  staff::RegisterRoutes(r, db);
  timetable::RegisterGridRoutes(r, db);
  fees::RegisterRoutes(r, db);
  pickup::RegisterRoutes(r, db);
  ledger::RegisterRoutes(r, db);
  pay::RegisterRoutes(r, db);
  timetable::RegisterSubstitutionRoutes(r, db);
}

}  // namespace kehou::app
