// outbox.h (notify): the notification outbox (issue 13 §6). An event writes its messages into
// `notify_outbox` in the event's own transaction (Enqueue); the delivery worker (worker.h) claims
// due rows with a lease (PostgreSQL: FOR UPDATE SKIP LOCKED, so two servers never take one row;
// SQLite: the one writer), hands them to a Sender (channels.h: in-app, SMS gateway, webhook,
// WeCom, DingTalk) and marks them sent, or counts the failure and waits BackoffMs (rules.h)
// before the next try (failed after kMaxAttempts; the office retries from 通知发送).
// One row per (school, event key, recipient): the same event never queues, so never sends, twice.
// LocalSender records what it got (demo and unit tests).
// Thread-safety: Enqueue runs on the caller's Conn; the rest on a thread-safe Db;
// LocalSender is internally locked.
#pragma once
#include <atomic>
#include <cstdint>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::notify {

using Json = nlohmann::json;

inline constexpr int kMaxAttempts = 5;     // a row fails for good after this many tries
inline constexpr int kDeliverBatch = 200;  // rows a DeliverPending call takes at most

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

// Queues one message in the caller's transaction. The channel is `channel` when given (an SMS
// code is always "sms"), else the guardian's choice (notify_preferences, in-app by default) or
// the school's staff channel (notify_settings). False when this event already has a row for
// this recipient (nothing written).
bool Enqueue(db::Conn& c, int64_t school_id, std::string_view event_key, const Recipient& to, std::string_view title,
             std::string_view body, int64_t now_ms, std::optional<std::string_view> channel = std::nullopt);

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

// Takes up to `limit` due rows (pending, next_attempt_at <= now, lease expired), oldest first,
// leasing them for kLeaseMs: no other claim returns them until the lease ends or they are marked.
std::vector<Message> Claim(db::Db& db, int64_t now_ms, int limit);

struct Delivery {
  int sent = 0, failed = 0, retried = 0;
};
// Claims due rows in batches of kClaimBatch (up to `limit`), hands each to the sender and writes
// the outcome (sent_at; or attempts + last_error + next_attempt_at, failed at kMaxAttempts).
// Stops early when *running turns false; the rows claimed but not tried are released.
Delivery DeliverPending(db::Db& db, Sender& sender, int64_t now_ms, int limit = kDeliverBatch,
                        const std::atomic<bool>* running = nullptr);

// GET /notify/outbox (the office): {items:[{id, event_key, channel, recipient_kind, recipient_id,
// recipient_name, title, status, attempts, last_error, created_at, sent_at, next_attempt_at,
// body}], total}; filter status.
Result<Json> ListOutbox(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<std::string> status, int64_t page, int64_t size);
// The same rows as a table (export): header + rows of text (the http layer makes the XLSX).
Result<std::vector<std::vector<std::string>>> OutboxTable(db::Db& db, const auth::Principal& who,
                                                          std::optional<int64_t> school,
                                                          std::optional<std::string> status);
// POST /notify/outbox/:id/retry: a failed row goes back to pending with a fresh schedule (audited).
Result<Json> Retry(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id, int64_t now_ms);

}  // namespace kehou::notify
