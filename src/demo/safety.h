// safety.h (demo): the demo school's safety records (issue 13 §2, §4), so the doctor's page, the
// handovers, the health notes and the safety records show a week of history on first login:
// an unwell report on the demo teacher's latest session (seen by the doctor) and one still open,
// the three concerns of that session, a handover from the demo teacher to the class teacher
// (acknowledged) and one waiting, a site check on each school day of the past month but one,
// patrols (one finding followed up, one open), one minor incident with the guardian told, the
// term's insurance (liability over the term; accident for every enrolled child but one: a gap),
// a fire plan with this term's drill, visitors, and health notes on children of the teacher's
// section. Written through the safety service as the school's own accounts (audited like theirs).
// Runs after the attendance demo (it uses its sessions). Thread-safety: as the services.
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoSafety {
  int64_t unwell = 0, handovers = 0, site_checks = 0, patrols = 0, incidents = 0, visitors = 0, health_notes = 0,
          policies = 0, drills = 0;
};

Result<DemoSafety> CreateDemoSafety(db::Db& db, int64_t school_id, int64_t now_ms);

}  // namespace kehou::demo
