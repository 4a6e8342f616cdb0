// store.h (attendance): the SQL of attendance as named constants and the functions that run them
// on a caller's Conn (inside its Read/Write). Tested on both databases (store_test.cpp).
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "attendance/rules.h"
#include "catalog/service.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::attendance::store {

// A session of a day: the section, its slot's band and times, its teacher (rules.h).
using attendance::Session;

// The school's sessions on `day`: approved courses of the current term (or with no term) whose
// weekly slots fall on the day's weekday, on a teaching day of the term (a school day, weekday not
// excluded), each band's times from the term's bands of that day's season. Slots whose band the
// term does not define have no times and are left out. By start, course, section.
std::vector<Session> SessionsOn(db::Conn& c, int64_t school_id, const Date& day,
                                std::optional<int64_t> teacher_staff_id = std::nullopt);
// One session (section, day, band; band may be omitted when the section meets once that day).
std::optional<Session> SessionOf(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                 const std::string& band);
// SessionOf, the section's roster on that day (catalog::RosterOn) and the day's leave (LeavesOn) in
// ONE round trip on PostgreSQL (db::FetchAll: the term with its bands, the day's substitutes, the
// section, its children, the leave requests): a roll save's checks were six statements before its
// write, each a wake-up of a busy server (sessions 24-25).
struct SessionRoster {
  std::optional<Session> session;
  std::vector<catalog::RosterChild> roster;
  std::multimap<int64_t, Leave> leaves;
};
SessionRoster SessionWithRosterOf(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                  const std::string& band);

// Marks of a session by student.
std::map<int64_t, Mark> MarksOf(db::Conn& c, int64_t school_id, const Session& s);
// Upserts one mark.
void PutMark(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, Mark m, int64_t user_id,
             int64_t now_ms);
// Upserts a roster's marks in ONE statement (the rows as a JSON array parameter); `marks` must not
// name a student twice. Nothing is run for an empty map.
void PutMarks(db::Conn& c, int64_t school_id, const Session& s, const std::map<int64_t, Mark>& marks, int64_t user_id,
              int64_t now_ms);
// What a roll save reads in its write, in ONE statement: the session's marks, the children with an
// open absence alert, and the cancellation's note when the session is cancelled.
struct RollState {
  std::map<int64_t, Mark> marks;
  std::set<int64_t> open_alerts;
  std::optional<std::string> cancelled;
};
RollState RollStateOf(db::Conn& c, int64_t school_id, const Session& s);
// PostgreSQL only: a roll save's write (attendance's WriteRoll) in ONE call, kehou_save_roll
// (sql/0590), which commits on its own: run it through db::Db::Direct. `rows` is the roster (every
// child once) with its mark and whether that mark is an absence no leave covers. The call refuses a
// cancelled session (kCancelled, its note) and writes nothing when a changed child opens or resolves an
// absence alert (kAlerts: run WriteRoll's transaction instead); else it upserts the changed marks and
// writes auth::Audit's row (`action`, who, and the changes as WriteRoll names them) and answers kSaved
// with the roster's swipes that day (as SwipesOf, for the answer), read in the same round trip.
struct RollMarkIn {
  int64_t student_id = 0;
  Mark mark = Mark::kPresent;
  bool unexcused = false;
};
struct RollSaveAudit {
  std::string action, user_name, client, request_id;
};
enum class DirectRoll { kSaved, kCancelled, kAlerts };
struct DirectRollOutcome {
  DirectRoll outcome = DirectRoll::kSaved;
  std::string note;                                // kCancelled: the cancellation's note
  std::map<int64_t, std::vector<int64_t>> swipes;  // kSaved: the roster's swipes of the day
};
DirectRollOutcome SaveRollDirect(db::Conn& c, int64_t school_id, const Session& s, const std::vector<RollMarkIn>& rows,
                                 int64_t user_id, int64_t now_ms, const RollSaveAudit& audit);
// The children of the session with an open absence alert.
std::set<int64_t> OpenAlertsOf(db::Conn& c, int64_t school_id, const Session& s);

