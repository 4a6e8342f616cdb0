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

// A course row as internal::CourseJson reads it (by name).
#define KEHOU_COURSE_COLUMNS                                                                                        \
  "c.id, c.school_id, c.term_id, c.name, c.category, c.description, c.grades, c.capacity, c.venue_kind,"            \
  " c.teacher_staff_id, c.institution, c.sessions_per_week, c.slots, c.fee_fen, c.subject_qa, c.subject, c.status," \
  " (SELECT s.name FROM staff s WHERE s.id = c.teacher_staff_id) AS teacher_name,"                                  \
  " (SELECT COUNT(*) FROM sections x WHERE x.course_id = c.id) AS section_count,"                                   \
  " (SELECT COALESCE(SUM(x.capacity), 0) FROM sections x WHERE x.course_id = c.id) AS seats,"                       \
  " (SELECT COALESCE(SUM(x.taken), 0) FROM sections x WHERE x.course_id = c.id) AS taken,"                          \
  " (SELECT p.id FROM course_proposals p WHERE p.school_id = c.school_id AND p.course_id = c.id) AS proposal_id"
inline constexpr const char* kCourseById =
    "SELECT " KEHOU_COURSE_COLUMNS " FROM courses c WHERE c.id = $1 AND c.school_id = $2";
// The school's courses: $2 category or '', $3 name part or '', $4 status or ''.
inline constexpr const char* kListCourses =
    "SELECT " KEHOU_COURSE_COLUMNS
    " FROM courses c WHERE c.school_id = $1 AND ($2 = '' OR c.category = $2)"
    " AND ($3 = '' OR c.name LIKE '%' || $3 || '%') AND ($4 = '' OR c.status = $4)"
    " ORDER BY c.category, c.name, c.id";
#undef KEHOU_COURSE_COLUMNS
// The extension courses against the policy target: approved, not subject Q&A.
inline constexpr const char* kExtensionCount =
    "SELECT COUNT(*) AS n FROM courses WHERE school_id = $1 AND status = 'approved' AND subject_qa = 0";
inline constexpr const char* kSetCourseStatus =
    "UPDATE courses SET status = $3, updated_at = $4 WHERE id = $1 AND school_id = $2";
inline constexpr const char* kStaffOfSchool = "SELECT 1 FROM staff WHERE id = $1 AND school_id = $2";
inline constexpr const char* kClassOfSchool = "SELECT 1 FROM classes WHERE id = $1 AND school_id = $2";
inline constexpr const char* kRoomOfSchool = "SELECT 1 FROM rooms WHERE id = $1 AND school_id = $2";
// The teacher's days: the slots of every approved course of the term ($4) they teach ($2), as the
// course's teacher or a section's, other than the course $3.
inline constexpr const char* kTeacherCourseSlots =
    "SELECT c.slots FROM courses c WHERE c.school_id = $1 AND c.status = 'approved'"
    " AND c.id <> $3 AND COALESCE(c.term_id, $4) = $4"
    " AND (c.teacher_staff_id = $2 OR EXISTS (SELECT 1 FROM sections x WHERE x.course_id = c.id"
    " AND x.teacher_staff_id = $2))";

inline constexpr const char* kInsertCourse =
    "INSERT INTO courses (school_id, term_id, name, category, description, grades, capacity, venue_kind,"
    " teacher_staff_id, institution, sessions_per_week, slots, fee_fen, subject_qa, status, created_at, updated_at,"
    " subject) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$16,$17) RETURNING id";
inline constexpr const char* kUpdateCourse =
    "UPDATE courses SET name=$3, category=$4, description=$5, grades=$6, capacity=$7, venue_kind=$8,"
    " teacher_staff_id=$9, institution=$10, sessions_per_week=$11, slots=$12, fee_fen=$13, subject_qa=$14,"
    " status=$15, updated_at=$16, subject=$17 WHERE id=$1 AND school_id=$2";

