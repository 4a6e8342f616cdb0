#include "people/store.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "core/time.h"

namespace kehou::people::store {
namespace {

using db::Conn;
using db::Params;
using db::Row;
using db::Value;

// ---------------------------------------------------------------- SQL

// Student columns, in the order ReadStudent expects.
constexpr const char* kStudentColumns =
    "s.id, s.school_id, s.student_no, s.name, s.gender, s.class_id, c.name, c.number, c.grade_id, g.number,"
    " c.class_teacher_id, s.id_number, s.left_behind, s.low_income, s.disability, s.active, s.health_notes";
enum StudentCol : size_t {
  kSId,
  kSSchool,
  kSNo,
  kSName,
  kSGender,
  kSClass,
  kSClassName,
  kSClassNumber,
  kSGrade,
  kSGradeNumber,
  kSTeacher,
  kSIdNumber,
  kSLeftBehind,
  kSLowIncome,
  kSDisability,
  kSActive,
  kSHealth,
  kSColumnCount
};
constexpr const char* kStudentFrom =
    " FROM students s JOIN classes c ON c.id = s.class_id JOIN grades g ON g.id = c.grade_id";
constexpr const char* kStudentOrder = " ORDER BY g.number, c.number, s.student_no, s.id";

constexpr const char* kGuardianColumns = "sg.student_id, gu.id, gu.name, sg.relation, gu.mobile, sg.is_primary";
constexpr const char* kGuardianFrom = " FROM student_guardians sg JOIN guardians gu ON gu.id = sg.guardian_id";
constexpr const char* kGuardianOrder = " ORDER BY sg.student_id, sg.is_primary DESC, gu.id";

// A class list in two queries (no N+1): the class row joined with its students (a class with no
// students still answers one row, so "no such class" is no row), then the guardians of those
// students. One joined query was measured slower on SQLite (the sort over student x guardian rows).
constexpr const char* kClassStudents =
    "SELECT c.id, c.name, c.number, c.grade_id, g.number, c.class_teacher_id,"
    " s.id, s.student_no, s.name, s.gender, s.id_number, s.left_behind, s.low_income, s.disability"
    " FROM classes c JOIN grades g ON g.id = c.grade_id"
    " LEFT JOIN students s ON s.school_id = c.school_id AND s.class_id = c.id AND s.active = 1"
    " WHERE c.id = $1 AND c.school_id = $2";
enum ClassCol : size_t {
  kCId,
  kCName,
  kCNumber,
  kCGrade,
  kCGradeNumber,
  kCTeacher,
  kCSId,
  kCSNo,
  kCSName,
  kCSGender,
  kCSIdNumber,
  kCSLeftBehind,
  kCSLowIncome,
  kCSDisability
};
constexpr const char* kClassStudentsOrder = " ORDER BY s.student_no, s.id";
// Unordered; sorted in C++ (primary guardian first, then by id).
constexpr const char* kClassGuardians =
    "SELECT sg.student_id, gu.id, gu.name, sg.relation, gu.mobile, sg.is_primary"
    " FROM students s JOIN student_guardians sg ON sg.student_id = s.id"
    " JOIN guardians gu ON gu.id = sg.guardian_id"
    " WHERE s.school_id = $2 AND s.class_id = $1 AND s.active = 1";

constexpr const char* kChildrenOf =
    "SELECT s.id, s.name, s.school_id, sc.name, s.class_id, c.name, sg.relation"
    " FROM student_guardians sg JOIN students s ON s.id = sg.student_id"
    " JOIN schools sc ON sc.id = s.school_id JOIN classes c ON c.id = s.class_id"
    " WHERE sg.guardian_id = $1 AND s.active = 1 ORDER BY s.school_id, s.id";

constexpr const char* kUpsertStudent =
    "INSERT INTO students (school_id, student_no, name, gender, class_id, id_number, health_notes,"
    " left_behind, low_income, disability, active, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $11)"
    " ON CONFLICT (school_id, student_no) DO UPDATE SET name = excluded.name, gender = excluded.gender,"
    " class_id = excluded.class_id, id_number = excluded.id_number, health_notes = excluded.health_notes,"
    " left_behind = excluded.left_behind, low_income = excluded.low_income, disability = excluded.disability,"
    " active = 1, updated_at = excluded.updated_at"
    " RETURNING id";
constexpr const char* kUpdateStudent =
    "UPDATE students SET student_no = $3, name = $4, gender = $5, class_id = $6, id_number = $7,"
    " health_notes = $8, left_behind = $9, low_income = $10, disability = $11, active = $12, updated_at = $13"
    " WHERE id = $2 AND school_id = $1";
constexpr const char* kUpsertGuardian =
    "INSERT INTO guardians (mobile, name, created_at) VALUES ($1, $2, $3)"
    " ON CONFLICT (mobile) DO UPDATE SET name = excluded.name RETURNING id";
constexpr const char* kDeleteLinks = "DELETE FROM student_guardians WHERE student_id = $1 AND school_id = $2";
constexpr const char* kInsertLink =
    "INSERT INTO student_guardians (school_id, student_id, guardian_id, relation, is_primary)"
    " VALUES ($1, $2, $3, $4, $5)";
constexpr const char* kUpsertStaff =
    "INSERT INTO staff (school_id, name, gender, kind, subjects, mobile, institution, active, created_at, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)"
    " ON CONFLICT (school_id, mobile) DO UPDATE SET name = excluded.name, gender = excluded.gender,"
    " kind = excluded.kind, subjects = excluded.subjects, institution = excluded.institution, active = 1,"
    " updated_at = excluded.updated_at RETURNING id";
constexpr const char* kUpdateStaff =
    "UPDATE staff SET name = $3, gender = $4, kind = $5, subjects = $6, mobile = $7, institution = $8,"
    " active = $9, updated_at = $10 WHERE id = $2 AND school_id = $1";
constexpr const char* kStaffColumns =
    "st.id, st.school_id, st.name, st.gender, st.kind, st.subjects, st.mobile, st.institution, st.active";

constexpr const char* kStudentIdByNo = "SELECT id FROM students WHERE school_id = $1 AND student_no = $2";
constexpr const char* kStudentNoByIdNumber =
    "SELECT student_no FROM students WHERE school_id = $1 AND id_number = $2 AND id <> $3 LIMIT 1";
constexpr const char* kClassInSchool = "SELECT 1 FROM classes WHERE id = $1 AND school_id = $2";
constexpr const char* kStaffIdByMobile = "SELECT id FROM staff WHERE school_id = $1 AND mobile = $2";
constexpr const char* kImportClasses =
    "SELECT g.number, c.number, c.id FROM classes c JOIN grades g ON g.id = c.grade_id WHERE c.school_id = $1";
constexpr const char* kImportStudents = "SELECT student_no, id, id_number FROM students WHERE school_id = $1";
// Guardians already linked to a student of this school (a guardian known only to another school
// counts as new to this one in the preview; the upsert by mobile still reuses the row).
constexpr const char* kImportGuardians =
    "SELECT DISTINCT gu.mobile FROM student_guardians sg JOIN guardians gu ON gu.id = sg.guardian_id"
    " WHERE sg.school_id = $1";
constexpr const char* kImportStaff = "SELECT mobile, id FROM staff WHERE school_id = $1";
constexpr const char* kExportClasses =
    "SELECT g.number, c.number, c.name, COALESCE(st.name, ''),"
    " (SELECT COUNT(*) FROM students s WHERE s.school_id = c.school_id AND s.class_id = c.id AND s.active = 1)"
    " FROM classes c JOIN grades g ON g.id = c.grade_id LEFT JOIN staff st ON st.id = c.class_teacher_id"
    " WHERE c.school_id = $1 ORDER BY g.number, c.number";
constexpr const char* kExportRooms =
    "SELECT name, kind, capacity, equipment, active FROM rooms WHERE school_id = $1 ORDER BY name";
constexpr const char* kExportAudit =
    "SELECT at, user_name, action, entity, entity_id, before_json, after_json, client"
    " FROM audit_log WHERE school_id = $1 ORDER BY at DESC, id DESC LIMIT $2";
constexpr const char* kLastAuditId = "SELECT COALESCE(MAX(id), 0) FROM audit_log WHERE school_id = $1";

// ---------------------------------------------------------------- helpers

// Builds WHERE clauses with numbered parameters.
struct Sql {
  std::string text;
  Params params;
  std::string P(Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
};

// LIKE pattern with \ as the escape character.
std::string LikeEscape(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '\\' || ch == '%' || ch == '_') out += '\\';
    out += ch;
  }
  return out;
}

std::string Upper(std::string s) {
  for (char& ch : s)
    if (static_cast<unsigned char>(ch) < 0x80) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// Appends the visibility condition for students s / classes c. $1 must be the school id.
void AddVisibility(Sql& q, const Visibility& v) {
  switch (v.kind) {
    case Visibility::Kind::kSchool: break;
    case Visibility::Kind::kTeacherClasses: q.text += " AND c.class_teacher_id = " + q.P(v.staff_id); break;
    case Visibility::Kind::kTeacherGrades:
      q.text +=
          " AND c.grade_id IN (SELECT id FROM grades WHERE school_id = $1 AND leader_staff_id = " + q.P(v.staff_id) +
          ")";
      break;
    case Visibility::Kind::kNone: q.text += " AND 1 = 0"; break;
  }
}

StudentRow ReadStudent(const Row& r) {
  StudentRow s;
  s.id = r.Int(kSId);
  s.school_id = r.Int(kSSchool);
  s.student_no = r.Text(kSNo);
  s.name = r.Text(kSName);
  s.gender = r.Text(kSGender);
  s.class_id = r.Int(kSClass);
  s.class_name = r.Text(kSClassName);
  s.class_number = r.Int(kSClassNumber);
  s.grade_id = r.Int(kSGrade);
  s.grade_number = r.Int(kSGradeNumber);
  s.class_teacher_id = r.OptInt(kSTeacher);
  s.id_number = r.Text(kSIdNumber);
  s.left_behind = r.Int(kSLeftBehind) != 0;
  s.low_income = r.Int(kSLowIncome) != 0;
  s.disability = r.Int(kSDisability) != 0;
  s.active = r.Int(kSActive) != 0;
  if (r.size() > kSHealth) s.health_notes = r.Text(kSHealth);
  return s;
}

GuardianLink ReadLink(const Row& r, size_t first) {
  return GuardianLink{r.Int(first), r.Text(first + 1), r.Text(first + 2), r.Text(first + 3), r.Int(first + 4) != 0};
}

// Fills guardians of `students` from rows of kGuardianColumns.
void AttachGuardians(std::vector<StudentRow>& students, const db::Rows& rows) {
  std::unordered_map<int64_t, size_t> at;
  for (size_t i = 0; i < students.size(); ++i) at[students[i].id] = i;
  for (const Row& r : rows) {
    auto it = at.find(r.Int(0));
    if (it != at.end()) students[it->second].guardians.push_back(ReadLink(r, 1));
  }
}

Value Flag(bool b) { return int64_t{b ? 1 : 0}; }

StaffRow ReadStaff(const Row& r) {
  return StaffRow{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6), r.Text(7), r.Int(8) != 0};
}

// Four to eleven digits: a piece of a mobile number worth searching for.
bool IsMobileFragment(const std::string& q) {
  constexpr size_t kMinDigits = 4, kMaxDigits = 11;
  if (q.size() < kMinDigits || q.size() > kMaxDigits) return false;
  for (char ch : q)
    if (ch < '0' || ch > '9') return false;
  return true;
}

std::string Paging(Sql& q, int64_t limit, int64_t offset) {
  if (limit <= 0) return "";
  return " LIMIT " + q.P(limit) + " OFFSET " + q.P(offset);
}

}  // namespace

