#include "notify/store.h"

namespace kehou::notify::store {
namespace {

constexpr const char* kInsert =
    "INSERT INTO notify_outbox (school_id, event_key, recipient_kind, recipient_id, title, body, created_at, channel)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    " ON CONFLICT (school_id, event_key, recipient_kind, recipient_id) DO NOTHING";
constexpr const char* kGuardianChannel = "SELECT channel FROM notify_preferences WHERE guardian_id = $1";
constexpr const char* kStaffChannel = "SELECT staff_channel FROM notify_settings WHERE school_id = $1";
// The claim: due rows whose lease has run out get a new lease, in one statement. PostgreSQL skips
// rows another server's claim has locked; SQLite has one writer, so the statement is alone.
constexpr const char* kClaimPg =
    "UPDATE notify_outbox SET lease_until = $2 WHERE id IN (SELECT id FROM notify_outbox"
    " WHERE status = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1 ORDER BY id LIMIT $3"
    " FOR UPDATE SKIP LOCKED)"
    " RETURNING id, school_id, event_key, channel, recipient_kind, recipient_id, title, body";
constexpr const char* kClaimSqlite =
    "UPDATE notify_outbox SET lease_until = $2 WHERE id IN (SELECT id FROM notify_outbox"
    " WHERE status = 'pending' AND next_attempt_at <= $1 AND lease_until <= $1 ORDER BY id LIMIT $3)"
    " RETURNING id, school_id, event_key, channel, recipient_kind, recipient_id, title, body";
constexpr const char* kMarkSent =
    "UPDATE notify_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1, lease_until = 0"
    " WHERE id = $1 AND status = 'pending'";
constexpr const char* kMarkFailed =
    "UPDATE notify_outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $4, lease_until = 0,"
    " status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END WHERE id = $1 AND status = 'pending'";
constexpr const char* kAttempts = "SELECT attempts FROM notify_outbox WHERE id = $1";
constexpr const char* kRelease = "UPDATE notify_outbox SET lease_until = 0 WHERE id = $1 AND status = 'pending'";
constexpr const char* kRowCols =
    "SELECT o.id, o.event_key, o.channel, o.recipient_kind, o.recipient_id, o.title, o.status, o.attempts,"
    " o.last_error, o.created_at, o.sent_at, o.body, o.next_attempt_at,"
    " COALESCE(g.name, s.name, '') FROM notify_outbox o"
    " LEFT JOIN guardians g ON o.recipient_kind = 'guardian' AND g.id = o.recipient_id"
    " LEFT JOIN staff s ON o.recipient_kind = 'staff' AND s.id = o.recipient_id"
    " WHERE o.school_id = $1 AND ($2 = '' OR o.status = $2) ORDER BY o.id DESC";
constexpr const char* kRowPage = " LIMIT $3 OFFSET $4";
constexpr const char* kCount = "SELECT COUNT(*) FROM notify_outbox WHERE school_id = $1 AND ($2 = '' OR status = $2)";
constexpr const char* kOne = "SELECT status, attempts, last_error FROM notify_outbox WHERE id = $1 AND school_id = $2";
constexpr const char* kRetry =
    "UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = 0"
    " WHERE id = $1 AND status = 'failed'";

constexpr const char* kInbox =
    "SELECT id, title, body, sent_at, read_at FROM notify_outbox WHERE recipient_kind = $1 AND recipient_id = $2"
    " AND channel = 'in_app' AND status = 'sent' ORDER BY id DESC LIMIT $3 OFFSET $4";
constexpr const char* kInboxCount =
    "SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at IS NULL THEN 1 ELSE 0 END), 0) FROM notify_outbox"
    " WHERE recipient_kind = $1 AND recipient_id = $2 AND channel = 'in_app' AND status = 'sent'";
constexpr const char* kInboxOne =
    "SELECT read_at, school_id FROM notify_outbox WHERE id = $1 AND recipient_kind = $2 AND recipient_id = $3"
    " AND channel = 'in_app' AND status = 'sent'";
constexpr const char* kMarkRead = "UPDATE notify_outbox SET read_at = $2 WHERE id = $1 AND read_at IS NULL";
constexpr const char* kPrefUpsert =
    "INSERT INTO notify_preferences (guardian_id, channel, updated_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (guardian_id) DO UPDATE SET channel = excluded.channel, updated_at = excluded.updated_at";
constexpr const char* kSettings =
    "SELECT webhook_url, webhook_secret, wecom_url, dingtalk_url, dingtalk_secret, staff_channel FROM notify_settings"
    " WHERE school_id = $1";
constexpr const char* kSettingsUpsert =
    "INSERT INTO notify_settings (school_id, webhook_url, webhook_secret, wecom_url, dingtalk_url, dingtalk_secret,"
    " staff_channel, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (school_id) DO UPDATE SET"
    " webhook_url = excluded.webhook_url, webhook_secret = excluded.webhook_secret, wecom_url = excluded.wecom_url,"
    " dingtalk_url = excluded.dingtalk_url, dingtalk_secret = excluded.dingtalk_secret,"
    " staff_channel = excluded.staff_channel, updated_at = excluded.updated_at";
constexpr const char* kDeliverySettings =
    "SELECT webhook_url, webhook_secret, wecom_url, dingtalk_url, dingtalk_secret FROM notify_settings"
    " WHERE school_id = $1";
constexpr const char* kMobile = "SELECT mobile FROM guardians WHERE id = $1";

std::optional<std::string> OneText(db::Conn& c, const char* sql, int64_t key) {
  auto r = c.QueryOne(sql, {key});
  if (!r) return std::nullopt;
  return r->Text(0);
}

OutboxRow ReadOutboxRow(const db::Row& r) {
  OutboxRow o;
  o.id = r.Int(0);
  o.event_key = r.Text(1);
  o.channel = r.Text(2);
  o.recipient_kind = r.Text(3);
  o.recipient_id = r.Int(4);
  o.title = r.Text(5);
  o.status = r.Text(6);
  o.attempts = r.Int(7);
  o.last_error = r.Text(8);
  o.created_at = r.Int(9);
  if (!r.IsNull(10)) o.sent_at = r.Int(10);
  o.body = r.Text(11);
  o.next_attempt_at = r.Int(12);
  o.recipient_name = r.Text(13);
  return o;
}

}  // namespace

int64_t InsertOutbox(db::Conn& c, const NewOutboxRow& r) {
  return c.Exec(kInsert,
                {r.school_id, r.event_key, r.recipient_kind, r.recipient_id, r.title, r.body, r.created_at, r.channel});
}

std::optional<std::string> GuardianChannel(db::Conn& c, int64_t guardian_id) {
  return OneText(c, kGuardianChannel, guardian_id);
}

std::optional<std::string> StaffChannel(db::Conn& c, int64_t school_id) { return OneText(c, kStaffChannel, school_id); }

std::vector<Message> ClaimDue(db::Conn& c, int64_t now_ms, int64_t lease_until, int64_t limit) {
  std::vector<Message> out;
  const char* sql = c.dialect() == db::Dialect::kPostgres ? kClaimPg : kClaimSqlite;
  for (auto& r : c.Query(sql, {now_ms, lease_until, limit}))
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6), r.Text(7)});
  return out;
}

