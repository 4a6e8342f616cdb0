// staff.h: the demo school's staff records (issue 12), so 人员档案 and 校外机构 are filled on first
// login: every person of the main school with a background check, health certificate, contract
// over the current term, willingness and training sessions, except a few retired teachers left
// blocked (no check, an expired check, no contract); the county's approved list with two
// institutions: the demo's training centre under contract (its staff linked to it) and an arts
// centre whose contract ended by exit. Written directly in one transaction (fast: the demo runs
// in many tests); runs before the demo rounds, whose teachers must pass the gate.
// Thread-safety: as Db.
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoStaff {
  int64_t records = 0, blocked = 0, institutions = 0;
};
// The demo's blocked people: the first kDemoBlocked retired teachers (by id).
inline constexpr int kDemoBlocked = 3;

Result<DemoStaff> CreateDemoStaff(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
