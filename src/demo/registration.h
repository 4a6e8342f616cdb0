// registration.h: the rest of the demo school's registration setup, so its pages are not empty on
// first login: the dismissal batches (弹性离校, three leaving times) and a few looked-after children
// (在校看护, R-REG-5) among the children with no application this term. Made through enroll's
// service as the demo office (validated and audited like a school's own).
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>

#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoRegistration {
  int64_t batches = 0;
  int64_t looked_after = 0;
};

// today: the school-local date the demo is made (looked-after records start then).
Result<DemoRegistration> CreateDemoRegistration(db::Db& db, int64_t school_id, const Date& today);

}  // namespace kehou::demo
