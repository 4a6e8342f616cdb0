#include "pickup/http.h"

#include "http/bind.h"
#include "pickup/service.h"

namespace kehou::pickup {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

constexpr size_t kUploadBodyLimit = 4 << 20;  // a photo and a signed form

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
  const http::Spec school_only{.query = {"school_id"}};
  const http::Spec school_body{.body = true, .query = {"school_id"}};
  const http::Spec body_only{.body = true, .query = http::kNoQuery};
  const http::Spec dated{.query = {"school_id", "date"}, .date = true};
  r.Get(api + "/children/:id/adults",
        Bind(school_only, [&db](const In& in) { return ChildAdults(db, in.me(), in.school, in.id, NowMs()); }));
  r.Post(api + "/proxies",
         Bind(school_body, [&db](const In& in) { return CreateProxy(db, in.me(), in.school, in.body, NowMs()); }),
         upload);
  r.Get(api + "/proxies", Bind({.query = {"school_id", "q", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListProxies(db, in.me(), in.school, in.req.Query("q").value_or(""), page.page, page.size, NowMs());
        }));
  r.Post(api + "/proxies/:id/revoke", Bind(school_body, [&db](const In& in) {
           return RevokeProxy(db, in.me(), in.school, in.id, in.body, NowMs());
         }));
  r.Get(api + "/proxies/:id/form",
        Bind(school_only, [&db](const In& in) { return ProxyForm(db, in.me(), in.school, in.id); }));
  r.Post(api + "/restrictions", Bind(school_body, [&db](const In& in) {
           return CreateRestriction(db, in.me(), in.school, in.body, NowMs());
         }));
  r.Put(api + "/self-leave",
        Bind(body_only, [&db](const In& in) { return PutSelfLeave(db, in.me(), in.body, NowMs()); }), upload);
  r.Put(api + "/batch-choice",
        Bind(school_body, [&db](const In& in) { return ChooseBatch(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/cards",
         Bind(school_body, [&db](const In& in) { return IssueCard(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/cards/:id/revoke",
         Bind(school_only, [&db](const In& in) { return RevokeCard(db, in.me(), in.school, in.id, NowMs()); }));
  r.Get(api + "/cards/print",
        Bind({.query = {"school_id", "class_id"}, .opt_ids = {"class_id"}}, [&db](const In& in) -> Result<FileOut> {
          auto cls = in.QueryId("class_id");
          if (!cls) return Error::Invalid("请选择班级", "class_id is required", "class_id");
          return PrintCards(db, in.me(), in.school, *cls, BaseUrl(in.req), NowMs());
        }));
  r.Post(api + "/gate/lookup",
         Bind(school_body, [&db](const In& in) { return GateLookup(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/handovers",
         Bind(school_body, [&db](const In& in) { return Handover(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/gate", Bind(dated, [&db](const In& in) { return GateList(db, in.me(), in.school, in.date, NowMs()); }));
  r.Post(api + "/arrivals", Bind(body_only, [&db](const In& in) { return Arrive(db, in.me(), in.body, NowMs()); }));
  // A proxy has no account: their card's token is the credential (100 random bits).
  r.Post(api + "/arrivals/card",
         Bind(body_only, [&db](const In& in) { return ArriveByCard(db, in.body, in.req.remote, NowMs()); }));
  r.Get(api + "/card", Bind({.query = {"token", "school_id"}, .school = false},
                            [&db](const In& in) { return CardInfo(db, in.req.Query("token").value_or(""), NowMs()); }));
  r.Get(api + "/queue", Bind(school_only, [&db](const In& in) { return Queue(db, in.me(), in.school, NowMs()); }));
  r.Get(api + "/day", Bind(dated, [&db](const In& in) { return DayBoard(db, in.me(), in.school, in.date, NowMs()); }));
  r.Post(api + "/day/close",
         Bind(school_body, [&db](const In& in) { return CloseDay(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/settings", Bind(school_only, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put(api + "/settings",
        Bind(school_body, [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/my-children",
        Bind({.query = http::kNoQuery}, [&db](const In& in) { return MyChildren(db, in.me(), NowMs()); }));
}

}  // namespace kehou::pickup
