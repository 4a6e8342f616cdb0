// store.h: the SQL of the people module (students, guardians, student_guardians, staff) and the
// functions that run it on a caller's connection. Portable SQL (SQLite 3.40 and PostgreSQL 15),
// $1..$n parameters. Nothing here opens a transaction or writes audit rows: the service does.
// Thread-safety: stateless; a Conn belongs to one callback of one thread.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"
#include "people/import.h"

namespace kehou::people::store {

// Which students (and through them, guardians) a request may see inside one school.
struct Visibility {
  enum class Kind {
    kSchool,          // every student of the school
    kTeacherClasses,  // classes whose class teacher is staff_id
    kTeacherGrades,   // the grades staff_id leads (grades.leader_staff_id)
    kNone,            // nothing (teachers' own sections: none exist yet)
  };
  int64_t school_id = 0;
  Kind kind = Kind::kSchool;
  int64_t staff_id = 0;
};

struct GuardianLink {
  int64_t guardian_id = 0;
  std::string name;
  std::string relation;
  std::string mobile;
  bool is_primary = false;
};

struct StudentRow {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string student_no;
  std::string name;
  std::string gender;
  int64_t class_id = 0;
  std::string class_name;
  int64_t class_number = 0;
  int64_t grade_id = 0;
  int64_t grade_number = 0;
  std::optional<int64_t> class_teacher_id;
  std::string id_number;
  std::string health_notes;
  bool left_behind = false, low_income = false, disability = false;
  bool active = true;
  std::vector<GuardianLink> guardians;
};

struct StudentFilter {
  std::string q;  // name contains / student number starts with / (match_mobile) a guardian's mobile contains
  bool match_mobile = false;  // 4 or more digits in q also match the guardians' mobiles
  std::optional<int64_t> class_id;
  std::optional<int64_t> grade_id;
  int64_t limit = 20;  // 0: no limit (exports)
  int64_t offset = 0;
};

struct StudentPage {
  std::vector<StudentRow> items;  // with guardians, health notes empty
  int64_t total = 0;
};
StudentPage ListStudents(db::Conn& c, const Visibility& v, const StudentFilter& f);

// The students of one class (ordered by student number), guardians included, in one query.
// nullopt when the class is not visible (another school, not the teacher's class, ...).
std::optional<std::vector<StudentRow>> ClassStudents(db::Conn& c, const Visibility& v, int64_t class_id);

// One student, full record, if visible. school_id 0 with Kind::kSchool means any school (sysadmin
// without ?school_id).
std::optional<StudentRow> FindStudent(db::Conn& c, const Visibility& v, int64_t id);
// One student if it is a child of the guardian (any school).
std::optional<StudentRow> FindChild(db::Conn& c, int64_t guardian_id, int64_t id);

struct ChildRow {
  int64_t id = 0;
  std::string name;
  int64_t school_id = 0;
  std::string school_name;
  int64_t class_id = 0;
  std::string class_name;
  std::string relation;
};
std::vector<ChildRow> ChildrenOf(db::Conn& c, int64_t guardian_id);

struct GuardianRow {
  int64_t id = 0;
  std::string name;
  std::string mobile;
  struct Child {
    int64_t id = 0;
    std::string name;
    std::string class_name;
    std::string relation;
    std::optional<int64_t> class_teacher_id;
  };
  std::vector<Child> children;  // in this school, within the visibility
};
struct GuardianPage {
  std::vector<GuardianRow> items;
  int64_t total = 0;
};
GuardianPage ListGuardians(db::Conn& c, const Visibility& v, const std::string& q, int64_t limit, int64_t offset);

struct StaffRow {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string name, gender, kind, subjects, mobile, institution;
  bool active = true;
};
struct StaffFilter {
  std::string q;
  std::string kind;  // "" any
  bool include_inactive = false;
  int64_t limit = 20;  // 0: no limit
  int64_t offset = 0;
};
struct StaffPage {
  std::vector<StaffRow> items;
  int64_t total = 0;
};
StaffPage ListStaff(db::Conn& c, int64_t school_id, const StaffFilter& f);
std::optional<StaffRow> FindStaff(db::Conn& c, int64_t school_id, int64_t id);
std::optional<int64_t> StaffIdByMobile(db::Conn& c, int64_t school_id, const std::string& mobile);

// --- writes (on the caller's transaction)
// Inserts or updates (by school + student number; reactivates) and returns the id.
int64_t UpsertStudent(db::Conn& c, int64_t school_id, const StudentInput& s);
// Updates the student with this id (student number may change).
void UpdateStudent(db::Conn& c, int64_t school_id, int64_t id, const StudentInput& s, bool active);
// Inserts or renames the guardian with this mobile; returns its id.
int64_t UpsertGuardian(db::Conn& c, const std::string& name, const std::string& mobile);
// Makes the student's guardians exactly these (the first is primary), upserting each by mobile.
void ReplaceGuardians(db::Conn& c, int64_t school_id, int64_t student_id, const std::vector<GuardianInput>& g);
// Inserts or updates (by school + mobile; reactivates); returns the id.
int64_t UpsertStaff(db::Conn& c, int64_t school_id, const StaffInput& s);
void UpdateStaff(db::Conn& c, int64_t school_id, int64_t id, const StaffInput& s, bool active);

// --- lookups for checks and import planning
std::optional<int64_t> StudentIdByNo(db::Conn& c, int64_t school_id, const std::string& student_no);
// Another student of the school with this ID number (excluding `except_id`).
std::optional<std::string> StudentNoByIdNumber(db::Conn& c, int64_t school_id, const std::string& id_number,
                                               int64_t except_id);
bool ClassInSchool(db::Conn& c, int64_t school_id, int64_t class_id);
StudentImportContext LoadStudentImportContext(db::Conn& c, int64_t school_id, const Date& today);
StaffImportContext LoadStaffImportContext(db::Conn& c, int64_t school_id);

// --- exports: whole lists of the school as rows of text
struct ClassExportRow {
  int64_t grade_number = 0, class_number = 0;
  std::string name, teacher_name;
  int64_t students = 0;
};
std::vector<ClassExportRow> ExportClasses(db::Conn& c, int64_t school_id);
struct RoomExportRow {
  std::string name, kind, equipment;
  int64_t capacity = 0;
  bool active = true;
};
std::vector<RoomExportRow> ExportRooms(db::Conn& c, int64_t school_id);
struct AuditExportRow {
  int64_t at = 0;
  std::string user_name, action, entity;
  std::optional<int64_t> entity_id;
  std::string before_json, after_json, client;
};
// The school's audit rows, newest first, at most `limit`.
std::vector<AuditExportRow> ExportAudit(db::Conn& c, int64_t school_id, int64_t limit);
// The school's newest audit row id (0: none): every write leaves one, so it versions the school's data.
int64_t LastAuditId(db::Conn& c, int64_t school_id);

}  // namespace kehou::people::store
