#include "activation/http.h"

#include <memory>

#include "access/grants.h"
#include "core/body.h"
#include "core/time.h"
#include "http/bind.h"
#include "http/query.h"

namespace kehou::activation {
namespace {
using http::Allow;
using http::Bind;
using http::In;
using http::Request;
using http::Response;

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  // The service keeps the per-mobile counters: one per router, alive as long as its routes.
  auto svc = std::make_shared<ActivationService>(db);
  const std::string api = "/api/v1/activation";
  http::RouteOptions hashing;  // argon2 on completion: the slow pool
  hashing.slow = true;
  using namespace auth::grants;  // NOLINT: routes read as a table
  // Public asks and completes; the office and the class teacher (own class) see who has
  // activated, print letters and remind.
  r.Post(api + "/request", Allow::Public(/*csrf_exempt=*/true),
         Bind({.body = true, .school = false}, [svc](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           auto mobile = b.Text("mobile", {.required = true, .max_len = 20, .label = "手机号"});
           KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
           return svc->RequestSms(*mobile, in.req.remote, NowMs());
         }));
  r.Post(api + "/complete", Allow::Public(/*csrf_exempt=*/true),
         Bind({.body = true, .status = 201, .school = false},
              [svc](const In& in) -> Result<Json> {
                BodyReader b(in.body);
                auto mobile = b.Text("mobile", {.required = true, .max_len = 20, .label = "手机号"});
                auto code = b.Text("code", {.required = true, .max_len = 20, .label = "验证码"});
                auto password = b.Text("password", {.required = true, .max_len = 128, .trim = false, .label = "密码"});
                KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
                return svc->Complete(*mobile, *code, *password, in.req.remote, NowMs());
              }),
         hashing);
  r.Get(api + "/classes", Allow{managers, class_teacher, admin},
        Bind({.query = {"school_id"}}, [svc](const In& in) { return svc->Classes(in.me(), in.school); }));
  r.Get(api + "/classes/:id", Allow{managers, class_teacher, admin},
        Bind({.query = {"school_id"}}, [svc](const In& in) { return svc->ClassGuardians(in.me(), in.school, in.id); }));
  r.Get(api + "/classes/:id/letters", Allow{managers, class_teacher},
        Bind({.query = {"school_id"}},
             [svc](const In& in) { return svc->Letters(in.me(), in.school, in.id, http::BaseUrl(in.req), NowMs()); }));
  r.Post(api + "/classes/:id/remind", Allow{managers, class_teacher},
         Bind({}, [svc](const In& in) { return svc->Remind(in.me(), in.school, in.id, NowMs()); }));
}

}  // namespace kehou::activation
