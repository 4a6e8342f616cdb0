#include "people/http.h"

#include "access/grants.h"
#include "core/text.h"
#include "http/bind.h"
#include "people/service.h"

namespace kehou::people {
namespace {

using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

// ?q, ?class_id, ?grade_id, ?kind, ?include_inactive, ?page, ?page_size, ?school_id.
Result<ListQuery> ListQueryOf(const Request& req) {
  KEHOU_TRY(req.OnlyQuery({"q", "kind", "include_inactive", "class_id", "grade_id", "school_id", "page", "page_size"}));
  ListQuery q;
  q.q = req.Query("q").value_or("");
  q.kind = Trim(req.Query("kind").value_or(""));
  auto inactive = req.Query("include_inactive").value_or("");
  q.include_inactive = inactive == "1" || inactive == "true";
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  q.page = p.page;
  q.page_size = p.size;
  for (auto [key, target] :
       {std::pair{"class_id", &q.class_id}, std::pair{"grade_id", &q.grade_id}, std::pair{"school_id", &q.school_id}}) {
    auto v = req.OptIdQuery(key);
    if (!v.ok()) return v.error();
    *target = *v;
  }
  return q;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  // The lists read ?school_id with their other filters (ListQueryOf).
  const http::Spec list{.school = false};

  // ---- students
  r.Get(api + "/students", Allow{{kStudentListSchool, Scope::kSchool}, grade_leader, class_teacher, teacher, admin},
        Bind(list, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, ListQueryOf(in.req));
          return ListStudents(db, in.me(), q);
        }));
  r.Get(api + "/students/:id",
        Allow{{kPersonalRecord, Scope::kSchool}, class_teacher, admin, {Bit(Role::kGuardian), Scope::kOwnChildren}},
        Bind({}, [&db](const In& in) { return GetStudent(db, in.me(), in.id, in.school); }));
  r.Post(api + "/students", Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return CreateStudent(db, in.me(), in.body, in.school);
         }));
  r.Put(api + "/students/:id", Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateStudent(db, in.me(), in.id, in.body, in.school); }));
  r.Get(api + "/classes/:id/students", Allow{{kStudentListSchool, Scope::kSchool}, grade_leader, class_teacher, admin},
        Bind({}, [&db](const In& in) -> Result<Response> {
          KEHOU_ASSIGN_OR_RETURN(std::string text, ClassStudentsText(db, in.me(), in.id, in.school));
          Response resp;  // the class list is cached as JSON text
          resp.body = std::move(text);
          return resp;
        }));

  // ---- guardians
  r.Get(api + "/guardians", Allow{managers, {Bit(Role::kLiaison), Scope::kSchool}, class_teacher, admin},
        Bind(list, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, ListQueryOf(in.req));
          return ListGuardians(db, in.me(), q);
        }));
  r.Get(api + "/me/children", Allow{{Bit(Role::kGuardian), Scope::kOwnChildren}},
        Bind({.school = false}, [&db](const In& in) { return MyChildren(db, in.me()); }));

  // ---- staff
  r.Get(api + "/staff", Allow{staff_read, officers, admin}, Bind(list, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, ListQueryOf(in.req));
          return ListStaff(db, in.me(), q);
        }));
  r.Post(api + "/staff", Allow{managers, admin}, Bind({.body = true, .status = 201}, [&db](const In& in) {
           return CreateStaff(db, in.me(), in.body, in.school);
         }));
  r.Put(api + "/staff/:id", Allow{managers, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateStaff(db, in.me(), in.id, in.body, in.school); }));

  // ---- imports and exports
  r.Get(api + "/imports/:kind/template", Allow{managers, admin},
        Bind({.school = false}, [](const In& in) -> Result<http::Response> {
          const std::string& kind = in.req.params.at("kind");
          std::string format = in.req.Query("format").value_or("xlsx");
          if (format == "json") {
            KEHOU_ASSIGN_OR_RETURN(auto columns, ImportTemplateColumns(kind));
            return http::JsonResponse(columns);
          }
          KEHOU_ASSIGN_OR_RETURN(auto file, ImportTemplate(kind, format));
          return http::Download(std::move(file));
        }));
  http::RouteOptions import_options;
  import_options.max_body = http::kImportBodyLimit;
  r.Post(api + "/imports/:kind/preview", Allow{managers, admin},
         Bind({.body = true},
              [&db](const In& in) { return PreviewImport(db, in.me(), in.req.params.at("kind"), in.body, in.school); }),
         import_options);
  r.Post(api + "/imports/:kind", Allow{managers, admin},
         Bind({.body = true},
              [&db](const In& in) -> Result<Response> {
                KEHOU_ASSIGN_OR_RETURN(auto out, RunImport(db, in.me(), in.req.params.at("kind"), in.body, in.school));
                if (out.ok) return http::JsonResponse(out.body);
                // 422 with the error envelope and the same rows as the preview; nothing was written.
                int bad = static_cast<int>(out.body["errors"].size());
                return http::RowErrors(
                    Error::RuleBroken("有" + std::to_string(bad) + "处错误，未导入任何数据，请修改后重新导入",
                                      std::to_string(bad) + " errors; nothing was imported"),
                    out.body, in.req);
              }),
         import_options);
  r.Get(api + "/exports/:list", Allow{managers, admin},
        Bind({}, [&db](const In& in) { return Export(db, in.me(), in.req.params.at("list"), in.school); }));
}

}  // namespace kehou::people
