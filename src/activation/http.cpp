#include "activation/http.h"

#include <memory>

#include "core/body.h"
#include "core/time.h"

namespace kehou::activation {
namespace {
using http::Request;
using http::Response;

// The address the guardian's phone reached us at, for the QR code of a printed letter.
std::string BaseUrl(const Request& req) {
  std::string host = req.Header("X-Forwarded-Host");
  if (host.empty()) host = req.Header("Host");
  std::string proto = req.Header("X-Forwarded-Proto");
  if (proto != "https") proto = "http";
  return host.empty() ? std::string() : proto + "://" + host;
}
}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  // The service keeps the per-mobile counters: one per router, alive as long as its routes.
  auto svc = std::make_shared<ActivationService>(db);
  const std::string api = "/api/v1/activation";
  http::RouteOptions hashing;  // argon2 on completion: the slow pool
  hashing.slow = true;
  r.Post(api + "/request", [svc](Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_ASSIGN_OR_RETURN(Json body, req.JsonBody());
      BodyReader in(body);
      auto mobile = in.Text("mobile", {.required = true, .max_len = 20, .label = "手机号"});
      KEHOU_TRY(in.Finish(UnknownFields::kRefuse));
      return svc->RequestSms(*mobile, req.remote, NowMs());
    };
    return http::Answer(run(), req);
  });
  r.Post(api + "/complete", [svc](Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_ASSIGN_OR_RETURN(Json body, req.JsonBody());
      BodyReader in(body);
      auto mobile = in.Text("mobile", {.required = true, .max_len = 20, .label = "手机号"});
      auto code = in.Text("code", {.required = true, .max_len = 20, .label = "验证码"});
      auto password = in.Text("password", {.required = true, .max_len = 128, .trim = false, .label = "密码"});
      KEHOU_TRY(in.Finish(UnknownFields::kRefuse));
      return svc->Complete(*mobile, *code, *password, req.remote, NowMs());
    };
    return http::Answer(run(), req, 201);
  }, hashing);
  r.Get(api + "/classes", [svc](Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_TRY(req.OnlyQuery({"school_id"}));
      KEHOU_ASSIGN_OR_RETURN(auto school, req.OptIdQuery("school_id"));
      return svc->Classes(req.Me(), school);
    };
    return http::Answer(run(), req);
  });
  r.Get(api + "/classes/:id", [svc](Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_TRY(req.OnlyQuery({"school_id"}));
      KEHOU_ASSIGN_OR_RETURN(auto school, req.OptIdQuery("school_id"));
      KEHOU_ASSIGN_OR_RETURN(int64_t id, req.IdParam("id"));
      return svc->ClassGuardians(req.Me(), school, id);
    };
    return http::Answer(run(), req);
  });
  r.Get(api + "/classes/:id/letters", [svc](Request& req) {
    auto run = [&]() -> Result<FileOut> {
      KEHOU_TRY(req.OnlyQuery({"school_id"}));
      KEHOU_ASSIGN_OR_RETURN(auto school, req.OptIdQuery("school_id"));
      KEHOU_ASSIGN_OR_RETURN(int64_t id, req.IdParam("id"));
      return svc->Letters(req.Me(), school, id, BaseUrl(req), NowMs());
    };
    auto file = run();
    if (!file.ok()) return http::ErrorResponse(file.error(), req);
    return http::Download(std::move(*file));
  });
  r.Post(api + "/classes/:id/remind", [svc](Request& req) {
    auto run = [&]() -> Result<Json> {
      KEHOU_ASSIGN_OR_RETURN(auto school, req.OptIdQuery("school_id"));
      KEHOU_ASSIGN_OR_RETURN(int64_t id, req.IdParam("id"));
      return svc->Remind(req.Me(), school, id, NowMs());
    };
    return http::Answer(run(), req);
  });
}

}  // namespace kehou::activation
