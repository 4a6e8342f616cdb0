// dispatch.h: the request pipeline, independent of the network library: static files, route
// match (404/405), body limit (413), authentication (401), the permission table (403), CSRF on
// cookie-authenticated writes, forced password change, then the handler; exceptions become a
// 500 that names only the request id. Thread-safety: Dispatch is called concurrently; Router
// and Hooks are read-only.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "http/http.h"

namespace kehou::http {

struct Hooks {
  // The session behind a token (bearer or cookie value), or nullopt if none or expired.
  std::function<std::optional<auth::Principal>(std::string_view token)> authenticate;
  std::string web_dir;  // built pages; empty = no static files
  // Runs body inside one shared write transaction (db::Db::SharedTransaction) and tells whether
  // it committed. Unset: no write lane, every request goes to the worker pool.
  std::function<bool(const std::function<void()>&)> shared_write;
};

inline constexpr const char* kSessionCookie = "kehou_session";
inline constexpr const char* kCsrfHeader = "X-CSRF-Token";

// With allow_defer, a handler's Request::Defer work is left in req.deferred for the caller (the
// write lane) to run with RunDeferred; without, it runs here before Dispatch returns.
Response Dispatch(const Router& router, const Hooks& hooks, Request& req, bool allow_defer = false);
// Runs and clears req.deferred; exceptions become the same 500 as a handler's.
Response RunDeferred(Request& req);

}  // namespace kehou::http
