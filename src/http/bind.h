// bind.h: the one way to bind a handler. A route's handler is `Bind(spec, fn)`: the binder reads
// what the spec asks for from the request — the allowed query keys, ?school_id, the route's id
// parameters, the JSON body, optional typed query values — answers the first error with the usual
// error mapping (http::ErrorResponse: 400/404 naming the field), and otherwise calls fn(const In&)
// and turns its answer into a Response:
//   Result<Json>     the value as JSON with spec.status (200, or 201 for creates), or the error
//   Result<FileOut>  a download (http::Download), or the error
//   Status           204 No Content, or the error
//   Result<Response>, Response   as they are (custom headers, 304, a 422 with rows)
//
//   r.Post(api + "/courses/:id/sections", http::Bind({.body = true, .status = 201}, [&db](const http::In& in) {
//     return CreateSection(db, in.me(), in.school, in.id, in.body);
//   }));
//
// Order of the checks: query keys, ?school_id, named id parameters, :id, body, ?date, opt_ids.
// The school is passed on as given (nullopt when absent); services resolve it against the
// principal (auth::ResolveSchool), as before. Thread-safety: the returned Handler is read-only
// after start-up and may run concurrently; an In belongs to one request.
#pragma once
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "http/http.h"

namespace kehou::http {

// The query keys a route accepts. Default: not checked. `{"school_id", "date"}`: any other key is
// refused (Request::OnlyQuery); `kNoQuery`: no query parameter at all.
struct QueryKeys {
  bool check = false;
  std::vector<std::string> keys;
  QueryKeys() = default;
  QueryKeys(std::initializer_list<std::string_view> k) : check(true), keys(k.begin(), k.end()) {}  // NOLINT
  static QueryKeys None() {
    QueryKeys q;
    q.check = true;
    return q;
  }
};
inline const QueryKeys kNoQuery = QueryKeys::None();

// What a route reads before its handler runs.
struct Spec {
  bool body = false;                   // the JSON body, an object (else 400 "invalid")
  int status = 200;                    // the success status of a Result<Json> answer (201 creates, 202 accepted)
  QueryKeys query{};                   // the query keys allowed (checked first)
  bool school = true;                  // ?school_id (a positive integer when present)
  std::vector<std::string> params{};   // named route parameters read as ids (":term_id"), 404 naming them
  bool date = false;                   // ?date=YYYY-MM-DD, optional
  std::vector<std::string> opt_ids{};  // optional id query values (?term_id), 400 naming them
};

// What the handler gets. `id` is the route's ":id" (0 when it has none).
struct In {
  explicit In(Request& r) : req(r) {}
  Request& req;
  std::optional<int64_t> school;
  int64_t id = 0;
  Json body = Json::object();
  std::optional<kehou::Date> date;
  std::vector<std::pair<std::string, int64_t>> params;
  std::vector<std::pair<std::string, std::optional<int64_t>>> opt_ids;

  const auth::Principal& me() const { return req.Me(); }
  // A named parameter listed in Spec::params (0 if not listed).
  int64_t Param(std::string_view name) const;
  // An optional id listed in Spec::opt_ids (nullopt if absent or not listed).
  std::optional<int64_t> QueryId(std::string_view key) const;
};

// Reads what the spec asks for into `in`; the first error.
Status Parse(In& in, const Spec& spec);

// fn's answer as a Response (see the top of this file).
template <class R>
Response Respond(R&& r, const Request& req, int ok_status) {
  using T = std::decay_t<R>;
  if constexpr (std::is_same_v<T, Response>) {
    return std::forward<R>(r);
  } else if constexpr (std::is_same_v<T, Result<Response>>) {
    if (!r.ok()) return ErrorResponse(r.error(), req);
    return std::move(*r);
  } else if constexpr (std::is_same_v<T, Result<FileOut>>) {
    if (!r.ok()) return ErrorResponse(r.error(), req);
    return Download(std::move(*r));
  } else if constexpr (std::is_same_v<T, Status>) {
    return Answer(r, req);
  } else {
    return Answer(Result<Json>(std::forward<R>(r)), req, ok_status);
  }
}

// The handler that parses per `spec`, then answers fn(const In&).
template <class F>
Handler Bind(Spec spec, F fn) {
  return [spec = std::move(spec), fn = std::move(fn)](Request& req) -> Response {
    In in(req);
    if (auto s = Parse(in, spec); !s.ok()) return ErrorResponse(s.error(), req);
    return Respond(fn(std::as_const(in)), req, spec.status);
  };
}

}  // namespace kehou::http