// ---------------------------------------------------------------- students

StudentPage ListStudents(Conn& c, const Visibility& v, const StudentFilter& f) {
  Sql where;
  where.text = " WHERE s.school_id = " + where.P(v.school_id) + " AND s.active = 1";
  AddVisibility(where, v);
  if (f.class_id) where.text += " AND s.class_id = " + where.P(*f.class_id);
  if (f.grade_id) where.text += " AND c.grade_id = " + where.P(*f.grade_id);
  if (!f.q.empty()) {
    std::string name = where.P("%" + LikeEscape(f.q) + "%");
    std::string no = where.P(LikeEscape(Upper(f.q)) + "%");
    std::string mobile_match;
    if (f.match_mobile && IsMobileFragment(f.q))
      mobile_match =
          " OR EXISTS (SELECT 1 FROM student_guardians msg JOIN guardians mg ON mg.id = msg.guardian_id"
          " WHERE msg.school_id = s.school_id AND msg.student_id = s.id AND mg.mobile LIKE " +
          where.P("%" + f.q + "%") + ")";
    where.text +=
        " AND (s.name LIKE " + name + " ESCAPE '\\' OR s.student_no LIKE " + no + " ESCAPE '\\'" + mobile_match + ")";
  }
  StudentPage page;
  auto total = c.QueryOne(std::string("SELECT COUNT(*)") + kStudentFrom + where.text, where.params);
  page.total = total ? total->Int(0) : 0;
  if (page.total == 0) return page;

  Sql q = where;
  std::string paging = Paging(q, f.limit, f.offset);
  std::string ids_sql = std::string("SELECT s.id") + kStudentFrom + q.text + kStudentOrder + paging;
  for (const Row& r :
       c.Query(std::string("SELECT ") + kStudentColumns + kStudentFrom + q.text + kStudentOrder + paging, q.params)) {
    page.items.push_back(ReadStudent(r));
    page.items.back().health_notes.clear();
  }
  if (page.items.empty()) return page;
  auto links = c.Query(std::string("SELECT ") + kGuardianColumns + kGuardianFrom + " WHERE sg.school_id = $1" +
                           " AND sg.student_id IN (" + ids_sql + ")" + kGuardianOrder,
                       q.params);
  AttachGuardians(page.items, links);
  return page;
}

