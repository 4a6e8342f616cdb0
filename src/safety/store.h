// store.h (safety): the SQL of the safety module as named constants, and the few loaders the use
// cases share. Runs on the caller's Conn (inside its Read/Write).
// Thread-safety: stateless; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/time.h"
#include "db/db.h"

namespace kehou::safety::store {

// ---- the three concerns
inline constexpr const char* kConcern =
    "SELECT id, all_on_time, note, by_name, updated_at FROM safety_concerns"
    " WHERE school_id = $1 AND section_id = $2 AND day = $3 AND band = $4";
inline constexpr const char* kConcernItems =
    "SELECT i.student_id, st.name, i.kind, i.note FROM safety_concern_items i JOIN students st ON st.id = i.student_id"
    " WHERE i.school_id = $1 AND i.concern_id = $2 ORDER BY i.kind, st.name";
inline constexpr const char* kUpsertConcern =
    "INSERT INTO safety_concerns (school_id, section_id, day, band, all_on_time, note, by_user_id, by_name, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (school_id, section_id, day, band) DO UPDATE SET"
    " all_on_time = excluded.all_on_time, note = excluded.note, by_user_id = excluded.by_user_id,"
    " by_name = excluded.by_name, updated_at = excluded.updated_at RETURNING id";
inline constexpr const char* kClearConcernItems =
    "DELETE FROM safety_concern_items WHERE school_id = $1 AND concern_id = $2";
inline constexpr const char* kInsertConcernItem =
    "INSERT INTO safety_concern_items (school_id, concern_id, student_id, kind, note) VALUES ($1, $2, $3, $4, $5)";

// ---- unwell
#define KEHOU_UNWELL_SELECT                                                                                           \
  "SELECT u.id, u.section_id, co.name AS course, x.name AS section, u.day, u.band, u.student_id, st.name AS student," \
  " cl.name AS class_name, u.symptom, u.actions, u.note, u.reporter, u.reported_at, u.status, u.doctor_note,"         \
  " u.seen_at, COALESCE(su.display_name, '') AS seen_by"                                                              \
  " FROM safety_unwell u JOIN students st ON st.id = u.student_id JOIN classes cl ON cl.id = st.class_id"             \
  " JOIN sections x ON x.id = u.section_id JOIN courses co ON co.id = x.course_id"                                    \
  " LEFT JOIN users su ON su.id = u.seen_by"
#define KEHOU_UNWELL_RANGE " WHERE u.school_id = $1 AND u.day >= $2 AND u.day <= $3 AND (u.status = $4 OR $4 = '')"
inline constexpr const char* kUnwellById = KEHOU_UNWELL_SELECT " WHERE u.school_id = $1 AND u.id = $2";
// A session's reports ($2 section, $3 day, $4 band).
inline constexpr const char* kUnwellOfSession = KEHOU_UNWELL_SELECT
    " WHERE u.school_id = $1 AND u.section_id = $2 AND u.day = $3 AND u.band = $4"
    " ORDER BY u.reported_at DESC, u.id DESC";
// Reports of days $2..$3 ($4 status or ''), newest first, $5 page size, $6 offset.
inline constexpr const char* kUnwellInRange =
    KEHOU_UNWELL_SELECT KEHOU_UNWELL_RANGE " ORDER BY u.reported_at DESC, u.id DESC LIMIT $5 OFFSET $6";
inline constexpr const char* kUnwellCountInRange = "SELECT COUNT(*) AS n FROM safety_unwell u" KEHOU_UNWELL_RANGE;
#undef KEHOU_UNWELL_SELECT
#undef KEHOU_UNWELL_RANGE
inline constexpr const char* kUnwellInsert =
    "INSERT INTO safety_unwell (school_id, section_id, day, band, student_id, symptom, actions, note, reported_by, "
    "reporter,"
    " reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
inline constexpr const char* kUnwellSeen =
    "UPDATE safety_unwell SET status = 'seen', doctor_note = $3, seen_by = $4, seen_at = $5"
    " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kUnwellOpenCount =
    "SELECT COUNT(*) AS n FROM safety_unwell WHERE school_id = $1 AND status = 'open'";

// ---- handovers
#define KEHOU_HANDOVER_SELECT                                                                                       \
  "SELECT h.id, h.from_user_id, h.from_name, h.to_user_id, h.to_name, h.section_id, h.day, h.place, h.student_ids," \
  " h.watch, h.created_at, h.status, h.ack_at, h.ack_note FROM safety_handovers h"
inline constexpr const char* kHandoverById = KEHOU_HANDOVER_SELECT " WHERE h.school_id = $1 AND h.id = $2";
// The office's: days $2..$3, newest first, $4 page size, $5 offset.
inline constexpr const char* kHandoversInRange = KEHOU_HANDOVER_SELECT
    " WHERE h.school_id = $1 AND h.day >= $2 AND h.day <= $3 ORDER BY h.created_at DESC, h.id DESC"
    " LIMIT $4 OFFSET $5";
// A teacher's own ($4): given or received in days $2..$3, and any still waiting for them.
inline constexpr const char* kHandoversOfUser = KEHOU_HANDOVER_SELECT
    " WHERE h.school_id = $1 AND (h.from_user_id = $4 OR h.to_user_id = $4) AND"
    " ((h.day >= $2 AND h.day <= $3) OR (h.to_user_id = $4 AND h.status = 'pending'))"
    " ORDER BY h.created_at DESC, h.id DESC LIMIT 200";
#undef KEHOU_HANDOVER_SELECT
inline constexpr const char* kHandoverInsert =
    "INSERT INTO safety_handovers (school_id, from_user_id, from_name, to_user_id, to_name, section_id, day, place,"
    " student_ids, watch, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
inline constexpr const char* kHandoverAck =
    "UPDATE safety_handovers SET status = 'acknowledged', ack_at = $3, ack_note = $4"
    " WHERE school_id = $1 AND id = $2 AND status = 'pending'";
// Staff who can receive a handover: the school's staff accounts, not disabled.
inline constexpr const char* kRecipients =
    "SELECT u.id AS user_id, u.display_name AS name, u.role FROM users u WHERE u.school_id = $1 AND u.disabled = 0"
    " AND u.staff_id IS NOT NULL AND u.role <> 'guardian' ORDER BY u.display_name, u.id";
inline constexpr const char* kRecipient =
    "SELECT id, display_name FROM users WHERE school_id = $1 AND id = $2 AND disabled = 0 AND staff_id IS NOT NULL"
    " AND role <> 'guardian'";

// ---- health notes
#define KEHOU_HEALTH_SELECT                                                                                   \
  "SELECT h.id, h.student_id, st.name AS student, cl.name AS class_name, h.kind, h.detail, h.care, h.active," \
  " h.updated_at, COALESCE(u.display_name, '') AS updated_by FROM safety_health_notes h"                      \
  " JOIN students st ON st.id = h.student_id JOIN classes cl ON cl.id = st.class_id"                          \
  " LEFT JOIN users u ON u.id = h.updated_by"
inline constexpr const char* kHealthById = KEHOU_HEALTH_SELECT " WHERE h.school_id = $1 AND h.id = $2";
// The school's notes ($2 a child or 0; $3 = 1: the inactive too).
inline constexpr const char* kHealthNotes = KEHOU_HEALTH_SELECT
    " WHERE h.school_id = $1 AND (h.student_id = $2 OR $2 = 0)"
    " AND (h.active = 1 OR $3 = 1) ORDER BY cl.name, st.name, h.id";
#undef KEHOU_HEALTH_SELECT

// ---- handover.cpp
inline constexpr const char* kPendingHandovers =
    "SELECT COUNT(*) AS n FROM safety_handovers WHERE school_id = $1 AND to_user_id = $2"
    " AND status = 'pending'";
inline constexpr const char* kSectionOfSchool = "SELECT 1 FROM sections WHERE school_id = $1 AND id = $2";

// ---- health.cpp
inline constexpr const char* kInsertHealthNote =
    "INSERT INTO safety_health_notes (school_id, student_id, kind, detail, care, updated_by,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
inline constexpr const char* kUpdateHealthNote =
    "UPDATE safety_health_notes SET kind = COALESCE($3, kind), detail = COALESCE($4, detail),"
    " care = COALESCE($5, care), active = COALESCE($6, active), updated_by = $7, updated_at = $8"
    " WHERE school_id = $1 AND id = $2";

// ---- records.cpp
inline constexpr const char* kSiteChecked = "SELECT 1 FROM safety_site_checks WHERE school_id = $1 AND day = $2";
inline constexpr const char* kInsurance =
    "SELECT id, term_id, kind, policy_no, insurer, from_date, to_date, covers_all, student_ids, note,"
    " created_at FROM safety_insurance WHERE school_id = $1 AND term_id = $2 ORDER BY kind, from_date, id";
inline constexpr const char* kInsertInsurance =
    "INSERT INTO safety_insurance (school_id, term_id, kind, policy_no, insurer, from_date, to_date,"
    " covers_all, student_ids, note, created_by, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
inline constexpr const char* kSiteChecks =
    "SELECT id, day, doors, windows, equipment, wiring, note, CASE WHEN photo <> '' THEN 1 ELSE "
    "0 END AS has_photo, by_name,"
    " checked_at FROM safety_site_checks WHERE school_id = $1 AND day >= $2 AND day <= $3"
    " ORDER BY day DESC LIMIT $4 OFFSET $5";
inline constexpr const char* kSiteCheckOfDay = "SELECT id FROM safety_site_checks WHERE school_id = $1 AND day = $2";
inline constexpr const char* kInsertSiteCheck =
    "INSERT INTO safety_site_checks (school_id, day, doors, windows, equipment, wiring, note, photo, by_user_id, "
    "by_name,"
    " checked_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (school_id, day) DO UPDATE SET"
    " doors = excluded.doors, windows = excluded.windows, equipment = excluded.equipment, wiring = excluded.wiring,"
    " note = excluded.note, photo = excluded.photo, by_user_id = excluded.by_user_id, by_name = excluded.by_name,"
    " checked_at = excluded.checked_at RETURNING id";
inline constexpr const char* kPatrols =
    "SELECT id, day, at_ms, area, ok, findings, follow_up, follow_up_done_at, by_name FROM safety_patrols"
    " WHERE school_id = $1 AND day >= $2 AND day <= $3 ORDER BY at_ms DESC, id DESC LIMIT $4 OFFSET $5";
inline constexpr const char* kOpenPatrolFindings =
    "SELECT COUNT(*) AS n FROM safety_patrols WHERE school_id = $1 AND ok = 0 AND follow_up_done_at IS NULL";
inline constexpr const char* kInsertPatrol =
    "INSERT INTO safety_patrols (school_id, day, at_ms, area, ok, findings, follow_up, by_user_id, by_name)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
inline constexpr const char* kPatrolFollowUp =
    "SELECT ok, follow_up_done_at FROM safety_patrols WHERE school_id = $1 AND id = $2";
inline constexpr const char* kFollowUpPatrol =
    "UPDATE safety_patrols SET follow_up = $3, follow_up_done_at = $4 WHERE school_id = $1 AND id = $2";
inline constexpr const char* kUnwellOnDay = "SELECT COUNT(*) AS n FROM safety_unwell WHERE school_id = $1 AND day = $2";
inline constexpr const char* kHandoversPendingOnDay =
    "SELECT COUNT(*) AS n FROM safety_handovers WHERE school_id = $1 AND day = $2 AND status = 'pending'";
inline constexpr const char* kIncidentsOnDay =
    "SELECT COUNT(*) AS n FROM safety_incidents WHERE school_id = $1 AND day = $2";
inline constexpr const char* kPatrolsOnDay =
    "SELECT COUNT(*) AS n FROM safety_patrols WHERE school_id = $1 AND day = $2";
inline constexpr const char* kVisitorsIn =
    "SELECT COUNT(*) AS n FROM safety_visitors WHERE school_id = $1 AND day = $2 AND out_at IS NULL";
inline constexpr const char* kDrillsOfTerm =
    "SELECT COUNT(*) AS n FROM safety_drills WHERE school_id = $1 AND term_id = $2";

// ---- register.cpp
#define KEHOU_INCIDENT_SELECT                                                                                     \
  "SELECT i.id, i.day, i.at_ms, i.level, i.student_id, COALESCE(st.name, '') AS student, i.place, i.description," \
  " i.actions, i.guardian_notified, i.by_name, i.created_at FROM safety_incidents i"                              \
  " LEFT JOIN students st ON st.id = i.student_id"
inline constexpr const char* kIncidentById = KEHOU_INCIDENT_SELECT " WHERE i.school_id = $1 AND i.id = $2";
// Days $2..$3, newest first, $4 page size, $5 offset.
inline constexpr const char* kIncidentsInRange = KEHOU_INCIDENT_SELECT
    " WHERE i.school_id = $1 AND i.day >= $2 AND i.day <= $3 ORDER BY i.at_ms DESC, i.id DESC"
    " LIMIT $4 OFFSET $5";
#undef KEHOU_INCIDENT_SELECT
inline constexpr const char* kInsertIncident =
    "INSERT INTO safety_incidents (school_id, day, at_ms, level, student_id, place, description, actions,"
    " guardian_notified, by_user_id, by_name, created_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id";
inline constexpr const char* kPlans =
    "SELECT id, title, kind, body, updated_at FROM safety_plans WHERE school_id = $1 ORDER BY id";
inline constexpr const char* kInsertPlan =
    "INSERT INTO safety_plans (school_id, title, kind, body, updated_by, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
inline constexpr const char* kDrills =
    "SELECT d.id, d.term_id, t.name AS term, d.plan_id, COALESCE(p.title, '') AS plan, d.day,"
    " d.kind, d.participants, d.minutes, d.record, d.created_at FROM safety_drills d"
    " JOIN terms t ON t.id = d.term_id LEFT JOIN safety_plans p ON p.id = d.plan_id"
    " WHERE d.school_id = $1 ORDER BY d.day DESC, d.id DESC";
inline constexpr const char* kPlanOfSchool = "SELECT 1 FROM safety_plans WHERE school_id = $1 AND id = $2";
inline constexpr const char* kInsertDrill =
    "INSERT INTO safety_drills (school_id, term_id, plan_id, day, kind, participants, minutes, record,"
    " by_user_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
inline constexpr const char* kVisitors =
    "SELECT id, day, name, id_last4, mobile, purpose, host, in_at, out_at FROM safety_visitors"
    " WHERE school_id = $1 AND day >= $2 AND day <= $3 ORDER BY in_at DESC, id DESC"
    " LIMIT $4 OFFSET $5";
inline constexpr const char* kVisitorsInRange =
    "SELECT COUNT(*) AS n FROM safety_visitors WHERE school_id = $1 AND day >= $2 AND day <= $3"
    " AND out_at IS NULL";
inline constexpr const char* kInsertVisitor =
    "INSERT INTO safety_visitors (school_id, day, name, id_last4, mobile, purpose, host, in_at, by_user_id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
inline constexpr const char* kVisitorOut = "SELECT out_at FROM safety_visitors WHERE school_id = $1 AND id = $2";
inline constexpr const char* kSignOutVisitor =
    "UPDATE safety_visitors SET out_at = $3 WHERE school_id = $1 AND id = $2";

// ---- shared
inline constexpr const char* kStudent =
    "SELECT st.id, st.name, cl.name AS class_name FROM students st JOIN classes cl ON cl.id = st.class_id"
    " WHERE st.school_id = $1 AND st.id = $2";
inline constexpr const char* kGuardians =
    "SELECT guardian_id FROM student_guardians WHERE school_id = $1 AND student_id = $2 ORDER BY is_primary DESC, "
    "guardian_id";

// The children on the rosters of the sections `staff_id` teaches in the current term, on `day`.
std::set<int64_t> TaughtChildren(db::Conn& c, int64_t school_id, int64_t staff_id, const Date& day);
// The child's name and class (nullopt: not of this school).
std::optional<db::Row> Student(db::Conn& c, int64_t school_id, int64_t student_id);
std::vector<int64_t> Guardians(db::Conn& c, int64_t school_id, int64_t student_id);

}  // namespace kehou::safety::store
