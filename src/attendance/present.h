// present.h (attendance): who was at school on a day, for other modules (pickup's gate list and
// end-of-day check, the guardian's status page): children marked present or late in a session's
// roll call, or swiped in at a gate device that day.
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "db/db.h"

namespace kehou::attendance {

struct Presence {
  int64_t student_id = 0;
  std::string source;                 // "roll" (a present/late mark) or "swipe"
  std::string status;                 // present | late (roll), swiped (swipe)
  std::string course, section, band;  // roll only
  int64_t at_ms = 0;                  // the mark's time, or the first swipe's device time
};

// Every presence record of the day (one child may have several: sessions and a swipe), by
// student, then band. `student_id` narrows to one child.
std::vector<Presence> PresenceOn(db::Conn& c, int64_t school_id, const Date& day,
                                 std::optional<int64_t> student_id = std::nullopt);

}  // namespace kehou::attendance
