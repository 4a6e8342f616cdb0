// attendance.h (demo): the demo school's attendance (issue 13 §1), so the teacher's roll call,
// the guardian's leave page and the office's live board show real data on first login.
// Adds a daily morning care course (早间看护, Monday to Friday, morning band: the tests keep
// noon and after-school slots for their own courses; one class section each for the demo
// guardian's children's classes and the class teacher's class; the demo teacher takes the first,
// the class teachers the others), places the classes' enrolled children in it, a gate device
// with its key and campus cards for those children. Then the latest teaching day before today
// is called completely (swipes at the gate, a few late, the guardian's child on leave), and on
// today (when it is a teaching day) every section but the demo teacher's own is called (the demo
// teacher calls theirs on the phone). One child is absent without leave (today, else on that last
// day): one open absence alert with its outbox rows, handed to a notify::LocalSender (so they show
// as sent). Written through the attendance service as the demo office (audited like a school's own).
// Thread-safety: as the services (through Db).
#pragma once
#include <cstdint>
#include <string>

#include "core/result.h"
#include "db/db.h"

namespace kehou::demo {

struct DemoAttendance {
  int64_t course_id = 0, sections = 0, children = 0, roll_calls = 0, swipes = 0, leaves = 0, alerts = 0, delivered = 0;
  int64_t device_id = 0;
  std::string device_key;  // shown once, as the office would see it
};

Result<DemoAttendance> CreateDemoAttendance(db::Db& db, int64_t school_id, int64_t now_ms);

}  // namespace kehou::demo
