#include "pay/http.h"

#include "core/time.h"
#include "http/bind.h"
#include "pay/service.h"

namespace kehou::pay {
using http::Bind;
using http::In;

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/pay";
  r.Get(api + "/settings", Bind({}, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put(api + "/settings",
        Bind({.body = true}, [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body); }));
  r.Put(api + "/scores",
        Bind({.body = true}, [&db](const In& in) { return PutScore(db, in.me(), in.school, in.body); }));
  r.Get(api + "/runs", Bind({.query = {"school_id", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListRuns(db, in.me(), in.school, page.page, page.size);
        }));
  r.Post(api + "/runs",
         Bind({.body = true}, [&db](const In& in) { return RunMonth(db, in.me(), in.school, in.body, TodayLocal()); }));
  r.Get(api + "/runs/:id", Bind({}, [&db](const In& in) { return GetRun(db, in.me(), in.school, in.id); }));
  r.Post(api + "/runs/:id/approve",
         Bind({}, [&db](const In& in) { return ApproveRun(db, in.me(), in.school, in.id); }));
  r.Get(api + "/runs/:id/export", Bind({}, [&db](const In& in) { return ExportRun(db, in.me(), in.school, in.id); }));
  r.Get(api + "/my-slips", Bind({.school = false}, [&db](const In& in) { return MySlips(db, in.me()); }));
  r.Get(api + "/slips/:id", Bind({}, [&db](const In& in) { return GetSlip(db, in.me(), in.school, in.id); }));
}

}  // namespace kehou::pay
