#include "notify/outbox.h"

#include "auth/audit.h"
#include "core/time.h"
#include "notify/rules.h"
#include "notify/store.h"

namespace kehou::notify {
namespace {

std::string ResolveChannel(db::Conn& c, int64_t school_id, const Recipient& to) {
  if (to.kind == "guardian") {
    if (auto ch = store::GuardianChannel(c, to.id)) return *ch;
  } else if (auto ch = store::StaffChannel(c, school_id)) {
    return *ch;
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
  return store::InsertOutbox(c, store::NewOutboxRow{school_id, std::string(event_key), to.kind, to.id,
                                                    std::string(title), std::string(body), now_ms, ch}) == 1;
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
    std::vector<Message> out = store::ClaimDue(c, now_ms, now_ms + kLeaseMs, static_cast<int64_t>(limit));
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
          for (size_t j = i; j < batch.size(); ++j) store::Release(c, batch[j].id);
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
          if (store::MarkSent(c, m.id, now_ms) == 1) ++d.sent;
          return;
        }
        auto a = store::Attempts(c, m.id);
        int attempts = a ? static_cast<int>(*a) + 1 : 1;
        store::MarkFailed(c, m.id, s.error().message, static_cast<int64_t>(kMaxAttempts), now_ms + BackoffMs(attempts));
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
    for (auto& r : store::OutboxPage(c, sid, st, size, (page - 1) * size))
      items.push_back(
          {{"id", r.id},
           {"event_key", r.event_key},
           {"channel", r.channel},
           {"recipient_kind", r.recipient_kind},
           {"recipient_id", r.recipient_id},
           {"title", r.title},
           {"status", r.status},
           {"attempts", r.attempts},
           {"last_error", r.last_error},
           {"created_at", FormatInstant(r.created_at)},
           {"sent_at", r.sent_at ? Json(FormatInstant(*r.sent_at)) : Json()},
           {"body", r.body},  // the text sent in the school's name, as an SMS log shows it
           {"next_attempt_at",
            r.status == "pending" && r.next_attempt_at > 0 ? Json(FormatInstant(r.next_attempt_at)) : Json()},
           {"recipient_name", r.recipient_name}});
    return Json{{"items", items}, {"total", store::CountOutbox(c, sid, st)}};
  });
}

Result<std::vector<std::vector<std::string>>> OutboxTable(db::Db& db, const auth::Principal& who,
                                                          std::optional<int64_t> school,
                                                          std::optional<std::string> status) {
  KEHOU_TRY(CheckStatus(status));
  return db.Read([&](db::Conn& c) -> Result<std::vector<std::vector<std::string>>> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    std::vector<std::vector<std::string>> rows;
    for (auto& r : store::OutboxRows(c, sid, status.value_or("")))
      rows.push_back({std::to_string(r.id), FormatLocalMinute(r.created_at), r.channel,
                      r.recipient_kind == "guardian" ? "家长" : "教职工", r.recipient_name, r.title, r.body, r.status,
                      std::to_string(r.attempts), r.last_error, r.sent_at ? FormatLocalMinute(*r.sent_at) : ""});
    return rows;
  });
}

Result<Json> Retry(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id, int64_t now_ms) {
  return db.Write([&](db::Conn& c) -> Result<Json> {
    KEHOU_ASSIGN_OR_RETURN(int64_t sid, auth::ResolveSchool(c, who, school));
    auto row = store::OutboxStateOf(c, id, sid);
    if (!row) return Error::NotFound("没有这条通知", "no such notification");
    if (row->status != "failed")
      return Error::Conflict("只有发送失败的通知可以重发", "only a failed notification can be retried", "status");
    store::RetryOutbox(c, id, now_ms);
    Json before{{"status", "failed"}, {"attempts", row->attempts}, {"last_error", row->last_error}};
    Json after{{"status", "pending"}, {"attempts", 0}};
    auth::Audit(c, who, {"retry", "notify_outbox", id, &before, &after, sid});
    return Json{{"id", id}, {"status", "pending"}};
  });
}

}  // namespace kehou::notify