// A section row as internal::SectionJson reads it (by name), with its course.
#define KEHOU_SECTION_COLUMNS                                                                                   \
  "x.id, x.school_id, x.course_id, x.name, x.formation, x.class_id, x.room_id, x.teacher_staff_id, x.capacity," \
  " x.taken, c.name AS course_name, c.category, c.grades, c.slots, c.fee_fen, c.status AS course_status,"       \
  " (SELECT r.name FROM rooms r WHERE r.id = x.room_id) AS room_name,"                                          \
  " (SELECT s.name FROM staff s WHERE s.id = COALESCE(x.teacher_staff_id, c.teacher_staff_id)) AS teacher_name"
#define KEHOU_OF_SCHOOL_SECTIONS                                                 \
  " FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.school_id = $1" \
  " AND ($2 = 0 OR x.course_id = $2)"
inline constexpr const char* kSectionById =
    "SELECT " KEHOU_SECTION_COLUMNS
    " FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = $1 AND x.school_id = $2";
inline constexpr const char* kSectionsOfCourse =
    "SELECT " KEHOU_SECTION_COLUMNS
    " FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.course_id = $1"
    " AND x.school_id = $2 ORDER BY x.id";
// The school's sections ($2 a course or 0); the teacher's own: taught by $3 (theirs or the course's).
inline constexpr const char* kListSections =
    "SELECT " KEHOU_SECTION_COLUMNS KEHOU_OF_SCHOOL_SECTIONS " ORDER BY c.name, x.id";
inline constexpr const char* kListOwnSections =
    "SELECT " KEHOU_SECTION_COLUMNS KEHOU_OF_SCHOOL_SECTIONS
    " AND COALESCE(x.teacher_staff_id, c.teacher_staff_id) = $3 ORDER BY c.name, x.id";
// A section for its printed roster, with its course's term and institution; the own: taught by $3.
inline constexpr const char* kRosterSection = "SELECT " KEHOU_SECTION_COLUMNS
                                              ", c.term_id AS term_id, c.institution AS institution FROM sections x"
                                              " JOIN courses c ON c.id = x.course_id"
                                              " WHERE x.id = $1 AND x.school_id = $2";
inline constexpr const char* kRosterOwnSection = "SELECT " KEHOU_SECTION_COLUMNS
                                                 ", c.term_id AS term_id, c.institution AS institution FROM sections x"
                                                 " JOIN courses c ON c.id = x.course_id"
                                                 " WHERE x.id = $1 AND x.school_id = $2"
                                                 " AND COALESCE(x.teacher_staff_id, c.teacher_staff_id) = $3";
#undef KEHOU_SECTION_COLUMNS
#undef KEHOU_OF_SCHOOL_SECTIONS
inline constexpr const char* kTeachesSection =
    "SELECT 1 FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = $1"
    " AND COALESCE(x.teacher_staff_id, c.teacher_staff_id) = $2";
// Capacity changes are conditional on the seats taken at this instant (never below).
inline constexpr const char* kUpdateSection =
    "UPDATE sections SET name = $3, capacity = $4, room_id = $5, teacher_staff_id = $6"
    " WHERE id = $1 AND school_id = $2 AND taken <= $4";
inline constexpr const char* kSchoolName = "SELECT name FROM schools WHERE id = $1";

// Rosters (issue 11): the child of the selection `sel` (of the section in parameter `section`) has
// no exit of the section's term (the course's, else the school's current term) effective on or
// before the day in parameter `day` ('YYYY-MM-DD'). A future exit keeps the child listed until its
// day. The section's term is one uncorrelated subquery, computed once a statement (session 23: it
// joined the section and its course again for every child, 367 buffer reads for a roster of 45
// against 17, 0.34-0.40 ms against 0.11-0.14 on PostgreSQL; every roll save reads its roster).
#define KEHOU_NOT_EXITED_ON(section, day)                                                                          \
  " AND NOT EXISTS (SELECT 1 FROM exits ex"                                                                        \
  " WHERE ex.school_id = sel.school_id AND ex.student_id = sel.student_id AND ex.effective_date <= " day           \
  " AND ex.term_id = (SELECT COALESCE(ex_co.term_id, (SELECT t.id FROM terms t WHERE t.school_id = ex_x.school_id" \
  " AND t.is_current = 1)) FROM sections ex_x JOIN courses ex_co ON ex_co.id = ex_x.course_id"                     \
  " WHERE ex_x.id = " section "))"
