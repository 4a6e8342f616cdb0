// worker.h (notify): the delivery worker of `kehou serve`. One thread, owned and joined (never
// detached): every kWorkerPollMs it delivers the due rows of the outbox (DeliverPending over
// the given Sender) until none are due. Stop() (also the destructor) ends it: a send in flight
// finishes (bounded by kHttpTimeoutMs), the rows claimed but not tried are released.
// The thread, its stop and its poll are core's PeriodicTask. Thread-safety: construct and Stop
// from one thread.
#pragma once
#include <functional>

#include "core/periodic.h"
#include "notify/outbox.h"

namespace kehou::notify {

class Worker {
 public:
  Worker(db::Db& db, Sender& sender, std::function<int64_t()> now = {});
  ~Worker() { Stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void Stop() { task_.Stop(); }

 private:
  bool Tick(const std::atomic<bool>& running);
  db::Db& db_;
  Sender& sender_;
  std::function<int64_t()> now_;
  PeriodicTask task_;  // last: its thread starts once the members above are set
};

}  // namespace kehou::notify
