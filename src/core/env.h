// env.h: a setting read from the environment (the operations settings table, docs/operations.md).
#pragma once
#include <cstddef>

namespace kehou {

// The positive count in `name` (at least 1), or `fallback` when it is unset or empty.
size_t SizeFromEnv(const char* name, size_t fallback);

}  // namespace kehou
