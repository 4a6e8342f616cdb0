// scheduler.h (fees): the daily payment reminders of `kehou serve` (issue 14 §1). The office can
// still send them by hand (POST /fees/reminders); the scheduler sends them itself once a day from
// kReminderFromMinute (school-local): every school whose current term has unpaid bills and whose
// payment is open today (pay weeks or a late window) reminds each unpaid bill at most once a day
// (fees_reminders, shared with the office's run). One core PeriodicTask (thread, stop and poll
// shared with the notify delivery worker); it first looks one poll after the start.
// Thread-safety: construct and Stop from one thread.
#pragma once
#include <functional>

#include "core/periodic.h"
#include "core/time.h"
#include "db/db.h"
#include "nlohmann/json.hpp"

namespace kehou::fees {

inline constexpr int kReminderFromMinute = 9 * 60;       // 09:00 school-local: not at midnight
inline constexpr int64_t kReminderPollMs = 10 * 60'000;  // the scheduler looks every 10 minutes

// True when the scheduled run may send at this instant (school-local time of day).
bool ReminderTimeOf(int64_t epoch_ms);

// One tick: the reminders of `today` for every school whose payment is open (each school in its
// own transaction, audited as the scheduler). A school whose payment is closed is skipped.
// -> {day, schools, open, reminded, messages}
nlohmann::json ReminderTick(db::Db& db, const Date& today);

class ReminderScheduler {
 public:
  explicit ReminderScheduler(db::Db& db, std::function<int64_t()> now = {});
  ~ReminderScheduler() { Stop(); }
  ReminderScheduler(const ReminderScheduler&) = delete;
  ReminderScheduler& operator=(const ReminderScheduler&) = delete;
  void Stop() { task_.Stop(); }

 private:
  void Tick();
  db::Db& db_;
  std::function<int64_t()> now_;
  PeriodicTask task_;  // last: its thread starts once the members above are set
};

}  // namespace kehou::fees
