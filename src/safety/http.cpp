#include "safety/http.h"

#include "safety/service.h"

namespace kehou::safety {
namespace {

using http::Request;
using http::Response;

const std::initializer_list<std::string_view> kListKeys = {
    "school_id", "date", "from", "to", "status", "student_id", "term_id", "page", "page_size", "band", "list"};

Result<std::optional<Date>> DateQuery(const Request& req, const char* key) {
  auto q = req.Query(key);
  if (!q || q->empty()) return std::optional<Date>{};
  auto d = ParseDate(*q);
  if (!d) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD", key);
  return std::optional<Date>{*d};
}

Result<ListQuery> QueryOf(const Request& req) {
  ListQuery q;
  KEHOU_ASSIGN_OR_RETURN(q.day, DateQuery(req, "date"));
  KEHOU_ASSIGN_OR_RETURN(q.from, DateQuery(req, "from"));
  KEHOU_ASSIGN_OR_RETURN(q.to, DateQuery(req, "to"));
  KEHOU_ASSIGN_OR_RETURN(q.student_id, req.OptIdQuery("student_id"));
  KEHOU_ASSIGN_OR_RETURN(q.term_id, req.OptIdQuery("term_id"));
  if (auto s = req.Query("status"); s && !s->empty()) q.status = *s;
  if (req.Query("page") || req.Query("page_size")) {
    KEHOU_ASSIGN_OR_RETURN(auto page, http::PageOf(req));
    q.page = page.page;
    q.size = page.size;
  }
  return q;
}

// ?school_id and the list filters, optional :id, optional JSON body -> fn(school, id, body, query)
template <class F>
Response With(Request& req, std::initializer_list<std::string_view> query, bool with_body, F&& fn) {
  if (auto s = req.OnlyQuery(query); !s.ok()) return http::ErrorResponse(s.error(), req);
  auto school = req.OptIdQuery("school_id");
  if (!school.ok()) return http::ErrorResponse(school.error(), req);
  int64_t id = 0;
  if (req.params.count("id")) {
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
  auto q = QueryOf(req);
  if (!q.ok()) return http::ErrorResponse(q.error(), req);
  return http::Answer(fn(*school, id, body, *q), req);
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const auto lists = kListKeys;
  // ---- the three concerns and unwell reports
  r.Get("/api/v1/safety/sessions/:id/concerns", [&db](Request& req) {
    return With(req, {"school_id", "date", "band"}, false,
                [&](auto school, int64_t id, const Json&, const ListQuery& q) {
                  return SessionConcerns(db, req.Me(), school, id, q.day, req.Query("band").value_or(""), NowMs());
                });
  });
  r.Put("/api/v1/safety/sessions/:id/concerns", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return SaveConcerns(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Post("/api/v1/safety/sessions/:id/unwell", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return ReportUnwell(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/unwell", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListUnwell(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/unwell/:id/seen", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return SeeUnwell(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/summary", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return Summary(db, req.Me(), school, q.day, NowMs());
    });
  });
  // ---- handovers
  r.Get("/api/v1/safety/handovers", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListHandovers(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/handovers", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateHandover(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post("/api/v1/safety/handovers/:id/ack", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return AcknowledgeHandover(db, req.Me(), school, id, body, NowMs());
    });
  });
  // ---- health notes
  r.Get("/api/v1/safety/health-notes", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListHealthNotes(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/health-notes", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateHealthNote(db, req.Me(), school, body, NowMs());
    });
  });
  r.Put("/api/v1/safety/health-notes/:id", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return UpdateHealthNote(db, req.Me(), school, id, body, NowMs());
    });
  });
  // ---- records
  r.Get("/api/v1/safety/insurance", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListInsurance(db, req.Me(), school, q, LocalDate(NowMs()));
    });
  });
  r.Post("/api/v1/safety/insurance", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateInsurance(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/site-checks", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListSiteChecks(db, req.Me(), school, q, NowMs());
    });
  });
  r.Post("/api/v1/safety/site-checks", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return SaveSiteCheck(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/patrols", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListPatrols(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/patrols", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreatePatrol(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post("/api/v1/safety/patrols/:id/follow-up", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, const ListQuery&) {
      return FollowUpPatrol(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/incidents", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListIncidents(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/incidents", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateIncident(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/plans", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t, const Json&, const ListQuery&) { return ListPlans(db, req.Me(), school); });
  });
  r.Post("/api/v1/safety/plans", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreatePlan(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/drills", [&db](Request& req) {
    return With(req, {"school_id"}, false, [&](auto school, int64_t, const Json&, const ListQuery&) {
      return ListDrills(db, req.Me(), school, LocalDate(NowMs()));
    });
  });
  r.Post("/api/v1/safety/drills", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateDrill(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/safety/visitors", [&db, lists](Request& req) {
    return With(req, lists, false, [&](auto school, int64_t, const Json&, const ListQuery& q) {
      return ListVisitors(db, req.Me(), school, q);
    });
  });
  r.Post("/api/v1/safety/visitors", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, const ListQuery&) {
      return CreateVisitor(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post("/api/v1/safety/visitors/:id/out", [&db](Request& req) {
    return With(req, {"school_id"}, false, [&](auto school, int64_t id, const Json&, const ListQuery&) {
      return VisitorOut(db, req.Me(), school, id, NowMs());
    });
  });
  r.Get("/api/v1/safety/export", [&db, lists](Request& req) {
    if (auto s = req.OnlyQuery(lists); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto q = QueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    auto file = Export(db, req.Me(), *school, req.Query("list").value_or(""), *q, NowMs());
    if (!file.ok()) return http::ErrorResponse(file.error(), req);
    return http::Download(std::move(*file));
  });
}

}  // namespace kehou::safety
