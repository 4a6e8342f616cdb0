// service.h (attendance): use cases of attendance (issue 13 §1, R-DAY-1/2): the day's sessions,
// a session's roster with each child's status, the roll call (the whole roster in one request),
// card swipes from devices, guardians' leave requests, absence alerts and the office's live board.
// Sessions come from the sections' weekly slots on a teaching day of the current term (until a
// timetable exists); rosters from catalog::RosterOn. Each write runs in one db.Write with its audit
// row; an unexcused absence queues its notifications (notify outbox) in the same transaction.
// Scope: the office and leadership (Scope::kSchool) see every session; a teacher (kOwnSections)
// only the sections they teach (others answer not_found); a guardian only their own children;
// another school's ids are not_found. Devices authenticate with their own key (Authorization:
// Device <id>.<secret>) and can only post swipes.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "attendance/rules.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::attendance {

using Json = nlohmann::json;

// GET /attendance/sessions?date=: {date, teaching_day, items:[{section_id, section, course, band,
// start, end, teacher, room, roster, marked, absent, leave, conflicts, open_alerts, ended,
// editable}]}.
Result<Json> ListSessions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                          std::optional<Date> day, int64_t now_ms);
// GET /attendance/sessions/:id/roster?date=&band=: {session, items:[{student_id, student_no,
// name, class_name, mark, status, on_leave, leave_reason, swiped_at, conflict}], counts}.
Result<Json> SessionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                           std::optional<Date> day, const std::string& band, int64_t now_ms);
// PUT /attendance/sessions/:id/roll: {date, band?, marks:[{student_id, status}]} naming every
// child of the roster once. Teacher until the session ends; the office also after (audited as
// roll_call_late_edit). Unexcused absences open an alert and queue messages to the guardians
// and the class teacher; a child changed from absent has the open alert resolved.
// Answers the roster as SessionRoster.
Result<Json> SaveRoll(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                      const Json& body, int64_t now_ms);

// POST /attendance/swipes (device): {swipes:[{uid, card_no, at_ms}]} at most kMaxSwipeBatch.
// Per-row results in one transaction: {results:[{uid, result: accepted|duplicate|unknown_card|
// rejected, error?}], accepted, duplicate, rejected}. A uid the device sent before (or twice in
// the batch) is a duplicate and is not stored again.
Result<Json> IngestSwipes(db::Db& db, const std::string& authorization, const std::string& client, const Json& body,
                          int64_t now_ms);
// Several gates' uploads at once, each answered as IngestSwipes answers it alone (a bad key or body
// answers that upload only); the valid ones are stored together (attendance/swipe_group.h: on
// PostgreSQL one call and one commit, each batch keeping its own counts and audit row). The server
// reaches the same grouping through IngestSwipes (StoreSwipeBatch gathers the batches that wait at
// the same moment, which depends on timing); this call names the group, so the grouping's answers
// can be tested deterministically (swipe_group_test.cpp), and a tool that replays several gates'
// files at once can use it.
struct SwipeUpload {
  std::string authorization, client;
  Json body;
};
std::vector<Result<Json>> IngestSwipeBatches(db::Db& db, const std::vector<SwipeUpload>& uploads, int64_t now_ms);

// Devices (the office): GET list, POST {name} (the answer carries the key once), POST :id/disable.
Result<Json> ListDevices(db::Db& db, const auth::Principal& who, std::optional<int64_t> school);
Result<Json> CreateDevice(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);
Result<Json> DisableDevice(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);
// PUT /attendance/cards: {card_no, student_id} (a card moves to the child named).
Result<Json> PutCard(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);

// Leave: GET ?date= (guardian: own children; class teacher: own class; teacher: children of their
// sections; office: all) and POST {student_id, from_date, to_date, section_ids?, reason} (guardian).
Result<Json> ListLeaves(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, std::optional<Date> day);
Result<Json> CreateLeave(db::Db& db, const auth::Principal& who, const Json& body, int64_t now_ms);

// GET /attendance/board?date=: the office's live board {date, sessions, marked, present, late,
// absent, leave, swipes, alerts:[open alerts of any day, oldest first]}.
Result<Json> Board(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, std::optional<Date> day);
// POST /attendance/alerts/:id/resolve: {note} (required), audited.
Result<Json> ResolveAlert(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body, int64_t now_ms);

// ---- for pay (issue 14 §4; held.cpp) ------------------------------------------------------------
// A session that was held: its roll call was taken (at least one mark). Who held it: the staff
// member of the account that took the roll when that account has a teaching role (a substitute
// who took the class), else the section's teacher (the office writing the roll afterwards does not
// make the office the teacher). Minutes from the band's times of that day.
struct HeldSession {
  int64_t section_id = 0;
  Date day;
  std::string band, course, section;
  int minutes = 0;
  std::optional<int64_t> teacher_staff_id;  // nullopt: nobody known
};
// The held sessions of the school from `from` to `to` (inclusive), by day then section. Sessions
// are the current term's (as ListSessions); a marked session no longer in the timetable is left
// out. Runs on the caller's transaction.
std::vector<HeldSession> HeldSessions(db::Conn& c, int64_t school_id, const Date& from, const Date& to);

// ---- for the demo's history (held.cpp) --------------------------------------------------------
// The school's sessions on `day`, by start, course, section (as ListSessions lists them: the
// current term's approved courses whose weekly slots fall on a teaching day). Runs on the
// caller's transaction.
std::vector<Session> SessionsOn(db::Conn& c, int64_t school_id, const Date& day);
// Records one child's mark of a session on the caller's transaction, by `user_id` at `now_ms`
// (an existing mark is replaced). No roll-call window, alert, notification nor audit: for loading
// past roll calls in bulk, whose caller writes the audit; a roll call goes through SaveRoll.
void RecordMark(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, Mark m, int64_t user_id,
                int64_t now_ms);

}  // namespace kehou::attendance