std::optional<std::vector<StudentRow>> ClassStudents(Conn& c, const Visibility& v, int64_t class_id) {
  Sql q;
  q.P(class_id);     // $1
  q.P(v.school_id);  // $2
  q.text = kClassStudents;
  switch (v.kind) {
    case Visibility::Kind::kSchool: break;
    case Visibility::Kind::kTeacherClasses: q.text += " AND c.class_teacher_id = " + q.P(v.staff_id); break;
    case Visibility::Kind::kTeacherGrades:
      q.text +=
          " AND c.grade_id IN (SELECT id FROM grades WHERE school_id = $2 AND leader_staff_id = " + q.P(v.staff_id) +
          ")";
      break;
    case Visibility::Kind::kNone: return std::nullopt;
  }
  q.text += kClassStudentsOrder;
  db::Rows rows = c.Query(q.text, q.params);
  if (rows.empty()) return std::nullopt;
  std::vector<StudentRow> out;
  out.reserve(rows.size());
  for (const Row& r : rows) {
    if (r.IsNull(kCSId)) continue;
    StudentRow st;
    st.id = r.Int(kCSId);
    st.school_id = v.school_id;
    st.student_no = r.Text(kCSNo);
    st.name = r.Text(kCSName);
    st.gender = r.Text(kCSGender);
    st.class_id = r.Int(kCId);
    st.class_name = r.Text(kCName);
    st.class_number = r.Int(kCNumber);
    st.grade_id = r.Int(kCGrade);
    st.grade_number = r.Int(kCGradeNumber);
    st.class_teacher_id = r.OptInt(kCTeacher);
    st.id_number = r.Text(kCSIdNumber);
    st.left_behind = r.Int(kCSLeftBehind) != 0;
    st.low_income = r.Int(kCSLowIncome) != 0;
    st.disability = r.Int(kCSDisability) != 0;
    out.push_back(std::move(st));
  }
  if (out.empty()) return out;
  AttachGuardians(out, c.Query(kClassGuardians, {class_id, v.school_id}));
  for (auto& st : out)
    std::sort(st.guardians.begin(), st.guardians.end(), [](const GuardianLink& a, const GuardianLink& b) {
      return a.is_primary != b.is_primary ? a.is_primary : a.guardian_id < b.guardian_id;
    });
  return out;
}

