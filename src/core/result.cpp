#include "core/result.h"

#include <nlohmann/json.hpp>
#include <ostream>

namespace kehou {

const char* ErrorCodeName(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalid: return "invalid";
    case ErrorCode::kUnauthenticated: return "unauthenticated";
    case ErrorCode::kForbidden: return "forbidden";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kConflict: return "conflict";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kRuleBroken: return "rule_broken";
    case ErrorCode::kRateLimited: return "rate_limited";
    case ErrorCode::kUnavailable: return "unavailable";
    case ErrorCode::kInternal: return "internal";
  }
  return "internal";
}

std::optional<ErrorCode> ParseErrorCode(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(ErrorCode::kInternal); ++i)
    if (name == ErrorCodeName(static_cast<ErrorCode>(i))) return static_cast<ErrorCode>(i);
  return std::nullopt;
}

int ErrorStatus(ErrorCode c) {
  switch (c) {
    case ErrorCode::kInvalid: return 400;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kForbidden: return 403;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kRuleBroken: return 422;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

std::ostream& operator<<(std::ostream& os, ErrorCode c) { return os << ErrorCodeName(c); }

void to_json(nlohmann::json& j, ErrorCode c) { j = ErrorCodeName(c); }
void from_json(const nlohmann::json& j, ErrorCode& c) {
  c = j.is_string() ? ParseErrorCode(j.get_ref<const std::string&>()).value_or(ErrorCode::kInternal)
                    : ErrorCode::kInternal;
}

}  // namespace kehou
