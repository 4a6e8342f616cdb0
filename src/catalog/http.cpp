#include "catalog/http.h"

#include "catalog/proposals.h"
#include "catalog/roster.h"
#include "catalog/service.h"
#include "core/text.h"

namespace kehou::catalog {
namespace {

using http::Request;
using http::Response;

// POST /proposals and /proposals/:id/submit: a lesson plan at the limit, base64, plus 1 MiB.
constexpr size_t kProposalBodyLimit = (kMaxLessonPlanBytes + 2) / 3 * 4 + http::kDefaultBodyLimit;

// Parses ?school_id, :id (when with_id) and the JSON body (when with_body), then calls fn.
template <class F>
Response With(Request& req, bool with_id, bool with_body, F&& fn, int ok_status = 200) {
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  int64_t id = 0;
  if (with_id) {
    auto v = req.IdParam("id");
    if (!v.ok()) return http::ErrorResponse(v.error(), req);
    id = *v;
  }
  Json body = Json::object();
  if (with_body) {
    auto b = req.JsonBody();
    if (!b.ok()) return http::ErrorResponse(b.error(), req);
    body = std::move(*b);
  }
  return http::Answer(fn(*school, id, body), req, ok_status);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1";
  r.Get(api + "/courses", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) -> Result<Json> {
      Json f{{"category", Trim(req.Query("category").value_or(""))}, {"q", Trim(req.Query("q").value_or(""))},
             {"status", Trim(req.Query("status").value_or(""))}};
      KEHOU_TRY(req.OnlyQuery({"school_id", "category", "q", "status", "page", "page_size"}));
      if (req.Query("page_size")) {  // paged only when asked: other pages read the whole catalog
        KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
        f["page"] = pg.page;
        f["page_size"] = pg.size;
      }
      return ListCourses(db, req.Me(), school, f);
    });
  });
  r.Post(api + "/courses", [&db](Request& req) {
    return With(req, false, true, [&](auto school, int64_t, const Json& b) { return CreateCourse(db, req.Me(), school, b); }, 201);
  });
  r.Get(api + "/courses/:id", [&db](Request& req) {
    return With(req, true, false, [&](auto school, int64_t id, const Json&) { return GetCourse(db, req.Me(), school, id); });
  });
  r.Put(api + "/courses/:id", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return UpdateCourse(db, req.Me(), school, id, b); });
  });
  r.Post(api + "/courses/:id/sections", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return CreateSection(db, req.Me(), school, id, b); }, 201);
  });
  r.Get(api + "/sections", [&db](Request& req) {
    auto course = req.OptIdQuery("course_id");
    if (!course.ok()) return http::ErrorResponse(course.error(), req);
    return With(req, false, false, [&](auto school, int64_t, const Json&) { return ListSections(db, req.Me(), school, *course); });
  });
  r.Put(api + "/sections/:id", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return UpdateSection(db, req.Me(), school, id, b); });
  });
  // Course proposals (课程申报): the lesson plan travels base64 in the JSON body, so these two
  // routes take a 10 MiB file (4/3 of it as base64) plus the course's fields.
  http::RouteOptions with_plan;
  with_plan.max_body = kProposalBodyLimit;
  r.Get(api + "/proposals", [&db](Request& req) {
    return With(req, false, false, [&](auto school, int64_t, const Json&) {
      Json f{{"state", Trim(req.Query("state").value_or(""))}, {"q", Trim(req.Query("q").value_or(""))}};
      return ListProposals(db, req.Me(), school, f);
    });
  });
  r.Post(api + "/proposals", [&db](Request& req) {
    return With(req, false, true, [&](auto school, int64_t, const Json& b) { return CreateProposal(db, req.Me(), school, b); }, 201);
  }, with_plan);
  r.Get(api + "/proposals/:id", [&db](Request& req) {
    return With(req, true, false, [&](auto school, int64_t id, const Json&) { return GetProposal(db, req.Me(), school, id); });
  });
  r.Get(api + "/proposals/:id/plan", [&db](Request& req) {
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto f = LessonPlanFile(db, req.Me(), *school, *id);
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    // Always an attachment with the type detected at upload; never sniffed into HTML.
    Response resp = http::Download(std::move(*f));
    resp.headers.emplace_back("X-Content-Type-Options", "nosniff");
    resp.headers.emplace_back("Cache-Control", "private, no-store");
    return resp;
  });
  r.Post(api + "/proposals/:id/submit", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return SubmitProposal(db, req.Me(), school, id, b); });
  }, with_plan);
  r.Post(api + "/proposals/:id/review", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return ReviewProposal(db, req.Me(), school, id, b); });
  });
  r.Post(api + "/proposals/:id/decide", [&db](Request& req) {
    return With(req, true, true, [&](auto school, int64_t id, const Json& b) { return DecideProposal(db, req.Me(), school, id, b); });
  });
  // ?format=xlsx | pdf: the roster as a file (audited, roster.h); none or json: the JSON list.
  r.Get(api + "/sections/:id/roster", [&db](Request& req) {
    std::string format = Trim(req.Query("format").value_or(""));
    if (format == "xlsx" || format == "pdf") {
      auto school = req.OptIdQuery("school_id");
      if (!school.ok()) return http::ErrorResponse(school.error(), req);
      auto id = req.IdParam("id");
      if (!id.ok()) return http::ErrorResponse(id.error(), req);
      auto f = format == "pdf" ? SectionRosterPdf(db, req.Me(), *school, *id)
                               : SectionRosterXlsx(db, req.Me(), *school, *id);
      if (!f.ok()) return http::ErrorResponse(f.error(), req);
      Response resp = http::Download(std::move(*f));
      resp.headers.emplace_back("Cache-Control", "private, no-store");  // children's data: no caches
      return resp;
    }
    if (!format.empty() && format != "json")
      return http::ErrorResponse(MakeError(kInvalid, "format 应为 xlsx、pdf 或 json", "format is xlsx, pdf or json", "format"), req);
    return With(req, true, false, [&](auto school, int64_t id, const Json&) { return SectionRoster(db, req.Me(), school, id); });
  });
}

}  // namespace kehou::catalog
