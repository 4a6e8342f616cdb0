// Registration routes: parse -> enroll/service.h -> answer. Nothing else.
#include "enroll/http.h"

#include "core/text.h"
#include "enroll/service.h"
#include "people/xlsx.h"

namespace kehou::enroll {
namespace {

using http::Request;
using http::Response;

constexpr const char* kApi = "/api/v1";

Result<std::optional<Date>> OptionalDate(const Request& req, const char* key) {
  auto v = req.Query(key);
  if (!v || Trim(*v).empty()) return std::optional<Date>{};
  auto d = ParseDate(Trim(*v));
  if (!d) return MakeError(kInvalid, std::string(key) + " 应为日期 YYYY-MM-DD", std::string(key) + " must be YYYY-MM-DD", key);
  return std::optional<Date>{*d};
}

// The common query parameters: ?school_id (sysadmin), ?term_id.
struct Common {
  SchoolArg school;
  std::optional<int64_t> term_id;
};
Result<Common> CommonOf(const Request& req) {
  auto s = req.OptIdQuery("school_id");
  if (!s) return s.error();
  auto t = req.OptIdQuery("term_id");
  if (!t) return t.error();
  return Common{*s, *t};
}

// Runs body(common) after parsing the common query parameters.
template <class F>
Response With(const Request& req, F&& body, int ok_status = 200) {
  auto c = CommonOf(req);
  if (!c) return http::ErrorResponse(c.error(), req);
  return http::Answer(body(*c), req, ok_status);
}

// Runs body(common, id) for routes with :id.
template <class F>
Response WithId(const Request& req, const char* name, F&& body, int ok_status = 200) {
  auto id = req.IdParam(name);
  if (!id) return http::ErrorResponse(id.error(), req);
  return With(req, [&](const Common& c) { return body(c, *id); }, ok_status);
}

template <class F>
Response WithBody(const Request& req, F&& body, int ok_status = 200) {
  auto j = req.JsonBody();
  if (!j) return http::ErrorResponse(j.error(), req);
  return With(req, [&](const Common& c) { return body(c, *j); }, ok_status);
}

template <class F>
Response WithIdBody(const Request& req, const char* name, F&& body, int ok_status = 200) {
  auto id = req.IdParam(name);
  if (!id) return http::ErrorResponse(id.error(), req);
  auto j = req.JsonBody();
  if (!j) return http::ErrorResponse(j.error(), req);
  return With(req, [&](const Common& c) { return body(c, *id, *j); }, ok_status);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = kApi;

  // ---- surveys (需求征询)
  r.Get(api + "/surveys", [&db](Request& req) {
    return With(req, [&](const Common& c) { return ListSurveys(db, req.Me(), c.school, c.term_id, TodayLocal()); });
  });
  r.Post(api + "/surveys", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return CreateSurvey(db, req.Me(), c.school, b); }, 201);
  });
  r.Get(api + "/surveys/:id", [&db](Request& req) {
    return WithId(req, "id", [&](const Common& c, int64_t id) { return GetSurvey(db, req.Me(), c.school, id, TodayLocal()); });
  });
  r.Put(api + "/surveys/:id", [&db](Request& req) {
    return WithIdBody(req, "id", [&](const Common& c, int64_t id, const Json& b) {
      return UpdateSurvey(db, req.Me(), c.school, id, b);
    });
  });
  r.Get(api + "/surveys/:id/results", [&db](Request& req) {
    return WithId(req, "id", [&](const Common& c, int64_t id) { return SurveyResults(db, req.Me(), c.school, id); });
  });
  r.Get(api + "/surveys/:id/export", [&db](Request& req) {
    auto id = req.IdParam("id");
    if (!id) return http::ErrorResponse(id.error(), req);
    auto c = CommonOf(req);
    if (!c) return http::ErrorResponse(c.error(), req);
    auto f = ExportSurvey(db, req.Me(), c->school, *id, req.Query("kind").value_or("summary"));
    if (!f) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Get(api + "/surveys/:id/answers/:student_id", [&db](Request& req) {
    auto sid = req.IdParam("student_id");
    if (!sid) return http::ErrorResponse(sid.error(), req);
    return WithId(req, "id", [&](const Common& c, int64_t id) {
      return GetSurveyAnswer(db, req.Me(), c.school, id, *sid);
    });
  });
  r.Put(api + "/surveys/:id/answers/:student_id", [&db](Request& req) {
    auto sid = req.IdParam("student_id");
    if (!sid) return http::ErrorResponse(sid.error(), req);
    return WithIdBody(req, "id", [&](const Common&, int64_t id, const Json& b) {
      return PutSurveyAnswer(db, req.Me(), id, *sid, b, TodayLocal());
    });
  });

  // ---- dismissal batches (放学批次)
  r.Get(api + "/dismissal-batches", [&db](Request& req) {
    auto student = req.OptIdQuery("student_id");
    if (!student) return http::ErrorResponse(student.error(), req);
    bool all = req.Query("include_inactive").value_or("") == "1" || req.Query("include_inactive").value_or("") == "true";
    return With(req, [&](const Common& c) { return ListBatches(db, req.Me(), c.school, *student, all); });
  });
  r.Post(api + "/dismissal-batches", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return CreateBatch(db, req.Me(), c.school, b); }, 201);
  });
  r.Put(api + "/dismissal-batches/:id", [&db](Request& req) {
    return WithIdBody(req, "id", [&](const Common& c, int64_t id, const Json& b) {
      return UpdateBatch(db, req.Me(), c.school, id, b);
    });
  });

  // ---- agreements (托管协议)
  r.Get(api + "/agreements", [&db](Request& req) {
    return With(req, [&](const Common& c) { return ListAgreements(db, req.Me(), c.school, c.term_id); });
  });
  r.Post(api + "/agreements", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return CreateAgreement(db, req.Me(), c.school, b); }, 201);
  });
  r.Get(api + "/agreements/current", [&db](Request& req) {
    auto student = req.OptIdQuery("student_id");
    if (!student) return http::ErrorResponse(student.error(), req);
    return With(req, [&](const Common& c) { return CurrentAgreement(db, req.Me(), c.school, c.term_id, *student); });
  });
  r.Get(api + "/agreements/:id", [&db](Request& req) {
    return WithId(req, "id", [&](const Common& c, int64_t id) { return GetAgreement(db, req.Me(), c.school, id); });
  });

  // ---- applications (线上报名) and the review chain
  r.Get(api + "/applications", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "term_id", "class_id", "student_id", "status", "q", "page", "page_size"}); !s)
      return http::ErrorResponse(s.error(), req);
    ApplicationQuery q;
    auto cls = req.OptIdQuery("class_id");
    if (!cls) return http::ErrorResponse(cls.error(), req);
    auto student = req.OptIdQuery("student_id");
    if (!student) return http::ErrorResponse(student.error(), req);
    q.class_id = *cls;
    q.student_id = *student;
    q.status = req.Query("status").value_or("");
    q.q = req.Query("q").value_or("");
    auto p = http::PageOf(req);
    if (!p) return http::ErrorResponse(p.error(), req);
    q.page = p->page;
    q.page_size = p->size;
    return With(req, [&](const Common& c) {
      q.term_id = c.term_id;
      return ListApplications(db, req.Me(), c.school, q);
    });
  });
  r.Post(api + "/applications", [&db](Request& req) {
    return WithBody(req, [&](const Common&, const Json& b) { return CreateApplication(db, req.Me(), b, TodayLocal()); }, 201);
  });
  r.Get(api + "/applications/roster", [&db](Request& req) {
    auto cls = req.OptIdQuery("class_id");
    if (!cls) return http::ErrorResponse(cls.error(), req);
    auto date = OptionalDate(req, "date");
    if (!date) return http::ErrorResponse(date.error(), req);
    return With(req, [&](const Common& c) {
      return Roster(db, req.Me(), c.school, c.term_id, *cls, *date, TodayLocal());
    });
  });
  r.Post(api + "/applications/class-review", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return ClassReviewBatch(db, req.Me(), c.school, b); });
  });
  r.Post(api + "/applications/principal-review", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return PrincipalReview(db, req.Me(), c.school, b); });
  });
  r.Get(api + "/applications/:id", [&db](Request& req) {
    return WithId(req, "id", [&](const Common& c, int64_t id) {
      return GetApplication(db, req.Me(), c.school, id, TodayLocal());
    });
  });
  r.Put(api + "/applications/:id", [&db](Request& req) {
    return WithIdBody(req, "id", [&](const Common&, int64_t id, const Json& b) {
      return UpdateApplication(db, req.Me(), id, b, TodayLocal());
    });
  });
  r.Post(api + "/applications/:id/sign", [&db](Request& req) {
    SignContext ctx{req.Header("User-Agent"), req.remote};
    return WithIdBody(req, "id", [&](const Common&, int64_t id, const Json& b) {
      return SignApplication(db, req.Me(), id, b, ctx, TodayLocal());
    });
  });
  r.Post(api + "/applications/:id/submit", [&db](Request& req) {
    return WithId(req, "id", [&](const Common&, int64_t id) { return SubmitApplication(db, req.Me(), id, TodayLocal()); });
  });
  r.Post(api + "/applications/:id/class-review", [&db](Request& req) {
    return WithIdBody(req, "id", [&](const Common& c, int64_t id, const Json& b) {
      return ClassReview(db, req.Me(), c.school, id, b, TodayLocal());
    });
  });

  // ---- exits (准出)
  r.Get(api + "/exits", [&db](Request& req) {
    return With(req, [&](const Common& c) { return ListExits(db, req.Me(), c.school, c.term_id); });
  });
  r.Post(api + "/exits", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) { return CreateExit(db, req.Me(), c.school, b, TodayLocal()); }, 201);
  });
  r.Get(api + "/exits/:id", [&db](Request& req) {
    return WithId(req, "id", [&](const Common& c, int64_t id) { return GetExit(db, req.Me(), c.school, id); });
  });

  // ---- looked-after children (R-REG-5)
  r.Get(api + "/looked-after", [&db](Request& req) {
    auto cls = req.OptIdQuery("class_id");
    if (!cls) return http::ErrorResponse(cls.error(), req);
    return With(req, [&](const Common& c) { return ListLookedAfter(db, req.Me(), c.school, c.term_id, *cls); });
  });
  r.Post(api + "/looked-after", [&db](Request& req) {
    return WithBody(req, [&](const Common& c, const Json& b) {
      return CreateLookedAfter(db, req.Me(), c.school, b, TodayLocal());
    }, 201);
  });
  r.Put(api + "/looked-after/:id", [&db](Request& req) {
    return WithIdBody(req, "id", [&](const Common& c, int64_t id, const Json& b) {
      return UpdateLookedAfter(db, req.Me(), c.school, id, b);
    });
  });
}

}  // namespace kehou::enroll
