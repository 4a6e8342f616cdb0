// result.h: expected failures as values. Result<T> holds a T or an Error{code, message, field}.
// The HTTP layer maps Error::code to a status (see ErrorStatus). Thread-safety: plain values.
#pragma once
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace kehou {

// Error codes, each mapped to one HTTP status by the HTTP layer.
inline constexpr const char* kInvalid = "invalid";                  // 400
inline constexpr const char* kUnauthenticated = "unauthenticated";  // 401
inline constexpr const char* kForbidden = "forbidden";              // 403
inline constexpr const char* kNotFound = "not_found";               // 404
inline constexpr const char* kConflict = "conflict";                // 409
inline constexpr const char* kTooLarge = "too_large";               // 413
inline constexpr const char* kRuleBroken = "rule_broken";           // 422: a policy rule refused it
inline constexpr const char* kRateLimited = "rate_limited";         // 429
inline constexpr const char* kUnavailable = "unavailable";          // 503
inline constexpr const char* kInternal = "internal";                // 500

struct Error {
  std::string code;        // one of the constants above
  std::string message;     // zh-CN, shown to the user
  std::string field;       // the input field at fault, or empty
  std::string message_en;  // English, for Accept-Language: en
  int retry_after = 0;     // seconds, for rate_limited / unavailable
};

inline Error MakeError(std::string code, std::string zh, std::string en = {}, std::string field = {}) {
  return Error{std::move(code), std::move(zh), std::move(field), std::move(en), 0};
}

// HTTP status for an error code.
int ErrorStatus(const std::string& code);

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}     // NOLINT
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