std::optional<StudentRow> FindStudent(Conn& c, const Visibility& v, int64_t id) {
  Sql q;
  q.text = std::string("SELECT ") + kStudentColumns + kStudentFrom + " WHERE s.id = " + q.P(id);
  if (v.school_id != 0 || v.kind != Visibility::Kind::kSchool) {
    q.text += " AND s.school_id = " + q.P(v.school_id);
    // AddVisibility expects the school id as $1; restate the grade rule with the right number.
    switch (v.kind) {
      case Visibility::Kind::kSchool: break;
      case Visibility::Kind::kTeacherClasses: q.text += " AND c.class_teacher_id = " + q.P(v.staff_id); break;
      case Visibility::Kind::kTeacherGrades:
        q.text +=
            " AND c.grade_id IN (SELECT id FROM grades WHERE school_id = $2 AND leader_staff_id = " + q.P(v.staff_id) +
            ")";
        break;
      case Visibility::Kind::kNone: return std::nullopt;
    }
  }
  auto r = c.QueryOne(q.text, q.params);
  if (!r) return std::nullopt;
  StudentRow s = ReadStudent(*r);
  std::vector<StudentRow> one{std::move(s)};
  AttachGuardians(one, c.Query(std::string("SELECT ") + kGuardianColumns + kGuardianFrom + " WHERE sg.student_id = $1" +
                                   kGuardianOrder,
                               {id}));
  return std::move(one.front());
}

