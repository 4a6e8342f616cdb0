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
// (session 17: separate bulk workers kept 8 backends busy on 2 cores and were reverted). Batches
// never starve: after kPersonsPerBatch persons were taken in a row while a batch could have run,
// the batch goes next; and a batch runs whenever no person waits.
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
  bool BatchMayRun() const { return !batches_.empty() && running_batches_ < cap_; }
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
          if (BatchMayRun()) ++persons_in_a_row_;
          job = std::move(persons_.front());
          persons_.pop_front();
        }
        if (closed_ && Drained()) cv_.notify_all();  // threads waiting for a batch slot may stop
      }
      job();
      if (batch) {
        // This thread takes the next job itself, so the freed batch slot needs no wake-up.
        std::lock_guard l(mu_);
        --running_batches_;
      }
    }
  }

  const unsigned cap_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> persons_;
  std::deque<Job> batches_;
  unsigned running_batches_ = 0;
  unsigned persons_in_a_row_ = 0;
  bool closed_ = false;
  std::vector<std::thread> threads_;  // last: start once the members above exist
};

}  // namespace kehou::http
