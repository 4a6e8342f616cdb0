// pay.h (demo): the demo school's teacher pay and money operations (issue 14 §1-2, §4, §7):
// the roll calls of the two months before this one (every session of a teaching day called as
// the office; one session of last month held by the demo teacher as a substitute), quality scores
// and the tiered factor rule, the pay run of the month before last approved by the principal (the
// demo teacher's slip on the phone) and last month's run computed and awaiting approval; today's
// reconciliation against the test provider's statement with one amount that differs; payment
// reminders sent when payment is open today. Through the services (audited) as office and principal.
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoPay {
  int64_t marked_sessions = 0, approved_run = 0, draft_run = 0, reconciliation = 0, reminded = 0;
};

Result<DemoPay> CreateDemoPay(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
