#include "timetable/http.h"

#include "access/grants.h"
#include "core/text.h"
#include "http/bind.h"
#include "timetable/grid.h"

namespace kehou::timetable {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

Result<GridView> ViewOf(const Request& req) {
  GridView v;
  v.view = Trim(req.Query("view").value_or("school"));
  KEHOU_ASSIGN_OR_RETURN(v.id, req.OptIdQuery("id"));
  return v;
}

}  // namespace

void RegisterGridRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1/timetable";
  const http::Spec term_body{.body = true, .params = {"term_id"}};
  // --- timetable grid (src/timetable/http.cpp) — issue 12 §4: the office runs and edits the
  // term's timetable; a teacher reads only their own week.
  r.Post(api + "/terms/:term_id/solve", http::Allow{managers, admin},
         Bind({.body = true, .status = 202, .params = {"term_id"}},
              [&db](const In& in) { return StartSolve(db, in.me(), in.school, in.Param("term_id"), in.body); }));
  r.Get(api + "/jobs/:id", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return SolveJob(db, in.me(), in.school, in.id); }));
  r.Post(api + "/jobs/:id/cancel", http::Allow{managers, admin},
         Bind({}, [&db](const In& in) { return CancelSolve(db, in.me(), in.school, in.id); }));
  r.Get(api + "/terms/:term_id", http::Allow{managers, admin},
        Bind({.query = {"school_id", "view", "id"}, .params = {"term_id"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(GridView v, ViewOf(in.req));
          return TermGrid(db, in.me(), in.school, in.Param("term_id"), v);
        }));
  r.Post(api + "/terms/:term_id/check", http::Allow{managers, admin}, Bind(term_body, [&db](const In& in) {
           return CheckMove(db, in.me(), in.school, in.Param("term_id"), in.body);
         }));
  r.Put(api + "/terms/:term_id/placement", http::Allow{managers, admin}, Bind(term_body, [&db](const In& in) {
          return MovePlacement(db, in.me(), in.school, in.Param("term_id"), in.body);
        }));
  r.Put(api + "/terms/:term_id/lock", http::Allow{managers, admin},
        Bind(term_body, [&db](const In& in) { return SetLock(db, in.me(), in.school, in.Param("term_id"), in.body); }));
  r.Get(api + "/terms/:term_id/export", http::Allow{managers, admin},
        Bind({.query = {"school_id", "view", "id", "format"}, .params = {"term_id"}},
             [&db](const In& in) -> Result<FileOut> {
               KEHOU_ASSIGN_OR_RETURN(GridView v, ViewOf(in.req));
               return ExportGrid(db, in.me(), in.school, in.Param("term_id"), v,
                                 in.req.Query("format").value_or("xlsx"));
             }));
  r.Get(api + "/my-week", http::Allow{{kTeachers, Scope::kOwnSections}},
        Bind({.query = http::kNoQuery, .school = false}, [&db](const In& in) { return MyWeek(db, in.me()); }));
}

}  // namespace kehou::timetable
