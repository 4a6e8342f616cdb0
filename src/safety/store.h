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
inline constexpr const char* kUnwellSelect =
    "SELECT u.id, u.section_id, co.name AS course, x.name AS section, u.day, u.band, u.student_id, st.name AS student,"
    " cl.name AS class_name, u.symptom, u.actions, u.note, u.reporter, u.reported_at, u.status, u.doctor_note,"
    " u.seen_at, COALESCE(su.display_name, '') AS seen_by"
    " FROM safety_unwell u JOIN students st ON st.id = u.student_id JOIN classes cl ON cl.id = st.class_id"
    " JOIN sections x ON x.id = u.section_id JOIN courses co ON co.id = x.course_id"
    " LEFT JOIN users su ON su.id = u.seen_by";
inline constexpr const char* kUnwellInsert =
    "INSERT INTO safety_unwell (school_id, section_id, day, band, student_id, symptom, actions, note, reported_by, "
    "reporter,"
    " reported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
inline constexpr const char* kUnwellSeen =
    "UPDATE safety_unwell SET status = 'seen', doctor_note = $3, seen_by = $4, seen_at = $5"
    " WHERE school_id = $1 AND id = $2";
inline constexpr const char* kUnwellOpenCount =
    "SELECT COUNT(*) FROM safety_unwell WHERE school_id = $1 AND status = 'open'";

// ---- handovers
inline constexpr const char* kHandoverSelect =
    "SELECT h.id, h.from_user_id, h.from_name, h.to_user_id, h.to_name, h.section_id, h.day, h.place, h.student_ids,"
    " h.watch, h.created_at, h.status, h.ack_at, h.ack_note FROM safety_handovers h";
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
inline constexpr const char* kHealthSelect =
    "SELECT h.id, h.student_id, st.name AS student, cl.name AS class_name, h.kind, h.detail, h.care, h.active,"
    " h.updated_at, COALESCE(u.display_name, '') AS updated_by FROM safety_health_notes h"
    " JOIN students st ON st.id = h.student_id JOIN classes cl ON cl.id = st.class_id"
    " LEFT JOIN users u ON u.id = h.updated_by";

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
