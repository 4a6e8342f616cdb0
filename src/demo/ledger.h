// ledger.h (demo): the demo school's books for its current term (issue 14 §3, §7), made through the
// ledger service as the demo office (audited like a school's own). The fees demo has already posted
// its bills, payments and refunds; this adds the term's budget by line, a government subsidy, a
// few expenses with invoice numbers (teacher subsidies, materials, venue upkeep, an institution),
// and publishes the monthly disclosure of the last month that has ended in the term (the current
// month when none has), so a guardian reads one on first login and the office can publish the
// current month.
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoLedger {
  int64_t documents = 0, disclosures = 0;
};

Result<DemoLedger> CreateDemoLedger(db::Db& db, int64_t school_id);

}  // namespace kehou::demo
