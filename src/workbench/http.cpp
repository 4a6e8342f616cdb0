#include "workbench/http.h"

#include "core/time.h"
#include "workbench/service.h"

namespace kehou::workbench {

void RegisterRoutes(http::Router& r, db::Db& db) {
  r.Get("/api/v1/workbench", [&db](http::Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_TRY(req.OnlyQuery({"school_id"}));
      KEHOU_ASSIGN_OR_RETURN(auto school, req.OptIdQuery("school_id"));
      return Workbench(db, req.Me(), school, NowMs());
    };
    return http::Answer(run(), req);
  });
}

}  // namespace kehou::workbench