// Active leave requests covering `day`, by student.
std::multimap<int64_t, Leave> LeavesOn(db::Conn& c, int64_t school_id, const Date& day);
// Card swipes of known children on `day` (device times), by student.
std::map<int64_t, std::vector<int64_t>> SwipesOn(db::Conn& c, int64_t school_id, const Date& day);
// The same for the named children only (one statement, the ids as a JSON array parameter).
std::map<int64_t, std::vector<int64_t>> SwipesOf(db::Conn& c, int64_t school_id, const Date& day,
                                                 const std::vector<int64_t>& students);

// Absence alerts: opens one, or reopens the child's resolved one of the session (marked absent
// again after a correction); false if it is open already.
bool OpenAlert(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, int64_t now_ms);
// Resolves the child's open alert of the session (true if there was one).
bool ResolveSessionAlert(db::Conn& c, int64_t school_id, const Session& s, int64_t student_id, const std::string& note,
                         int64_t user_id, int64_t now_ms);

// The child's guardians and class teacher (staff id), for alerts.
std::vector<int64_t> GuardiansOf(db::Conn& c, int64_t school_id, int64_t student_id);
std::optional<int64_t> ClassTeacherOf(db::Conn& c, int64_t school_id, int64_t student_id);

// Swipes: stores one (false when (school, device, uid) is stored already: a resend).
bool InsertSwipe(db::Conn& c, int64_t school_id, int64_t device_id, const SwipeIn& s, std::optional<int64_t> student_id,
                 int64_t now_ms);
std::optional<int64_t> StudentOfCard(db::Conn& c, int64_t school_id, const std::string& card_no);
// A batch of swipes in ONE statement: each matched to its child through attendance_cards in the
// same statement, ON CONFLICT (school, device, uid) DO NOTHING. `batch` must not carry a uid twice.
// Returns the swipes stored now (uid -> the child, nullopt for an unknown card); a uid missing
// from the answer was stored already (a resend).
std::map<std::string, std::optional<int64_t>> InsertSwipes(db::Conn& c, int64_t school_id, int64_t device_id,
                                                           const std::vector<const SwipeIn*>& batch, int64_t now_ms);
// The audit row of a batch: what the server answered before storing, and who (the device).
struct SwipeBatchAudit {
  int duplicate = 0, rejected = 0;  // repeats of a uid within the batch; rows refused by the checks
  std::string user_name, client, request_id;
};
// PostgreSQL only: InsertSwipes, TouchDevice and the batch's audit row (auth::Audit's, written
// when a row was stored) in ONE call, kehou_ingest_swipes (sql/0530), which commits on its own:
// run it through db::Db::Direct. Returns what InsertSwipes returns.
std::map<std::string, std::optional<int64_t>> IngestSwipesDirect(db::Conn& c, int64_t school_id, int64_t device_id,
                                                                 const std::vector<const SwipeIn*>& batch,
                                                                 int64_t now_ms, const SwipeBatchAudit& audit);
// One gate's batch as IngestSwipesDirect takes it.
struct SwipeBatchIn {
  int64_t school_id = 0, device_id = 0, now_ms = 0;
  const std::vector<const SwipeIn*>* rows = nullptr;
  const SwipeBatchAudit* audit = nullptr;
};
// PostgreSQL only: several batches in ONE call, kehou_ingest_swipe_batches (sql/0560): each as
// IngestSwipesDirect stores it (its rows, its device's last_seen_at, its own audit row), all in the
// call's one transaction, so they share one commit; run it through db::Db::Direct. Returns each
// batch's IngestSwipesDirect answer, in the order given.
std::vector<std::map<std::string, std::optional<int64_t>>> IngestSwipeBatchesDirect(
    db::Conn& c, const std::vector<SwipeBatchIn>& batches);

// The sessions of [from, to] with a roll call (store_day.cpp): one per marked (section, day, band),
// with the roll taker's staff id when their account has a teaching role.
struct MarkedSession {
  int64_t section_id = 0;
  std::string day, band;
  std::optional<int64_t> taker_staff_id;
};
std::vector<MarkedSession> MarkedSessions(db::Conn& c, int64_t school_id, const Date& from, const Date& to);

