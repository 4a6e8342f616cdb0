// inbox.h (notify): the use cases around delivery that people see: a user's in-app inbox with
// read receipts, a guardian's channel choice (phone Profile), the school's channel settings
// (office page 通知发送). Every write in one transaction with its audit row.
// Thread-safety: any thread (a thread-safe Db).
#pragma once
#include <nlohmann/json.hpp>
#include <optional>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::notify {

// GET /notify/inbox: {items:[{id, title, body, at, read_at}], total, unread} — the in-app rows
// delivered to the caller (as guardian or as staff), newest first.
Result<nlohmann::json> ListInbox(db::Db& db, const auth::Principal& who, int64_t page, int64_t size);
// POST /notify/inbox/:id/read: the read receipt (once; a second call keeps the first time).
Result<nlohmann::json> MarkRead(db::Db& db, const auth::Principal& who, int64_t id, int64_t now_ms);

// GET/PUT /notify/preference (a guardian): {"channel":"in_app"|"sms"}.
Result<nlohmann::json> GetPreference(db::Db& db, const auth::Principal& who);
Result<nlohmann::json> SetPreference(db::Db& db, const auth::Principal& who, const nlohmann::json& body,
                                     int64_t now_ms);

// GET/PUT /notify/settings (the office): the URLs, whether each secret is set (never the secret),
// and the staff channel. PUT takes any of webhook_url, webhook_secret, wecom_url, dingtalk_url,
// dingtalk_secret, staff_channel; a secret left out is kept, "" clears it.
Result<nlohmann::json> GetSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school);
Result<nlohmann::json> PutSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                   const nlohmann::json& body, int64_t now_ms);

}  // namespace kehou::notify
