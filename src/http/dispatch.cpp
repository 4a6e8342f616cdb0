#include "http/dispatch.h"

#include <spdlog/spdlog.h>

#include "access/permissions.h"
#include "db/db.h"
#include "http/static_files.h"

namespace kehou::http {
namespace {

bool AllowedWhilePasswordMustChange(const Route& r) {
  return r.pattern == "/api/v1/auth/me" || r.pattern == "/api/v1/auth/password" || r.pattern == "/api/v1/auth/logout" ||
         r.pattern == "/api/v1/auth/logout-all";
}

// Runs fn (a handler or its deferred work); exceptions become a 500 naming the request id.
template <class F>
Response Guarded(Request& req, F&& fn) {
  try {
    return fn();
  } catch (const db::DbError& e) {
    if (e.unique_violation)
      return ErrorResponse(MakeError(kConflict, "记录已存在（唯一性冲突）", "a record with the same key exists"), req);
    spdlog::error("request {} {} {}: database error: {}", req.request_id, req.method, req.path, e.what());
  } catch (const nlohmann::json::type_error& e) {
    // A JSON value of the wrong type read without core/body.h's BodyReader: the body was wrong,
    // not the server. The reader is the fix; this is the safety net (logged so it gets fixed).
    spdlog::warn("request {} {} {}: JSON type error outside BodyReader: {}", req.request_id, req.method, req.path,
                 e.what());
    return ErrorResponse(Error::Invalid("请求内容的字段类型不正确", "a field of the request has the wrong type"), req);
  } catch (const nlohmann::json::out_of_range& e) {
    spdlog::warn("request {} {} {}: JSON out of range outside BodyReader: {}", req.request_id, req.method, req.path,
                 e.what());
    return ErrorResponse(
        Error::Invalid("请求内容缺少字段或数值超出范围", "a field of the request is missing or out of range"), req);
  } catch (const std::exception& e) {
    spdlog::error("request {} {} {}: {}", req.request_id, req.method, req.path, e.what());
  } catch (...) {
    spdlog::error("request {} {} {}: unknown exception", req.request_id, req.method, req.path);
  }
  return ErrorResponse(MakeError(kInternal, "服务器内部错误，请稍后重试（请求编号 " + req.request_id + "）",
                                 "internal error (request " + req.request_id + ")"),
                       req);
}

Response CallHandler(const Route& route, Request& req, bool allow_defer) {
  Response r = Guarded(req, [&] { return route.handler(req); });
  if (req.deferred && !allow_defer) return RunDeferred(req);
  return r;
}

}  // namespace

Response RunDeferred(Request& req) {
  auto work = std::move(req.deferred);
  req.deferred = nullptr;
  return Guarded(req, [&] { return work(); });
}

Response Dispatch(const Router& router, const Hooks& hooks, Request& req, bool allow_defer) {
  if (req.path.rfind("/api/", 0) != 0) {
    if (hooks.web_dir.empty() || (req.method != "GET" && req.method != "HEAD"))
      return ErrorResponse(MakeError(kNotFound, "页面不存在", "not found"), req);
    return ServeStatic(hooks.web_dir, req.path, req.Header("Accept-Encoding"));
  }
  bool path_exists = false;
  const Route* route = router.Match(req.method, req.path, req.params, &path_exists);
  if (!route) {
    if (path_exists) {
      Response r = ErrorResponse(MakeError(kInvalid, "不支持的请求方法", "method not allowed"), req);
      r.status = 405;
      return r;
    }
    return ErrorResponse(MakeError(kNotFound, "接口不存在", "no such endpoint"), req);
  }
  if (req.body.size() > route->options.max_body)
    return ErrorResponse(
        MakeError(kTooLarge, "提交的内容过大（上限 " + std::to_string(route->options.max_body >> 20) + " MB）",
                  "request body too large"),
        req);
  const auth::Permission* perm = auth::FindPermission(route->method, route->pattern);
  if (!perm)
    return ErrorResponse(MakeError(kForbidden, "无权访问", "forbidden"), req);  // unreachable: Router::Add checks

  std::string token;
  bool via_cookie = false;
  std::string authz = req.Header("Authorization");
  if (authz.rfind("Bearer ", 0) == 0) {
    token = authz.substr(7);
  } else {
    token = req.Cookie(kSessionCookie);
    via_cookie = !token.empty();
  }
  if (!token.empty() && hooks.authenticate) req.user = hooks.authenticate(token);
  if (req.user) {
    req.user->client = req.remote;
    req.user->request_id = req.request_id;
  }
  if (perm->is_public) return CallHandler(*route, req, allow_defer);

  if (!req.user) return ErrorResponse(MakeError(kUnauthenticated, "请先登录（或登录已过期）", "please log in"), req);
  auto scope = auth::ScopeFor(*perm, req.user->role);
  if (!scope) return ErrorResponse(MakeError(kForbidden, "您的角色无权进行此操作", "your role may not do this"), req);
  req.user->scope = *scope;
  if (via_cookie && req.method != "GET" && req.method != "HEAD" && !perm->csrf_exempt &&
      req.Header(kCsrfHeader) != req.user->csrf_token)
    return ErrorResponse(MakeError(kForbidden, "页面已过期，请刷新后重试（CSRF 校验失败）", "CSRF check failed"), req);
  if (req.user->must_change_password && !AllowedWhilePasswordMustChange(*route))
    return ErrorResponse(MakeError(kForbidden, "请先修改初始密码", "change your password first", "password"), req);
  return CallHandler(*route, req, allow_defer);
}

}  // namespace kehou::http