std::optional<StudentRow> FindChild(Conn& c, int64_t guardian_id, int64_t id) {
  auto r = c.QueryOne(std::string("SELECT ") + kStudentColumns + kStudentFrom +
                          " WHERE s.id = $1 AND s.active = 1 AND EXISTS (SELECT 1 FROM student_guardians x"
                          " WHERE x.student_id = s.id AND x.guardian_id = $2)",
                      {id, guardian_id});
  if (!r) return std::nullopt;
  std::vector<StudentRow> one{ReadStudent(*r)};
  AttachGuardians(one, c.Query(std::string("SELECT ") + kGuardianColumns + kGuardianFrom + " WHERE sg.student_id = $1" +
                                   kGuardianOrder,
                               {id}));
  return std::move(one.front());
}

std::vector<ChildRow> ChildrenOf(Conn& c, int64_t guardian_id) {
  std::vector<ChildRow> out;
  for (const Row& r : c.Query(kChildrenOf, {guardian_id}))
    out.push_back(ChildRow{r.Int(0), r.Text(1), r.Int(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6)});
  return out;
}

// ---------------------------------------------------------------- guardians

GuardianPage ListGuardians(Conn& c, const Visibility& v, const std::string& q, int64_t limit, int64_t offset) {
  // Students (and their links) visible to the request; $1 is the school.
  Sql vis;
  vis.text =
      " FROM student_guardians sg JOIN students s ON s.id = sg.student_id"
      " JOIN classes c ON c.id = s.class_id WHERE sg.school_id = " +
      vis.P(v.school_id) + " AND s.active = 1";
  AddVisibility(vis, v);
  Sql where = vis;
  where.text = " FROM guardians gu WHERE gu.id IN (SELECT sg.guardian_id" + vis.text + ")";
  if (!q.empty()) {
    std::string name = where.P("%" + LikeEscape(q) + "%");
    std::string mobile = where.P(LikeEscape(q) + "%");
    where.text += " AND (gu.name LIKE " + name + " ESCAPE '\\' OR gu.mobile LIKE " + mobile + " ESCAPE '\\')";
  }
  GuardianPage page;
  auto total = c.QueryOne("SELECT COUNT(*)" + where.text, where.params);
  page.total = total ? total->Int(0) : 0;
  if (page.total == 0) return page;
  Sql pq = where;
  std::string paging = Paging(pq, limit, offset);
  constexpr const char* kOrder = " ORDER BY gu.name, gu.id";
  std::unordered_map<int64_t, size_t> at;
  for (const Row& r : c.Query("SELECT gu.id, gu.name, gu.mobile" + pq.text + kOrder + paging, pq.params)) {
    at[r.Int(0)] = page.items.size();
    page.items.push_back(GuardianRow{r.Int(0), r.Text(1), r.Text(2), {}});
  }
  auto kids = c.Query("SELECT sg.guardian_id, s.id, s.name, c.name, sg.relation, c.class_teacher_id" + vis.text +
                          " AND sg.guardian_id IN (SELECT gu.id" + pq.text + kOrder + paging + ")" +
                          " ORDER BY sg.guardian_id, s.id",
                      pq.params);
  for (const Row& r : kids) {
    auto it = at.find(r.Int(0));
    if (it == at.end()) continue;
    page.items[it->second].children.push_back(
        GuardianRow::Child{r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.OptInt(5)});
  }
  return page;
}

