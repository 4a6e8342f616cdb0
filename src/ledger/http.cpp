#include "ledger/http.h"

#include "core/time.h"
#include "ledger/service.h"

namespace kehou::ledger {
namespace {

using http::Request;
using http::Response;

// ?school_id, :id (when the route has one), the JSON body (when with_body) -> fn(id, school, body)
template <class F>
Response With(Request& req, bool with_body, F&& fn, int ok_status = 200) {
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
  return http::Answer(fn(id, *school, body), req, ok_status);
}

Result<JournalQuery> QueryOf(const Request& req) {
  KEHOU_TRY(
      req.OnlyQuery({"school_id", "term_id", "source_type", "account", "month", "q", "page", "page_size", "format"}));
  JournalQuery q;
  KEHOU_ASSIGN_OR_RETURN(q.term_id, req.OptIdQuery("term_id"));
  q.source_type = req.Query("source_type").value_or("");
  q.account = req.Query("account").value_or("");
  q.month = req.Query("month").value_or("");
  q.q = req.Query("q").value_or("");
  if (q.q.size() > 60 || q.source_type.size() > 20 || q.account.size() > 10 || q.month.size() > 7)
    return Error::Invalid("查询参数过长", "a query parameter is too long", "q");
  KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(req));
  q.page = p.page;
  q.page_size = p.size;
  return q;
}

// ?school_id&term_id only.
Result<std::optional<int64_t>> TermQuery(const Request& req) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "term_id"}));
  return req.OptIdQuery("term_id");
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/ledger";
  r.Get(api + "/accounts", [&db](Request& req) {
    auto term = TermQuery(req);
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    return With(req, false,
                [&](int64_t, auto school, const Json&) { return ListAccounts(db, req.Me(), school, *term); });
  });
  // ?term_id&source_type&account&month&q&page&page_size; ?format=xlsx downloads every line of the filter.
  r.Get(api + "/entries", [&db](Request& req) {
    auto q = QueryOf(req);
    if (!q.ok()) return http::ErrorResponse(q.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    if (req.Query("format").value_or("") == "xlsx") {
      auto f = ExportJournal(db, req.Me(), *school, *q);
      if (!f.ok()) return http::ErrorResponse(f.error(), req);
      return http::Download(std::move(*f));
    }
    return http::Answer(ListJournal(db, req.Me(), *school, *q), req);
  });
  r.Post(api + "/entries/:id/reverse", [&db](Request& req) {
    return With(
        req, true,
        [&](int64_t id, auto school, const Json& b) { return ReverseEntry(db, req.Me(), school, id, b, TodayLocal()); },
        201);
  });
  r.Post(api + "/documents", [&db](Request& req) {
    return With(
        req, true,
        [&](int64_t, auto school, const Json& b) { return CreateDocument(db, req.Me(), school, b, TodayLocal()); },
        201);
  });
  r.Get(api + "/budget", [&db](Request& req) {
    auto term = TermQuery(req);
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    return With(req, false, [&](int64_t, auto school, const Json&) { return GetBudget(db, req.Me(), school, *term); });
  });
  r.Put(api + "/budget", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) { return PutBudget(db, req.Me(), school, b); });
  });
  r.Post(api + "/final-accounts", [&db](Request& req) {
    return With(req, true, [&](int64_t, auto school, const Json& b) {
      return PrepareFinalAccounts(db, req.Me(), school, b, TodayLocal());
    });
  });
  r.Post(api + "/final-accounts/approve", [&db](Request& req) {
    return With(req, true,
                [&](int64_t, auto school, const Json& b) { return ApproveFinalAccounts(db, req.Me(), school, b); });
  });
  r.Get(api + "/disclosures", [&db](Request& req) {
    auto term = TermQuery(req);
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    return With(req, false,
                [&](int64_t, auto school, const Json&) { return ListDisclosures(db, req.Me(), school, *term); });
  });
  r.Get(api + "/disclosure-preview", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "term_id", "month"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto term = req.OptIdQuery("term_id");
    if (!term.ok()) return http::ErrorResponse(term.error(), req);
    std::string month = req.Query("month").value_or(FormatMonth(MonthOf(TodayLocal())));
    return With(req, false, [&](int64_t, auto school, const Json&) {
      return PreviewDisclosure(db, req.Me(), school, month, *term, TodayLocal());
    });
  });
  r.Post(api + "/disclosures", [&db](Request& req) {
    return With(
        req, true,
        [&](int64_t, auto school, const Json& b) { return PublishDisclosure(db, req.Me(), school, b, TodayLocal()); },
        201);
  });
  // ?format=pdf: the printable disclosure.
  r.Get(api + "/disclosures/:id", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "format"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    if (req.Query("format").value_or("") == "pdf") {
      auto school = req.OptIdQuery("school_id");
      auto id = req.IdParam("id");
      if (!school.ok()) return http::ErrorResponse(school.error(), req);
      if (!id.ok()) return http::ErrorResponse(id.error(), req);
      auto f = DisclosurePdf(db, req.Me(), *school, *id);
      if (!f.ok()) return http::ErrorResponse(f.error(), req);
      return http::Download(std::move(*f));
    }
    return With(req, false,
                [&](int64_t id, auto school, const Json&) { return GetDisclosure(db, req.Me(), school, id); });
  });
  r.Get(api + "/my-disclosures", [&db](Request& req) { return http::Answer(MyDisclosures(db, req.Me()), req); });
}

}  // namespace kehou::ledger
