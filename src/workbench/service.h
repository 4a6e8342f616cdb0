#pragma once
// The workbench: each role's home. For a school role, what waits for them (applications to
// review or approve, proposals, rounds to allocate), the enrolment of the current term and the
// rounds in progress; for a county or city officer (and the sysadmin without ?school_id), the
// after-school figures of every school of the area. Reads only.
// Thread-safety: stateless functions over a thread-safe Db.
#include <nlohmann/json.hpp>
#include <optional>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::workbench {

using Json = nlohmann::json;

// GET /api/v1/workbench[?school_id=]
Result<Json> Workbench(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t now_ms);

}  // namespace kehou::workbench
