#include "notify/worker.h"

#include <spdlog/spdlog.h>

#include "core/time.h"
#include "notify/rules.h"

namespace kehou::notify {

Worker::Worker(db::Db& db, Sender& sender, std::function<int64_t()> now)
    : db_(db), sender_(sender), now_(std::move(now)) {
  if (!now_) now_ = [] { return NowMs(); };
  thread_ = std::thread([this] { Run(); });
}

void Worker::Stop() {
  {
    std::lock_guard lock(mu_);
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Worker::Run() {
  while (running_.load()) {
    try {
      Delivery d = DeliverPending(db_, sender_, now_(), kDeliverBatch, &running_);
      if (d.sent + d.failed + d.retried > 0)
        spdlog::info("notify: {} sent, {} to retry, {} failed", d.sent, d.retried, d.failed);
      if (d.sent + d.failed + d.retried >= kDeliverBatch) continue;  // more may be due at once
    } catch (const std::exception& e) {
      spdlog::warn("notify: delivering the outbox failed: {}", e.what());
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(kWorkerPollMs), [this] { return !running_.load(); });
  }
}

}  // namespace kehou::notify
