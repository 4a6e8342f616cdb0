#include "workbench/http.h"

#include "access/grants.h"
#include "core/time.h"
#include "http/bind.h"
#include "workbench/service.h"

namespace kehou::workbench {

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth::grants;  // NOLINT: routes read as a table
  // each role's home
  r.Get("/api/v1/workbench", http::Allow{staff_read, officers, admin},
        http::Bind({.query = {"school_id"}},
                   [&db](const http::In& in) { return Workbench(db, in.me(), in.school, NowMs()); }));
}

}  // namespace kehou::workbench
