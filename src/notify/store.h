// store.h (notify): ALL the SQL of the module (portable: SQLite 3.40 and PostgreSQL 15, $1..$n),
// with row structs and loaders: the outbox and its delivery (outbox.cpp), the inbox, preferences
// and school settings (inbox.cpp), the channels' addresses (channels.cpp).
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"
#include "notify/outbox.h"

namespace kehou::notify::store {

// ---- the outbox
struct NewOutboxRow {
  int64_t school_id = 0;
  std::string event_key;
  std::string recipient_kind;
  int64_t recipient_id = 0;
  std::string title;
  std::string body;
  int64_t created_at = 0;
  std::string channel;
};
// Returns the rows written: 0 when this event already has a row for this recipient.
int64_t InsertOutbox(db::Conn& c, const NewOutboxRow& r);
// The guardian's chosen channel (notify_preferences), the school's staff channel (notify_settings).
std::optional<std::string> GuardianChannel(db::Conn& c, int64_t guardian_id);
std::optional<std::string> StaffChannel(db::Conn& c, int64_t school_id);

// The claim: due rows whose lease has run out get a new lease (until lease_until), in one statement
// (PostgreSQL skips rows another server's claim has locked; SQLite has one writer). In the order the
// database returns them.
std::vector<Message> ClaimDue(db::Conn& c, int64_t now_ms, int64_t lease_until, int64_t limit);
// Returns the rows changed (0 when the row was no longer pending).
int64_t MarkSent(db::Conn& c, int64_t id, int64_t now_ms);
std::optional<int64_t> Attempts(db::Conn& c, int64_t id);
// One more attempt with its error; failed for good at max_attempts, else pending until next_attempt_at.
void MarkFailed(db::Conn& c, int64_t id, const std::string& error, int64_t max_attempts, int64_t next_attempt_at);
// A claimed row goes back (its lease ends now).
void Release(db::Conn& c, int64_t id);

// The office's list (newest first), filtered by status ("" any).
struct OutboxRow {
  int64_t id = 0;
  std::string event_key;
  std::string channel;
  std::string recipient_kind;
  int64_t recipient_id = 0;
  std::string title;
  std::string status;
  int64_t attempts = 0;
  std::string last_error;
  int64_t created_at = 0;
  std::optional<int64_t> sent_at;
  std::string body;
  int64_t next_attempt_at = 0;
  std::string recipient_name;
};
std::vector<OutboxRow> OutboxPage(db::Conn& c, int64_t school_id, const std::string& status, int64_t limit,
                                  int64_t offset);
std::vector<OutboxRow> OutboxRows(db::Conn& c, int64_t school_id, const std::string& status);
int64_t CountOutbox(db::Conn& c, int64_t school_id, const std::string& status);
struct OutboxState {
  std::string status;
  int64_t attempts = 0;
  std::string last_error;
};
std::optional<OutboxState> OutboxStateOf(db::Conn& c, int64_t id, int64_t school_id);
// A failed row goes back to pending, its attempts from 0, due at now_ms.
void RetryOutbox(db::Conn& c, int64_t id, int64_t now_ms);

// ---- the inbox: a recipient's in-app messages that were sent
struct InboxRow {
  int64_t id = 0;
  std::string title;
  std::string body;
  std::optional<int64_t> sent_at;
  std::optional<int64_t> read_at;
};
std::vector<InboxRow> InboxPage(db::Conn& c, const std::string& kind, int64_t recipient_id, int64_t limit,
                                int64_t offset);
struct InboxCount {
  int64_t total = 0;
  int64_t unread = 0;
};
InboxCount CountInbox(db::Conn& c, const std::string& kind, int64_t recipient_id);
struct InboxMessage {
  std::optional<int64_t> read_at;
  int64_t school_id = 0;
};
std::optional<InboxMessage> InboxMessageOf(db::Conn& c, int64_t id, const std::string& kind, int64_t recipient_id);
void MarkRead(db::Conn& c, int64_t id, int64_t now_ms);

// ---- a guardian's channel and a school's settings
void UpsertPreference(db::Conn& c, int64_t guardian_id, const std::string& channel, int64_t now_ms);
struct SettingsRow {
  std::string webhook_url;
  std::string webhook_secret;
  std::string wecom_url;
  std::string dingtalk_url;
  std::string dingtalk_secret;
  std::string staff_channel = "in_app";
};
std::optional<SettingsRow> SettingsOf(db::Conn& c, int64_t school_id);
void UpsertSettings(db::Conn& c, int64_t school_id, const SettingsRow& s, int64_t now_ms);
// What a delivery needs: the addresses and secrets (staff_channel left as its default), the
// guardian's mobile.
std::optional<SettingsRow> DeliverySettingsOf(db::Conn& c, int64_t school_id);
std::optional<std::string> GuardianMobile(db::Conn& c, int64_t guardian_id);

}  // namespace kehou::notify::store
