// periodic.h: one background task of `kehou serve` run every so often on its own thread (the
// notify delivery worker, the fees reminder scheduler). The thread is owned and joined, never
// detached; Stop() (also the destructor) wakes it at once and waits for a tick in flight to end.
// A tick that throws is logged (spdlog, with the task's name) and the task goes on: one bad run
// never ends the server's background work. A tick returns true when more work is due at once (it
// runs again without waiting), false to wait a period; it may read `running` to stop mid-batch.
// Thread-safety: construct and Stop from one thread; the tick runs on the task's thread only.
#pragma once
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace kehou {

class PeriodicTask {
 public:
  using Tick = std::function<bool(const std::atomic<bool>& running)>;
  struct Options {
    std::string name;                 // for the log
    int64_t period_ms = 60'000;       // the wait between ticks
    bool first_after_period = false;  // true: the first tick one period after the start
  };
  PeriodicTask(Options options, Tick tick);
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;
  void Stop();

 private:
  void Run();
  bool Wait();  // one period, or until Stop; false once stopped
  Options options_;
  Tick tick_;
  std::atomic<bool> running_{true};
  std::mutex mu_;
  std::condition_variable cv_;
  std::thread thread_;  // last: started once everything above is set
};

}  // namespace kehou
