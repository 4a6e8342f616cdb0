// store.h (catalog): the SQL of courses and sections (portable: SQLite 3.40 and PostgreSQL 15,
// $1..$n) and the small loaders other modules use inside their own transactions.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "catalog/rules.h"
#include "db/db.h"

namespace kehou::catalog {

inline constexpr const char* kCourseColumns =
    "c.id, c.school_id, c.term_id, c.name, c.category, c.description, c.grades, c.capacity, c.venue_kind,"
    " c.teacher_staff_id, c.institution, c.sessions_per_week, c.slots, c.fee_fen, c.subject_qa, c.subject, c.status,"
    " (SELECT s.name FROM staff s WHERE s.id = c.teacher_staff_id) AS teacher_name,"
    " (SELECT COUNT(*) FROM sections x WHERE x.course_id = c.id) AS section_count,"
    " (SELECT COALESCE(SUM(x.capacity), 0) FROM sections x WHERE x.course_id = c.id) AS seats,"
    " (SELECT COALESCE(SUM(x.taken), 0) FROM sections x WHERE x.course_id = c.id) AS taken,"
    " (SELECT p.id FROM course_proposals p WHERE p.school_id = c.school_id AND p.course_id = c.id) AS proposal_id";

inline constexpr const char* kInsertCourse =
    "INSERT INTO courses (school_id, term_id, name, category, description, grades, capacity, venue_kind,"
    " teacher_staff_id, institution, sessions_per_week, slots, fee_fen, subject_qa, status, created_at, updated_at,"
    " subject) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16,$17) RETURNING id";
inline constexpr const char* kUpdateCourse =
    "UPDATE courses SET name=$3, category=$4, description=$5, grades=$6, capacity=$7, venue_kind=$8,"
    " teacher_staff_id=$9, institution=$10, sessions_per_week=$11, slots=$12, fee_fen=$13, subject_qa=$14,"
    " status=$15, updated_at=$16, subject=$17 WHERE id=$1 AND school_id=$2";

inline constexpr const char* kSectionColumns =
    "x.id, x.school_id, x.course_id, x.name, x.formation, x.class_id, x.room_id, x.teacher_staff_id, x.capacity,"
    " x.taken, c.name AS course_name, c.category, c.grades, c.slots, c.fee_fen, c.status AS course_status,"
    " (SELECT r.name FROM rooms r WHERE r.id = x.room_id) AS room_name,"
    " (SELECT s.name FROM staff s WHERE s.id = COALESCE(x.teacher_staff_id, c.teacher_staff_id)) AS teacher_name";
inline constexpr const char* kInsertSection =
    "INSERT INTO sections (school_id, course_id, name, formation, class_id, room_id, teacher_staff_id, capacity,"
    " taken, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,0,$9) RETURNING id";

// What a selection needs to know about a section, loaded inside the caller's transaction.
struct SectionInfo {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t course_id = 0;
  std::string name;
  std::string course_name;
  int64_t capacity = 0;
  int64_t taken = 0;
  std::vector<int> grades;
  std::vector<Slot> slots;
  std::string course_status;
};
std::optional<SectionInfo> LoadSection(db::Conn& c, int64_t school_id, int64_t section_id);
// Sections of a school by id (one query), for checking clashes among a child's seats.
std::vector<SectionInfo> LoadSections(db::Conn& c, int64_t school_id, const std::vector<int64_t>& ids);

// ---- course proposals (sql/0005_proposals.sql) ----------------------------------------------------

inline constexpr const char* kProposalColumns =
    "p.id, p.school_id, p.course_id, p.state, p.proposer_user_id, p.proposer_name, p.proposer_kind,"
    " p.submitted_at, p.reviewed_by, p.reviewed_by_name, p.reviewed_at, p.review_reason, p.decided_by,"
    " p.decided_by_name, p.decided_at, p.decide_reason, p.created_at, p.updated_at,"
    " c.name AS course_name, c.category, c.institution, c.status AS course_status,"
    " (SELECT s.name FROM staff s WHERE s.id = c.teacher_staff_id) AS teacher_name,"
    " (SELECT l.id FROM lesson_plans l WHERE l.proposal_id = p.id ORDER BY l.id DESC LIMIT 1) AS plan_id";
inline constexpr const char* kInsertProposal =
    "INSERT INTO course_proposals (school_id, course_id, state, proposer_user_id, proposer_name, proposer_kind,"
    " submitted_at, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id";
inline constexpr const char* kInsertDecision =
    "INSERT INTO proposal_decisions (school_id, proposal_id, step, decision, reason, by_user_id, by_name, at)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)";
inline constexpr const char* kPlanMetaColumns =
    "l.id, l.filename, l.content_type, l.size_bytes, l.sha256, l.uploaded_by, l.created_at";

struct LessonPlan {
  std::string filename, content_type, sha256_hex, bytes;
};
// Stores a lesson plan's bytes as a real binary value (SQLite BLOB, PostgreSQL bytea). Returns
// the new row's id.
int64_t InsertLessonPlan(db::Conn& c, int64_t school_id, int64_t proposal_id, const LessonPlan& plan,
                         std::optional<int64_t> uploaded_by, int64_t now_ms);
// The newest lesson plan of a proposal, with its bytes.
std::optional<LessonPlan> LoadLessonPlan(db::Conn& c, int64_t school_id, int64_t proposal_id);

}  // namespace kehou::catalog
