// cancel.h (attendance): the office cancels or changes a day's sessions (issue 13 §4: weather,
// epidemic or pollution), with the reason. Every affected session is marked (a cancelled session
// takes no roll call; ListSessions shows it), and every guardian of an affected child gets ONE
// outbox message (their children named), the sessions' teachers one each, all in the same
// transaction with the audit row. Repeating the same cancellation changes nothing and tells
// nobody twice (the outbox's event key is the day, the band and the kind).
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::attendance {

// POST /attendance/cancellations {date, band?, section_ids?, kind: cancel|change, reason:
// weather|epidemic|pollution|other, note}: the sessions of the day (all, or of the band, or of the
// listed sections). Answers {sessions, guardians, teachers, items:[{section_id, section, band}]};
// 422 when no session of the day matches.
Result<nlohmann::json> CancelSessions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                      const nlohmann::json& body, int64_t now_ms);
// GET /attendance/cancellations?date=: the day's cancelled or changed sessions.
Result<nlohmann::json> ListCancellations(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                         std::optional<Date> day, int64_t now_ms);
// Whether a session is cancelled (kind 'cancel'): its note, for the roll call's refusal.
std::optional<std::string> CancelledNote(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                         const std::string& band);

}  // namespace kehou::attendance
