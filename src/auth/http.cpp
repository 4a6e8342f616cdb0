#include "auth/http.h"

#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "http/dispatch.h"

namespace kehou::auth {
using http::Json;
using http::Request;
using http::Response;

namespace {

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
    BodyReader in(*body);
    auto login = in.Text("login", {.trim = false, .label = "账号"});
    auto password = in.Text("password", {.no_control = false, .trim = false, .label = "密码"});
    if (auto s = in.Finish(); !s) return http::ErrorResponse(s.error(), req);
    auto res = auth.Login(login.value_or(""), password.value_or(""), req.remote);
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
    BodyReader in(*body);
    auto old_pw = in.Text("old_password", {.trim = false, .label = "原密码"});
    auto new_pw = in.Text("new_password", {.trim = false, .label = "新密码"});
    if (auto s = in.Finish(UnknownFields::kRefuse); !s) return http::ErrorResponse(s.error(), req);
    return http::Answer(auth.ChangePassword(req.Me(), old_pw.value_or(""), new_pw.value_or("")), req);
  }, hashing);
  r.Get("/api/v1/auth/me", [&auth](Request& req) { return http::Answer(auth.Me(req.Me()), req); });
  r.Post("/api/v1/auth/reset-with-code", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    auto text = [&](const char* k) { return body->value(k, Json()).is_string() ? (*body)[k].get<std::string>() : std::string(); };
    return http::Answer(auth.ResetWithCode(text("login"), text("code"), text("new_password"), req.remote), req);
  }, hashing);

  r.Get("/api/v1/users", [&auth](Request& req) {
    if (auto s = req.OnlyQuery({"school_id", "q", "role", "page", "page_size"}); !s) return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school) return http::ErrorResponse(school.error(), req);
    auto p = http::PageOf(req);
    if (!p) return http::ErrorResponse(p.error(), req);
    return http::Answer(auth.ListUsers(req.Me(), *school, req.Query("q").value_or(""),
                                       req.Query("role").value_or(""), p->page, p->size),
                        req);
  });
  r.Post("/api/v1/users", [&auth](Request& req) {
    auto body = req.JsonBody();
    if (!body.ok()) return http::ErrorResponse(body.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school) return http::ErrorResponse(school.error(), req);
    return http::Answer(auth.CreateUser(req.Me(), body.value(), *school), req, 201);
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
    if (auto s = req.OnlyQuery({"school_id", "action", "entity", "q", "user_id", "from", "to", "page", "page_size"}); !s)
      return http::ErrorResponse(s.error(), req);
    auto school = req.OptIdQuery("school_id");
    if (!school) return http::ErrorResponse(school.error(), req);
    Json f = Json::object();
    for (auto key : {"action", "entity", "q"})
      if (auto v = req.Query(key); v && !v->empty()) f[key] = *v;
    auto user = req.OptIdQuery("user_id");  // "1 OR 1=1" is refused, not dropped
    if (!user) return http::ErrorResponse(user.error(), req);
    if (*user) f["user_id"] = **user;
    // from/to: dates (school-local, UTC+8) or epoch ms
    auto instant = [](const std::string& s, bool end) -> std::optional<int64_t> {
      if (auto d = ParseDate(s)) return LocalInstant(end ? AddDays(*d, 1) : *d);
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
    if (!p) return http::ErrorResponse(p.error(), req);
    return http::Answer(auth.ListAudit(req.Me(), *school, f, p->page, p->size), req);
  });
}

}  // namespace kehou::auth
