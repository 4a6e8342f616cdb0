// take_group.cpp (select): takes and drops written together (take_group.h).
#include "select/take_group.h"

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace kehou::select::take_group {
namespace {

size_t FromEnv(const char* name, size_t fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::max<size_t>(1, std::strtoul(v, nullptr, 10));
}

// A take handed over and not yet answered. Each waits on its own condition, so an answered group
// wakes its own takes and at most one more thread (the next leader), never every waiting thread
// (session 14: a notify_all per return cost the servers 0.19 -> 0.76 ms a write).
struct Waiting {
  db::Db* db = nullptr;
  store::SeatWriteIn write;
  int64_t student = 0;
  store::SeatWrite out;
  std::exception_ptr error;
  bool done = false;
  std::condition_variable cv;
};
std::mutex g_mu;
std::deque<Waiting*> g_queue;
size_t g_leaders = 0;
Stats g_stats;  // calls, takes, largest (under g_mu)

void WriteAlone(Waiting& w) {
  try {
    w.out = w.db->Direct([&](db::Conn& c) { return store::SeatWritesPg(c, {w.write})[0]; });
  } catch (...) {
    w.error = std::current_exception();
  }
}

void WriteGroup(const std::vector<Waiting*>& group) {
  if (group.size() > 1) {
    std::vector<store::SeatWriteIn> writes;
    for (const Waiting* w : group) writes.push_back(w->write);
    try {
      auto outs = group.front()->db->Direct([&](db::Conn& c) { return store::SeatWritesPg(c, writes); });
      for (size_t i = 0; i < group.size(); ++i) group[i]->out = std::move(outs[i]);
      return;
    } catch (const std::exception&) {
      // One statement: nothing of the group was written. Each take alone below.
    }
  }
  for (Waiting* w : group) WriteAlone(*w);
}

// Called with g_mu held by a thread whose take is queued: takes its own and the others waiting
// (the same database, one a child, in arrival order), writes them, answers them.
void Lead(std::unique_lock<std::mutex>& l, Waiting& me) {
  std::vector<Waiting*> group{&me};
  g_queue.erase(std::find(g_queue.begin(), g_queue.end(), &me));
  for (auto it = g_queue.begin(); it != g_queue.end() && group.size() < GroupSize();) {
    Waiting* w = *it;
    bool same_child =
        std::any_of(group.begin(), group.end(), [&](const Waiting* g) { return g->student == w->student; });
    if (w->db == me.db && !same_child) {
      group.push_back(w);
      it = g_queue.erase(it);
    } else {
      ++it;
    }
  }
  ++g_leaders;
  ++g_stats.calls;
  g_stats.takes += static_cast<int64_t>(group.size());
  g_stats.largest = std::max(g_stats.largest, static_cast<int64_t>(group.size()));
  if (!g_queue.empty() && g_leaders < Groups()) g_queue.front()->cv.notify_one();
  l.unlock();
  WriteGroup(group);
  l.lock();
  --g_leaders;
  for (Waiting* w : group) {
    w->done = true;
    if (w != &me) w->cv.notify_one();
  }
  if (!g_queue.empty()) g_queue.front()->cv.notify_one();
}

}  // namespace

Stats GetStats() {
  std::lock_guard l(g_mu);
  Stats s = g_stats;
  s.waiting = static_cast<int64_t>(g_queue.size());
  return s;
}

size_t Groups() {
  static const size_t n = FromEnv("KEHOU_PG_TAKE_GROUPS", std::max(1u, std::thread::hardware_concurrency()));
  return n;
}

size_t GroupSize() {
  static const size_t n = FromEnv("KEHOU_PG_TAKE_GROUP_SIZE", kMaxTakeGroup);
  return n;
}

store::SeatWrite Write(db::Db& db, store::SeatWriteIn write, int64_t student_id) {
  Waiting me;
  me.db = &db;
  me.write = write;
  me.student = student_id;
  if (GroupSize() <= 1) {
    WriteAlone(me);
  } else {
    std::unique_lock l(g_mu);
    g_queue.push_back(&me);
    while (!me.done) {
      bool queued = std::find(g_queue.begin(), g_queue.end(), &me) != g_queue.end();
      if (queued && g_leaders < Groups()) Lead(l, me);
      else me.cv.wait(l);
    }
  }
  if (me.error) std::rethrow_exception(me.error);
  return std::move(me.out);
}

}  // namespace kehou::select::take_group
