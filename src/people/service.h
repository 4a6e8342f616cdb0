// service.h: people use cases (R-SET-3): students, guardians, staff, imports, exports, and what
// other modules need of people.
//
// Each use case takes the Db and the Principal of the request (its `scope` set by the permission
// table). Reads run in one db.Read; each write runs in ONE db.Write together with its auth::Audit
// row (an import writes one audit row with counts). Answers are the JSON shapes of
// docs/api-contract.md.
//
// Scope rules (Principal::scope):
//   kSchool / kArea / kAll  the school from auth::ResolveSchool (officers and sysadmin name it with
//                           ?school_id); GET /students/:id by the sysadmin works without it.
//   kOwnClass               classes whose class teacher (classes.class_teacher_id) is the user's staff.
//   kGrade                  grade leader: every class of the grades the user's staff leads
//                           (grades.leader_staff_id, set on the classes page; issue 11).
//   kOwnSections            no sections exist yet: students lists are empty, single ids not_found.
//   kOwnChildren            a guardian's own children (any school) via student_guardians; other
//                           ids answer not_found, never the record.
// Masking: ID numbers in full only for principal, vice principal, office director, office staff;
// guardians' mobiles in full for those, liaison, guard and the class teacher of the child's class;
// special-care flags for managers and the own class teacher; health notes for managers, school
// doctor and the own class teacher (and a guardian for their own child). See rules.h.
//
// Thread-safety: stateless functions; safe from any thread (the Db is thread-safe).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "db/db.h"
#include "people/import.h"
#include "people/rules.h"
#include "people/xlsx.h"

