// swipe_group.h (attendance): gates' batches of swipes that wait at the same time stored in one
// call and one commit on PostgreSQL (issue 13 §7, session 20; docs/ARCHITECTURE.md note 27).
#pragma once
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "attendance/store.h"
#include "db/db.h"

namespace kehou::attendance {

// What a batch stored now: uid -> the child (nullopt: unknown card); a uid missing was stored
// before (a resend). Or the failure of this batch alone.
struct StoredBatch {
  std::map<std::string, std::optional<int64_t>> stored;
  std::exception_ptr error;
};

// Stores `group` (batches read and checked already, of any schools and devices; at most one call's
// worth, kMaxSwipeGroup). PostgreSQL: one call (store::IngestSwipeBatchesDirect) in the devices'
// order, so one commit for all, run again on a deadlock or serialization failure; if it fails
// otherwise, each batch is stored on its own (store::IngestSwipesDirect), so a batch that fails
// fails alone. SQLite: each batch in its own Db::Write (its writer already shares commits).
// Nothing is returned before what it says is durable.
std::vector<StoredBatch> StoreSwipeGroup(db::Db& db, const std::vector<store::SwipeBatchIn>& group);

// Stores one gate's batch. SQLite: in its own Db::Write. PostgreSQL: together with the batches other
// threads hand over meanwhile: the
// calling thread either leads a group (it takes every batch waiting, its own first, and stores
// them with StoreSwipeGroup) or waits until a leader has stored its batch. At most kSwipeLeaders
// groups are stored at once, so while one group commits the next one fills. Throws this batch's
// own failure. The waiting threads hold no database connection.
std::map<std::string, std::optional<int64_t>> StoreSwipeBatch(db::Db& db, const store::SwipeBatchIn& batch);

inline constexpr size_t kMaxSwipeGroup = 16;
inline constexpr unsigned kSwipeLeaders = 2;

}  // namespace kehou::attendance
