// http.h: Kehou's own request/response and router. Handlers see only these types; RESTinio
// lives in server.cpp alone. A handler parses, calls a plain service function, and answers.
// Thread-safety: a Router is built once at start-up, then read concurrently. Request/Response
// belong to one request.
#pragma once
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "access/permissions.h"
#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"

namespace kehou::http {

using Json = nlohmann::json;

struct Response;

struct Request {
  std::string method;        // "GET", "POST", ...
  std::string path;          // decoded path without query
  std::string query_string;  // raw
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::string remote;  // client address
  std::string request_id;
  std::map<std::string, std::string> params;  // route parameters (":id" -> "42")
  std::optional<auth::Principal> user;        // set when authenticated
  // Set by Defer: the part of a write-lane route that touches the database. Runs after the
  // handler returns, on the write lane (inside its shared transaction) or, without a lane,
  // right away on the same thread. It may refer to this Request: the server keeps the Request
  // at one address until the work has run.
  std::function<Response()> deferred;

  std::string Header(std::string_view name) const;               // case-insensitive, "" if absent
  std::optional<std::string> Query(std::string_view key) const;  // decoded query parameter
  std::string Cookie(std::string_view name) const;
  bool English() const;  // Accept-Language prefers English
  // Route parameter as an id; error "invalid" if not a positive integer.
  Result<int64_t> IdParam(std::string_view name) const;
  // Optional query parameter as an id: nullopt if absent or blank; error "invalid" (naming the
  // parameter) if present but not a positive integer.
  Result<std::optional<int64_t>> OptIdQuery(std::string_view key) const;
  // Optional query parameter as an integer in [min, max]: nullopt if absent or blank; error
  // "invalid" naming the parameter if malformed or out of range (never wraps or clamps).
  Result<std::optional<int64_t>> OptIntQuery(std::string_view key, int64_t min, int64_t max) const;
  // List endpoints: error "invalid" naming the first query parameter not in `allowed`, so a
  // mistyped or injected filter (?user_id=1 OR 1=1, ?clas_id=3) is refused, not ignored.
  Status OnlyQuery(std::initializer_list<std::string_view> allowed) const;
  Status OnlyQuery(const std::vector<std::string>& allowed) const;
  // Optional query parameter as a date 'YYYY-MM-DD': nullopt if absent or empty; error "invalid"
  // naming the parameter if malformed.
  Result<std::optional<kehou::Date>> OptDateQuery(std::string_view key) const;
  // The body as a JSON object; error "invalid" (message in Chinese) if it is not. Read its fields
  // with core/body.h's BodyReader.
  Result<Json> JsonBody() const;
  const auth::Principal& Me() const { return *user; }
  // For RouteOptions::write_lane routes: the handler parses and checks the request (no database)
  // and returns Defer(work); `work` does the database part and makes the answer.
  Response Defer(std::function<Response()> work);
};

struct Response {
  int status = 200;
  std::string body;
  std::string content_type = "application/json; charset=utf-8";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string file_path;  // when set, the server sends this file as the body (static files)
};

Response JsonResponse(const Json& j, int status = 200);
Response ErrorResponse(const Error& e, const Request& req);
Response NoContent();
// A file download (XLSX, CSV): sets Content-Disposition with a UTF-8 file name.
Response Download(std::string bytes, std::string content_type, const std::string& filename);
inline Response Download(FileOut f) { return Download(std::move(f.bytes), std::move(f.content_type), f.filename); }

// Turns a Result<Json> (or Status) into a response: the value as 200 JSON, or the error.
Response Answer(const Result<Json>& r, const Request& req, int ok_status = 200);
Response Answer(const Status& r, const Request& req);
// A 422 that carries rows beside the error envelope (an import or a statement with errors):
// {"error": {...}, <every key of extra>}.
Response RowErrors(const Error& e, const Json& extra, const Request& req);

using Handler = std::function<Response(Request&)>;

struct RouteOptions {
  size_t max_body = 1 << 20;  // 1 MiB; imports use kImportBodyLimit
  // A short write (a few statements, no waiting on other threads) answered through the write
  // lane when the database has shared transactions (SQLite): see server.cpp. POST only. The
  // handler (no database in it) runs on the lane's front thread and hands the database part
  // over with Request::Defer.
  bool write_lane = false;
  // CPU-heavy (argon2 password checks): answered on a small pool of low-priority threads with
  // a bounded queue (503 beyond it), so it never holds up the other requests. POST only.
  bool slow = false;
  // A device's batch upload (a gate's swipes), on the write workers: with
  // ServerOptions::persons_first (kehou serve on PostgreSQL) it waits while a person's write (any
  // other write route) waits, and at most ServerOptions::device_batch_workers of the write workers
  // run batches at once (write_workers - 1), so one is always left for a person — no other threads
  // or database connections (http/write_pool.h). A device waits and resends; a person should not.
  // POST only.
  bool device_batch = false;
};
inline constexpr size_t kDefaultBodyLimit = 1 << 20;
inline constexpr size_t kImportBodyLimit = 20 << 20;

struct Route {
  std::string method;
  std::string pattern;  // "/api/v1/classes/:id/students"
  Handler handler;
  RouteOptions options;
  std::vector<std::string> segments;
};

// Who may call a route, declared with the route (access/grants.h names the usual grants):
//   r.Get(api + "/runs", Allow{managers, admin}, Bind(...));
//   r.Post(api + "/callback/x/:school_id", Allow::Public(/*csrf_exempt=*/true), handler);
struct Allow {
  std::vector<auth::Grant> grants;
  bool is_public = false;
  bool csrf_exempt = false;
  Allow(std::initializer_list<auth::Grant> g) : grants(g) {}  // NOLINT: Allow{managers, admin}
  static Allow Public(bool csrf_exempt = false) {
    Allow a{};
    a.is_public = true;
    a.csrf_exempt = csrf_exempt;
    return a;
  }
};

// Routes with ":name" parameters. Every route must have an entry in the permission table
// (access/permissions.h); Add() throws at start-up if it has none (deny by default). A route
// declared with its Allow adds its own row (auth::DeclarePermission): one declaration, one place.
class Router {
 public:
  void Add(std::string method, std::string pattern, Handler h, RouteOptions o = {});
  void Get(std::string p, Handler h, RouteOptions o = {}) { Add("GET", std::move(p), std::move(h), o); }
  void Post(std::string p, Handler h, RouteOptions o = {}) { Add("POST", std::move(p), std::move(h), o); }
  void Put(std::string p, Handler h, RouteOptions o = {}) { Add("PUT", std::move(p), std::move(h), o); }
  void Delete(std::string p, Handler h, RouteOptions o = {}) { Add("DELETE", std::move(p), std::move(h), o); }
  // The route and its permission row, declared together.
  void Add(std::string method, std::string pattern, Allow allow, Handler h, RouteOptions o = {});
  void Get(std::string p, Allow a, Handler h, RouteOptions o = {}) {
    Add("GET", std::move(p), std::move(a), std::move(h), o);
  }
  void Post(std::string p, Allow a, Handler h, RouteOptions o = {}) {
    Add("POST", std::move(p), std::move(a), std::move(h), o);
  }
  void Put(std::string p, Allow a, Handler h, RouteOptions o = {}) {
    Add("PUT", std::move(p), std::move(a), std::move(h), o);
  }
  void Delete(std::string p, Allow a, Handler h, RouteOptions o = {}) {
    Add("DELETE", std::move(p), std::move(a), std::move(h), o);
  }
  // Finds the route for method+path, filling params. nullptr if none; *path_exists tells
  // whether another method matches (405).
  const Route* Match(std::string_view method, std::string_view path, std::map<std::string, std::string>& params,
                     bool* path_exists = nullptr) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
};

// Parses "a=1&b=x%20y" into decoded pairs.
std::vector<std::pair<std::string, std::string>> ParseQuery(std::string_view qs);
std::string UrlDecode(std::string_view s, bool plus_is_space);

// The client address of a request that came through a trusted proxy (X-Real-IP, else the last
// X-Forwarded-For entry), or peer.
std::string ClientBehindProxy(const Request& req, const std::string& peer);

// Security headers every answer carries (issue 10), added once where answers leave the server:
// a Content-Security-Policy (pages: own origin only, inline styles for the component library;
// API: nothing at all) with frame-ancestors 'none' and X-Frame-Options DENY, nosniff,
// Referrer-Policy same-origin; API answers also `Cache-Control: no-store` (they carry personal
// data) unless the handler chose its own caching. Headers the response already has are kept.
inline constexpr const char* kPageCsp =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'";
inline constexpr const char* kApiCsp = "default-src 'none'; frame-ancestors 'none'";
void AddSecurityHeaders(std::string_view path, Response& r);

// Paging from ?page=&page_size= (page 1..kMaxPage, size 1..kMaxPageSize, default 20); out of
// range or malformed answers "invalid" naming the parameter.
inline constexpr int64_t kMaxPage = 1'000'000;
inline constexpr int64_t kMaxPageSize = 200;
struct Page {
  int64_t page = 1;
  int64_t size = 20;
  int64_t offset() const { return (page - 1) * size; }
};
Result<Page> PageOf(const Request& req);

}  // namespace kehou::http