#define KEHOU_SECTION_CHILDREN                                      \
  " FROM selections sel JOIN students st ON st.id = sel.student_id" \
  " JOIN classes cl ON cl.id = st.class_id"                         \
  " WHERE sel.section_id = $1 AND sel.status = 'confirmed' AND sel.school_id = $2" KEHOU_NOT_EXITED_ON("$1", "$3")
// The section's confirmed children not exited on the day $3; the class teacher's: of class teacher $4.
inline constexpr const char* kSectionChildren =
    "SELECT st.id, st.student_no, st.name, cl.name AS class_name, sel.source, sel.created_at" KEHOU_SECTION_CHILDREN
    " ORDER BY cl.name, st.student_no";
inline constexpr const char* kSectionChildrenOfClassTeacher =
    "SELECT st.id, st.student_no, st.name, cl.name AS class_name, sel.source, sel.created_at" KEHOU_SECTION_CHILDREN
    " AND cl.class_teacher_id = $4 ORDER BY cl.name, st.student_no";
inline constexpr const char* kRosterChildren =
    "SELECT st.id, st.class_id, st.student_no, st.name, cl.name AS class_name" KEHOU_SECTION_CHILDREN
    " ORDER BY cl.name, st.student_no";
#undef KEHOU_SECTION_CHILDREN
// The printed roster's lines: the confirmed children of a section with their first guardian
// (primary first) and the pickup plan of their approved application for the term ($3, may be
// NULL), not exited on the day $4.
inline constexpr const char* kRosterLines =
    "SELECT st.student_no, st.name, st.gender, g.name AS grade_name, cl.name AS class_name, cl.class_teacher_id,"
    " (SELECT gd.mobile FROM student_guardians sg JOIN guardians gd ON gd.id = sg.guardian_id"
    "   WHERE sg.school_id = sel.school_id AND sg.student_id = st.id"
    "   ORDER BY sg.is_primary DESC, gd.id LIMIT 1) AS mobile,"
    " (SELECT sg.relation FROM student_guardians sg JOIN guardians gd ON gd.id = sg.guardian_id"
    "   WHERE sg.school_id = sel.school_id AND sg.student_id = st.id"
    "   ORDER BY sg.is_primary DESC, gd.id LIMIT 1) AS relation,"
    " a.pickup_mode, pg.name AS pickup_guardian, a.proxy_name"
    " FROM selections sel JOIN students st ON st.id = sel.student_id"
    " JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id"
    " LEFT JOIN applications a ON a.school_id = sel.school_id AND a.student_id = st.id AND a.term_id = $3"
    "   AND a.status = 'approved'"
    " LEFT JOIN guardians pg ON pg.id = a.pickup_guardian_id"
    " WHERE sel.section_id = $1 AND sel.school_id = $2 AND sel.status = 'confirmed'" KEHOU_NOT_EXITED_ON(
        "$1", "$4") " ORDER BY g.number, cl.number, st.student_no";
#undef KEHOU_NOT_EXITED_ON
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

// A proposal row as ProposalJson reads it (by name), with its course.
#define KEHOU_PROPOSAL_COLUMNS                                                                        \
  "p.id, p.school_id, p.course_id, p.state, p.proposer_user_id, p.proposer_name, p.proposer_kind,"    \
  " p.submitted_at, p.reviewed_by, p.reviewed_by_name, p.reviewed_at, p.review_reason, p.decided_by," \
  " p.decided_by_name, p.decided_at, p.decide_reason, p.created_at, p.updated_at,"                    \
  " c.name AS course_name, c.category, c.institution, c.status AS course_status,"                     \
  " (SELECT s.name FROM staff s WHERE s.id = c.teacher_staff_id) AS teacher_name,"                    \
  " (SELECT l.id FROM lesson_plans l WHERE l.proposal_id = p.id ORDER BY l.id DESC LIMIT 1) AS plan_id"
