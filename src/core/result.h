// result.h: expected failures as values. Result<T> holds a T or an Error{code, message, field}.
// The HTTP layer maps Error::code to a status (see ErrorStatus). Thread-safety: plain values.
//
// Make errors with the factories (Error::Invalid(zh, en, field), Error::NotFound(...), ...) and
// pass them up with KEHOU_TRY(status_expr) / KEHOU_ASSIGN_OR_RETURN(lhs, result_expr).
#pragma once
#include <iosfwd>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace kehou {

// Error codes, each mapped to one HTTP status by the HTTP layer (ErrorStatus); the wire name is
// ErrorCodeName ("invalid", "not_found", ...).
enum class ErrorCode {
  kInvalid,          // 400
  kUnauthenticated,  // 401
  kForbidden,        // 403
  kNotFound,         // 404
  kConflict,         // 409
  kTooLarge,         // 413
  kRuleBroken,       // 422: a policy rule refused it
  kRateLimited,      // 429
  kUnavailable,      // 503
  kInternal,         // 500
};
// The older spelling (kehou::kInvalid ...) names the same values.
inline constexpr ErrorCode kInvalid = ErrorCode::kInvalid;
inline constexpr ErrorCode kUnauthenticated = ErrorCode::kUnauthenticated;
inline constexpr ErrorCode kForbidden = ErrorCode::kForbidden;
inline constexpr ErrorCode kNotFound = ErrorCode::kNotFound;
inline constexpr ErrorCode kConflict = ErrorCode::kConflict;
inline constexpr ErrorCode kTooLarge = ErrorCode::kTooLarge;
inline constexpr ErrorCode kRuleBroken = ErrorCode::kRuleBroken;
inline constexpr ErrorCode kRateLimited = ErrorCode::kRateLimited;
inline constexpr ErrorCode kUnavailable = ErrorCode::kUnavailable;
inline constexpr ErrorCode kInternal = ErrorCode::kInternal;

// "invalid", "not_found", ... (the JSON "code" of an error answer).
const char* ErrorCodeName(ErrorCode c);
// The code of a name ErrorCodeName gave, or nullopt.
std::optional<ErrorCode> ParseErrorCode(std::string_view name);
// HTTP status for an error code.
int ErrorStatus(ErrorCode c);
std::ostream& operator<<(std::ostream& os, ErrorCode c);  // its name (test output)
// In JSON an ErrorCode is its name ("not_found"), never a number; an unknown name reads as kInternal.
void to_json(nlohmann::json& j, ErrorCode c);
void from_json(const nlohmann::json& j, ErrorCode& c);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;     // zh-CN, shown to the user
  std::string field;       // the input field at fault, or empty
  std::string message_en;  // English, for Accept-Language: en
  int retry_after = 0;     // seconds, for rate_limited / unavailable

  // Factories: Chinese message first, English second, then the field at fault (if any).
  static Error Make(ErrorCode c, std::string zh, std::string en = {}, std::string_view field = {}) {
    return Error{c, std::move(zh), std::string(field), std::move(en), 0};
  }
  static Error Invalid(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kInvalid, std::move(zh), std::move(en), field);
  }
  static Error NotFound(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kNotFound, std::move(zh), std::move(en), field);
  }
  static Error Conflict(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kConflict, std::move(zh), std::move(en), field);
  }
  static Error Forbidden(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kForbidden, std::move(zh), std::move(en), field);
  }
  static Error RuleBroken(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kRuleBroken, std::move(zh), std::move(en), field);
  }
  static Error TooLarge(std::string zh, std::string en = {}, std::string_view field = {}) {
    return Make(ErrorCode::kTooLarge, std::move(zh), std::move(en), field);
  }
  static Error Unauthenticated(std::string zh, std::string en = {}) {
    return Make(ErrorCode::kUnauthenticated, std::move(zh), std::move(en));
  }
  static Error Unavailable(std::string zh, std::string en = {}, int retry_after_s = 0) {
    Error e = Make(ErrorCode::kUnavailable, std::move(zh), std::move(en));
    e.retry_after = retry_after_s;
    return e;
  }
  static Error Internal(std::string zh, std::string en = {}) {
    return Make(ErrorCode::kInternal, std::move(zh), std::move(en));
  }
};

// The older spelling of Error::Make (code, zh, en, field).
inline Error MakeError(ErrorCode code, std::string zh, std::string en = {}, std::string field = {}) {
  return Error{code, std::move(zh), std::move(field), std::move(en), 0};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &std::get<0>(v_); }
  const T* operator->() const { return &std::get<0>(v_); }
  T& operator*() { return std::get<0>(v_); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : e_(std::move(error)) {}  // NOLINT
  bool ok() const { return !e_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const { return *e_; }

 private:
  std::optional<Error> e_;
};

using Status = Result<void>;
inline Status Ok() { return {}; }

}  // namespace kehou

#define KEHOU_CONCAT_INNER_(a, b) a##b
#define KEHOU_CONCAT_(a, b) KEHOU_CONCAT_INNER_(a, b)

// KEHOU_TRY(expr): expr is a Status or Result<T>; on error, returns the error from the
// enclosing function (whose return type is any Result<U>).
#define KEHOU_TRY(expr)                                            \
  do {                                                             \
    auto&& kehou_try_result_ = (expr);                             \
    if (!kehou_try_result_.ok()) return kehou_try_result_.error(); \
  } while (0)

// KEHOU_ASSIGN_OR_RETURN(lhs, expr): expr is a Result<T>; on error returns it, else moves the
// value into lhs, which may be a declaration: KEHOU_ASSIGN_OR_RETURN(auto id, ParseId(s));
#define KEHOU_ASSIGN_OR_RETURN(lhs, expr) KEHOU_ASSIGN_OR_RETURN_IMPL_(KEHOU_CONCAT_(kehou_aor_, __LINE__), lhs, expr)
#define KEHOU_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.error();                 \
  lhs = std::move(tmp).value()
