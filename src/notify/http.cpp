#include "notify/http.h"

#include "access/grants.h"
#include "core/time.h"
#include "http/bind.h"
#include "notify/inbox.h"
#include "notify/outbox.h"
#include "people/xlsx.h"

namespace kehou::notify {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

const std::vector<std::string> kExportHeaders{"编号", "创建时间", "通道",     "收件人类别", "收件人",  "标题",
                                              "内容", "状态",     "尝试次数", "最后错误",   "发送时间"};

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  r.Get("/api/v1/notify/outbox/export", http::Allow{managers, admin},
        Bind({.query = {"school_id", "status"}}, [&db](const In& in) -> Result<FileOut> {
          KEHOU_ASSIGN_OR_RETURN(auto rows, OutboxTable(db, in.me(), in.school, in.req.Query("status")));
          KEHOU_ASSIGN_OR_RETURN(std::string xlsx, people::BuildXlsx("通知发送", kExportHeaders, rows));
          return FileOut{std::move(xlsx), std::string(people::kXlsxContentType), "通知发送.xlsx"};
        }));
  r.Post("/api/v1/notify/outbox/:id/retry", http::Allow{managers, admin},
         Bind({.query = {"school_id"}}, [&db](const In& in) { return Retry(db, in.me(), in.school, in.id, NowMs()); }));
  r.Get("/api/v1/notify/settings", http::Allow{managers, admin},
        Bind({.query = {"school_id"}}, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put("/api/v1/notify/settings", http::Allow{managers, admin},
        Bind({.body = true, .query = {"school_id"}},
             [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body, NowMs()); }));
  // the caller's own in-app messages (guardian or staff)
  r.Get("/api/v1/notify/inbox", http::Allow{self},
        Bind({.query = {"page", "page_size"}, .school = false}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListInbox(db, in.me(), page.page, page.size);
        }));
  r.Post("/api/v1/notify/inbox/:id/read", http::Allow{self},
         Bind({.query = http::kNoQuery}, [&db](const In& in) { return MarkRead(db, in.me(), in.id, NowMs()); }));
  r.Get("/api/v1/notify/preference", http::Allow{{Bit(Role::kGuardian), Scope::kSelf}},
        Bind({.query = http::kNoQuery}, [&db](const In& in) { return GetPreference(db, in.me()); }));
  r.Put("/api/v1/notify/preference", http::Allow{{Bit(Role::kGuardian), Scope::kSelf}},
        Bind({.body = true, .query = http::kNoQuery},
             [&db](const In& in) { return SetPreference(db, in.me(), in.body, NowMs()); }));
}

}  // namespace kehou::notify
