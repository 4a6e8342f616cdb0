#include "pay/http.h"

#include "access/grants.h"
#include "core/time.h"
#include "http/bind.h"
#include "pay/service.h"

namespace kehou::pay {
using http::Bind;
using http::In;

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1/pay";
  // --- pay (src/pay) — issue 14 §4: pay runs for the office and leadership; a leader approves;
  // every staff account reads its own slips (others' answer not_found)
  r.Get(api + "/settings", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put(api + "/settings", http::Allow{{kLeaders, Scope::kSchool}, admin},
        Bind({.body = true}, [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body); }));
  r.Put(api + "/scores", http::Allow{{kLeaders, Scope::kSchool}, admin},
        Bind({.body = true}, [&db](const In& in) { return PutScore(db, in.me(), in.school, in.body); }));
  r.Get(api + "/runs", http::Allow{managers, admin},
        Bind({.query = {"school_id", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListRuns(db, in.me(), in.school, page.page, page.size);
        }));
  r.Post(api + "/runs", http::Allow{managers, admin},
         Bind({.body = true}, [&db](const In& in) { return RunMonth(db, in.me(), in.school, in.body, TodayLocal()); }));
  r.Get(api + "/runs/:id", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return GetRun(db, in.me(), in.school, in.id); }));
  r.Post(api + "/runs/:id/approve", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({}, [&db](const In& in) { return ApproveRun(db, in.me(), in.school, in.id); }));
  r.Get(api + "/runs/:id/export", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return ExportRun(db, in.me(), in.school, in.id); }));
  r.Get(api + "/my-slips", http::Allow{{kAllStaff, Scope::kSelf}},
        Bind({.school = false}, [&db](const In& in) { return MySlips(db, in.me()); }));
  r.Get(api + "/slips/:id", http::Allow{managers, {kWorkingGroups | kTeachers, Scope::kSelf}, admin},
        Bind({}, [&db](const In& in) { return GetSlip(db, in.me(), in.school, in.id); }));
}

}  // namespace kehou::pay
