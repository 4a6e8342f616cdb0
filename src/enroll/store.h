// store.h (enroll): the SQL of registration and the functions that run it on a caller's
// connection. Portable SQL (SQLite 3.40 and PostgreSQL 15), $1..$n parameters. Nothing here opens
// a transaction or writes audit rows: the service does. Signatures and decisions have insert
// functions only (no UPDATE or DELETE exists for them).
// Thread-safety: stateless; a Conn belongs to one callback of one thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"
#include "db/db.h"
#include "enroll/rules.h"

namespace kehou::enroll::store {

// ---- people and school (read from the foundation's tables) ---------------------------------------
struct StudentRow {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string student_no;
  std::string name;
  int64_t class_id = 0;
  std::string class_name;
  int grade = 0;
  std::optional<int64_t> class_teacher_id;
  bool active = true;
};
std::optional<StudentRow> LoadStudent(db::Conn& c, int64_t id);
// Active students of a school in the given grades (all grades when empty), optionally only the
// classes whose class teacher is staff_id, ordered by grade, class, student number.
std::vector<StudentRow> StudentsOf(db::Conn& c, int64_t school_id, const std::vector<int>& grades,
                                   std::optional<int64_t> teacher_staff_id);
bool IsGuardianOf(db::Conn& c, int64_t guardian_id, int64_t student_id);
std::vector<int64_t> GuardiansOf(db::Conn& c, int64_t student_id);
std::string GuardianName(db::Conn& c, int64_t guardian_id);
// The guardian's children (any school), active only.
std::vector<StudentRow> ChildrenOf(db::Conn& c, int64_t guardian_id);
// Class ids whose class teacher is staff_id in the school.
std::vector<int64_t> ClassesOfTeacher(db::Conn& c, int64_t school_id, int64_t staff_id);
// A grade leader's classes (issue 11): every class of the grades they lead (grades.leader_staff_id)
// and the classes they are class teacher of.
std::vector<int64_t> ClassesOfGradeLeader(db::Conn& c, int64_t school_id, int64_t staff_id);

// Terms: through school's door (school/service.h TermOf, CurrentTerm; issue 9 §3).
// Band kinds the school has set up for the term (empty when none are set up yet).
std::vector<Band> OfferedBands(db::Conn& c, int64_t school_id, int64_t term_id);

// ---- surveys -------------------------------------------------------------------------------------
struct SurveyRow {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t term_id = 0;
  std::string term_name;
  std::string title, note;
  SurveyDef def;  // title, grades, bands, interests, dates
  int64_t created_at = 0, updated_at = 0;
};
std::optional<SurveyRow> LoadSurvey(db::Conn& c, int64_t id);
std::vector<SurveyRow> SurveysOf(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);
int64_t InsertSurvey(db::Conn& c, const SurveyRow& s, int64_t user_id);
void UpdateSurvey(db::Conn& c, const SurveyRow& s);
int64_t CountAnswers(db::Conn& c, int64_t school_id, int64_t survey_id);

struct AnswerRow {
  int64_t id = 0;
  int64_t student_id = 0;
  SurveyAnswer answer;
  std::optional<int64_t> guardian_id;
  int64_t updated_at = 0;
};
std::optional<AnswerRow> LoadAnswer(db::Conn& c, int64_t school_id, int64_t survey_id, int64_t student_id);
std::vector<AnswerRow> AnswersOf(db::Conn& c, int64_t school_id, int64_t survey_id);
// Inserts or replaces the child's one answer (unique per survey and child).
int64_t UpsertAnswer(db::Conn& c, int64_t school_id, int64_t survey_id, int64_t student_id, const SurveyAnswer& a,
                     std::optional<int64_t> guardian_id);

// ---- dismissal batches ---------------------------------------------------------------------------
using BatchRow = DismissalBatch;  // rules.h: other modules read it through service.h
std::vector<BatchRow> BatchesOf(db::Conn& c, int64_t school_id, bool include_inactive);
std::optional<BatchRow> LoadBatch(db::Conn& c, int64_t id);
int64_t InsertBatch(db::Conn& c, const BatchRow& b);
void UpdateBatch(db::Conn& c, const BatchRow& b);

// ---- agreements ----------------------------------------------------------------------------------
struct AgreementRow {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t term_id = 0;
  int version = 0;
  std::string title, body, body_hash;
  bool is_current = false;
  int64_t created_at = 0;
};
std::optional<AgreementRow> LoadAgreement(db::Conn& c, int64_t id);
std::optional<AgreementRow> CurrentAgreement(db::Conn& c, int64_t school_id, int64_t term_id);
std::vector<AgreementRow> AgreementsOf(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);
// Adds the next version and makes it the one current version of the school and term.
AgreementRow InsertAgreementVersion(db::Conn& c, int64_t school_id, int64_t term_id, const std::string& title,
                                    const std::string& body, int64_t user_id);

// ---- applications --------------------------------------------------------------------------------
struct ApplicationRow {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t term_id = 0;
  int64_t student_id = 0;
  AppStatus status = AppStatus::kDraft;
  int version = 1;
  std::vector<int> days;
  std::vector<Band> bands;
  Pickup pickup;
  std::optional<int64_t> dismissal_batch_id;
  std::string note;
  int64_t created_at = 0, updated_at = 0;
  std::optional<int64_t> submitted_at;
};
std::optional<ApplicationRow> LoadApplication(db::Conn& c, int64_t id);
std::optional<ApplicationRow> ApplicationFor(db::Conn& c, int64_t school_id, int64_t term_id, int64_t student_id);
int64_t InsertApplication(db::Conn& c, const ApplicationRow& a, int64_t user_id);
// Saves the form and bumps the version, only if the version and an editable status still hold.
// Returns false when someone else changed it first.
bool UpdateApplicationForm(db::Conn& c, const ApplicationRow& a, int expected_version, int64_t user_id);
// Moves the status from -> to, only if it is still from (and the version still holds).
bool MoveStatus(db::Conn& c, int64_t id, int version, AppStatus from, AppStatus to, bool set_submitted_at);

struct ApplicationFilter {
  std::optional<int64_t> term_id;
  std::optional<AppStatus> status;
  std::optional<int64_t> class_id;
  std::optional<int64_t> student_id;
  std::vector<int64_t> class_ids;    // when non-empty: only these classes (class teacher)
  std::vector<int64_t> student_ids;  // when non-empty: only these students (guardian)
  bool restrict_students = false;    // student_ids applies even when empty
  std::string q;
  int64_t limit = 20, offset = 0;  // limit 0: all
};
struct ApplicationListRow {
  ApplicationRow app;
  StudentRow student;
};
std::vector<ApplicationListRow> ListApplications(db::Conn& c, int64_t school_id, const ApplicationFilter& f,
                                                 int64_t* total);

struct SignatureRow {
  int64_t id = 0;
  int64_t application_id = 0;
  int application_version = 0;
  int64_t agreement_id = 0;
  int agreement_version = 0;
  std::string text_hash, form_json;
  std::optional<int64_t> user_id, guardian_id;
  std::string signer_name, device, client;
  int64_t signed_at = 0;
};
std::vector<SignatureRow> SignaturesOf(db::Conn& c, int64_t school_id, int64_t application_id);
std::optional<SignatureRow> SignatureFor(db::Conn& c, int64_t school_id, int64_t application_id, int version);
int64_t InsertSignature(db::Conn& c, int64_t school_id, const SignatureRow& s);

struct DecisionRow {
  int64_t id = 0;
  int64_t application_id = 0;
  int application_version = 0;
  std::string action, from_status, to_status, reason, user_name, role;
  std::optional<int64_t> user_id;
  int64_t at = 0;
};
std::vector<DecisionRow> DecisionsOf(db::Conn& c, int64_t school_id, int64_t application_id);
int64_t InsertDecision(db::Conn& c, int64_t school_id, const DecisionRow& d);

// Approved applications of a term (optionally one child) with the facts enrolment depends on.
using EnrolmentRow = Enrolment;  // rules.h: other modules read it through service.h
std::vector<EnrolmentRow> ApprovedOf(db::Conn& c, int64_t school_id, int64_t term_id,
                                     std::optional<int64_t> student_id);

// ---- exits ---------------------------------------------------------------------------------------
struct ExitRow {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t term_id = 0;
  int64_t student_id = 0;
  int64_t application_id = 0;
  Date effective_date;
  std::string reason, user_name, role;
  std::optional<int64_t> user_id;
  int64_t created_at = 0;
};
std::optional<ExitRow> LoadExit(db::Conn& c, int64_t id);
std::optional<ExitRow> ExitFor(db::Conn& c, int64_t school_id, int64_t application_id);
std::vector<ExitRow> ExitsOf(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);
int64_t InsertExit(db::Conn& c, const ExitRow& e);

// ---- looked-after --------------------------------------------------------------------------------
struct LookedAfterRow {
  int64_t id = 0;
  int64_t school_id = 0;
  int64_t term_id = 0;
  int64_t student_id = 0;
  std::string reason;
  Date start_date;
  std::optional<Date> end_date;
  std::string user_name;
  std::optional<int64_t> user_id;
  int64_t created_at = 0, updated_at = 0;
};
std::optional<LookedAfterRow> LoadLookedAfter(db::Conn& c, int64_t id);
std::vector<LookedAfterRow> LookedAfterOf(db::Conn& c, int64_t school_id, int64_t term_id,
                                          std::optional<int64_t> student_id);
int64_t InsertLookedAfter(db::Conn& c, const LookedAfterRow& r);
void UpdateLookedAfter(db::Conn& c, const LookedAfterRow& r);

// ---- counts (counts.cpp, the workbench's figures of a term; *OfTeacher: of a class teacher's classes)
inline constexpr const char* kCountStudents = "SELECT COUNT(*) AS n FROM students WHERE school_id = $1 AND active = 1";
inline constexpr const char* kCountStudentsOfTeacher =
    "SELECT COUNT(*) AS n FROM students s JOIN classes k ON k.id = s.class_id"
    " WHERE s.school_id = $1 AND s.active = 1 AND k.class_teacher_id = $2";
inline constexpr const char* kCountByStatus =
    "SELECT status, COUNT(*) AS n FROM applications WHERE school_id = $1 AND term_id = $2 GROUP BY status";
inline constexpr const char* kCountByStatusOfTeacher =
    "SELECT a.status, COUNT(*) AS n FROM applications a JOIN students s ON s.id = a.student_id"
    " JOIN classes k ON k.id = s.class_id"
    " WHERE a.school_id = $1 AND a.term_id = $2 AND k.class_teacher_id = $3 GROUP BY a.status";
inline constexpr const char* kCountExits = "SELECT COUNT(*) AS n FROM exits WHERE school_id = $1 AND term_id = $2";
inline constexpr const char* kCountExitsOfTeacher =
    "SELECT COUNT(*) AS n FROM exits e JOIN students s ON s.id = e.student_id JOIN classes k ON k.id = s.class_id"
    " WHERE e.school_id = $1 AND e.term_id = $2 AND k.class_teacher_id = $3";
inline constexpr const char* kCountSignatures =
    "SELECT COUNT(*) AS n FROM application_signatures WHERE school_id = $1 AND agreement_id = $2";
// Whether the staff member leads the grade of the class.
inline constexpr const char* kLeadsGradeOfClass =
    "SELECT 1 FROM classes k JOIN grades g ON g.id = k.grade_id WHERE k.id = $1 AND g.leader_staff_id = $2";

}  // namespace kehou::enroll::store
