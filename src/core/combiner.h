// combiner.h: writes handed over by many threads at the same time written together, a group in one
// call (one transaction, one commit), by whichever waiting thread leads (a leader/follower
// combiner). Used where each write alone would pay its own commit and round trip while others wait
// behind it: the gates' swipe batches (attendance/swipe_group, session 20) and the selection's
// takes and drops (select/take_group, session 29); docs/ARCHITECTURE.md notes 15 and 27.
//
// A thread hands its item to Hand(). When fewer than `leaders` groups are being written, it leads
// at once: it takes its own item and then the items waiting, in arrival order, that `joins` lets
// in (up to `group_size`), runs `write` on the group (without the lock), and answers them. Otherwise
// it waits, and the next leader takes it. So a write alone is written at once (a quiet hour pays
// nothing), and the busier the hour the larger the groups.
//
// Lingering (Options::linger, 0 = never; session 33): when the previous group had company (the hour
// is busy), a leader waits up to `linger` for more items (or until a full group waits) before it
// takes its group. Written at once, a group holds only what arrived during the previous write, so
// at a moderate rate the groups stay small and each item pays a large share of a call; a short
// wait makes them larger and each item cheaper, for at most `linger` more a write. A group alone
// ends the busy spell, so a quiet hour never waits.
//
// Each waiting thread sleeps on its own condition: an answered group wakes its own threads and at
// most one more (the next leader), never every waiting thread (session 14: a notify_all for each
// answer cost the servers 0.19 -> 0.76 ms a write).
//
// `write` sets each item's answer itself (the items are the callers'); whatever it throws is thrown
// by Hand() in every thread of that group, so a taken item never waits for ever.
// Thread-safety: Hand() and GetStats() from any thread; `joins` runs under the lock (keep it cheap),
// `write` on the leader's thread outside it.
#pragma once
#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <utility>
#include <vector>

namespace kehou {

template <class T>
class Combiner {
 public:
  // May `candidate` join `group` (its first item is the leader's own)?
  using Joins = std::function<bool(const std::vector<T*>& group, const T& candidate)>;
  // Writes the group and sets each item's answer.
  using Write = std::function<void(const std::vector<T*>& group)>;
  struct Options {
    size_t leaders = 1;                   // groups written at once, at least 1
    size_t group_size = 1;                // items in a group at most, at least 1
    std::chrono::microseconds linger{0};  // a busy hour's leader waits this long for company
  };
  // Since construction: the groups written, the items in them, the largest group; the items
  // waiting now.
  struct Stats {
    int64_t calls = 0, items = 0, largest = 0, waiting = 0;
  };

  Combiner(Options options, Joins joins, Write write)
      : leaders_(std::max<size_t>(1, options.leaders)),
        group_size_(std::max<size_t>(1, options.group_size)),
        linger_(std::max(std::chrono::microseconds{0}, options.linger)),
        joins_(std::move(joins)),
        write_(std::move(write)) {}
  Combiner(const Combiner&) = delete;
  Combiner& operator=(const Combiner&) = delete;

  // Returns once `item` has been written (by this thread or by another's group); throws what its
  // group's `write` threw.
  void Hand(T& item) {
    Waiting me;
    me.item = &item;
    std::unique_lock l(mu_);
    queue_.push_back(&me);
    if (lingering_ > 0 && queue_.size() + 1 >= group_size_) linger_cv_.notify_all();
    while (!me.done) {
      const bool queued = std::find(queue_.begin(), queue_.end(), &me) != queue_.end();
      if (queued && active_ < leaders_) Lead(l, me);
      else me.cv.wait(l);
    }
    if (me.error) std::rethrow_exception(me.error);
  }

  Stats GetStats() const {
    std::lock_guard l(mu_);
    Stats s = stats_;
    s.waiting = static_cast<int64_t>(queue_.size());
    return s;
  }

 private:
  struct Waiting {
    T* item = nullptr;
    std::exception_ptr error;
    bool done = false;
    std::condition_variable cv;
  };

  // With the lock held, by a thread whose item is queued.
  void Lead(std::unique_lock<std::mutex>& l, Waiting& me) {
    std::vector<Waiting*> group{&me};
    std::vector<T*> items{me.item};
    queue_.erase(std::find(queue_.begin(), queue_.end(), &me));
    ++active_;
    if (linger_.count() > 0 && (had_company_ || !queue_.empty())) {
      ++lingering_;
      linger_cv_.wait_for(l, linger_, [&] { return queue_.size() + 1 >= group_size_; });
      --lingering_;
    }
    for (auto it = queue_.begin(); it != queue_.end() && group.size() < group_size_;) {
      if (joins_(items, *(*it)->item)) {
        group.push_back(*it);
        items.push_back((*it)->item);
        it = queue_.erase(it);
      } else {
        ++it;
      }
    }
    had_company_ = group.size() > 1;
    ++stats_.calls;
    stats_.items += static_cast<int64_t>(group.size());
    stats_.largest = std::max(stats_.largest, static_cast<int64_t>(group.size()));
    if (!queue_.empty() && active_ < leaders_) queue_.front()->cv.notify_one();
    l.unlock();
    std::exception_ptr error;
    try {
      write_(items);
    } catch (...) {
      error = std::current_exception();
    }
    l.lock();
    --active_;
    for (Waiting* w : group) {
      w->error = error;
      w->done = true;
      if (w != &me) w->cv.notify_one();
    }
    if (!queue_.empty()) queue_.front()->cv.notify_one();
  }

  const size_t leaders_, group_size_;
  const std::chrono::microseconds linger_;
  const Joins joins_;
  const Write write_;
  mutable std::mutex mu_;
  std::deque<Waiting*> queue_;
  size_t active_ = 0;
  size_t lingering_ = 0;      // leaders waiting for company now
  bool had_company_ = false;  // the last group taken held more than its leader's item
  std::condition_variable linger_cv_;
  Stats stats_;
};

}  // namespace kehou
