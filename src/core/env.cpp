// env.cpp: settings from the environment (env.h).
#include "core/env.h"

#include <algorithm>
#include <cstdlib>

namespace kehou {

size_t SizeFromEnv(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::max<size_t>(1, std::strtoul(v, nullptr, 10));
}

}  // namespace kehou
