// import.h: import planning for students and staff, as pure functions.
// A sheet (from CSV or JSON rows) plus what the school already has (classes by grade and class
// number, students by student number, staff by mobile) gives either every error in the sheet
// (row as the user sees it, column header, reason in Chinese) or a plan of creates and updates.
// Nothing is written here; the service writes a plan only when it has no errors.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "people/csv.h"

namespace kehou::people {

inline constexpr size_t kMaxImportRows = 10000;  // rows per import file (a big school has ~3,000)
inline constexpr std::string_view kDefaultRelation = "监护人";

enum class ImportKind { kStudents, kStaff };
std::optional<ImportKind> ParseImportKind(std::string_view s);  // "students", "staff"
std::string_view ImportKindName(ImportKind k);

// A column of an import sheet. `header` is the canonical Chinese header; the template writes
// header + hint ("性别(男/女)"). Headers in a file match after dropping a "(...)"/"（...）" suffix.
struct ImportColumn {
  std::string_view key;      // english field name
  std::string_view header;   // 学号
  std::string_view hint;     // "(男/女)" or ""
  bool required;             // required in every row (some columns are required conditionally)
  std::string_view example;  // the template's example row
};
const std::vector<ImportColumn>& ImportColumns(ImportKind k);
std::vector<std::string> TemplateHeaders(ImportKind k);  // header + hint, in order
std::vector<std::string> TemplateExample(ImportKind k);  // one example row
std::string NormaliseHeader(std::string_view h);         // drops the hint suffix and spaces

// The request body of a preview/import: {"rows":[{header: value}]} or {"csv":"..."}.
Result<Sheet> SheetFromImportBody(const nlohmann::json& body);

struct ImportError {
  int row = 0;         // sheet row (header = 1); 1 for header problems
  std::string column;  // canonical header, or "" for the whole row/file
  std::string reason;  // zh-CN
  std::string reason_en;
};

struct GuardianInput {
  std::string name;
  std::string relation;
  std::string mobile;
};

struct StudentInput {
  std::string student_no;
  std::string name;
  std::string gender;  // "M"/"F"
  int64_t class_id = 0;
  std::string id_number;  // "" when not given
  std::string health_notes;
  bool left_behind = false;
  bool low_income = false;
  bool disability = false;
  std::vector<GuardianInput> guardians;  // first is the primary guardian
};

struct StaffInput {
  std::string name;
  std::string gender;  // "M", "F" or ""
  std::string kind;    // in_school, retired, institution, volunteer, parent_volunteer
  std::string subjects;
  std::string mobile;
  std::string institution;
};

// What the school has now.
struct StudentImportContext {
  std::map<std::pair<int, int>, int64_t> class_ids;              // (grade number, class number) -> id
  std::unordered_map<std::string, int64_t> student_ids;          // student_no -> id
  std::unordered_map<std::string, std::string> id_number_owner;  // ID number -> student_no
  std::unordered_set<std::string> guardian_mobiles;              // guardians linked in this school
  Date today;
};

struct StaffImportContext {
  std::unordered_map<std::string, int64_t> staff_ids;  // mobile -> id (this school)
};

template <class Input>
struct Planned {
  int row = 0;
  std::optional<int64_t> existing_id;  // set: update this row; unset: create
  Input input;
};

template <class Input>
struct ImportPlan {
  std::vector<ImportError> errors;  // sorted by row, then column order
  std::vector<Planned<Input>> items;
  int64_t total = 0;  // data rows read
  int64_t creates = 0;
  int64_t updates = 0;
  int64_t guardian_creates = 0;  // students only: guardians new to this school (by mobile)
  bool ok() const { return errors.empty(); }
};
using StudentImportPlan = ImportPlan<StudentInput>;
using StaffImportPlan = ImportPlan<StaffInput>;

// Required: 学号, 姓名, 性别, 年级, 班级, 监护人姓名, 监护人手机. 身份证号 optional but checked when
// given; 监护人关系 defaults to 监护人. The second guardian is optional; when any of its cells is
// filled, its name and mobile are required. Errors: missing column/field, malformed value,
// unknown grade/class, duplicate student number or ID number in the file, an ID number that
// belongs to another student of the school, one mobile with two different guardian names.
StudentImportPlan PlanStudentImport(const Sheet& sheet, const StudentImportContext& ctx);
// Required: 姓名, 类别, 手机; 所属机构 when 类别 is 机构人员. Re-import updates by mobile.
StaffImportPlan PlanStaffImport(const Sheet& sheet, const StaffImportContext& ctx);

// The preview answer: {ok, total, errors:[{row,column,reason,reason_en}], creates, updates}.
template <class Input>
nlohmann::json PlanJson(const ImportPlan<Input>& p) {
  nlohmann::json errors = nlohmann::json::array();
  for (const auto& e : p.errors)
    errors.push_back({{"row", e.row}, {"column", e.column}, {"reason", e.reason}, {"reason_en", e.reason_en}});
  return {{"ok", p.ok()},         {"total", p.total},     {"errors", std::move(errors)},
          {"creates", p.creates}, {"updates", p.updates}, {"guardian_creates", p.guardian_creates}};
}

}  // namespace kehou::people
