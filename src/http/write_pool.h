// write_pool.h: the server's write workers (http::Serve): one pool of threads, two queues, so a
// person's write goes before the devices' queued batches (RouteOptions::device_batch).
#pragma once
#include <pthread.h>

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace kehou::http {

// The write workers: one pool of threads, two queues. A person's write (every write route but
// RouteOptions::device_batch) is taken before the devices' queued batches, and batches run on at
// most batch_cap threads at once (write_workers - 1), so a person's write finds a worker free
// even when all the gates upload together — without another thread or database connection
// (session 17: separate bulk workers kept 8 backends busy on 2 cores and were reverted). A batch
// also waits to start while the writes already running (persons' and batches') fill batch_cap —
// the cores by default — so a person's write shares the machine with fewer batches (session 24);
// a running batch is never interrupted. Batches never starve: after kPersonsPerBatch persons were
// taken in a row while a batch waited for its turn, the batch goes next (as long as fewer than
// batch_cap batches run); and a batch runs whenever no person waits or runs.
class WritePool {
 public:
  static constexpr unsigned kPersonsPerBatch = 8;
  using Job = std::function<void()>;

  WritePool(unsigned threads, unsigned batch_cap) : cap_(std::max(1u, batch_cap)) {
    for (unsigned i = 0; i < std::max(1u, threads); ++i) threads_.emplace_back([this] { Run(); });
  }
  ~WritePool() { Join(); }
  void Post(Job job, bool batch) {
    {
      std::lock_guard l(mu_);
      (batch ? batches_ : persons_).push_back(std::move(job));
    }
    cv_.notify_one();
  }
  // Runs everything queued, then stops the threads.
  void Join() {
    {
      std::lock_guard l(mu_);
      closed_ = true;
    }
    cv_.notify_all();
    for (auto& t : threads_)
      if (t.joinable()) t.join();
  }

 private:
  // A batch waits and fewer than cap_ batches run: it is owed a turn (kPersonsPerBatch).
  bool BatchWaits() const { return !batches_.empty() && running_batches_ < cap_; }
  bool BatchMayRun() const {
    return BatchWaits() && (running_batches_ + running_persons_ < cap_ || persons_in_a_row_ >= kPersonsPerBatch);
  }
  bool CanTake() const { return !persons_.empty() || BatchMayRun(); }
  bool Drained() const { return persons_.empty() && batches_.empty(); }

  void Run() {
    (void)pthread_setname_np(pthread_self(), "kehou-write");
    for (;;) {
      Job job;
      bool batch = false;
      {
        std::unique_lock l(mu_);
        cv_.wait(l, [&] { return CanTake() || (closed_ && Drained()); });
        if (!CanTake()) return;
        batch = BatchMayRun() && (persons_.empty() || persons_in_a_row_ >= kPersonsPerBatch);
        if (batch) {
          job = std::move(batches_.front());
          batches_.pop_front();
          ++running_batches_;
          persons_in_a_row_ = 0;
        } else {
          if (BatchWaits()) ++persons_in_a_row_;
          job = std::move(persons_.front());
          persons_.pop_front();
          ++running_persons_;
        }
        if (closed_ && Drained()) cv_.notify_all();  // threads waiting for a batch slot may stop
      }
      job();
      // This thread takes the next job itself, so the freed slot needs no wake-up.
      std::lock_guard l(mu_);
      --(batch ? running_batches_ : running_persons_);
    }
  }

  const unsigned cap_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> persons_;
  std::deque<Job> batches_;
  unsigned running_batches_ = 0;
  unsigned running_persons_ = 0;
  unsigned persons_in_a_row_ = 0;
  bool closed_ = false;
  std::vector<std::thread> threads_;  // last: start once the members above exist
};

}  // namespace kehou::http