// ---------------------------------------------------------------- staff

StaffPage ListStaff(Conn& c, int64_t school_id, const StaffFilter& f) {
  Sql where;
  where.text = " FROM staff st WHERE st.school_id = " + where.P(school_id);
  if (!f.include_inactive) where.text += " AND st.active = 1";
  if (!f.kind.empty()) where.text += " AND st.kind = " + where.P(f.kind);
  if (!f.q.empty()) {
    std::string like = where.P("%" + LikeEscape(f.q) + "%");
    std::string prefix = where.P(LikeEscape(f.q) + "%");
    where.text += " AND (st.name LIKE " + like + " ESCAPE '\\' OR st.subjects LIKE " + like +
                  " ESCAPE '\\' OR st.institution LIKE " + like + " ESCAPE '\\' OR st.mobile LIKE " + prefix +
                  " ESCAPE '\\')";
  }
  StaffPage page;
  auto total = c.QueryOne("SELECT COUNT(*)" + where.text, where.params);
  page.total = total ? total->Int(0) : 0;
  if (page.total == 0) return page;
  std::string paging = Paging(where, f.limit, f.offset);
  for (const Row& r :
       c.Query(std::string("SELECT ") + kStaffColumns + where.text + " ORDER BY st.name, st.id" + paging, where.params))
    page.items.push_back(ReadStaff(r));
  return page;
}

std::optional<StaffRow> FindStaff(Conn& c, int64_t school_id, int64_t id) {
  auto r = c.QueryOne(std::string("SELECT ") + kStaffColumns + " FROM staff st WHERE st.id = $1 AND st.school_id = $2",
                      {id, school_id});
  if (!r) return std::nullopt;
  return ReadStaff(*r);
}

std::optional<int64_t> StaffIdByMobile(Conn& c, int64_t school_id, const std::string& mobile) {
  auto r = c.QueryOne(kStaffIdByMobile, {school_id, mobile});
  if (!r) return std::nullopt;
  return r->Int(0);
}

// ---------------------------------------------------------------- writes

int64_t UpsertStudent(Conn& c, int64_t school_id, const StudentInput& s) {
  return c.Insert(kUpsertStudent, {school_id, s.student_no, s.name, s.gender, s.class_id, s.id_number, s.health_notes,
                                   Flag(s.left_behind), Flag(s.low_income), Flag(s.disability), NowMs()});
}

void UpdateStudent(Conn& c, int64_t school_id, int64_t id, const StudentInput& s, bool active) {
  c.Exec(kUpdateStudent, {school_id, id, s.student_no, s.name, s.gender, s.class_id, s.id_number, s.health_notes,
                          Flag(s.left_behind), Flag(s.low_income), Flag(s.disability), Flag(active), NowMs()});
}

