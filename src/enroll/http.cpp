// Registration routes: parse -> enroll/service.h -> answer. Nothing else.
#include "enroll/http.h"

#include "access/grants.h"
#include "core/text.h"
#include "enroll/service.h"
#include "http/bind.h"
#include "people/xlsx.h"

namespace kehou::enroll {
namespace {

using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

Result<std::optional<Date>> OptionalDate(const Request& req, const char* key) {
  auto v = req.Query(key);
  if (!v || Trim(*v).empty()) return std::optional<Date>{};
  auto d = ParseDate(Trim(*v));
  if (!d)
    return MakeError(kInvalid, std::string(key) + " 应为日期 YYYY-MM-DD", std::string(key) + " must be YYYY-MM-DD",
                     key);
  return std::optional<Date>{*d};
}

}  // namespace

namespace {
// Every registration route reads ?school_id and ?term_id (in.QueryId("term_id")).
const http::Spec kRead{.opt_ids = {"term_id"}};
const http::Spec kWrite{.body = true, .opt_ids = {"term_id"}};
const http::Spec kCreate{.body = true, .status = 201, .opt_ids = {"term_id"}};
std::optional<int64_t> Term(const In& in) { return in.QueryId("term_id"); }
}  // namespace

// Who may: surveys, dismissal batches, agreements, applications and their review chain, roster,
// exits, looked-after children (R-REG). Guardians: own children; class teachers: own class;
// leaders and office: the school; sysadmin reads with ?school_id.
void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT

