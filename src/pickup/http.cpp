#include "pickup/http.h"

#include "access/grants.h"
#include "http/bind.h"
#include "http/query.h"
#include "pickup/service.h"

namespace kehou::pickup {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

constexpr size_t kUploadBodyLimit = 4 << 20;  // a photo and a signed form

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1/pickup";
  http::RouteOptions upload;
  upload.max_body = kUploadBodyLimit;
  const http::Spec school_only{.query = {"school_id"}};
  const http::Spec school_body{.body = true, .query = {"school_id"}};
  const http::Spec body_only{.body = true, .query = http::kNoQuery};
  const http::Spec dated{.query = {"school_id", "date"}, .date = true};
  // --- dismissal and pickup (src/pickup) — issue 13 §3: guardians manage their own children's
  // proxies and cards; the gate (guard, teachers, office) scans and hands over; the office closes the day.
  r.Get(api + "/children/:id/adults", http::Allow{managers, guardian, admin},
        Bind(school_only, [&db](const In& in) { return ChildAdults(db, in.me(), in.school, in.id, NowMs()); }));
  r.Post(api + "/proxies", http::Allow{managers, guardian},
         Bind(school_body, [&db](const In& in) { return CreateProxy(db, in.me(), in.school, in.body, NowMs()); }),
         upload);
  r.Get(api + "/proxies", http::Allow{managers, admin},
        Bind({.query = {"school_id", "q", "page", "page_size"}}, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page page, http::PageOf(in.req));
          return ListProxies(db, in.me(), in.school, in.req.Query("q").value_or(""), page.page, page.size, NowMs());
        }));
  r.Post(api + "/proxies/:id/revoke", http::Allow{managers, guardian}, Bind(school_body, [&db](const In& in) {
           return RevokeProxy(db, in.me(), in.school, in.id, in.body, NowMs());
         }));
  r.Get(api + "/proxies/:id/form", http::Allow{managers, guardian, admin},
        Bind(school_only, [&db](const In& in) { return ProxyForm(db, in.me(), in.school, in.id); }));
  r.Post(api + "/restrictions", http::Allow{managers}, Bind(school_body, [&db](const In& in) {
           return CreateRestriction(db, in.me(), in.school, in.body, NowMs());
         }));
  r.Put(api + "/self-leave", http::Allow{guardian},
        Bind(body_only, [&db](const In& in) { return PutSelfLeave(db, in.me(), in.body, NowMs()); }), upload);
  r.Put(api + "/batch-choice", http::Allow{managers, guardian},
        Bind(school_body, [&db](const In& in) { return ChooseBatch(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/cards", http::Allow{managers, guardian},
         Bind(school_body, [&db](const In& in) { return IssueCard(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/cards/:id/revoke", http::Allow{managers, guardian},
         Bind(school_only, [&db](const In& in) { return RevokeCard(db, in.me(), in.school, in.id, NowMs()); }));
  r.Get(api + "/cards/print", http::Allow{managers, admin},
        Bind({.query = {"school_id", "class_id"}, .opt_ids = {"class_id"}}, [&db](const In& in) -> Result<FileOut> {
          auto cls = in.QueryId("class_id");
          if (!cls) return Error::Invalid("请选择班级", "class_id is required", "class_id");
          return PrintCards(db, in.me(), in.school, *cls, http::BaseUrl(in.req), NowMs());
        }));
  r.Post(api + "/gate/lookup", http::Allow{managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}},
         Bind(school_body, [&db](const In& in) { return GateLookup(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post(api + "/handovers", http::Allow{managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}},
         Bind(school_body, [&db](const In& in) { return Handover(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/gate", http::Allow{managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}, admin},
        Bind(dated, [&db](const In& in) { return GateList(db, in.me(), in.school, in.date, NowMs()); }));
  r.Post(api + "/arrivals", http::Allow{guardian},
         Bind(body_only, [&db](const In& in) { return Arrive(db, in.me(), in.body, NowMs()); }));
  // A proxy has no account: their card's token is the credential (100 random bits).
  // a proxy's card token is the credential
  r.Post(api + "/arrivals/card", http::Allow::Public(/*csrf_exempt=*/true),
         Bind(body_only, [&db](const In& in) { return ArriveByCard(db, in.body, in.req.remote, NowMs()); }));
  // the card's phone page
  r.Get(api + "/card", http::Allow::Public(),
        Bind({.query = {"token", "school_id"}, .school = false},
             [&db](const In& in) { return CardInfo(db, in.req.Query("token").value_or(""), NowMs()); }));
  r.Get(api + "/queue", http::Allow{managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}, admin},
        Bind(school_only, [&db](const In& in) { return Queue(db, in.me(), in.school, NowMs()); }));
  r.Get(api + "/day", http::Allow{managers, admin},
        Bind(dated, [&db](const In& in) { return DayBoard(db, in.me(), in.school, in.date, NowMs()); }));
  r.Post(api + "/day/close", http::Allow{managers},
         Bind(school_body, [&db](const In& in) { return CloseDay(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/settings", http::Allow{managers, admin},
        Bind(school_only, [&db](const In& in) { return GetSettings(db, in.me(), in.school); }));
  r.Put(api + "/settings", http::Allow{managers},
        Bind(school_body, [&db](const In& in) { return PutSettings(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/my-children", http::Allow{guardian},
        Bind({.query = http::kNoQuery}, [&db](const In& in) { return MyChildren(db, in.me(), NowMs()); }));
}

}  // namespace kehou::pickup