int64_t UpsertGuardian(Conn& c, const std::string& name, const std::string& mobile) {
  return c.Insert(kUpsertGuardian, {mobile, name, NowMs()});
}

void ReplaceGuardians(Conn& c, int64_t school_id, int64_t student_id, const std::vector<GuardianInput>& g) {
  c.Exec(kDeleteLinks, {student_id, school_id});
  for (size_t i = 0; i < g.size(); ++i) {
    int64_t gid = UpsertGuardian(c, g[i].name, g[i].mobile);
    c.Exec(kInsertLink, {school_id, student_id, gid, g[i].relation, Flag(i == 0)});
  }
}

int64_t UpsertStaff(Conn& c, int64_t school_id, const StaffInput& s) {
  return c.Insert(kUpsertStaff, {school_id, s.name, s.gender, s.kind, s.subjects, s.mobile, s.institution, NowMs()});
}

void UpdateStaff(Conn& c, int64_t school_id, int64_t id, const StaffInput& s, bool active) {
  c.Exec(kUpdateStaff,
         {school_id, id, s.name, s.gender, s.kind, s.subjects, s.mobile, s.institution, Flag(active), NowMs()});
}

// ---------------------------------------------------------------- lookups

std::optional<int64_t> StudentIdByNo(Conn& c, int64_t school_id, const std::string& student_no) {
  auto r = c.QueryOne(kStudentIdByNo, {school_id, student_no});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::optional<std::string> StudentNoByIdNumber(Conn& c, int64_t school_id, const std::string& id_number,
                                               int64_t except_id) {
  if (id_number.empty()) return std::nullopt;
  auto r = c.QueryOne(kStudentNoByIdNumber, {school_id, id_number, except_id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

bool ClassInSchool(Conn& c, int64_t school_id, int64_t class_id) {
  return c.QueryOne(kClassInSchool, {class_id, school_id}).has_value();
}

StudentImportContext LoadStudentImportContext(Conn& c, int64_t school_id, const Date& today) {
  StudentImportContext ctx;
  ctx.today = today;
  for (const Row& r : c.Query(kImportClasses, {school_id}))
    ctx.class_ids[{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1))}] = r.Int(2);
  for (const Row& r : c.Query(kImportStudents, {school_id})) {
    ctx.student_ids[r.Text(0)] = r.Int(1);
    std::string id = r.Text(2);
    if (!id.empty()) ctx.id_number_owner[id] = r.Text(0);
  }
  for (const Row& r : c.Query(kImportGuardians, {school_id})) ctx.guardian_mobiles.insert(r.Text(0));
  return ctx;
}

StaffImportContext LoadStaffImportContext(Conn& c, int64_t school_id) {
  StaffImportContext ctx;
  for (const Row& r : c.Query(kImportStaff, {school_id})) ctx.staff_ids[r.Text(0)] = r.Int(1);
  return ctx;
}

// ---------------------------------------------------------------- exports

std::vector<ClassExportRow> ExportClasses(Conn& c, int64_t school_id) {
  std::vector<ClassExportRow> out;
  for (const Row& r : c.Query(kExportClasses, {school_id}))
    out.push_back(ClassExportRow{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Int(4)});
  return out;
}

std::vector<RoomExportRow> ExportRooms(Conn& c, int64_t school_id) {
  std::vector<RoomExportRow> out;
  for (const Row& r : c.Query(kExportRooms, {school_id}))
    out.push_back(RoomExportRow{r.Text(0), r.Text(1), r.Text(3), r.Int(2), r.Int(4) != 0});
  return out;
}

std::vector<AuditExportRow> ExportAudit(Conn& c, int64_t school_id, int64_t limit) {
  std::vector<AuditExportRow> out;
  for (const Row& r : c.Query(kExportAudit, {school_id, limit}))
    out.push_back(
        AuditExportRow{r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.OptInt(4), r.Text(5), r.Text(6), r.Text(7)});
  return out;
}

int64_t LastAuditId(Conn& c, int64_t school_id) { return c.QueryOne(kLastAuditId, {school_id})->Int(0); }

}  // namespace kehou::people::store
