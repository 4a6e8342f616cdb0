// worker.h (notify): the delivery worker of `kehou serve`. One thread, owned and joined (never
// detached): every kWorkerPollMs it delivers the due rows of the outbox (DeliverPending over
// the given Sender) until none are due. Stop() (also the destructor) ends it: a send in flight
// finishes (bounded by kHttpTimeoutMs), the rows claimed but not tried are released.
// Thread-safety: construct and Stop from one thread.
#pragma once
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "notify/outbox.h"

namespace kehou::notify {

class Worker {
 public:
  Worker(db::Db& db, Sender& sender, std::function<int64_t()> now = {});
  ~Worker() { Stop(); }
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;
  void Stop();

 private:
  void Run();
  db::Db& db_;
  Sender& sender_;
  std::function<int64_t()> now_;
  std::atomic<bool> running_{true};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;
};

}  // namespace kehou::notify
