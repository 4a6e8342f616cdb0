// Per-request timings for diagnosis only (KEHOU_TRACE=<file>: `kehou serve` appends one line per
// request). The server opens a Record on the worker's thread; the drivers add to it what the
// request spent waiting for a connection or the writer, in statements and in its commit.
// Off (no file): one thread_local pointer test per statement.
#pragma once
#include <chrono>
#include <cstdint>

namespace kehou::db::trace {

struct Record {
  int64_t pool_wait_us = 0;    // waiting for a pooled connection (PostgreSQL; SQLite readers)
  int64_t stmts = 0;           // statements run on this thread (PostgreSQL; SQLite readers)
  int64_t stmt_us = 0;         // their time, round trips included
  int64_t commit_us = 0;       // PostgreSQL: COMMIT; SQLite: the group's COMMIT this write waited for
  int64_t writer_wait_us = 0;  // SQLite: queued before the group holding this write began
  int64_t group_us = 0;        // SQLite: the group's run before its COMMIT (others' writes included)
  int64_t own_us = 0;          // SQLite: this write's own function inside the group
  int64_t group_size = 0;      // SQLite: writes in that group
  int64_t round_trips = 0;     // PostgreSQL: waits for the server's answer (a pipeline counts once)
};

inline thread_local Record* current = nullptr;

inline void CountRoundTrip() {
  if (current) ++current->round_trips;
}

inline int64_t NowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Adds the time from construction to destruction to `*into`; nothing when `into` is null (off).
struct Elapsed {
  int64_t* into;
  int64_t t0;
  explicit Elapsed(int64_t* i) : into(i), t0(i ? NowUs() : 0) {}
  ~Elapsed() {
    if (into) *into += NowUs() - t0;
  }
};

// A field of the current record, or null when this thread traces nothing.
inline int64_t* Field(int64_t Record::*f) { return current ? &(current->*f) : nullptr; }

// A SQLite write's times in the group commit (db/sqlite.cpp stamps them; 0: not traced): queued,
// its group began, the group's COMMIT began; its own function's time; the group's size.
struct GroupWrite {
  int64_t queued = 0, group = 0, commit = 0, own = 0, size = 0;
  void AddTo(Record* r) const {
    if (!r || !queued || !group) return;
    r->writer_wait_us += group - queued;
    r->group_us += commit - group;
    r->commit_us += NowUs() - commit;
    r->own_us += own;
    r->group_size += size;
  }
};

}  // namespace kehou::db::trace
