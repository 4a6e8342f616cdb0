// store_status.cpp (pickup): the guardian's status of the day in one statement and a child's batch
// (the batch rule shared by both), rows read into store.h's structs here only.
#include "pickup/store.h"

namespace kehou::pickup::store {
namespace {

// A child's batch id on a day ($1 school, $2 student, $3 day, $4 today: the term on that date when
// none is marked current): the choice for the day, else the default choice (day ''), else the
// first approved application's of the current term (internal.h BatchOfChild's rule).
#define KEHOU_PICKUP_BATCH_ID(school, student, day, today)                                                           \
  "COALESCE((SELECT bc.batch_id FROM pickup_batch_choices bc WHERE bc.school_id = " school                           \
  " AND bc.student_id = " student " AND bc.day IN (" day                                                             \
  ", '') ORDER BY bc.day DESC LIMIT 1),"                                                                             \
  " (SELECT ap.dismissal_batch_id FROM applications ap WHERE ap.school_id = " school " AND ap.student_id = " student \
  " AND ap.status = 'approved' AND ap.dismissal_batch_id IS NOT NULL"                                                \
  " AND ap.term_id = COALESCE((SELECT t.id FROM terms t WHERE t.school_id = " school                                 \
  " AND t.is_current = 1 ORDER BY t.id DESC LIMIT 1), (SELECT t.id FROM terms t WHERE t.school_id = " school         \
  " AND t.start_date <= " today " AND t.end_date >= " today                                                          \
  " ORDER BY t.start_date DESC, t.id DESC LIMIT 1))"                                                                 \
  " ORDER BY ap.id LIMIT 1))"
constexpr const char* kBatchIdOf = "SELECT " KEHOU_PICKUP_BATCH_ID("$1", "$2", "$3", "$4");
// A guardian's status of the day in ONE statement (GET /pickup/my-children; the guardian's status
// poll is the dismissal peak's most frequent read, and each statement is a round trip on
// PostgreSQL): `d`, the guardian's active children (by id) each with their school, batch id,
// handover, open arrival with its place in the queue (as kChildDay) and highest late step,
// computed ONCE per child (MATERIALIZED: the batch's COALESCE was evaluated twice per child in the
// join condition of the statement this replaces, ~0.1 ms of PostgreSQL CPU a poll); then one row
// per roll-call presence of each child (k = 0, by band) and one row per child (k = 1) with its day
// and its first swipe of the day (NULL: none).
// The presence is attendance's rule, attendance::PresenceOn (attendance/present.h: present or late
// in a session's roll call, or swiped in at a gate that day), restated here as ARCHITECTURE's
// "cross-module reads in one statement" asks; `PickupStatus.*` (service_test.cpp) pins the two
// equal on both databases. The plan starts from the children whatever the statistics: on
// PostgreSQL the marks are a LATERAL subquery (OFFSET 0 keeps the planner from flattening it into
// a join it could drive from the day's marks, session 21's mistake) and the swipe a correlated
// scalar subquery, both probing the (school_id, day, student_id) indexes per child; SQLite's
// planner runs nested loops from the materialized `d` (a handful of rows) into the same indexes.
#define KEHOU_PICKUP_GUARDIAN_DAYS \
  "WITH d AS MATERIALIZED (SELECT s.id, s.class_id, s.name, s.student_no, c.name AS class_name, sg.school_id,"    \
  " " KEHOU_PICKUP_BATCH_ID("sg.school_id", "s.id", "$2", "$3") " AS bid,"                                        \
  " h.id AS h_id, h.at AS h_at, h.batch_id AS h_batch, h.adult_id AS h_adult, h.adult_kind AS h_kind,"            \
  " h.adult_name AS h_name, h.relation AS h_relation, h.by_name AS h_by, a.id AS a_id, a.at AS a_at,"             \
  " a.adult_name AS a_name,"                                                                                       \
  " CASE WHEN a.id IS NULL OR h.id IS NOT NULL THEN 0 ELSE (SELECT COUNT(*) FROM pickup_arrivals q"               \
  "  WHERE q.school_id = sg.school_id AND q.day = $2 AND (q.at < a.at OR (q.at = a.at AND q.id <= a.id))"         \
  "  AND NOT EXISTS (SELECT 1 FROM pickup_handovers x WHERE x.school_id = q.school_id AND x.day = q.day"           \
  "  AND x.student_id = q.student_id)) END AS position,"                                                          \
  " (SELECT COALESCE(MAX(e.step), 0) FROM pickup_escalations e WHERE e.school_id = sg.school_id AND e.day = $2"   \
  "  AND e.student_id = s.id) AS late_step"                                                                        \
  " FROM student_guardians sg JOIN students s ON s.id = sg.student_id AND s.school_id = sg.school_id"             \
  " AND s.active = 1 JOIN classes c ON c.id = s.class_id"                                                          \
  " LEFT JOIN pickup_handovers h ON h.school_id = sg.school_id AND h.day = $2 AND h.student_id = s.id"            \
  " LEFT JOIN pickup_arrivals a ON a.school_id = sg.school_id AND a.day = $2 AND a.student_id = s.id"             \
  " WHERE sg.guardian_id = $1)"                                                                                    \
  " SELECT 0 AS k, d.id, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL," \
  " NULL, NULL, NULL, NULL, NULL, NULL, "
// The marks of a child's day (PresenceOn's roll branch), per child of `d`.
#define KEHOU_PICKUP_MARKS_OF_D                                                                      \
  "attendance_marks m JOIN sections x ON x.id = m.section_id JOIN courses co ON co.id = x.course_id" \
  " WHERE m.school_id = d.school_id AND m.day = $2 AND m.student_id = d.id AND m.status IN ('present','late')"
// Each child's row: its day at the gate, its batch (only an active one) and its first swipe (PresenceOn's
// swipe branch).
#define KEHOU_PICKUP_CHILD_ROWS                                                                                    \
  " UNION ALL SELECT 1, d.id, d.class_id, d.name, d.student_no, d.class_name, d.school_id, b.id, b.name,"          \
  " b.leave_time, d.h_id, d.h_at, d.h_batch, d.h_adult, d.h_kind, d.h_name, d.h_relation, d.h_by, d.a_id, d.a_at," \
  " d.a_name, d.position, d.late_step, 'swiped', '', '', '', (SELECT MIN(w.at_ms) FROM attendance_swipes w"        \
  " WHERE w.school_id = d.school_id AND w.day = $2 AND w.student_id = d.id)"                                       \
  " FROM d LEFT JOIN dismissal_batches b ON b.id = d.bid AND b.school_id = d.school_id AND b.active = 1"           \
  " ORDER BY 2, 1, 27"
constexpr const char* kGuardianDaysPg = KEHOU_PICKUP_GUARDIAN_DAYS
    "p.status, p.course, p.section, p.band, p.at_ms FROM d CROSS JOIN LATERAL (SELECT m.status, co.name AS course,"
    " x.name AS section, m.band, m.updated_at AS at_ms FROM " KEHOU_PICKUP_MARKS_OF_D
    " OFFSET 0) p" KEHOU_PICKUP_CHILD_ROWS;
constexpr const char* kGuardianDaysSqlite = KEHOU_PICKUP_GUARDIAN_DAYS
    "m.status, co.name, x.name, m.band, m.updated_at FROM d JOIN " KEHOU_PICKUP_MARKS_OF_D KEHOU_PICKUP_CHILD_ROWS;
#undef KEHOU_PICKUP_GUARDIAN_DAYS
#undef KEHOU_PICKUP_MARKS_OF_D
#undef KEHOU_PICKUP_CHILD_ROWS
#undef KEHOU_PICKUP_BATCH_ID

}  // namespace

std::vector<GuardianChild> GuardianChildDays(db::Conn& c, int64_t guardian_id, const std::string& day,
                                             const std::string& today) {
  std::vector<GuardianChild> out;
  std::vector<attendance::Presence> presence;  // the current child's roll-call presences (k = 0 rows)
  const char* sql = c.dialect() == db::Dialect::kPostgres ? kGuardianDaysPg : kGuardianDaysSqlite;
  for (const auto& r : c.Query(sql, {guardian_id, day, today})) {
    const int64_t id = r.Int(1);
    if (r.Int(0) == 0) {
      presence.push_back({id, "roll", r.Text(23), r.Text(24), r.Text(25), r.Text(26), r.Int(27)});
      continue;
    }
    GuardianChild g;
    g.child = {id, r.Int(2), r.Text(3), r.Text(4), r.Text(5)};
    g.school_id = r.Int(6);
    g.batch_id = r.OptInt(7);
    g.batch_name = r.Text(8);
    g.batch_leave_time = r.Text(9);
    g.gate = ChildDayAt(r, 10, id);
    g.presence = std::move(presence);
    presence.clear();
    if (!r.IsNull(27)) g.presence.push_back({id, "swipe", "swiped", "", "", "", r.Int(27)});
    out.push_back(std::move(g));
  }
  return out;
}
db::Fetch<std::optional<int64_t>> BatchIdFetch(int64_t school_id, int64_t student_id, const std::string& day,
                                               const std::string& today) {
  return {{kBatchIdOf, {school_id, student_id, day, today}},
          [](const db::Rows& rows) { return rows.empty() ? std::nullopt : rows.front().OptInt(0); }};
}
std::optional<int64_t> BatchIdOf(db::Conn& c, int64_t school_id, int64_t student_id, const std::string& day,
                                 const std::string& today) {
  return db::FetchOne(c, BatchIdFetch(school_id, student_id, day, today));
}

}  // namespace kehou::pickup::store
