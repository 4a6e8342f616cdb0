#include "core/periodic.h"

#include <gtest/gtest.h>

#include <chrono>
#include <stdexcept>
#include <thread>

namespace kehou {
namespace {

using Clock = std::chrono::steady_clock;

// Waits up to 5 s for `done`.
template <class F>
bool Eventually(F done) {
  for (auto until = Clock::now() + std::chrono::seconds(5); Clock::now() < until;) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return done();
}

TEST(PeriodicTask, TicksEveryPeriod) {
  std::atomic<int> ticks{0};
  PeriodicTask task({.name = "test", .period_ms = 5}, [&](const std::atomic<bool>&) {
    ++ticks;
    return false;
  });
  EXPECT_TRUE(Eventually([&] { return ticks.load() >= 3; }));
}

TEST(PeriodicTask, StopIsPromptWhileWaitingALongPeriod) {
  std::atomic<int> ticks{0};
  auto task = std::make_unique<PeriodicTask>(PeriodicTask::Options{.name = "test", .period_ms = 3'600'000},
                                             [&](const std::atomic<bool>&) {
                                               ++ticks;
                                               return false;
                                             });
  ASSERT_TRUE(Eventually([&] { return ticks.load() == 1; }));  // the first tick at once
  auto t0 = Clock::now();
  task.reset();  // the destructor stops and joins
  EXPECT_LT(Clock::now() - t0, std::chrono::seconds(1));
  EXPECT_EQ(ticks.load(), 1);
}

TEST(PeriodicTask, FirstTickOnePeriodAfterTheStartWhenAsked) {
  std::atomic<int> ticks{0};
  auto t0 = Clock::now();
  std::atomic<int64_t> first_ms{-1};
  PeriodicTask task({.name = "test", .period_ms = 100, .first_after_period = true}, [&](const std::atomic<bool>&) {
    if (ticks++ == 0) first_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - t0).count();
    return false;
  });
  ASSERT_TRUE(Eventually([&] { return ticks.load() >= 1; }));
  EXPECT_GE(first_ms.load(), 100);
  // Stopped before the first period ends: never ticks.
  std::atomic<int> never{0};
  {
    PeriodicTask idle({.name = "idle", .period_ms = 3'600'000, .first_after_period = true},
                      [&](const std::atomic<bool>&) { return ++never, false; });
  }
  EXPECT_EQ(never.load(), 0);
}

TEST(PeriodicTask, AThrowingTickIsLoggedAndTheTaskGoesOn) {
  std::atomic<int> ticks{0};
  PeriodicTask task({.name = "test", .period_ms = 2}, [&](const std::atomic<bool>&) -> bool {
    if (++ticks <= 2) throw std::runtime_error("boom");
    return false;
  });
  EXPECT_TRUE(Eventually([&] { return ticks.load() >= 4; }));
}

TEST(PeriodicTask, MoreWorkDueRunsAgainAtOnceAndSeesTheStop) {
  std::atomic<int> ticks{0};
  std::atomic<bool> saw_stop{false};
  auto task = std::make_unique<PeriodicTask>(PeriodicTask::Options{.name = "test", .period_ms = 3'600'000},
                                             [&](const std::atomic<bool>& running) {
                                               if (++ticks >= 3) {
                                                 while (running.load()) std::this_thread::yield();
                                                 saw_stop = true;
                                               }
                                               return true;
                                             });
  ASSERT_TRUE(Eventually([&] { return ticks.load() >= 3; }));  // no period waited between them
  task.reset();
  EXPECT_TRUE(saw_stop.load());
  EXPECT_EQ(ticks.load(), 3);
}

}  // namespace
}  // namespace kehou
