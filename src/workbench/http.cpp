#include "workbench/http.h"

#include "core/time.h"
#include "http/bind.h"
#include "workbench/service.h"

namespace kehou::workbench {

void RegisterRoutes(http::Router& r, db::Db& db) {
  r.Get("/api/v1/workbench", http::Bind({.query = {"school_id"}}, [&db](const http::In& in) {
          return Workbench(db, in.me(), in.school, NowMs());
        }));
}

}  // namespace kehou::workbench
