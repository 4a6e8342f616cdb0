#include "notify/outbox.h"

#include "auth/audit.h"
#include "core/time.h"

namespace kehou::notify {
namespace {

constexpr const char* kInsert =
    "INSERT INTO notify_outbox (school_id, event_key, recipient_kind, recipient_id, title, body, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7)"
    " ON CONFLICT (school_id, event_key, recipient_kind, recipient_id) DO NOTHING";
constexpr const char* kPending =
    "SELECT id, school_id, event_key, channel, recipient_kind, recipient_id, title, body"
    " FROM notify_outbox WHERE status = 'pending' ORDER BY id LIMIT $1";
constexpr const char* kMarkSent =
    "UPDATE notify_outbox SET status = 'sent', sent_at = $2, attempts = attempts + 1 WHERE id = $1 AND status = 'pending'";
constexpr const char* kMarkFailed =
    "UPDATE notify_outbox SET attempts = attempts + 1, last_error = $2,"
    " status = CASE WHEN attempts + 1 >= $3 THEN 'failed' ELSE 'pending' END WHERE id = $1 AND status = 'pending'";
constexpr const char* kList =
    "SELECT id, event_key, channel, recipient_kind, recipient_id, title, status, attempts, last_error, created_at, sent_at,"
    " body FROM notify_outbox WHERE school_id = $1 AND ($2 = '' OR status = $2) ORDER BY id DESC LIMIT $3 OFFSET $4";
constexpr const char* kCount = "SELECT COUNT(*) FROM notify_outbox WHERE school_id = $1 AND ($2 = '' OR status = $2)";

}  // namespace

bool Enqueue(db::Conn& c, int64_t school_id, std::string_view event_key, const Recipient& to,
             std::string_view title, std::string_view body, int64_t now_ms) {
  return c.Exec(kInsert, {school_id, std::string(event_key), to.kind, to.id, std::string(title), std::string(body),
                          now_ms}) == 1;
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

Delivery DeliverPending(db::Db& db, Sender& sender, int64_t now_ms, int limit) {
  std::vector<Message> batch = db.Read([&](db::Conn& c) {
    std::vector<Message> out;
    for (auto& r : c.Query(kPending, {static_cast<int64_t>(limit)}))
      out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Text(6), r.Text(7)});
    return out;
  });
  Delivery d;
  for (const Message& m : batch) {
    Status s = sender.Send(m);
    db.Write([&](db::Conn& c) {
      if (s.ok()) {
        if (c.Exec(kMarkSent, {m.id, now_ms}) == 1) ++d.sent;
        return;
      }
      c.Exec(kMarkFailed, {m.id, s.error().message, static_cast<int64_t>(kMaxAttempts)});
      auto st = c.QueryOne("SELECT status FROM notify_outbox WHERE id = $1", {m.id});
      if (st && st->Text(0) == "failed") ++d.failed; else ++d.retried;
    });
  }
  return d;
}

Result<Json> ListOutbox(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                        std::optional<std::string> status, int64_t page, int64_t size) {
  if (status && *status != "pending" && *status != "sent" && *status != "failed")
    return Error::Invalid("状态只能是 pending、sent 或 failed", "status must be pending, sent or failed", "status");
  return db.Read([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::string st = status.value_or("");
    Json items = Json::array();
    for (auto& r : c.Query(kList, {sid, st, size, (page - 1) * size}))
      items.push_back({{"id", r.Int(0)}, {"event_key", r.Text(1)}, {"channel", r.Text(2)},
                       {"recipient_kind", r.Text(3)}, {"recipient_id", r.Int(4)}, {"title", r.Text(5)},
                       {"status", r.Text(6)}, {"attempts", r.Int(7)}, {"last_error", r.Text(8)},
                       {"created_at", FormatInstant(r.Int(9))},
                       {"sent_at", r.IsNull(10) ? Json() : Json(FormatInstant(r.Int(10)))},
                       {"body", r.Text(11)}});  // the text sent in the school's name, as an SMS log shows it
    return Json{{"items", items}, {"total", c.QueryOne(kCount, {sid, st})->Int(0)}};
  });
}

}  // namespace kehou::notify
