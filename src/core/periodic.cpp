// periodic.cpp: see periodic.h.
#include "core/periodic.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>

namespace kehou {

PeriodicTask::PeriodicTask(Options options, Tick tick) : options_(std::move(options)), tick_(std::move(tick)) {
  thread_ = std::thread([this] { Run(); });
}

void PeriodicTask::Stop() {
  {
    std::lock_guard lock(mu_);
    running_ = false;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool PeriodicTask::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, std::chrono::milliseconds(options_.period_ms), [this] { return !running_.load(); });
  return running_.load();
}

void PeriodicTask::Run() {
  if (options_.first_after_period && !Wait()) return;
  while (running_.load()) {
    bool again = false;
    try {
      again = tick_(running_);
    } catch (const std::exception& e) {
      spdlog::warn("{}: the periodic task failed: {}", options_.name, e.what());
    } catch (...) {
      spdlog::warn("{}: the periodic task failed (unknown exception)", options_.name);
    }
    if (again) continue;
    if (!Wait()) return;
  }
}

}  // namespace kehou