int64_t MarkSent(db::Conn& c, int64_t id, int64_t now_ms) { return c.Exec(kMarkSent, {id, now_ms}); }

std::optional<int64_t> Attempts(db::Conn& c, int64_t id) {
  auto r = c.QueryOne(kAttempts, {id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

void MarkFailed(db::Conn& c, int64_t id, const std::string& error, int64_t max_attempts, int64_t next_attempt_at) {
  c.Exec(kMarkFailed, {id, error, max_attempts, next_attempt_at});
}

void Release(db::Conn& c, int64_t id) { c.Exec(kRelease, {id}); }

std::vector<OutboxRow> OutboxPage(db::Conn& c, int64_t school_id, const std::string& status, int64_t limit,
                                  int64_t offset) {
  std::vector<OutboxRow> out;
  for (auto& r : c.Query(std::string(kRowCols) + kRowPage, {school_id, status, limit, offset}))
    out.push_back(ReadOutboxRow(r));
  return out;
}

std::vector<OutboxRow> OutboxRows(db::Conn& c, int64_t school_id, const std::string& status) {
  std::vector<OutboxRow> out;
  for (auto& r : c.Query(kRowCols, {school_id, status})) out.push_back(ReadOutboxRow(r));
  return out;
}

int64_t CountOutbox(db::Conn& c, int64_t school_id, const std::string& status) {
  return c.QueryOne(kCount, {school_id, status})->Int(0);
}

std::optional<OutboxState> OutboxStateOf(db::Conn& c, int64_t id, int64_t school_id) {
  auto r = c.QueryOne(kOne, {id, school_id});
  if (!r) return std::nullopt;
  return OutboxState{r->Text(0), r->Int(1), r->Text(2)};
}

void RetryOutbox(db::Conn& c, int64_t id, int64_t now_ms) { c.Exec(kRetry, {id, now_ms}); }

std::vector<InboxRow> InboxPage(db::Conn& c, const std::string& kind, int64_t recipient_id, int64_t limit,
                                int64_t offset) {
  std::vector<InboxRow> out;
  for (auto& r : c.Query(kInbox, {kind, recipient_id, limit, offset}))
    out.push_back(InboxRow{r.Int(0), r.Text(1), r.Text(2), r.OptInt(3), r.OptInt(4)});
  return out;
}

InboxCount CountInbox(db::Conn& c, const std::string& kind, int64_t recipient_id) {
  auto n = c.QueryOne(kInboxCount, {kind, recipient_id});
  return InboxCount{n->Int(0), n->Int(1)};
}

std::optional<InboxMessage> InboxMessageOf(db::Conn& c, int64_t id, const std::string& kind, int64_t recipient_id) {
  auto r = c.QueryOne(kInboxOne, {id, kind, recipient_id});
  if (!r) return std::nullopt;
  return InboxMessage{r->OptInt(0), r->Int(1)};
}

void MarkRead(db::Conn& c, int64_t id, int64_t now_ms) { c.Exec(kMarkRead, {id, now_ms}); }

void UpsertPreference(db::Conn& c, int64_t guardian_id, const std::string& channel, int64_t now_ms) {
  c.Exec(kPrefUpsert, {guardian_id, channel, now_ms});
}

std::optional<SettingsRow> SettingsOf(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kSettings, {school_id});
  if (!r) return std::nullopt;
  return SettingsRow{r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4), r->Text(5)};
}

void UpsertSettings(db::Conn& c, int64_t school_id, const SettingsRow& s, int64_t now_ms) {
  c.Exec(kSettingsUpsert, {school_id, s.webhook_url, s.webhook_secret, s.wecom_url, s.dingtalk_url, s.dingtalk_secret,
                           s.staff_channel, now_ms});
}

std::optional<SettingsRow> DeliverySettingsOf(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kDeliverySettings, {school_id});
  if (!r) return std::nullopt;
  SettingsRow s;
  s.webhook_url = r->Text(0);
  s.webhook_secret = r->Text(1);
  s.wecom_url = r->Text(2);
  s.dingtalk_url = r->Text(3);
  s.dingtalk_secret = r->Text(4);
  return s;
}

std::optional<std::string> GuardianMobile(db::Conn& c, int64_t guardian_id) { return OneText(c, kMobile, guardian_id); }

}  // namespace kehou::notify::store