// A cancelled or changed session (store_day.cpp).
struct Cancellation {
  int64_t id = 0, section_id = 0;
  std::string section, day, band, kind, reason, note;
  int64_t created_at = 0;
};
// Marks one session (section_id, day, band, kind, reason, note); a repeat changes nothing.
void InsertCancellation(db::Conn& c, int64_t school_id, const Cancellation& x, int64_t user_id, int64_t now_ms);
// The day's cancelled or changed sessions, by band and section.
std::vector<Cancellation> CancellationsOn(db::Conn& c, int64_t school_id, const Date& day);

// Absence alerts of the day's lists (store_day.cpp): the session's open ones counted; the school's
// open ones with the child and session named (the board), oldest first; one alert's status
// (nullopt: no such alert of the school) and its resolution.
struct AlertRow {
  int64_t id = 0, section_id = 0, student_id = 0;
  std::string day, band, section, course, student_name, class_name;
  int64_t created_at = 0;
};
int64_t OpenAlertCount(db::Conn& c, int64_t school_id, const Session& s);
std::vector<AlertRow> OpenAlertsOfSchool(db::Conn& c, int64_t school_id);
std::optional<std::string> AlertStatus(db::Conn& c, int64_t school_id, int64_t alert_id);
void ResolveAlert(db::Conn& c, int64_t school_id, int64_t alert_id, const std::string& note,
                  std::optional<int64_t> user_id, int64_t now_ms);
// The day's swipes stored (known cards or not).
int64_t SwipeCount(db::Conn& c, int64_t school_id, const Date& day);

// Gate devices (store_intake.cpp).
struct DeviceRow {
  int64_t id = 0, school_id = 0;
  std::string name, key_hash;
  bool active = false;
  int64_t created_at = 0;
  std::optional<int64_t> last_seen_at;
};
std::optional<DeviceRow> DeviceById(db::Conn& c, int64_t device_id);
std::vector<DeviceRow> DevicesOf(db::Conn& c, int64_t school_id);  // by id
int64_t InsertDevice(db::Conn& c, int64_t school_id, const std::string& name, const std::string& key_hash,
                     int64_t now_ms);
void DisableDevice(db::Conn& c, int64_t school_id, int64_t device_id);
void TouchDevice(db::Conn& c, int64_t device_id, int64_t now_ms);  // last_seen_at
bool StudentInSchool(db::Conn& c, int64_t school_id, int64_t student_id);
bool SectionInSchool(db::Conn& c, int64_t school_id, int64_t section_id);
// A card given to a child: the card's row updated when it `exists`, else inserted.
void PutCard(db::Conn& c, int64_t school_id, const std::string& card_no, int64_t student_id, bool exists,
             int64_t now_ms);

// Leave requests as listed (store_intake.cpp), by from_date then id.
struct LeaveRow {
  int64_t id = 0, student_id = 0;
  std::string student_name, class_name, from_date, to_date;
  std::string sections;  // section ids, comma-separated ("" = every session)
  std::string reason, status;
  int64_t created_at = 0;
};
// A guardian's children's requests ending on or after `ending_from`, whatever the school.
std::vector<LeaveRow> LeavesOfGuardian(db::Conn& c, int64_t guardian_id, const Date& ending_from);
// The school's requests covering `day`; with `staff_id`, only the children of that teacher's class
// and of the sections they teach.
std::vector<LeaveRow> LeavesOfSchool(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> staff_id);
// The school of a guardian's child (nullopt: not their child).
std::optional<int64_t> SchoolOfGuardiansChild(db::Conn& c, int64_t guardian_id, int64_t student_id);
// Inserts a request (student_id, from_date, to_date, sections, reason, created_at of `l`); its id.
int64_t InsertLeave(db::Conn& c, int64_t school_id, const LeaveRow& l, int64_t guardian_id);

// The hash stored for a device key (BLAKE2b-256, hex).
std::string HashKey(const std::string& secret);

}  // namespace kehou::attendance::store
