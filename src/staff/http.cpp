#include "staff/http.h"

#include "access/grants.h"
#include "core/text.h"
#include "http/bind.h"
#include "staff/records_io.h"
#include "staff/service.h"

namespace kehou::staff {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

// GET /staff-records and /staff-records/blocked.
Result<Json> List(db::Db& db, Request& req, std::optional<int64_t> school, bool blocked) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "q", "kind", "blocked", "page", "page_size"}));
  KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
  std::string flag = req.Query("blocked").value_or("");
  if (!flag.empty() && flag != "0" && flag != "1" && flag != "true" && flag != "false")
    return Error::Invalid("blocked 应为 0 或 1", "blocked is 0 or 1", "blocked");
  Json f{{"q", Trim(req.Query("q").value_or(""))},
         {"kind", Trim(req.Query("kind").value_or(""))},
         {"blocked", blocked || flag == "1" || flag == "true"},
         {"page", pg.page},
         {"page_size", pg.size}};
  return ListRecords(db, req.Me(), school, f);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1";
  // --- staff records and external institutions (src/staff) — issue 12. Background checks are
  // personal data: the school's office and leadership only. The approved list of institutions
  // is the county's (or city's); a school's contract with one is the leadership's decision.
  r.Get(api + "/staff-records", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return List(db, in.req, in.school, false); }));
  r.Get(api + "/staff-records/blocked", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return List(db, in.req, in.school, true); }));
  r.Get(api + "/staff-records/export", http::Allow{managers, admin},
        Bind({.query = {"school_id", "q", "kind", "blocked"}}, [&db](const In& in) {
          Json f{{"q", Trim(in.req.Query("q").value_or(""))},
                 {"kind", Trim(in.req.Query("kind").value_or(""))},
                 {"blocked", in.req.Query("blocked").value_or("") == "1"}};
          return ExportRecords(db, in.me(), in.school, f);
        }));
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(api + "/staff-records/import", http::Allow{managers, admin},
         Bind({.body = true},
              [&db](const In& in) -> Result<Response> {
                KEHOU_ASSIGN_OR_RETURN(Json out, ImportRecords(db, in.me(), in.school, in.body));
                if (out["ok"].get<bool>()) return http::JsonResponse(out);
                // 422: the error envelope plus every row's error; nothing was written.
                const size_t bad = out["errors"].size();
                return http::RowErrors(
                    Error::RuleBroken("有 " + std::to_string(bad) + " 处错误，未导入任何数据，请修改后重新导入",
                                      std::to_string(bad) + " errors; nothing was imported"),
                    out, in.req);
              }),
         import_options);
  r.Get(api + "/staff-records/:id", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return GetRecord(db, in.me(), in.school, in.id); }));
  r.Put(api + "/staff-records/:id", http::Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return SaveRecord(db, in.me(), in.school, in.id, in.body); }));
  r.Post(api + "/staff-records/:id/trainings", http::Allow{managers, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return AddTraining(db, in.me(), in.school, in.id, in.body); }));
  r.Get(api + "/institutions", http::Allow{managers, officers, admin},
        Bind({.query = {"school_id"}}, [&db](const In& in) { return ListInstitutions(db, in.me(), in.school); }));
  r.Post(api + "/institutions", http::Allow{officers},
         Bind({.body = true, .status = 201}, [&db](const In& in) { return CreateInstitution(db, in.me(), in.body); }));
  r.Put(api + "/institutions/:id", http::Allow{officers},
        Bind({.body = true}, [&db](const In& in) { return UpdateInstitution(db, in.me(), in.id, in.body); }));
  r.Post(api + "/institution-contracts", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return CreateContract(db, in.me(), in.school, in.body); }));
  r.Post(api + "/institution-contracts/:id/exit", http::Allow{{kLeaders, Scope::kSchool}, admin},
         Bind({.body = true}, [&db](const In& in) { return ExitContract(db, in.me(), in.school, in.id, in.body); }));
}

}  // namespace kehou::staff