inline constexpr const char* kProposalById = "SELECT " KEHOU_PROPOSAL_COLUMNS
                                             " FROM course_proposals p JOIN courses c ON c.id = p.course_id"
                                             " WHERE p.id = $1 AND p.school_id = $2";
// The school's proposals: $2 state or '', $3 proposer or 0, $4 course name part or ''.
inline constexpr const char* kListProposals = "SELECT " KEHOU_PROPOSAL_COLUMNS
                                              " FROM course_proposals p JOIN courses c ON c.id = p.course_id"
                                              " WHERE p.school_id = $1 AND ($2 = '' OR p.state = $2) AND ($3 = 0 OR"
                                              " p.proposer_user_id = $3) AND ($4 = '' OR c.name LIKE '%' || $4 || '%')"
                                              " ORDER BY p.updated_at DESC, p.id DESC";
#undef KEHOU_PROPOSAL_COLUMNS
// Proposals by state ($2 proposer or 0).
inline constexpr const char* kProposalStates =
    "SELECT state, COUNT(*) AS n FROM course_proposals WHERE school_id = $1 AND ($2 = 0 OR"
    " proposer_user_id = $2) GROUP BY state";
// The workbench's figures: proposals waiting for a step.
inline constexpr const char* kOpenProposalStates =
    "SELECT state, COUNT(*) AS n FROM course_proposals WHERE school_id = $1"
    " AND state IN ('submitted', 'reviewed', 'returned') GROUP BY state";
inline constexpr const char* kProposalDecisions =
    "SELECT step, decision, reason, by_name, at FROM proposal_decisions"
    " WHERE school_id = $1 AND proposal_id = $2 ORDER BY id";
// A review or decision step, conditional on the state read ($8): two reviewers at once, one wins.
inline constexpr const char* kReviewProposal =
    "UPDATE course_proposals SET state = $3, reviewed_by = $4, reviewed_by_name = $5,"
    " reviewed_at = $6, review_reason = $7, updated_at = $6"
    " WHERE id = $1 AND school_id = $2 AND state = $8";
inline constexpr const char* kDecideProposal =
    "UPDATE course_proposals SET state = $3, decided_by = $4, decided_by_name = $5,"
    " decided_at = $6, decide_reason = $7, updated_at = $6"
    " WHERE id = $1 AND school_id = $2 AND state = $8";
inline constexpr const char* kRecordDecided =
    "UPDATE course_proposals SET decided_by = $3, decided_by_name = $4, decided_at = $5, decide_reason = $6"
    " WHERE id = $1 AND school_id = $2";
inline constexpr const char* kResubmitProposal =
    "UPDATE course_proposals SET state = $3, submitted_at = $4, updated_at = $4"
    " WHERE id = $1 AND school_id = $2 AND state = $5";
inline constexpr const char* kInsertProposal =
    "INSERT INTO course_proposals (school_id, course_id, state, proposer_user_id, proposer_name, proposer_kind,"
    " submitted_at, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$8) RETURNING id";
inline constexpr const char* kInsertDecision =
    "INSERT INTO proposal_decisions (school_id, proposal_id, step, decision, reason, by_user_id, by_name, at)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8)";
// The newest lesson plan of a proposal, without its bytes.
inline constexpr const char* kPlanMeta =
    "SELECT l.id, l.filename, l.content_type, l.size_bytes, l.sha256, l.uploaded_by, l.created_at"
    " FROM lesson_plans l WHERE l.school_id = $1 AND l.proposal_id = $2"
    " ORDER BY l.id DESC LIMIT 1";

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
