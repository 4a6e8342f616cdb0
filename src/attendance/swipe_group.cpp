// swipe_group.cpp (attendance): gates' batches that wait at the same time stored in one call and one
// commit on PostgreSQL (swipe_group.h). Why: after session 19 a batch of 50 cost ~2.6 ms of statement
// and a commit whose WAL flush took 0.7-8 ms on this machine; stored together, 8 gates' batches
// pay one flush instead of 8 (figures in docs/ARCHITECTURE.md note 27, session 20).
#include "attendance/swipe_group.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <numeric>

#include "attendance/retry.h"
#include "auth/audit.h"
#include "core/combiner.h"

namespace kehou::attendance {
namespace {

// SQLite: the rows, the device's last_seen_at and the audit row (when a row was stored) in one
// transaction.
std::map<std::string, std::optional<int64_t>> StoreOnSqlite(db::Db& db, const store::SwipeBatchIn& in) {
  return db.Write([&](db::Conn& c) {
    auto stored = store::InsertSwipes(c, in.school_id, in.device_id, *in.rows, in.now_ms);
    store::TouchDevice(c, in.device_id, in.now_ms);
    const auto accepted = std::count_if(stored.begin(), stored.end(), [](const auto& s) { return s.second; });
    const auto unknown = static_cast<int64_t>(stored.size()) - accepted;
    if (!stored.empty()) {
      auth::Principal dev;
      dev.login = "device:" + std::to_string(in.device_id);
      dev.display_name = in.audit->user_name;
      dev.school_id = in.school_id;
      dev.client = in.audit->client;
      const auto duplicate = in.audit->duplicate + static_cast<int64_t>(in.rows->size() - stored.size());
      nlohmann::json a{{"accepted", accepted},
                       {"unknown_card", unknown},
                       {"duplicate", duplicate},
                       {"rejected", in.audit->rejected}};
      auth::Audit(c, dev, {"swipe_batch", "attendance_device", in.device_id, nullptr, &a, in.school_id});
    }
    return stored;
  });
}

StoredBatch StoreAlone(db::Db& db, const store::SwipeBatchIn& in) {
  StoredBatch out;
  try {
    if (db.dialect() != db::Dialect::kPostgres) {
      out.stored = StoreOnSqlite(db, in);
    } else {
      out.stored = WithRetries([&] {
        return db.Direct([&](db::Conn& c) {
          return store::IngestSwipesDirect(c, in.school_id, in.device_id, *in.rows, in.now_ms, *in.audit);
        });
      });
    }
  } catch (...) {
    out.error = std::current_exception();
  }
  return out;
}

// A batch handed to StoreSwipeBatch and not yet stored.
struct Waiting {
  db::Db* db;
  const store::SwipeBatchIn* in;
  StoredBatch out;
};

// A leader's group: this batch and every batch of the same database waiting now, in arrival order.
Combiner<Waiting>& Batches() {
  static Combiner<Waiting> c(
      {kSwipeLeaders, kMaxSwipeGroup},
      [](const std::vector<Waiting*>& g, const Waiting& w) { return w.db == g.front()->db; },
      [](const std::vector<Waiting*>& group) {
        std::vector<store::SwipeBatchIn> ins;
        for (auto* w : group) ins.push_back(*w->in);
        auto results = StoreSwipeGroup(*group.front()->db, ins);
        for (size_t i = 0; i < group.size(); ++i) group[i]->out = std::move(results[i]);
      });
  return c;
}

}  // namespace

std::vector<StoredBatch> StoreSwipeGroup(db::Db& db, const std::vector<store::SwipeBatchIn>& group) {
  std::vector<StoredBatch> out(group.size());
  if (db.dialect() == db::Dialect::kPostgres && group.size() > 1) {
    // The devices' order: two groups stored at once lock the devices' rows in the same order.
    std::vector<size_t> order(group.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return group[a].device_id < group[b].device_id; });
    std::vector<store::SwipeBatchIn> sorted;
    for (size_t i : order) sorted.push_back(group[i]);
    try {
      auto stored = WithRetries(
          [&] { return db.Direct([&](db::Conn& c) { return store::IngestSwipeBatchesDirect(c, sorted); }); });
      for (size_t k = 0; k < order.size(); ++k) out[order[k]].stored = std::move(stored[k]);
      return out;
    } catch (const std::exception&) {
      // One statement: nothing of the group was stored (or, when the connection broke at the
      // commit, all of it: then the rows are answered duplicate below, never stored twice). Each
      // batch on its own below, so a batch that fails (its device gone, a constraint) fails alone.
    }
  }
  for (size_t i = 0; i < group.size(); ++i) out[i] = StoreAlone(db, group[i]);
  return out;
}

std::map<std::string, std::optional<int64_t>> StoreSwipeBatch(db::Db& db, const store::SwipeBatchIn& batch) {
  // SQLite: one transaction of its own (its writer already shares commits between writes).
  if (db.dialect() != db::Dialect::kPostgres) return StoreOnSqlite(db, batch);
  Waiting me{&db, &batch, {}};
  // Whatever else fails in a group's write (memory) is thrown here for every batch of the group.
  Batches().Hand(me);
  if (me.out.error) std::rethrow_exception(me.out.error);
  return std::move(me.out.stored);
}

}  // namespace kehou::attendance
