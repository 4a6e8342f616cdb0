#include "core/result.h"

namespace kehou {

int ErrorStatus(const std::string& code) {
  if (code == kInvalid) return 400;
  if (code == kUnauthenticated) return 401;
  if (code == kForbidden) return 403;
  if (code == kNotFound) return 404;
  if (code == kConflict) return 409;
  if (code == kTooLarge) return 413;
  if (code == kRuleBroken) return 422;
  if (code == kRateLimited) return 429;
  if (code == kUnavailable) return 503;
  return 500;
}

}  // namespace kehou
