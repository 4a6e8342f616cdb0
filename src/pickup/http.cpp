#include "pickup/http.h"

#include "pickup/service.h"

namespace kehou::pickup {
namespace {

using http::Request;
using http::Response;

constexpr size_t kUploadBodyLimit = 4 << 20;  // a photo and a signed form

Result<std::optional<Date>> DateQuery(const Request& req) {
  auto q = req.Query("date");
  if (!q || q->empty()) return std::optional<Date>{};
  auto d = ParseDate(*q);
  if (!d) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date must be YYYY-MM-DD", "date");
  return std::optional<Date>{*d};
}

// ?school_id (+ the allowed query), optional :id, optional JSON body -> fn(school, id, body, date)
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
  auto day = DateQuery(req);
  if (!day.ok()) return http::ErrorResponse(day.error(), req);
  return http::Answer(fn(*school, id, body, *day), req);
}

std::string BaseUrl(const Request& req) {
  std::string host = req.Header("X-Forwarded-Host");
  if (host.empty()) host = req.Header("Host");
  std::string proto = req.Header("X-Forwarded-Proto");
  if (proto != "https") proto = "http";
  return host.empty() ? std::string() : proto + "://" + host;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  const std::string api = "/api/v1/pickup";
  http::RouteOptions upload;
  upload.max_body = kUploadBodyLimit;
  r.Get(api + "/children/:id/adults", [&db](Request& req) {
    return With(req, {"school_id"}, false, [&](auto school, int64_t id, const Json&, auto) {
      return ChildAdults(db, req.Me(), school, id, NowMs());
    });
  });
  r.Post(
      api + "/proxies",
      [&db](Request& req) {
        return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
          return CreateProxy(db, req.Me(), school, body, NowMs());
        });
      },
      upload);
  r.Get(api + "/proxies", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "q", "page", "page_size"}); !s.ok())
      return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return http::Answer(
        ListProxies(db, req.Me(), *school, req.Query("q").value_or(""), page->page, page->size, NowMs()), req);
  });
  r.Post(api + "/proxies/:id/revoke", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t id, const Json& body, auto) {
      return RevokeProxy(db, req.Me(), school, id, body, NowMs());
    });
  });
  r.Get(api + "/proxies/:id/form", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    auto id = req.IdParam("id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto f = ProxyForm(db, req.Me(), *school, *id);
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Post(api + "/restrictions", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return CreateRestriction(db, req.Me(), school, body, NowMs());
    });
  });
  r.Put(
      api + "/self-leave",
      [&db](Request& req) {
        return With(req, {}, true,
                    [&](auto, int64_t, const Json& body, auto) { return PutSelfLeave(db, req.Me(), body, NowMs()); });
      },
      upload);
  r.Put(api + "/batch-choice", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return ChooseBatch(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post(api + "/cards", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return IssueCard(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post(api + "/cards/:id/revoke", [&db](Request& req) {
    return With(req, {"school_id"}, false, [&](auto school, int64_t id, const Json&, auto) {
      return RevokeCard(db, req.Me(), school, id, NowMs());
    });
  });
  r.Get(api + "/cards/print", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "class_id"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto cls = req.OptIdQuery("class_id");
    if (!cls.ok()) return http::ErrorResponse(cls.error(), req);
    if (!*cls) return http::ErrorResponse(Error::Invalid("请选择班级", "class_id is required", "class_id"), req);
    auto f = PrintCards(db, req.Me(), *school, **cls, BaseUrl(req), NowMs());
    if (!f.ok()) return http::ErrorResponse(f.error(), req);
    return http::Download(std::move(*f));
  });
  r.Post(api + "/gate/lookup", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return GateLookup(db, req.Me(), school, body, NowMs());
    });
  });
  r.Post(api + "/handovers", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return Handover(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get(api + "/gate", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false, [&](auto school, int64_t, const Json&, auto day) {
      return GateList(db, req.Me(), school, day, NowMs());
    });
  });
  r.Post(api + "/arrivals", [&db](Request& req) {
    return With(req, {}, true,
                [&](auto, int64_t, const Json& body, auto) { return Arrive(db, req.Me(), body, NowMs()); });
  });
  // A proxy has no account: their card's token is the credential (100 random bits).
  r.Post(api + "/arrivals/card", [&db](Request& req) {
    return With(req, {}, true,
                [&](auto, int64_t, const Json& body, auto) { return ArriveByCard(db, body, req.remote, NowMs()); });
  });
  r.Get(api + "/card", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"token", "school_id"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    return http::Answer(CardInfo(db, req.Query("token").value_or(""), NowMs()), req);
  });
  r.Get(api + "/queue", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t, const Json&, auto) { return Queue(db, req.Me(), school, NowMs()); });
  });
  r.Get(api + "/day", [&db](Request& req) {
    return With(req, {"school_id", "date"}, false, [&](auto school, int64_t, const Json&, auto day) {
      return DayBoard(db, req.Me(), school, day, NowMs());
    });
  });
  r.Post(api + "/day/close", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return CloseDay(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get(api + "/settings", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t, const Json&, auto) { return GetSettings(db, req.Me(), school); });
  });
  r.Put(api + "/settings", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body, auto) {
      return PutSettings(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get(api + "/my-children", [&db](Request& req) {
    return With(req, {}, false, [&](auto, int64_t, const Json&, auto) { return MyChildren(db, req.Me(), NowMs()); });
  });
}

}  // namespace kehou::pickup
