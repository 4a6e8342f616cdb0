// store.h (demo): ALL the demo's SQL, as named constants, and the loaders that read each row into
// a struct with named fields (store.cpp). The demo writes its school through the modules'
// services where one does exactly that write (courses, sections, rounds, rolls, leaves, bills,
// payments, ...); what has no such service (the generated county in bulk, staff records, care
// places, ranked preferences) is written here. The use-case files (demo.cpp, attendance.cpp,
// ...) hold no SQL text and read no column by position (scripts/sql-outside-stores).
// Thread-safety: pure functions over the connection given.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/db.h"

namespace kehou::demo::store {

// ---- The generated county, written in bulk (demo.cpp's Loader) -------------------------------
constexpr const char* kFindDemoSchool = "SELECT id FROM schools WHERE name = $1";
constexpr const char* kFindDemoAudit = "SELECT id FROM audit_log WHERE action = 'demo_create'";
constexpr const char* kFindLogin = "SELECT id FROM users WHERE login = $1";
constexpr const char* kInsertArea =
    "INSERT INTO areas (kind, name, parent_id, office_close_time) VALUES ($1, $2, $3, $4) RETURNING id";
constexpr const char* kInsertSchool =
    "INSERT INTO schools (area_id, name, level, type, address, created_at) VALUES ($1, $2, $3, $4, $5, $6) "
    "RETURNING id";
constexpr const char* kInsertTerm =
    "INSERT INTO terms (school_id, name, start_date, end_date, winter_from, summer_from, excluded_weekdays, "
    "is_current) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id";
constexpr const char* kInsertHoliday =
    "INSERT INTO term_holidays (school_id, term_id, name, start_date, end_date) VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kInsertBand =
    "INSERT INTO service_bands (school_id, term_id, kind, season, name, start_time, end_time) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7)";
constexpr const char* kInsertGrade = "INSERT INTO grades (school_id, number, name) VALUES ($1, $2, $3) RETURNING id";
constexpr const char* kInsertRoom =
    "INSERT INTO rooms (school_id, name, kind, capacity, equipment, active) VALUES ($1, $2, $3, $4, $5, 1) "
    "RETURNING id";
constexpr const char* kInsertClass =
    "INSERT INTO classes (school_id, grade_id, name, number, class_teacher_id, room_id) "
    "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
// Each grade's leader (年级组长): the class teacher of its class 1.
constexpr const char* kSetGradeLeaders =
    "UPDATE grades SET leader_staff_id = (SELECT k.class_teacher_id FROM classes k WHERE k.school_id = "
    "grades.school_id AND k.grade_id = grades.id AND k.number = 1) WHERE leader_staff_id IS NULL";
constexpr const char* kInsertUser =
    "INSERT INTO users (login, password_hash, display_name, role, school_id, area_id, staff_id, guardian_id, "
    "disabled, must_change_password, created_at, updated_at) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, 0, $9, $9) RETURNING id";
constexpr const char* kInsertAgreement =
    "INSERT INTO agreements (school_id, term_id, version, title, body, body_hash, is_current, created_by, "
    "created_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8) RETURNING id";
constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json, "
    "after_json, client, request_id) VALUES ($1, NULL, $2, $3, 'demo_create', 'school', $4, NULL, $5, $6, '')";

// The big tables: a statement head, its rows' values added by InsertMany, and where ids are
// needed the columns RETURNING gives back: the id with the row's natural key (the order of
// RETURNING rows is not guaranteed, the key is).
struct BulkInsert {
  const char* head;
  const char* returning;  // "" when no ids are needed
};
constexpr BulkInsert kInsertStaff = {
    "INSERT INTO staff (school_id, name, gender, kind, subjects, mobile, institution, active, created_at, "
    "updated_at)",
    "id, school_id, mobile"};
constexpr BulkInsert kInsertStudents = {
    "INSERT INTO students (school_id, student_no, name, gender, class_id, id_number, health_notes, "
    "left_behind, low_income, disability, active, created_at, updated_at)",
    "id, school_id, student_no"};
constexpr BulkInsert kInsertGuardians = {"INSERT INTO guardians (mobile, name, created_at)", "id, mobile"};
constexpr BulkInsert kInsertLinks = {
    "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)", ""};
constexpr BulkInsert kInsertApplications = {
    "INSERT INTO applications (school_id, term_id, student_id, status, version, days, bands, pickup_mode, "
    "pickup_guardian_id, proxy_name, proxy_mobile, dismissal_batch_id, note, created_by, updated_by, created_at, "
    "updated_at, submitted_at)",
    "id, school_id, student_id"};
constexpr BulkInsert kInsertSignatures = {
    "INSERT INTO application_signatures (school_id, application_id, application_version, agreement_id, "
    "agreement_version, text_hash, form_json, user_id, guardian_id, signer_name, device, client, signed_at)",
    ""};
constexpr BulkInsert kInsertDecisions = {
    "INSERT INTO application_decisions (school_id, application_id, application_version, action, from_status, "
    "to_status, reason, user_id, user_name, role, at)",
    ""};

// On PostgreSQL round trips dominate, so rows go kPgBatchRows to a statement; on SQLite
// (in-process, statements cached by SQL text, parameters bound by name) one row per statement is
// fastest.
constexpr size_t kPgBatchRows = 400;

// A row returned by a bulk insert: its id and its natural key (the returning columns after the
// id, read by name and joined with "/").
struct Inserted {
  int64_t id = 0;
  std::string key;
};
// Inserts rows (each of the same number of values) with `what`'s head; returns the id and key of
// each (nothing when `what` returns nothing).
std::vector<Inserted> InsertMany(db::Conn& c, const BulkInsert& what, const std::vector<db::Params>& rows);
// ids[i] is the id of the inserted row whose key was keys[i] (throws db::DbError when one is missing).
std::vector<int64_t> IdsByKey(const std::vector<Inserted>& inserted, const std::vector<std::string>& keys);

// Whether the demo is already in the database (its main school or its audit row).
bool DemoPresent(db::Conn& c, std::string_view main_school_name);
bool LoginTaken(db::Conn& c, std::string_view login);

// ---- The demo's accounts ----------------------------------------------------------------------
struct UserRow {
  int64_t id = 0;
  std::string display_name;
  std::optional<int64_t> staff_id, guardian_id;
};
// The account `login` of the school.
std::optional<UserRow> UserByLogin(db::Conn& c, int64_t school_id, std::string_view login);
// The demo guardian (whose login is their mobile): the first guardian account with a child here.
std::optional<UserRow> FirstGuardianAccount(db::Conn& c, int64_t school_id);
// The account of a guardian.
std::optional<UserRow> UserOfGuardian(db::Conn& c, int64_t guardian_id);

// ---- People and classes ------------------------------------------------------------------------
std::optional<int64_t> AreaOfSchool(db::Conn& c, int64_t school_id);
// The guardian's children at the school, by id.
std::vector<int64_t> ChildrenOfGuardian(db::Conn& c, int64_t guardian_id, int64_t school_id);
// Active children with no application for any term, by id, at most `limit`.
std::vector<int64_t> ChildrenWithoutApplication(db::Conn& c, int64_t school_id, int64_t limit);
// Children one of whose guardians has an account (repeats possible).
std::vector<int64_t> ChildrenWithGuardianLogin(db::Conn& c, int64_t school_id);
// Active children of grades 1 and 2, by id.
std::vector<int64_t> LowerGradeChildren(db::Conn& c, int64_t school_id);

struct ClassRow {
  int64_t id = 0;
  std::optional<int64_t> class_teacher_id;
};
// The classes of the guardian's children at the school, by id.
std::vector<ClassRow> ClassesOfGuardian(db::Conn& c, int64_t guardian_id, int64_t school_id);
// The classes whose class teacher is `staff_id`, by id.
std::vector<ClassRow> ClassesOfTeacher(db::Conn& c, int64_t school_id, int64_t staff_id);
// The classes with a class teacher, by id.
std::vector<ClassRow> ClassesWithTeacher(db::Conn& c, int64_t school_id);

struct StaffRow {
  int64_t id = 0;
  std::string name, kind, subjects, institution;
};
// The school's staff by id (at most `limit` when given).
std::vector<StaffRow> StaffOfSchool(db::Conn& c, int64_t school_id, std::optional<int64_t> limit = std::nullopt);
// The first in-school staff member.
std::optional<int64_t> FirstInSchoolStaff(db::Conn& c, int64_t school_id);
// Up to `limit` active in-school and institution teachers, by id.
std::vector<int64_t> ActiveTeachers(db::Conn& c, int64_t school_id, int64_t limit);
std::optional<int64_t> StaffByMobile(db::Conn& c, int64_t school_id, std::string_view mobile);
// Who leads the school's sections (the section's teacher, else its course's), by id.
std::vector<int64_t> SectionTeachers(db::Conn& c, int64_t school_id);

// ---- Staff records (demo/staff.cpp, demo/timetable.cpp) -------------------------------------
struct InstitutionRow {
  int64_t area_id = 0;
  std::string name, licence_no, filing_no, categories, review_date;
  int64_t now = 0;
};
int64_t InsertInstitution(db::Conn& c, const InstitutionRow& r);

struct ContractRow {
  int64_t school_id = 0, institution_id = 0;
  std::string start_date, end_date;
  std::optional<int64_t> assistant_staff_id;
  std::optional<std::string> exited_on;
  std::string exit_reason;
  int64_t now = 0;
};
void InsertContract(db::Conn& c, const ContractRow& r);

struct StaffRecordRow {
  int64_t school_id = 0, staff_id = 0;
  std::string qualifications;
  std::optional<int64_t> institution_id;
  std::optional<std::string> check_date, check_result;
  std::string check_certificate;
  std::optional<std::string> check_valid_until;
  std::string health_valid_until;
  std::optional<std::string> contract_start, contract_end;
  int64_t hourly_rate_fen = 0;
  std::string will_weekdays, will_bands, will_content;
  int64_t will_max_hours = 0, now = 0;
};
void InsertStaffRecord(db::Conn& c, const StaffRecordRow& r);
void InsertTraining(db::Conn& c, int64_t school_id, int64_t staff_id, const std::string& held_on, int64_t hours,
                    const std::string& topic, int64_t now);

struct StaffMemberRow {
  int64_t school_id = 0;
  std::string name, gender, kind, subjects, mobile;
  int64_t now = 0;
};
int64_t InsertStaffMember(db::Conn& c, const StaffMemberRow& r);
// A staff record's wished bands ("" or nullopt: none recorded).
std::optional<std::string> WillBands(db::Conn& c, int64_t school_id, int64_t staff_id);
void SetWillingness(db::Conn& c, int64_t school_id, int64_t staff_id, const std::string& bands,
                    const std::string& weekdays);

// ---- Care places (demo/attendance.cpp) -------------------------------------------------------
struct ChildRow {
  int64_t id = 0;
  std::string student_no;
};
// The class's active children with an approved application for the current term, by student
// number, at most `limit`.
std::vector<ChildRow> EnrolledChildrenOfClass(db::Conn& c, int64_t school_id, int64_t class_id, int64_t limit);
// A confirmed place in the section and a campus card ("CARD-" + student number).
void PlaceWithCard(db::Conn& c, int64_t school_id, int64_t section_id, const ChildRow& child, int64_t by_user,
                   int64_t now);
void SetSectionTaken(db::Conn& c, int64_t section_id, int64_t taken);
int64_t OpenAbsenceAlerts(db::Conn& c, int64_t school_id);

// ---- Rounds (demo/rounds.cpp) ----------------------------------------------------------------
std::optional<int64_t> CourseOfSection(db::Conn& c, int64_t section_id);
void InsertPreference(db::Conn& c, int64_t school_id, int64_t round_id, int64_t student_id, int64_t rank,
                      int64_t section_id, int64_t at);
void SetRoundCloses(db::Conn& c, int64_t round_id, int64_t closes_at);

// ---- Fees (demo/fees.cpp) --------------------------------------------------------------------
// The courses with a section in a round, by id.
std::vector<int64_t> CoursesInRounds(db::Conn& c, int64_t school_id);
// The term's bills of children one of whose guardians has an account.
std::vector<int64_t> BillsOfGuardianAccounts(db::Conn& c, int64_t school_id, int64_t term_id);
struct BillRow {
  int64_t id = 0, gross_fen = 0;
  bool left_behind = false, low_income = false, disability = false;
};
// The term's bills, by id, with their child's special-care flags.
std::vector<BillRow> BillsOfTerm(db::Conn& c, int64_t school_id, int64_t term_id);

// ---- Notify and timetable ----------------------------------------------------------------------
// The guardian read the school's sent message of `event_key` at `at`.
void MarkGuardianRead(db::Conn& c, int64_t school_id, int64_t guardian_id, const std::string& event_key, int64_t at);

struct AbsencePick {
  int64_t section_id = 0, teacher_staff_id = 0;
  int weekday = 0;
  std::string term_end;
};
// The first after-school section of the current term with a stored backup and a teacher.
std::optional<AbsencePick> SectionWithBackup(db::Conn& c, int64_t school_id);

}  // namespace kehou::demo::store
