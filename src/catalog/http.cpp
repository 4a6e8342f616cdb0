#include "catalog/http.h"

#include "access/grants.h"
#include "catalog/proposals.h"
#include "catalog/roster.h"
#include "catalog/service.h"
#include "core/text.h"
#include "http/bind.h"

namespace kehou::catalog {
namespace {

using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

// POST /proposals and /proposals/:id/submit: a lesson plan at the limit, base64, plus 1 MiB.
constexpr size_t kProposalBodyLimit = (kMaxLessonPlanBytes + 2) / 3 * 4 + http::kDefaultBodyLimit;

}  // namespace

// Who may: rosters (names, student numbers, classes) go to the office and leadership, the
// section's teachers, a class teacher for their own class's children; the others see counts only.
// Course proposals (课程申报, catalog/proposals.h): teachers and institution staff propose (own
// proposals only), the course group reviews, the leadership decides; the school's managers and the
// course group read all; the lesson plan only to those who see the proposal.
void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1";
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  r.Get(api + "/courses", Allow{staff_read, officers, admin}, Bind({}, [&db](const In& in) -> Result<Json> {
          const Request& req = in.req;
          Json f{{"category", Trim(req.Query("category").value_or(""))},
                 {"q", Trim(req.Query("q").value_or(""))},
                 {"status", Trim(req.Query("status").value_or(""))}};
          KEHOU_TRY(req.OnlyQuery({"school_id", "category", "q", "status", "page", "page_size"}));
          if (req.Query("page_size")) {  // paged only when asked: other pages read the whole catalog
            KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
            f["page"] = pg.page;
            f["page_size"] = pg.size;
          }
          return ListCourses(db, in.me(), in.school, f);
        }));
  r.Post(api + "/courses", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return CreateCourse(db, in.me(), in.school, in.body); }));
  r.Get(api + "/courses/:id", Allow{staff_read, officers, admin},
        Bind({}, [&db](const In& in) { return GetCourse(db, in.me(), in.school, in.id); }));
  r.Put(api + "/courses/:id", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateCourse(db, in.me(), in.school, in.id, in.body); }));
  r.Post(api + "/courses/:id/sections", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return CreateSection(db, in.me(), in.school, in.id, in.body); }));
  r.Get(api + "/sections",
        Allow{{kManagers | kWorkingGroups | Bit(Role::kGradeLeader) | Bit(Role::kClassTeacher), Scope::kSchool},
              teacher,
              officers,
              admin},
        Bind({.opt_ids = {"course_id"}},
             [&db](const In& in) { return ListSections(db, in.me(), in.school, in.QueryId("course_id")); }));
  r.Put(api + "/sections/:id", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, admin},
        Bind({.body = true}, [&db](const In& in) { return UpdateSection(db, in.me(), in.school, in.id, in.body); }));
  // Course proposals (课程申报): the lesson plan travels base64 in the JSON body, so these two
  // routes take a 10 MiB file (4/3 of it as base64) plus the course's fields.
  http::RouteOptions with_plan;
  with_plan.max_body = kProposalBodyLimit;
  r.Get(api + "/proposals", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, proposers, admin},
        Bind({}, [&db](const In& in) {
          Json f{{"state", Trim(in.req.Query("state").value_or(""))}, {"q", Trim(in.req.Query("q").value_or(""))}};
          return ListProposals(db, in.me(), in.school, f);
        }));
  r.Post(api + "/proposals", Allow{{Bit(Role::kCourseGroup), Scope::kSchool}, proposers},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return CreateProposal(db, in.me(), in.school, in.body); }),
         with_plan);
  r.Get(api + "/proposals/:id", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, proposers, admin},
        Bind({}, [&db](const In& in) { return GetProposal(db, in.me(), in.school, in.id); }));
  r.Get(api + "/proposals/:id/plan", Allow{{kManagers | Bit(Role::kCourseGroup), Scope::kSchool}, proposers, admin},
        Bind({}, [&db](const In& in) -> Result<Response> {
          KEHOU_ASSIGN_OR_RETURN(FileOut f, LessonPlanFile(db, in.me(), in.school, in.id));
          // Always an attachment with the type detected at upload; never sniffed into HTML.
          Response resp = http::Download(std::move(f));
          resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
          resp.headers.emplace_back("Cache-Control", "private, no-store");
          return resp;
        }));
  r.Post(api + "/proposals/:id/submit", Allow{{Bit(Role::kCourseGroup), Scope::kSchool}, proposers},
         Bind({.body = true}, [&db](const In& in) { return SubmitProposal(db, in.me(), in.school, in.id, in.body); }),
         with_plan);
  r.Post(api + "/proposals/:id/review", Allow{{Bit(Role::kCourseGroup), Scope::kSchool}},
         Bind({.body = true}, [&db](const In& in) { return ReviewProposal(db, in.me(), in.school, in.id, in.body); }));
  r.Post(api + "/proposals/:id/decide", Allow{{kLeaders, Scope::kSchool}},
         Bind({.body = true}, [&db](const In& in) { return DecideProposal(db, in.me(), in.school, in.id, in.body); }));
  // ?format=xlsx | pdf: the roster as a file (audited, roster.h); none or json: the JSON list.
  r.Get(api + "/sections/:id/roster", Allow{managers, teacher, class_teacher, admin},
        Bind({}, [&db](const In& in) -> Result<Response> {
          std::string format = Trim(in.req.Query("format").value_or(""));
          if (format == "xlsx" || format == "pdf") {
            KEHOU_ASSIGN_OR_RETURN(FileOut f, format == "pdf" ? SectionRosterPdf(db, in.me(), in.school, in.id)
                                                              : SectionRosterXlsx(db, in.me(), in.school, in.id));
            Response resp = http::Download(std::move(f));
            resp.headers.emplace_back("Cache-Control", "private, no-store");  // children's data: no caches
            return resp;
          }
          if (!format.empty() && format != "json")
            return Error::Invalid("format 应为 xlsx、pdf 或 json", "format is xlsx, pdf or json", "format");
          KEHOU_ASSIGN_OR_RETURN(Json roster, SectionRoster(db, in.me(), in.school, in.id));
          return http::JsonResponse(roster);
        }));
}

}  // namespace kehou::catalog
