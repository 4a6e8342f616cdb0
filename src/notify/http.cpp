#include "notify/http.h"

#include "core/time.h"
#include "notify/inbox.h"
#include "notify/outbox.h"
#include "people/xlsx.h"

namespace kehou::notify {
namespace {

using http::Request;
using http::Response;

// ?school_id (and nothing else but `extra`), optional :id, optional JSON body.
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
  return http::Answer(fn(*school, id, body), req);
}

const std::vector<std::string> kExportHeaders{"编号", "创建时间", "通道",     "收件人类别", "收件人",  "标题",
                                              "内容", "状态",     "尝试次数", "最后错误",   "发送时间"};

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  r.Get("/api/v1/notify/outbox/export", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "status"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school.ok()) return http::ErrorResponse(school.error(), req);
    auto rows = OutboxTable(db, req.Me(), *school, req.Query("status"));
    if (!rows.ok()) return http::ErrorResponse(rows.error(), req);
    auto xlsx = people::BuildXlsx("通知发送", kExportHeaders, *rows);
    if (!xlsx.ok()) return http::ErrorResponse(xlsx.error(), req);
    return http::Download(std::move(*xlsx), std::string(people::kXlsxContentType), "通知发送.xlsx");
  });
  r.Post("/api/v1/notify/outbox/:id/retry", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t id, const Json&) { return Retry(db, req.Me(), school, id, NowMs()); });
  });
  r.Get("/api/v1/notify/settings", [&db](Request& req) {
    return With(req, {"school_id"}, false,
                [&](auto school, int64_t, const Json&) { return GetSettings(db, req.Me(), school); });
  });
  r.Put("/api/v1/notify/settings", [&db](Request& req) {
    return With(req, {"school_id"}, true, [&](auto school, int64_t, const Json& body) {
      return PutSettings(db, req.Me(), school, body, NowMs());
    });
  });
  r.Get("/api/v1/notify/inbox", [&db](Request& req) {
    if (auto s = req.OnlyQuery({"page", "page_size"}); !s.ok()) return http::ErrorResponse(s.error(), req);
    auto page = http::PageOf(req);
    if (!page.ok()) return http::ErrorResponse(page.error(), req);
    return http::Answer(ListInbox(db, req.Me(), page->page, page->size), req);
  });
  r.Post("/api/v1/notify/inbox/:id/read", [&db](Request& req) {
    return With(req, {}, false, [&](auto, int64_t id, const Json&) { return MarkRead(db, req.Me(), id, NowMs()); });
  });
  r.Get("/api/v1/notify/preference", [&db](Request& req) {
    return With(req, {}, false, [&](auto, int64_t, const Json&) { return GetPreference(db, req.Me()); });
  });
  r.Put("/api/v1/notify/preference", [&db](Request& req) {
    return With(req, {}, true,
                [&](auto, int64_t, const Json& body) { return SetPreference(db, req.Me(), body, NowMs()); });
  });
}

}  // namespace kehou::notify
