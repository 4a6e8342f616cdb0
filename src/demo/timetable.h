// timetable.h: the demo school's timetable (issue 12 §3-5, §7), so 排课, 基础托管 and 代课 are
// filled on first login: retired teachers engaged as homework supervisors (kDemoSupervisors, the
// 2-days-a-week rule needs them: about 50 groups a day against some 125 teachers), the basic-
// service groups of the current term generated from the enrolled children, the term solved with
// AB backups and supervisors and stored, and one absence reported by a teacher (the section's AB
// backup assigned, both told). Runs last (after the rounds, attendance and fees). Thread-safety: as Db.
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

inline constexpr int kDemoSupervisors = 40;

struct DemoTimetable {
  int64_t supervisors = 0, groups = 0, sessions = 0, backups = 0, substitutions = 0;
  double solve_seconds = 0;
};

Result<DemoTimetable> CreateDemoTimetable(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
