// retry.h (attendance): a PostgreSQL call through db::Db::Direct run again after a retryable failure.
// Db::Direct leaves retrying to its caller (db/db.h); the gates' batches (swipe_group.cpp) and the
// roll save's one call (service.cpp) retry the same way.
#pragma once
#include "db/db.h"

namespace kehou::attendance {

// Runs of such a call after a deadlock or serialization failure.
inline constexpr int kDirectAttempts = 3;

// f() is one statement (nothing was stored when it failed): a deadlock or serialization failure
// runs it again, up to kDirectAttempts in all; any other failure, or the last, is thrown.
template <class F>
auto WithRetries(F&& f) {
  for (int attempt = 1;; ++attempt) {
    try {
      return f();
    } catch (const db::DbError& e) {
      if (!e.retryable || attempt >= kDirectAttempts) throw;
    }
  }
}

}  // namespace kehou::attendance
