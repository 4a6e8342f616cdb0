// store_day.cpp (attendance): the statements of a day's records that other use cases read —
// presence (present.h), the sessions held (held.cpp), cancellations (cancel.cpp) — and their
// loaders, rows read into named structs here only.
#include "attendance/cancel.h"
#include "attendance/present.h"
#include "attendance/store.h"

namespace kehou::attendance {
namespace {

// The whole school's day, and one child's (its own statements: `($3 = 0 OR student_id = $3)` in one
// statement cannot use the (school, day, student) indexes, so a guardian's status poll read every
// mark and swipe of the school's day — thousands at the dismissal peak).
constexpr const char* kMarksOn =
    "SELECT m.student_id, m.status, c.name, s.name, m.band, m.updated_at FROM attendance_marks m"
    " JOIN sections s ON s.id = m.section_id JOIN courses c ON c.id = s.course_id"
    " WHERE m.school_id = $1 AND m.day = $2 AND m.status IN ('present','late') ORDER BY m.student_id, m.band";
// One child (a guardian's status poll): marks and the first swipe in ONE statement, marks first.
constexpr const char* kPresenceOfChild =
    "SELECT 0 AS k, m.student_id, m.status, c.name, s.name, m.band, m.updated_at FROM attendance_marks m"
    " JOIN sections s ON s.id = m.section_id JOIN courses c ON c.id = s.course_id"
    " WHERE m.school_id = $1 AND m.day = $2 AND m.student_id = $3 AND m.status IN ('present','late')"
    " UNION ALL SELECT 1, student_id, 'swiped', '', '', '', MIN(at_ms) FROM attendance_swipes"
    " WHERE school_id = $1 AND day = $2 AND student_id = $3 GROUP BY student_id ORDER BY 1, 6";
constexpr const char* kSwipesOn =
    "SELECT student_id, MIN(at_ms) FROM attendance_swipes WHERE school_id = $1 AND day = $2"
    " AND student_id IS NOT NULL GROUP BY student_id ORDER BY student_id";

// One row per marked session with the roll taker's staff id when their role teaches.
constexpr const char* kMarkedSessions =
    "SELECT m.section_id, m.day, m.band,"
    " MAX(CASE WHEN u.role IN ('teacher','class_teacher','grade_leader','external_staff') THEN u.staff_id END)"
    " FROM attendance_marks m LEFT JOIN users u ON u.id = m.by_user_id"
    " WHERE m.school_id = $1 AND m.day >= $2 AND m.day <= $3"
    " GROUP BY m.section_id, m.day, m.band ORDER BY m.day, m.section_id, m.band";

constexpr const char* kInsertCancellation =
    "INSERT INTO attendance_cancellations (school_id, section_id, day, band, kind, reason, note, by_user_id, "
    "created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (school_id, day, band, section_id) DO NOTHING";
constexpr const char* kCancellationsOn =
    "SELECT c.id, c.section_id, s.name, c.band, c.kind, c.reason, c.note, c.created_at FROM attendance_cancellations c"
    " JOIN sections s ON s.id = c.section_id WHERE c.school_id = $1 AND c.day = $2 ORDER BY c.band, c.section_id";
constexpr const char* kCancelled =
    "SELECT note FROM attendance_cancellations WHERE school_id = $1 AND section_id = $2 AND day = $3 AND band = $4"
    " AND kind = 'cancel'";

constexpr const char* kOpenAlertCount =
    "SELECT COUNT(*) AS n FROM absence_alerts WHERE school_id = $1 AND section_id = $2"
    " AND day = $3 AND band = $4 AND status = 'open'";
constexpr const char* kSwipeCount = "SELECT COUNT(*) AS n FROM attendance_swipes WHERE school_id = $1 AND day = $2";
constexpr const char* kOpenAlerts =
    "SELECT a.id, a.day, a.band, a.section_id, x.name, co.name, st.id, st.name, cl.name, a.created_at"
    " FROM absence_alerts a JOIN sections x ON x.id = a.section_id JOIN courses co ON co.id = x.course_id"
    " JOIN students st ON st.id = a.student_id JOIN classes cl ON cl.id = st.class_id"
    " WHERE a.school_id = $1 AND a.status = 'open' ORDER BY a.created_at, a.id";
constexpr const char* kAlertStatus = "SELECT status FROM absence_alerts WHERE id = $1 AND school_id = $2";
constexpr const char* kResolveAlert =
    "UPDATE absence_alerts SET status = 'resolved', note = $3, resolved_by = $4, resolved_at = $5"
    " WHERE id = $1 AND school_id = $2";

}  // namespace

std::optional<std::string> CancelledNote(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day,
                                         const std::string& band) {
  if (auto r = c.QueryOne(kCancelled, {school_id, section_id, FormatDate(day), band})) return r->Text(0);
  return std::nullopt;
}

namespace store {

std::vector<MarkedSession> MarkedSessions(db::Conn& c, int64_t school_id, const Date& from, const Date& to) {
  std::vector<MarkedSession> out;
  for (auto& r : c.Query(kMarkedSessions, {school_id, FormatDate(from), FormatDate(to)}))
    out.push_back({r.Int(0), r.Text(1), r.Text(2), r.OptInt(3)});
  return out;
}

void InsertCancellation(db::Conn& c, int64_t school_id, const Cancellation& x, int64_t user_id, int64_t now_ms) {
  c.Exec(kInsertCancellation, {school_id, x.section_id, x.day, x.band, x.kind, x.reason, x.note, user_id, now_ms});
}

std::vector<Cancellation> CancellationsOn(db::Conn& c, int64_t school_id, const Date& day) {
  std::vector<Cancellation> out;
  for (auto& r : c.Query(kCancellationsOn, {school_id, FormatDate(day)})) {
    Cancellation x;
    x.id = r.Int(0);
    x.section_id = r.Int(1);
    x.section = r.Text(2);
    x.day = FormatDate(day);
    x.band = r.Text(3);
    x.kind = r.Text(4);
    x.reason = r.Text(5);
    x.note = r.Text(6);
    x.created_at = r.Int(7);
    out.push_back(std::move(x));
  }
  return out;
}

int64_t OpenAlertCount(db::Conn& c, int64_t school_id, const Session& s) {
  return c.QueryOne(kOpenAlertCount, {school_id, s.section_id, FormatDate(s.time.day), s.band})->Int("n");
}

int64_t SwipeCount(db::Conn& c, int64_t school_id, const Date& day) {
  return c.QueryOne(kSwipeCount, {school_id, FormatDate(day)})->Int("n");
}

std::vector<AlertRow> OpenAlertsOfSchool(db::Conn& c, int64_t school_id) {
  std::vector<AlertRow> out;
  for (auto& r : c.Query(kOpenAlerts, {school_id}))
    out.push_back({.id = r.Int(0),
                   .section_id = r.Int(3),
                   .student_id = r.Int(6),
                   .day = r.Text(1),
                   .band = r.Text(2),
                   .section = r.Text(4),
                   .course = r.Text(5),
                   .student_name = r.Text(7),
                   .class_name = r.Text(8),
                   .created_at = r.Int(9)});
  return out;
}

std::optional<std::string> AlertStatus(db::Conn& c, int64_t school_id, int64_t alert_id) {
  if (auto r = c.QueryOne(kAlertStatus, {alert_id, school_id})) return r->Text(0);
  return std::nullopt;
}

void ResolveAlert(db::Conn& c, int64_t school_id, int64_t alert_id, const std::string& note,
                  std::optional<int64_t> user_id, int64_t now_ms) {
  c.Exec(kResolveAlert, {alert_id, school_id, note, user_id ? db::Value(*user_id) : db::Null(), now_ms});
}

}  // namespace store

std::vector<Presence> PresenceOn(db::Conn& c, int64_t school_id, const Date& day, std::optional<int64_t> student_id) {
  std::vector<Presence> out;
  db::Params p{school_id, FormatDate(day)};
  if (student_id) {
    p.emplace_back(*student_id);
    for (const auto& r : c.Query(kPresenceOfChild, p))
      if (r.Int(0) == 0) out.push_back({r.Int(1), "roll", r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
      else out.push_back({r.Int(1), "swipe", "swiped", "", "", "", r.Int(6)});
    return out;
  }
  for (const auto& r : c.Query(kMarksOn, p))
    out.push_back({r.Int(0), "roll", r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5)});
  for (const auto& r : c.Query(kSwipesOn, p)) out.push_back({r.Int(0), "swipe", "swiped", "", "", "", r.Int(1)});
  return out;
}

}  // namespace kehou::attendance