  // ---- surveys (需求征询)
  r.Get(api + "/surveys", Allow{managers, class_teacher, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return ListSurveys(db, in.me(), in.school, Term(in), TodayLocal()); }));
  r.Post(api + "/surveys", Allow{managers},
         Bind(kCreate, [&db](const In& in) { return CreateSurvey(db, in.me(), in.school, in.body); }));
  r.Get(api + "/surveys/:id", Allow{managers, class_teacher, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return GetSurvey(db, in.me(), in.school, in.id, TodayLocal()); }));
  r.Put(api + "/surveys/:id", Allow{managers},
        Bind(kWrite, [&db](const In& in) { return UpdateSurvey(db, in.me(), in.school, in.id, in.body); }));
  r.Get(api + "/surveys/:id/results", Allow{managers, class_teacher, admin},
        Bind(kRead, [&db](const In& in) { return SurveyResults(db, in.me(), in.school, in.id); }));
  r.Get(api + "/surveys/:id/export", Allow{managers, class_teacher, admin}, Bind(kRead, [&db](const In& in) {
          return ExportSurvey(db, in.me(), in.school, in.id, in.req.Query("kind").value_or("summary"));
        }));
  r.Get(api + "/surveys/:id/answers/:student_id", Allow{managers, class_teacher, guardian_own, admin},
        Bind({.params = {"student_id"}, .opt_ids = {"term_id"}},
             [&db](const In& in) { return GetSurveyAnswer(db, in.me(), in.school, in.id, in.Param("student_id")); }));
  r.Put(api + "/surveys/:id/answers/:student_id", Allow{guardian_own},
        Bind({.body = true, .params = {"student_id"}, .opt_ids = {"term_id"}}, [&db](const In& in) {
          return PutSurveyAnswer(db, in.me(), in.id, in.Param("student_id"), in.body, TodayLocal());
        }));

  // ---- dismissal batches (放学批次)
  r.Get(api + "/dismissal-batches", Allow{staff_read, guardian_own, admin},
        Bind({.opt_ids = {"term_id", "student_id"}}, [&db](const In& in) {
          const auto all = in.req.Query("include_inactive").value_or("");
          return ListBatches(db, in.me(), in.school, in.QueryId("student_id"), all == "1" || all == "true");
        }));
  r.Post(api + "/dismissal-batches", Allow{managers},
         Bind(kCreate, [&db](const In& in) { return CreateBatch(db, in.me(), in.school, in.body); }));
  r.Put(api + "/dismissal-batches/:id", Allow{managers},
        Bind(kWrite, [&db](const In& in) { return UpdateBatch(db, in.me(), in.school, in.id, in.body); }));

  // ---- agreements (托管协议)
  r.Get(api + "/agreements", Allow{managers, admin},
        Bind(kRead, [&db](const In& in) { return ListAgreements(db, in.me(), in.school, Term(in)); }));
  r.Post(api + "/agreements", Allow{managers},
         Bind(kCreate, [&db](const In& in) { return CreateAgreement(db, in.me(), in.school, in.body); }));
  r.Get(api + "/agreements/current", Allow{managers, class_teacher, guardian_own, admin},
        Bind({.opt_ids = {"term_id", "student_id"}}, [&db](const In& in) {
          return CurrentAgreement(db, in.me(), in.school, Term(in), in.QueryId("student_id"));
        }));
  r.Get(api + "/agreements/:id", Allow{managers, class_teacher, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return GetAgreement(db, in.me(), in.school, in.id); }));

  // ---- applications (线上报名) and the review chain
  r.Get(api + "/applications", Allow{managers, class_teacher, grade_leader, guardian_own, admin},
        Bind({.query = {"school_id", "term_id", "class_id", "student_id", "status", "q", "page", "page_size"},
              .opt_ids = {"term_id", "class_id", "student_id"}},
             [&db](const In& in) -> Result<Json> {
               ApplicationQuery q;
               q.term_id = Term(in);
               q.class_id = in.QueryId("class_id");
               q.student_id = in.QueryId("student_id");
               q.status = in.req.Query("status").value_or("");
               q.q = in.req.Query("q").value_or("");
               KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(in.req));
               q.page = p.page;
               q.page_size = p.size;
               return ListApplications(db, in.me(), in.school, q);
             }));
  r.Post(api + "/applications", Allow{guardian_own},
         Bind(kCreate, [&db](const In& in) { return CreateApplication(db, in.me(), in.body, TodayLocal()); }));
  r.Get(api + "/applications/roster", Allow{managers, class_teacher, admin},
        Bind({.opt_ids = {"term_id", "class_id"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(auto date, OptionalDate(in.req, "date"));
          return Roster(db, in.me(), in.school, Term(in), in.QueryId("class_id"), date, TodayLocal());
        }));
  // a batch of one class
  r.Post(api + "/applications/class-review", Allow{class_teacher, grade_leader, managers},
         Bind(kWrite, [&db](const In& in) { return ClassReviewBatch(db, in.me(), in.school, in.body); }));
  r.Post(api + "/applications/principal-review", Allow{{kLeaders, Scope::kSchool}},
         Bind(kWrite, [&db](const In& in) { return PrincipalReview(db, in.me(), in.school, in.body); }));
  r.Get(api + "/applications/:id", Allow{managers, class_teacher, grade_leader, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return GetApplication(db, in.me(), in.school, in.id, TodayLocal()); }));
  r.Put(api + "/applications/:id", Allow{guardian_own},
        Bind(kWrite, [&db](const In& in) { return UpdateApplication(db, in.me(), in.id, in.body, TodayLocal()); }));
  r.Post(api + "/applications/:id/sign", Allow{guardian_own}, Bind(kWrite, [&db](const In& in) {
           SignContext ctx{in.req.Header("User-Agent"), in.req.remote};
           return SignApplication(db, in.me(), in.id, in.body, ctx, TodayLocal());
         }));
  r.Post(api + "/applications/:id/submit", Allow{guardian_own},
         Bind(kRead, [&db](const In& in) { return SubmitApplication(db, in.me(), in.id, TodayLocal()); }));
  r.Post(
      api + "/applications/:id/class-review", Allow{class_teacher, grade_leader, managers},
      Bind(kWrite, [&db](const In& in) { return ClassReview(db, in.me(), in.school, in.id, in.body, TodayLocal()); }));

  // ---- exits (准出)
  r.Get(api + "/exits", Allow{managers, class_teacher, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return ListExits(db, in.me(), in.school, Term(in)); }));
  r.Post(api + "/exits", Allow{managers, guardian_own},
         Bind(kCreate, [&db](const In& in) { return CreateExit(db, in.me(), in.school, in.body, TodayLocal()); }));
  r.Get(api + "/exits/:id", Allow{managers, class_teacher, guardian_own, admin},
        Bind(kRead, [&db](const In& in) { return GetExit(db, in.me(), in.school, in.id); }));

  // ---- looked-after children (R-REG-5)
  r.Get(api + "/looked-after", Allow{managers, class_teacher, admin},
        Bind({.opt_ids = {"term_id", "class_id"}}, [&db](const In& in) {
          return ListLookedAfter(db, in.me(), in.school, Term(in), in.QueryId("class_id"));
        }));
  r.Post(api + "/looked-after", Allow{managers, class_teacher}, Bind(kCreate, [&db](const In& in) {
           return CreateLookedAfter(db, in.me(), in.school, in.body, TodayLocal());
         }));
  r.Put(api + "/looked-after/:id", Allow{managers, class_teacher},
        Bind(kWrite, [&db](const In& in) { return UpdateLookedAfter(db, in.me(), in.school, in.id, in.body); }));
}

}  // namespace kehou::enroll
