#include "auth/http.h"

#include "access/grants.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "http/bind.h"
#include "http/dispatch.h"

namespace kehou::auth {
using http::Bind;
using http::In;
using http::Json;
using http::Request;
using http::Response;

namespace {

// Secure when the page came over TLS (a proxy in front says so with X-Forwarded-Proto).
std::string SessionCookie(const Request& req, const std::string& token, int64_t max_age_s) {
  bool tls = req.Header("X-Forwarded-Proto") == "https";
  return std::string(http::kSessionCookie) + "=" + token +
         "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(max_age_s) + (tls ? "; Secure" : "");
}

// The known-device cookie (auth/service.h kKnownDeviceMs): sent back only to the sign-in routes.
std::string DeviceCookie(const Request& req, const std::string& token) {
  bool tls = req.Header("X-Forwarded-Proto") == "https";
  return std::string(kDeviceCookie) + "=" + token +
         "; Path=/api/v1/auth; HttpOnly; SameSite=Strict; Max-Age=" + std::to_string(kKnownDeviceMs / 1000) +
         (tls ? "; Secure" : "");
}

}  // namespace

void RegisterRoutes(http::Router& r, AuthService& auth) {
  using namespace grants;      // NOLINT: the routes' grants read as a table
  http::RouteOptions hashing;  // argon2 runs in these: the server's slow pool
  hashing.slow = true;
  const http::Spec account{.school = false};  // the signed-in user's own account
  const http::Spec account_body{.body = true, .school = false};
  r.Post("/api/v1/auth/login", http::Allow::Public(/*csrf_exempt=*/true),
         Bind(account_body,
              [&auth](const In& in) -> Result<Response> {
                BodyReader b(in.body);
                auto login = b.Text("login", {.trim = false, .label = "账号"});
                auto password = b.Text("password", {.no_control = false, .trim = false, .label = "密码"});
                KEHOU_TRY(b.Finish());
                KEHOU_ASSIGN_OR_RETURN(auto res, auth.Login(login.value_or(""), password.value_or(""), in.req.remote,
                                                            in.req.Cookie(kDeviceCookie)));
                auto me = auth.Me(res.user);
                Json user = me.ok() ? me.value() : Json::object();
                Response out = http::JsonResponse({{"token", res.token},
                                                   {"csrf_token", res.user.csrf_token},
                                                   {"user", user},
                                                   {"expires_at", res.expires_at_ms}});
                out.headers.emplace_back("Set-Cookie",
                                         SessionCookie(in.req, res.token, (res.expires_at_ms - NowMs()) / 1000));
                out.headers.emplace_back("Set-Cookie", DeviceCookie(in.req, res.device_token));
                out.headers.emplace_back("Cache-Control", "no-store");
                return out;
              }),
         hashing);
  r.Post("/api/v1/auth/logout", http::Allow{self}, Bind(account, [&auth](const In& in) {
           Response out = http::Answer(auth.Logout(in.me()), in.req);
           out.headers.emplace_back("Set-Cookie", SessionCookie(in.req, "", 0));
           return out;
         }));
  r.Post("/api/v1/auth/logout-all", http::Allow{self}, Bind(account, [&auth](const In& in) {
           Response out = http::Answer(auth.LogoutEverywhere(in.me()), in.req);
           out.headers.emplace_back("Set-Cookie", SessionCookie(in.req, "", 0));
           return out;
         }));
  r.Post("/api/v1/auth/password", http::Allow{self},
         Bind(account_body,
              [&auth](const In& in) -> Status {
                BodyReader b(in.body);
                auto old_pw = b.Text("old_password", {.trim = false, .label = "原密码"});
                auto new_pw = b.Text("new_password", {.trim = false, .label = "新密码"});
                KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
                return auth.ChangePassword(in.me(), old_pw.value_or(""), new_pw.value_or(""));
              }),
         hashing);
  r.Get("/api/v1/auth/me", http::Allow{self}, Bind(account, [&auth](const In& in) { return auth.Me(in.me()); }));
  // a guardian's one-time code
  r.Post("/api/v1/auth/reset-with-code", http::Allow::Public(/*csrf_exempt=*/true),
         Bind(account_body,
              [&auth](const In& in) {
                auto text = [&](const char* k) {
                  return in.body.value(k, Json()).is_string() ? in.body[k].get<std::string>() : std::string();
                };
                return auth.ResetWithCode(text("login"), text("code"), text("new_password"), in.req.remote);
              }),
         hashing);

  // --- accounts and audit (src/auth)
  // Accounts: rank rules in auth::MayManageAccount; officers manage their area's principals
  // and the guardians of families in several schools (issue 10).
  r.Get("/api/v1/users", http::Allow{{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin},
        Bind({.query = {"school_id", "q", "role", "page", "page_size"}}, [&auth](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(in.req));
          return auth.ListUsers(in.me(), in.school, in.req.Query("q").value_or(""), in.req.Query("role").value_or(""),
                                p.page, p.size);
        }));
  r.Post("/api/v1/users", http::Allow{{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin},
         Bind({.body = true, .status = 201},
              [&auth](const In& in) { return auth.CreateUser(in.me(), in.body, in.school); }));
  r.Put("/api/v1/users/:id", http::Allow{{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin},
        Bind(account_body, [&auth](const In& in) { return auth.UpdateUser(in.me(), in.id, in.body); }));
  r.Post("/api/v1/users/:id/reset-password",
         http::Allow{{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin},
         Bind(account, [&auth](const In& in) { return auth.ResetPassword(in.me(), in.id); }));
  // printed for a guardian
  r.Post("/api/v1/users/:id/reset-code", http::Allow{managers, officers, admin},
         Bind(account, [&auth](const In& in) { return auth.IssueResetCode(in.me(), in.id); }));
  r.Get("/api/v1/audit", http::Allow{{kLeaders, Scope::kSchool}, admin},
        Bind({.query = {"school_id", "action", "entity", "q", "user_id", "from", "to", "page", "page_size"},
              .opt_ids = {"user_id"}},  // "1 OR 1=1" is refused, not dropped
             [&auth](const In& in) -> Result<Json> {
               Json f = Json::object();
               for (auto key : {"action", "entity", "q"})
                 if (auto v = in.req.Query(key); v && !v->empty()) f[key] = *v;
               if (auto user = in.QueryId("user_id")) f["user_id"] = *user;
               // from/to: dates (school-local, UTC+8) or epoch ms
               auto instant = [](const std::string& s, bool end) -> std::optional<int64_t> {
                 if (auto d = ParseDate(s)) return LocalInstant(end ? AddDays(*d, 1) : *d);
                 return ParseInt(s);
               };
               if (auto v = in.req.Query("from"); v && !v->empty()) {
                 auto t = instant(*v, false);
                 if (!t) return Error::Invalid("起始日期格式应为 YYYY-MM-DD", "from must be YYYY-MM-DD", "from");
                 f["from"] = *t;
               }
               if (auto v = in.req.Query("to"); v && !v->empty()) {
                 auto t = instant(*v, true);
                 if (!t) return Error::Invalid("结束日期格式应为 YYYY-MM-DD", "to must be YYYY-MM-DD", "to");
                 f["to"] = *t;
               }
               KEHOU_ASSIGN_OR_RETURN(http::Page p, http::PageOf(in.req));
               return auth.ListAudit(in.me(), in.school, f, p.page, p.size);
             }));
}

}  // namespace kehou::auth