namespace kehou::people {

using Json = nlohmann::json;

inline constexpr int64_t kMaxPageSize = 200;
inline constexpr int64_t kDefaultPageSize = 20;

// Query of the list endpoints (?q, ?class_id, ?grade_id, ?kind, ?include_inactive, ?page,
// ?page_size, ?school_id).
struct ListQuery {
  std::string q;
  std::optional<int64_t> class_id;
  std::optional<int64_t> grade_id;
  std::string kind;               // staff: in_school, retired, ...
  bool include_inactive = false;  // staff
  int64_t page = 1;
  int64_t page_size = kDefaultPageSize;
  std::optional<int64_t> school_id;
};

// A file to send: bytes, content type, file name (UTF-8).
using kehou::FileOut;  // core/file_out.h

// ---- students ------------------------------------------------------------------------------------
// GET /students -> {items:[student], total, page, page_size}; item = {id, student_no, name, gender
// ("M"/"F"), gender_label, class_id, class_name, grade_id, grade_number, id_number (masked),
// flags:{left_behind, low_income, disability} (only when visible), guardians:[{id, name, relation,
// mobile (masked), is_primary}]}.
Result<Json> ListStudents(db::Db& db, const auth::Principal& who, const ListQuery& q);
// GET /classes/:id/students -> {items, total, class:{id, name, grade_number}}; items as in
// ListStudents. One query (students joined with their guardians), written straight to JSON text:
// this is the hot path of the HTTP benchmark.
Result<std::string> ClassStudentsText(db::Db& db, const auth::Principal& who, int64_t class_id,
                                      std::optional<int64_t> school_id);
// The same as a JSON value (tests, other modules).
Result<Json> ClassStudents(db::Db& db, const auth::Principal& who, int64_t class_id, std::optional<int64_t> school_id);
// GET /students/:id -> the full record (adds health_notes when visible, active, school_id). A staff
// read writes an audit row "read_personal" in a write transaction.
Result<Json> GetStudent(db::Db& db, const auth::Principal& who, int64_t id, std::optional<int64_t> school_id);
// POST /students {student_no, name, gender, class_id, id_number?, health_notes?, left_behind?,
// low_income?, disability? (or flags:{...}), guardians?:[{name, relation, mobile}]} -> 201 record.
// Errors: invalid (field named), not_found (class), conflict (student number or ID number taken).
Result<Json> CreateStudent(db::Db& db, const auth::Principal& who, const Json& body, std::optional<int64_t> school_id);
// PUT /students/:id: the same fields, absent ones unchanged; guardians when present replace the
// list; active:false retires the student (kept, hidden from lists).
Result<Json> UpdateStudent(db::Db& db, const auth::Principal& who, int64_t id, const Json& body,
                           std::optional<int64_t> school_id);

// ---- guardians -----------------------------------------------------------------------------------
// GET /guardians?q -> {items:[{id, name, mobile, children:[{id, name, class_name, relation}]}], total,
// page, page_size}: guardians of the visible students of the school.
Result<Json> ListGuardians(db::Db& db, const auth::Principal& who, const ListQuery& q);
// GET /me/children (guardian) -> {items:[{id, name, school_id, school_name, class_id, class_name,
// relation}]}, across schools.
Result<Json> MyChildren(db::Db& db, const auth::Principal& who);

// ---- staff ---------------------------------------------------------------------------------------
// GET /staff?q&kind -> {items:[{id, name, gender, gender_label, kind, kind_label, subjects, mobile
// (masked unless managers/liaison/guard), institution, active}], total, page, page_size}.
Result<Json> ListStaff(db::Db& db, const auth::Principal& who, const ListQuery& q);
// POST /staff {name, gender?, kind (code or label), subjects? (text or array), mobile, institution?}
// -> 201 staff. conflict when the mobile is taken in the school.
Result<Json> CreateStaff(db::Db& db, const auth::Principal& who, const Json& body, std::optional<int64_t> school_id);
// PUT /staff/:id: the same fields, absent ones unchanged; active:false retires.
Result<Json> UpdateStaff(db::Db& db, const auth::Principal& who, int64_t id, const Json& body,
                         std::optional<int64_t> school_id);

// ---- import and export ---------------------------------------------------------------------------
// GET /imports/:kind/template?format=csv|xlsx: Chinese headers and one example row. CSV has a BOM.
Result<FileOut> ImportTemplate(std::string_view kind, std::string_view format);
// GET /imports/:kind/template?format=json -> {kind, columns:[{key, header, hint, required, example}]}:
// the same columns, for the console's import page (it never keeps its own copy).
Result<Json> ImportTemplateColumns(std::string_view kind);
// POST /imports/:kind/preview -> {ok, total, errors:[{row, column, reason, reason_en}], creates,
// updates, guardian_creates}. Writes nothing.
Result<Json> PreviewImport(db::Db& db, const auth::Principal& who, std::string_view kind, const Json& body,
                           std::optional<int64_t> school_id);
// POST /imports/:kind. ok: {ok:true, created, updated, total}; when any row is bad `ok` is false
// and `body` is the preview answer (nothing written; the HTTP layer answers 422).
struct ImportOutcome {
  bool ok = false;
  Json body;
};
Result<ImportOutcome> RunImport(db::Db& db, const auth::Principal& who, std::string_view kind, const Json& body,
                                std::optional<int64_t> school_id);
// The same from an already parsed sheet (the CLI's `kehou import`).
Result<ImportOutcome> RunImportSheet(db::Db& db, const auth::Principal& who, ImportKind kind, const Sheet& sheet,
                                     std::optional<int64_t> school_id);
// GET /exports/:list (students, staff, guardians, classes, rooms) -> XLSX. The students and staff
// exports use the import columns, so an export can be edited and imported again. Audited.
Result<FileOut> Export(db::Db& db, const auth::Principal& who, std::string_view list, std::optional<int64_t> school_id);

// ---- for other modules (the demo, the CLI): on the caller's transaction, no audit ---------------
// Inserts or updates a student by (school, student number) and makes its guardians exactly
// s.guardians (upserted by mobile). Returns the student id. The input must be valid (rules.h).
int64_t SaveStudent(db::Conn& c, int64_t school_id, const StudentInput& s);
// Inserts or updates a staff member by (school, mobile). Returns the id.
int64_t SaveStaff(db::Conn& c, int64_t school_id, const StaffInput& s);
// Inserts or renames the guardian with this mobile (guardians are global). Returns the id.
int64_t SaveGuardian(db::Conn& c, const std::string& name, const std::string& mobile);

}  // namespace kehou::people
