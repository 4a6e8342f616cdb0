// take_group.cpp (select): takes and drops written together (take_group.h), by the house's combiner
// (core/combiner.h).
#include "select/take_group.h"

#include <algorithm>
#include <cstdlib>
#include <exception>
#include <vector>

#include "core/combiner.h"
#include "core/env.h"

namespace kehou::select::take_group {
namespace {

// A take or drop handed over and not yet answered.
struct Waiting {
  db::Db* db = nullptr;
  store::SeatWriteIn write;
  int64_t student = 0;
  store::SeatWrite out;
  std::exception_ptr error;
};

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
      // One statement: nothing of the group was written. Each write alone below.
    }
  }
  for (Waiting* w : group) WriteAlone(*w);
}

// The same database, one write a child.
bool Joins(const std::vector<Waiting*>& group, const Waiting& w) {
  return w.db == group.front()->db &&
         std::none_of(group.begin(), group.end(), [&](const Waiting* g) { return g->student == w.student; });
}

Combiner<Waiting>& Takes() {
  static Combiner<Waiting> c({Groups(), GroupSize(), Linger()}, Joins, WriteGroup);
  return c;
}

}  // namespace

Stats GetStats() {
  auto s = Takes().GetStats();
  return {s.calls, s.items, s.largest, s.waiting};
}

size_t Groups() {
  static const size_t n = SizeFromEnv("KEHOU_PG_TAKE_GROUPS", kTakeGroupsDefault);
  return n;
}

size_t GroupSize() {
  static const size_t n = SizeFromEnv("KEHOU_PG_TAKE_GROUP_SIZE", kMaxTakeGroup);
  return n;
}

std::chrono::microseconds Linger() {
  static const std::chrono::microseconds us = [] {
    const char* v = std::getenv("KEHOU_PG_TAKE_LINGER_US");
    if (!v || !*v) return kTakeLinger;
    return std::chrono::microseconds{std::max(0L, std::strtol(v, nullptr, 10))};
  }();
  return us;
}

store::SeatWrite Write(db::Db& db, store::SeatWriteIn write, int64_t student_id) {
  Waiting me;
  me.db = &db;
  me.write = write;
  me.student = student_id;
  if (GroupSize() <= 1) WriteAlone(me);
  else Takes().Hand(me);
  if (me.error) std::rethrow_exception(me.error);
  return std::move(me.out);
}

}  // namespace kehou::select::take_group
