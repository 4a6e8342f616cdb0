// School setup routes: parse -> school/service.h -> answer. Nothing else.
#include "school/http.h"

#include "access/grants.h"
#include "core/text.h"
#include "http/bind.h"
#include "school/service.h"

namespace kehou::school {
namespace {

using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

// Paging only when the request names it; otherwise the whole (small) list.
Result<Paging> PagingOf(const Request& req) {
  if (!req.Query("page") && !req.Query("page_size")) return Paging{};
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  return Paging{p.page, p.size};
}

bool Truthy(const std::optional<std::string>& v) { return v && (*v == "1" || *v == "true"); }

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT

  // ---- schools and areas (addressed by id: no ?school_id)
  r.Get(api + "/schools", Allow{staff_read, officers, admin, {Bit(Role::kGuardian), Scope::kOwnChildren}},
        Bind({.school = false}, [&db](const In& in) { return ListSchools(db, in.me()); }));
  r.Get(api + "/schools/:id", Allow{staff_read, officers, admin},
        Bind({.school = false}, [&db](const In& in) { return GetSchool(db, in.me(), in.id); }));
  r.Put(api + "/schools/:id", Allow{{kLeaders, Scope::kSchool}, admin},
        Bind({.body = true, .school = false}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto patch, ParseSchoolPatch(in.body));
          return UpdateSchool(db, in.me(), in.id, patch);
        }));
  r.Get(api + "/areas/:id/overview", Allow{officers, admin},
        Bind({.school = false}, [&db](const In& in) { return AreaOverview(db, in.me(), in.id); }));

  // ---- terms and service hours
  r.Get(api + "/terms", Allow{staff_read, officers, admin},
        Bind({}, [&db](const In& in) { return ListTerms(db, in.me(), in.school); }));
  r.Post(api + "/terms", Allow{managers, admin},
         Bind({.body = true, .status = 201}, [&db](const In& in) -> Result<Json> {
           KEHOU_ASSIGN_OR_RETURN(auto term, ParseTermInput(in.body, /*create=*/true));
           return CreateTerm(db, in.me(), in.school, term);
         }));
  r.Put(api + "/terms/:id", Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto term, ParseTermInput(in.body, /*create=*/false));
          return UpdateTerm(db, in.me(), in.school, in.id, term);
        }));
  r.Get(api + "/terms/:id/bands", Allow{staff_read, officers, admin},
        Bind({}, [&db](const In& in) { return GetBands(db, in.me(), in.school, in.id); }));
  r.Put(api + "/terms/:id/bands", Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto bands, ParseBands(in.body));
          return PutBands(db, in.me(), in.school, in.id, bands);
        }));

  // ---- grades and classes
  r.Get(api + "/grades", Allow{staff_read, officers, admin},
        Bind({}, [&db](const In& in) { return ListGrades(db, in.me(), in.school); }));
  r.Get(api + "/classes", Allow{staff_read, officers, admin},
        Bind({.query = {"school_id", "grade_id", "page", "page_size"}, .opt_ids = {"grade_id"}},
             [&db](const In& in) -> Result<Json> {
               KEHOU_ASSIGN_OR_RETURN(Paging paging, PagingOf(in.req));
               return ListClasses(db, in.me(), in.school, in.QueryId("grade_id"), paging);
             }));
  r.Post(api + "/classes", Allow{managers, admin},
         Bind({.body = true, .status = 201}, [&db](const In& in) -> Result<Json> {
           KEHOU_ASSIGN_OR_RETURN(auto cls, ParseClassInput(in.body, /*create=*/true));
           return CreateClass(db, in.me(), in.school, cls);
         }));
  r.Put(api + "/grades/:id", Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return SetGradeLeader(db, in.me(), in.school, in.id, in.body); }));
  r.Put(api + "/classes/:id", Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto cls, ParseClassInput(in.body, /*create=*/false));
          return UpdateClass(db, in.me(), in.school, in.id, cls);
        }));

  // ---- rooms and venues
  r.Get(api + "/rooms", Allow{staff_read, officers, admin},
        Bind({.query = {"school_id", "q", "kind", "include_inactive", "page", "page_size"}},
             [&db](const In& in) -> Result<Json> {
               RoomQuery q;
               KEHOU_ASSIGN_OR_RETURN(q.paging, PagingOf(in.req));
               q.q = in.req.Query("q").value_or("");
               q.kind = in.req.Query("kind").value_or("");
               q.include_inactive = Truthy(in.req.Query("include_inactive"));
               return ListRooms(db, in.me(), in.school, q);
             }));
  r.Post(api + "/rooms", Allow{managers, admin},
         Bind({.body = true, .status = 201}, [&db](const In& in) -> Result<Json> {
           KEHOU_ASSIGN_OR_RETURN(auto room, ParseRoomInput(in.body, /*create=*/true));
           return CreateRoom(db, in.me(), in.school, room);
         }));
  r.Put(api + "/rooms/:id", Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto room, ParseRoomInput(in.body, /*create=*/false));
          return UpdateRoom(db, in.me(), in.school, in.id, room);
        }));
  r.Delete(api + "/rooms/:id", Allow{managers, admin},
           Bind({}, [&db](const In& in) { return DeleteRoom(db, in.me(), in.school, in.id); }));
}

}  // namespace kehou::school
