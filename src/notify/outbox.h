// outbox.h (notify): the notification outbox (issue 13 §6). An event writes its messages into
// `notify_outbox` in the event's own transaction (Enqueue); a worker later hands pending rows to
// a Sender and marks them sent, or counts the failure (failed after kMaxAttempts). One row per
// (school, event key, recipient): the same event never queues, so never sends, twice.
// Senders are pluggable; LocalSender records what it got (demo and tests). The webhook and
// group-robot channels of §6 are further Senders (not built yet).
// Thread-safety: Enqueue runs on the caller's Conn; DeliverPending on a thread-safe Db;
// LocalSender is internally locked.
#pragma once
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::notify {

using Json = nlohmann::json;

inline constexpr int kMaxAttempts = 5;         // a row fails for good after this many tries
inline constexpr int kDeliverBatch = 200;      // rows a DeliverPending call takes at most

struct Recipient {
  std::string kind;  // "guardian" | "staff"
  int64_t id = 0;
};

struct Message {
  int64_t id = 0, school_id = 0;
  std::string event_key, channel, recipient_kind;
  int64_t recipient_id = 0;
  std::string title, body;
};

// Queues one message in the caller's transaction. False when this event already has a row for
// this recipient (nothing written).
bool Enqueue(db::Conn& c, int64_t school_id, std::string_view event_key, const Recipient& to,
             std::string_view title, std::string_view body, int64_t now_ms);

// A delivery channel. Send returns an error to have the row retried later.
class Sender {
 public:
  virtual ~Sender() = default;
  virtual Status Send(const Message& m) = 0;
};

// Records every message it is given (the demo's and the tests' receiver).
class LocalSender final : public Sender {
 public:
  Status Send(const Message& m) override;
  std::vector<Message> Received() const;

 private:
  mutable std::mutex mu_;
  std::vector<Message> received_;
};

struct Delivery {
  int sent = 0, failed = 0, retried = 0;
};
// Hands up to `limit` pending rows (oldest first) to the sender; each outcome is written back
// (sent_at, or attempts + last_error, status failed at kMaxAttempts).
Delivery DeliverPending(db::Db& db, Sender& sender, int64_t now_ms, int limit = kDeliverBatch);

// GET /notify/outbox (the office): {items:[{id, event_key, channel, recipient_kind, recipient_id,
// title, status, attempts, last_error, created_at, sent_at}], total}; filter status.
Result<Json> ListOutbox(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<std::string> status, int64_t page, int64_t size);

}  // namespace kehou::notify
