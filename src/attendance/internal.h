// internal.h (attendance): helpers service.cpp and intake.cpp share. Not for other modules.
// Thread-safety: stateless.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>

#include "access/principal.h"
#include "attendance/store.h"
#include "core/result.h"

namespace kehou::attendance::internal {

Error SessionNotFound();
// A teacher's own staff id (-1 without one) when their scope is their own sections; nullopt for
// the whole school.
std::optional<int64_t> OwnTeacher(const auth::Principal& who);
nlohmann::json SessionJson(const store::Session& s, int64_t now_ms);

}  // namespace kehou::attendance::internal
