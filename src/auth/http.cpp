#include "auth/http.h"

#include "core/text.h"
#include "core/time.h"
#include "http/dispatch.h"

namespace kehou::auth {
using http::Json;
using http::Request;
using http::Response;

namespace {

std::optional<int64_t> SchoolParam(const Request& req) {
  if (auto v = req.Query("school_id")) return ParseInt(*v);
  return std::nullopt;
}

// Secure when the page came over TLS (a proxy in front says so with X-Forwarded-Proto).
std::string SessionCookie(const Request& req, const std::string& token, int64_t max_age_s) {
  bool tls = req.Header("X-Forwarded-Proto") == "https";
  return std::string(http::kSessionCookie) + "=" + token + "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
         std::to_string(max_age_s) + (tls ? "; Secure" : "");
}

}  // namespace

void RegisterRoutes(http::Router& r, AuthService& auth) {
  http::RouteOptions hashing;  // argon2 runs in these: the server's slow pool
  hashing.slow = true;
  r.Post("/api/v1/auth/login", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    auto& b = body.value();
    if (!b.value("login", Json()).is_string() || !b.value("password", Json()).is_string())
      return http::ErrorResponse(MakeError(kInvalid, "请输入账号和密码", "login and password are required", "login"), req);
    auto res = auth.Login(b["login"].get<std::string>(), b["password"].get<std::string>(), req.remote);
    if (!res.ok()) return http::ErrorResponse(res.error(), req);
    auto me = auth.Me(res->user);
    Json user = me.ok() ? me.value() : Json::object();
    Response out = http::JsonResponse({{"token", res->token}, {"csrf_token", res->user.csrf_token}, {"user", user},
                                       {"expires_at", res->expires_at_ms}});
    out.headers.emplace_back("Set-Cookie", SessionCookie(req, res->token, (res->expires_at_ms - NowMs()) / 1000));
    out.headers.emplace_back("Cache-Control", "no-store");
    return out;
  }, hashing);
  r.Post("/api/v1/auth/logout", [&auth](Request& req) {
    auto s = auth.Logout(req.Me());
    Response out = http::Answer(s, req);
    out.headers.emplace_back("Set-Cookie", SessionCookie(req, "", 0));
    return out;
  });
  r.Post("/api/v1/auth/logout-all", [&auth](Request& req) {
    Response out = http::Answer(auth.LogoutEverywhere(req.Me()), req);
    out.headers.emplace_back("Set-Cookie", SessionCookie(req, "", 0));
    return out;
  });
  r.Post("/api/v1/auth/password", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    return http::Answer(auth.ChangePassword(req.Me(), body->value("old_password", ""), body->value("new_password", "")), req);
  }, hashing);
  r.Get("/api/v1/auth/me", [&auth](Request& req) { return http::Answer(auth.Me(req.Me()), req); });
  r.Post("/api/v1/auth/reset-with-code", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    auto text = [&](const char* k) { return body->value(k, Json()).is_string() ? (*body)[k].get<std::string>() : std::string(); };
    return http::Answer(auth.ResetWithCode(text("login"), text("code"), text("new_password"), req.remote), req);
  }, hashing);

  r.Get("/api/v1/users", [&auth](Request& req) {
    auto p = http::PageOf(req);
    return http::Answer(auth.ListUsers(req.Me(), SchoolParam(req), req.Query("q").value_or(""),
                                       req.Query("role").value_or(""), p.page, p.size),
                        req);
  });
  r.Post("/api/v1/users", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    return http::Answer(auth.CreateUser(req.Me(), body.value(), SchoolParam(req)), req, 201);
  });
  r.Put("/api/v1/users/:id", [&auth](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    return http::Answer(auth.UpdateUser(req.Me(), id.value(), body.value()), req);
  });
  r.Post("/api/v1/users/:id/reset-password", [&auth](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    return http::Answer(auth.ResetPassword(req.Me(), id.value()), req);
  });
  r.Post("/api/v1/users/:id/reset-code", [&auth](Request& req) {
    auto id = req.IdParam("id");
    if (!id.ok()) return http::ErrorResponse(id.error(), req);
    return http::Answer(auth.IssueResetCode(req.Me(), id.value()), req);
  });
  r.Get("/api/v1/audit", [&auth](Request& req) {
    Json f = Json::object();
    for (auto key : {"action", "entity", "q"})
      if (auto v = req.Query(key); v && !v->empty()) f[key] = *v;
    if (auto v = req.Query("user_id"); v && ParseInt(*v)) f["user_id"] = *ParseInt(*v);
    // from/to: dates (school-local, UTC+8) or epoch ms
    auto instant = [](const std::string& s, bool end) -> std::optional<int64_t> {
      if (auto d = ParseDate(s)) return (DaysFromCivil(*d) + (end ? 1 : 0)) * 86400000LL - 8LL * 3600 * 1000;
      return ParseInt(s);
    };
    if (auto v = req.Query("from"); v && !v->empty()) {
      auto t = instant(*v, false);
      if (!t) return http::ErrorResponse(MakeError(kInvalid, "起始日期格式应为 YYYY-MM-DD", "from must be YYYY-MM-DD", "from"), req);
      f["from"] = *t;
    }
    if (auto v = req.Query("to"); v && !v->empty()) {
      auto t = instant(*v, true);
      if (!t) return http::ErrorResponse(MakeError(kInvalid, "结束日期格式应为 YYYY-MM-DD", "to must be YYYY-MM-DD", "to"), req);
      f["to"] = *t;
    }
    auto p = http::PageOf(req);
    return http::Answer(auth.ListAudit(req.Me(), SchoolParam(req), f, p.page, p.size), req);
  });
}

}  // namespace kehou::auth
