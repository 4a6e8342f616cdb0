// pickup.h (demo): the demo school's dismissal and pickup (issue 13 §3, §8), so the guardian's
// 接送 page, the gate and the office's end-of-day board show real data on first login.
// Every child at school on the demo days gets a default dismissal batch. The demo guardian's first
// child has two proxies (one valid, one expired) and cards for every adult. The teaching day before
// the last one is called (roll) and run completely: pickups by guardians at their batch and by the
// proxy, one child collected late after two escalation steps (outbox rows), and the day closed.
// The last teaching day: everybody collected except one child, left for the office to resolve
// (the end-of-day check refuses to close it). Today, when children are at school: two pickups and
// an arrival queue. Written through the pickup service where the use case matters, the bulk of
// the on-time handovers directly (one audit row).
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoPickup {
  int64_t proxies = 0, cards = 0, handovers = 0, escalations = 0, closed_days = 0, queued = 0;
  std::string closed_day, open_day;
};

Result<DemoPickup> CreateDemoPickup(db::Db& db, int64_t school_id, int64_t now_ms);

}  // namespace kehou::demo
