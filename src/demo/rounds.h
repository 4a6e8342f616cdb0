// rounds.h: the demo school's course selection, so a new user finds it on 选课轮次: one closed
// preference round (grades 1-2) whose allocation has run (seats given, each child's results with
// their reasons, the seed revealed: its verifiable record exists) and one open first-come round
// (grades 3-6, open for a week). Courses and sections are made through catalog's service and
// the rounds through select's service as the demo office (audited like a school's own); only
// the preferences are written directly (one transaction), for children enrolled for the term.
// Deterministic: who ranks what follows the student ids. Every child of a guardian with a demo
// login ranks, so the demo guardian sees results.
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

// Share of the enrolled children of grades 1-2 who rank courses in the preference round (%).
inline constexpr int kDemoRankingPercent = 75;

struct DemoRounds {
  int64_t preference_round_id = 0, fcfs_round_id = 0;
  int64_t courses = 0, sections = 0;
  int64_t ranked_children = 0, placed_children = 0, seats = 0;
};

// Adds the courses, sections and the two rounds to the demo's main school as the demo office
// (login "office"). now_ms: the instant the demo is made.
Result<DemoRounds> CreateDemoRounds(db::Db& db, int64_t school_id, int64_t now_ms);

}  // namespace kehou::demo
