#include "notify/outbox.h"

#include "auth/audit.h"
#include "core/time.h"
#include "notify/rules.h"

namespace kehou::notify {
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
constexpr const char* kCount = "SELECT COUNT(*) FROM notify_outbox WHERE school_id = $1 AND ($2 = '' OR status = $2)";
constexpr const char* kOne = "SELECT status, attempts, last_error FROM notify_outbox WHERE id = $1 AND school_id = $2";
constexpr const char* kRetry =
    "UPDATE notify_outbox SET status = 'pending', attempts = 0, next_attempt_at = $2, lease_until = 0"
    " WHERE id = $1 AND status = 'failed'";

std::string ResolveChannel(db::Conn& c, int64_t school_id, const Recipient& to) {
  if (to.kind == "guardian") {
    if (auto r = c.QueryOne(kGuardianChannel, {to.id})) return r->Text(0);
  } else if (auto r = c.QueryOne(kStaffChannel, {school_id})) {
    return r->Text(0);
  }
  return std::string(kInApp);
}

Status CheckStatus(const std::optional<std::string>& status) {
  if (status && !status->empty() && *status != "pending" && *status != "sent" && *status != "failed")
    return Error::Invalid("状态只能是 pending、sent 或 failed", "status must be pending, sent or failed", "status");
  return Ok();
}

}  // namespace

bool Enqueue(db::Conn& c, int64_t school_id, std::string_view event_key, const Recipient& to, std::string_view title,
             std::string_view body, int64_t now_ms, std::optional<std::string_view> channel) {
  std::string ch = channel ? std::string(*channel) : ResolveChannel(c, school_id, to);
  return c.Exec(kInsert, {school_id, std::string(event_key), to.kind, to.id, std::string(title), std::string(body),
                          now_ms, ch}) == 1;
}

Status LocalSender::Send(const Message& m) {
  std::lock_guard lock(mu_);
  received_.push_back(m);
  return Ok();
}

std::vector<Message> LocalSender::Received() const {
  std::lock_guard lock(mu_);
  return received_;
}

std::vector<Message> Claim(db::Db& db, int64_t now_ms, int limit) {
  return db.Write([&](db::Conn& c) {
    std::vector<Message> out;
    const char* sql = c.dialect() == db::Dialect::kPostgres ? kClaimPg : kClaimSqlite;
    for (auto& r : c.Query(sql, {now_ms, now_ms + kLeaseMs, static_cast<int64_t>(limit)}))
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6), r.Text(7)});
    std::sort(out.begin(), out.end(), [](const Message& a, const Message& b) { return a.id < b.id; });
    return out;
  });
}

Delivery DeliverPending(db::Db& db, Sender& sender, int64_t now_ms, int limit, const std::atomic<bool>* running) {
  Delivery d;
  int taken = 0;
  while (taken < limit) {
    std::vector<Message> batch = Claim(db, now_ms, std::min(kClaimBatch, limit - taken));
    if (batch.empty()) break;
    taken += static_cast<int>(batch.size());
    for (size_t i = 0; i < batch.size(); ++i) {
      const Message& m = batch[i];
      if (running && !running->load()) {  // stopping: the rest go back for the next server
        db.Write([&](db::Conn& c) {
          for (size_t j = i; j < batch.size(); ++j) c.Exec(kRelease, {batch[j].id});
        });
        return d;
      }
      Status s = Ok();
      try {
        s = sender.Send(m);
      } catch (const std::exception& e) {
        s = Error::Unavailable(std::string("发送出错：") + e.what(), e.what());
      }
      db.Write([&](db::Conn& c) {
        if (s.ok()) {
          if (c.Exec(kMarkSent, {m.id, now_ms}) == 1) ++d.sent;
          return;
        }
        auto a = c.QueryOne(kAttempts, {m.id});
        int attempts = a ? static_cast<int>(a->Int(0)) + 1 : 1;
        c.Exec(kMarkFailed,
               {m.id, s.error().message, static_cast<int64_t>(kMaxAttempts), now_ms + BackoffMs(attempts)});
        if (attempts >= kMaxAttempts) ++d.failed;
        else ++d.retried;
      });
    }
  }
  return d;
}

Result<Json> ListOutbox(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<std::string> status, int64_t page, int64_t size) {
  KEHOU_TRY(CheckStatus(status));
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::string st = status.value_or("");
    Json items = Json::array();
    for (auto& r : c.Query(std::string(kRowCols) + " LIMIT $3 OFFSET $4", {sid, st, size, (page - 1) * size}))
      items.push_back(
          {{"id", r.Int(0)},
           {"event_key", r.Text(1)},
           {"channel", r.Text(2)},
           {"recipient_kind", r.Text(3)},
           {"recipient_id", r.Int(4)},
           {"title", r.Text(5)},
           {"status", r.Text(6)},
           {"attempts", r.Int(7)},
           {"last_error", r.Text(8)},
           {"created_at", FormatInstant(r.Int(9))},
           {"sent_at", r.IsNull(10) ? Json() : Json(FormatInstant(r.Int(10)))},
           {"body", r.Text(11)},  // the text sent in the school's name, as an SMS log shows it
           {"next_attempt_at", r.Text(6) == "pending" && r.Int(12) > 0 ? Json(FormatInstant(r.Int(12))) : Json()},
           {"recipient_name", r.Text(13)}});
    return Json{{"items", items}, {"total", c.QueryOne(kCount, {sid, st})->Int(0)}};
  });
}

Result<std::vector<std::vector<std::string>>> OutboxTable(db::Db& db, const auth::Principal& who,
                                                          std::optional<int64_t> school,
                                                          std::optional<std::string> status) {
  KEHOU_TRY(CheckStatus(status));
  return db.Read([&](db::Conn& c) -> Result<std::vector<std::vector<std::string>>> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::vector<std::vector<std::string>> rows;
    for (auto& r : c.Query(kRowCols, {sid, status.value_or("")}))
      rows.push_back({std::to_string(r.Int(0)), FormatLocalMinute(r.Int(9)), r.Text(2),
                      r.Text(3) == "guardian" ? "家长" : "教职工", r.Text(13), r.Text(5), r.Text(11), r.Text(6),
                      std::to_string(r.Int(7)), r.Text(8), r.IsNull(10) ? "" : FormatLocalMinute(r.Int(10))});
    return rows;
  });
}

Result<Json> Retry(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id, int64_t now_ms) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto row = c.QueryOne(kOne, {id, sid});
    if (!row) return Error::NotFound("没有这条通知", "no such notification");
    if (row->Text(0) != "failed")
      return Error::Conflict("只有发送失败的通知可以重发", "only a failed notification can be retried", "status");
    c.Exec(kRetry, {id, now_ms});
    Json before{{"status", "failed"}, {"attempts", row->Int(1)}, {"last_error", row->Text(2)}};
    Json after{{"status", "pending"}, {"attempts", 0}};
    auth::Audit(c, who, {"retry", "notify_outbox", id, &before, &after, sid});
    return Json{{"id", id}, {"status", "pending"}};
  });
}

}  // namespace kehou::notify
