#include "notify/worker.h"

#include <spdlog/spdlog.h>

#include "core/time.h"
#include "notify/rules.h"

namespace kehou::notify {

Worker::Worker(db::Db& db, Sender& sender, std::function<int64_t()> now)
    : db_(db),
      sender_(sender),
      now_(now ? std::move(now) : [] { return NowMs(); }),
      task_({.name = "notify", .period_ms = kWorkerPollMs},
            [this](const std::atomic<bool>& running) { return Tick(running); }) {}

// Delivers the due rows; more may be due at once when a whole batch went.
bool Worker::Tick(const std::atomic<bool>& running) {
  Delivery d = DeliverPending(db_, sender_, now_(), kDeliverBatch, &running);
  if (d.sent + d.failed + d.retried > 0)
    spdlog::info("notify: {} sent, {} to retry, {} failed", d.sent, d.retried, d.failed);
  return d.sent + d.failed + d.retried >= kDeliverBatch;
}

}  // namespace kehou::notify
