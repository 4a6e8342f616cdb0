#include "enroll/store.h"

#include <algorithm>

#include "core/text.h"

namespace kehou::enroll::store {
namespace {

using db::Conn;
using db::Opt;
using db::Params;
using db::Row;
using db::Value;

Date D(const std::string& s) { return ParseDate(s).value_or(Date{}); }
std::optional<Date> OD(const std::optional<std::string>& s) {
  if (!s) return std::nullopt;
  return ParseDate(*s);
}
Value OptDate(const std::optional<Date>& d) { return d ? Value(FormatDate(*d)) : db::Null(); }

// ---- students ------------------------------------------------------------------------------------
constexpr const char* kStudentCols =
    "SELECT s.id, s.school_id, s.student_no, s.name, s.class_id, k.name, g.number, k.class_teacher_id, s.active"
    " FROM students s JOIN classes k ON k.id = s.class_id JOIN grades g ON g.id = k.grade_id";

StudentRow StudentOf(const Row& r) {
  StudentRow s;
  s.id = r.Int(0);
  s.school_id = r.Int(1);
  s.student_no = r.Text(2);
  s.name = r.Text(3);
  s.class_id = r.Int(4);
  s.class_name = r.Text(5);
  s.grade = static_cast<int>(r.Int(6));
  s.class_teacher_id = r.OptInt(7);
  s.active = r.Int(8) != 0;
  return s;
}

// ---- applications --------------------------------------------------------------------------------
constexpr const char* kAppCols =
    "a.id, a.school_id, a.term_id, a.student_id, a.status, a.version, a.days, a.bands, a.pickup_mode,"
    " a.pickup_guardian_id, a.proxy_name, a.proxy_mobile, a.dismissal_batch_id, a.note, a.created_at, a.updated_at,"
    " a.submitted_at";
constexpr size_t kAppColCount = 17;
ApplicationRow AppOf(const Row& r) {
  ApplicationRow a;
  a.id = r.Int(0);
  a.school_id = r.Int(1);
  a.term_id = r.Int(2);
  a.student_id = r.Int(3);
  a.status = ParseStatus(r.Text(4)).value_or(AppStatus::kDraft);
  a.version = static_cast<int>(r.Int(5));
  a.days = SplitInts(r.Text(6));
  a.bands = SplitBands(r.Text(7));
  a.pickup.mode = ParsePickup(r.Text(8)).value_or(PickupMode::kGuardian);
  a.pickup.guardian_id = r.OptInt(9);
  a.pickup.proxy_name = r.Text(10);
  a.pickup.proxy_mobile = r.Text(11);
  a.dismissal_batch_id = r.OptInt(12);
  a.note = r.Text(13);
  a.created_at = r.Int(14);
  a.updated_at = r.Int(15);
  a.submitted_at = r.OptInt(16);
  return a;
}

constexpr const char* kSignatureCols =
    "SELECT id, application_id, application_version, agreement_id, agreement_version, text_hash, form_json,"
    " user_id, guardian_id, signer_name, device, client, signed_at FROM application_signatures";
SignatureRow SignatureOf(const Row& r) {
  SignatureRow s;
  s.id = r.Int(0);
  s.application_id = r.Int(1);
  s.application_version = static_cast<int>(r.Int(2));
  s.agreement_id = r.Int(3);
  s.agreement_version = static_cast<int>(r.Int(4));
  s.text_hash = r.Text(5);
  s.form_json = r.Text(6);
  s.user_id = r.OptInt(7);
  s.guardian_id = r.OptInt(8);
  s.signer_name = r.Text(9);
  s.device = r.Text(10);
  s.client = r.Text(11);
  s.signed_at = r.Int(12);
  return s;
}

constexpr const char* kExitCols =
    "SELECT id, school_id, term_id, student_id, application_id, effective_date, reason, user_id, user_name, role,"
    " created_at FROM exits";
ExitRow ExitOf(const Row& r) {
  ExitRow e;
  e.id = r.Int(0);
  e.school_id = r.Int(1);
  e.term_id = r.Int(2);
  e.student_id = r.Int(3);
  e.application_id = r.Int(4);
  e.effective_date = D(r.Text(5));
  e.reason = r.Text(6);
  e.user_id = r.OptInt(7);
  e.user_name = r.Text(8);
  e.role = r.Text(9);
  e.created_at = r.Int(10);
  return e;
}

constexpr const char* kLookedAfterCols =
    "SELECT id, school_id, term_id, student_id, reason, start_date, end_date, user_id, user_name, created_at,"
    " updated_at FROM looked_after";
LookedAfterRow LookedAfterOf(const Row& r) {
  LookedAfterRow l;
  l.id = r.Int(0);
  l.school_id = r.Int(1);
  l.term_id = r.Int(2);
  l.student_id = r.Int(3);
  l.reason = r.Text(4);
  l.start_date = D(r.Text(5));
  l.end_date = OD(r.OptText(6));
  l.user_id = r.OptInt(7);
  l.user_name = r.Text(8);
  l.created_at = r.Int(9);
  l.updated_at = r.Int(10);
  return l;
}

}  // namespace

// ---- people and school ---------------------------------------------------------------------------

std::optional<StudentRow> LoadStudent(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kStudentCols) + " WHERE s.id = $1", {id});
  if (!r) return std::nullopt;
  return StudentOf(*r);
}

std::vector<StudentRow> StudentsOf(Conn& c, int64_t school_id, const std::vector<int>& grades,
                                   std::optional<int64_t> teacher_staff_id) {
  std::string sql = std::string(kStudentCols) + " WHERE s.school_id = $1 AND s.active = 1";
  Params p{school_id};
  if (teacher_staff_id) {
    sql += " AND k.class_teacher_id = $2";
    p.push_back(*teacher_staff_id);
  }
  sql += " ORDER BY g.number, k.number, s.student_no";
  std::vector<StudentRow> out;
  for (const auto& r : c.Query(sql, p)) {
    StudentRow s = StudentOf(r);
    if (grades.empty() || std::find(grades.begin(), grades.end(), s.grade) != grades.end()) out.push_back(std::move(s));
  }
  return out;
}

bool IsGuardianOf(Conn& c, int64_t guardian_id, int64_t student_id) {
  return c
      .QueryOne("SELECT 1 FROM student_guardians WHERE guardian_id = $1 AND student_id = $2", {guardian_id, student_id})
      .has_value();
}

std::vector<int64_t> GuardiansOf(Conn& c, int64_t student_id) {
  std::vector<int64_t> out;
  for (const auto& r :
       c.Query("SELECT guardian_id FROM student_guardians WHERE student_id = $1 ORDER BY guardian_id", {student_id}))
    out.push_back(r.Int(0));
  return out;
}

std::string GuardianName(Conn& c, int64_t guardian_id) {
  auto r = c.QueryOne("SELECT name FROM guardians WHERE id = $1", {guardian_id});
  return r ? r->Text(0) : std::string();
}

std::vector<StudentRow> ChildrenOf(Conn& c, int64_t guardian_id) {
  std::vector<StudentRow> out;
  for (const auto& r :
       c.Query(std::string(kStudentCols) + " JOIN student_guardians sg ON sg.student_id = s.id"
                                           " WHERE sg.guardian_id = $1 AND s.active = 1 ORDER BY s.school_id, s.id",
               {guardian_id}))
    out.push_back(StudentOf(r));
  return out;
}

std::vector<int64_t> ClassesOfTeacher(Conn& c, int64_t school_id, int64_t staff_id) {
  std::vector<int64_t> out;
  for (const auto& r : c.Query("SELECT id FROM classes WHERE school_id = $1 AND class_teacher_id = $2 ORDER BY id",
                               {school_id, staff_id}))
    out.push_back(r.Int(0));
  return out;
}

std::vector<int64_t> ClassesOfGradeLeader(Conn& c, int64_t school_id, int64_t staff_id) {
  std::vector<int64_t> out;
  for (const auto& r :
       c.Query("SELECT k.id FROM classes k LEFT JOIN grades g ON g.id = k.grade_id WHERE k.school_id = $1"
               " AND (k.class_teacher_id = $2 OR g.leader_staff_id = $2) ORDER BY k.id",
               {school_id, staff_id}))
    out.push_back(r.Int(0));
  return out;
}

std::vector<Band> OfferedBands(Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<Band> out;
  for (const auto& r :
       c.Query("SELECT DISTINCT kind FROM service_bands WHERE school_id = $1 AND term_id = $2", {school_id, term_id}))
    if (auto b = ParseBand(r.Text(0))) out.push_back(*b);
  std::sort(out.begin(), out.end());
  return out;
}

// ---- applications --------------------------------------------------------------------------------

std::optional<ApplicationRow> LoadApplication(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string("SELECT ") + kAppCols + " FROM applications a WHERE a.id = $1", {id});
  if (!r) return std::nullopt;
  return AppOf(*r);
}

std::optional<ApplicationRow> ApplicationFor(Conn& c, int64_t school_id, int64_t term_id, int64_t student_id) {
  auto r = c.QueryOne(std::string("SELECT ") + kAppCols +
                          " FROM applications a WHERE a.school_id = $1 AND a.term_id = $2 AND a.student_id = $3",
                      {school_id, term_id, student_id});
  if (!r) return std::nullopt;
  return AppOf(*r);
}

int64_t InsertApplication(Conn& c, const ApplicationRow& a, int64_t user_id) {
  int64_t now = NowMs();
  return c.Insert(
      "INSERT INTO applications (school_id, term_id, student_id, status, version, days, bands, pickup_mode,"
      " pickup_guardian_id, proxy_name, proxy_mobile, dismissal_batch_id, note, created_by, updated_by, created_at,"
      " updated_at) VALUES ($1, $2, $3, 'draft', 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $13)"
      " RETURNING id",
      {a.school_id, a.term_id, a.student_id, JoinInts(a.days), JoinBands(a.bands),
       std::string(PickupName(a.pickup.mode)), Opt(a.pickup.guardian_id), a.pickup.proxy_name, a.pickup.proxy_mobile,
       Opt(a.dismissal_batch_id), a.note, user_id ? Value(user_id) : db::Null(), now});
}

bool UpdateApplicationForm(Conn& c, const ApplicationRow& a, int expected_version, int64_t user_id) {
  return c.Exec(
             "UPDATE applications SET days = $3, bands = $4, pickup_mode = $5, pickup_guardian_id = $6,"
             " proxy_name = $7, proxy_mobile = $8, dismissal_batch_id = $9, note = $10, updated_by = $11,"
             " updated_at = $12, version = version + 1"
             " WHERE id = $1 AND version = $2 AND status IN ('draft','returned')",
             {a.id, int64_t{expected_version}, JoinInts(a.days), JoinBands(a.bands),
              std::string(PickupName(a.pickup.mode)), Opt(a.pickup.guardian_id), a.pickup.proxy_name,
              a.pickup.proxy_mobile, Opt(a.dismissal_batch_id), a.note, user_id ? Value(user_id) : db::Null(),
              NowMs()}) == 1;
}

bool MoveStatus(Conn& c, int64_t id, int version, AppStatus from, AppStatus to, bool set_submitted_at) {
  int64_t now = NowMs();
  std::string sql = "UPDATE applications SET status = $4, updated_at = $5";
  if (set_submitted_at) sql += ", submitted_at = $5";
  sql += " WHERE id = $1 AND version = $2 AND status = $3";
  return c.Exec(sql, {id, int64_t{version}, std::string(StatusName(from)), std::string(StatusName(to)), now}) == 1;
}

std::vector<ApplicationListRow> ListApplications(Conn& c, int64_t school_id, const ApplicationFilter& f,
                                                 int64_t* total) {
  std::string where = " WHERE a.school_id = $1";
  Params p{school_id};
  auto add = [&](const std::string& cond, Value v) {
    p.push_back(std::move(v));
    where += " AND " + cond + " $" + std::to_string(p.size());
  };
  if (f.term_id) add("a.term_id =", *f.term_id);
  if (f.status) add("a.status =", std::string(StatusName(*f.status)));
  if (f.class_id) add("s.class_id =", *f.class_id);
  if (f.student_id) add("a.student_id =", *f.student_id);
  auto in_list = [&](const char* col, const std::vector<int64_t>& ids) {
    if (ids.empty()) {
      where += " AND 1 = 0";
      return;
    }
    where += std::string(" AND ") + col + " IN (";
    for (size_t i = 0; i < ids.size(); ++i) {
      p.emplace_back(ids[i]);
      where += (i ? ", $" : "$") + std::to_string(p.size());
    }
    where += ")";
  };
  if (!f.class_ids.empty()) in_list("s.class_id", f.class_ids);
  if (f.restrict_students) in_list("a.student_id", f.student_ids);
  if (!f.q.empty()) {
    p.push_back("%" + f.q + "%");
    std::string n = "$" + std::to_string(p.size());
    p.push_back(f.q + "%");
    where += " AND (s.name LIKE " + n + " OR s.student_no LIKE $" + std::to_string(p.size()) + ")";
  }
  std::string from =
      " FROM applications a JOIN students s ON s.id = a.student_id JOIN classes k ON k.id = s.class_id"
      " JOIN grades g ON g.id = k.grade_id";
  if (total) *total = c.QueryOne("SELECT COUNT(*)" + from + where, p)->Int(0);
  std::string sql = std::string("SELECT ") + kAppCols +
                    ", s.id, s.school_id, s.student_no, s.name, s.class_id, k.name, g.number, k.class_teacher_id,"
                    " s.active" +
                    from + where + " ORDER BY g.number, k.number, s.student_no, a.id";
  if (f.limit > 0) sql += " LIMIT " + std::to_string(f.limit) + " OFFSET " + std::to_string(f.offset);
  std::vector<ApplicationListRow> out;
  for (const auto& r : c.Query(sql, p)) {
    ApplicationListRow row;
    row.app = AppOf(r);
    std::vector<Value> rest;
    for (size_t i = kAppColCount; i < r.size(); ++i) rest.push_back(r.at(i));
    row.student = StudentOf(Row(std::make_shared<const std::vector<std::string>>(), std::move(rest)));
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<SignatureRow> SignaturesOf(Conn& c, int64_t school_id, int64_t application_id) {
  std::vector<SignatureRow> out;
  for (const auto& r :
       c.Query(std::string(kSignatureCols) + " WHERE school_id = $1 AND application_id = $2 ORDER BY id",
               {school_id, application_id}))
    out.push_back(SignatureOf(r));
  return out;
}

std::optional<SignatureRow> SignatureFor(Conn& c, int64_t school_id, int64_t application_id, int version) {
  auto r = c.QueryOne(
      std::string(kSignatureCols) + " WHERE school_id = $1 AND application_id = $2 AND application_version = $3",
      {school_id, application_id, int64_t{version}});
  if (!r) return std::nullopt;
  return SignatureOf(*r);
}

int64_t InsertSignature(Conn& c, int64_t school_id, const SignatureRow& s) {
  return c.Insert(
      "INSERT INTO application_signatures (school_id, application_id, application_version, agreement_id,"
      " agreement_version, text_hash, form_json, user_id, guardian_id, signer_name, device, client, signed_at)"
      " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
      {school_id, s.application_id, int64_t{s.application_version}, s.agreement_id, int64_t{s.agreement_version},
       s.text_hash, s.form_json, Opt(s.user_id), Opt(s.guardian_id), s.signer_name, s.device, s.client, s.signed_at});
}

std::vector<DecisionRow> DecisionsOf(Conn& c, int64_t school_id, int64_t application_id) {
  std::vector<DecisionRow> out;
  for (const auto& r : c.Query(
           "SELECT id, application_id, application_version, action, from_status, to_status, reason, user_id,"
           " user_name, role, at FROM application_decisions WHERE school_id = $1 AND application_id = $2 ORDER BY id",
           {school_id, application_id})) {
    DecisionRow d;
    d.id = r.Int(0);
    d.application_id = r.Int(1);
    d.application_version = static_cast<int>(r.Int(2));
    d.action = r.Text(3);
    d.from_status = r.Text(4);
    d.to_status = r.Text(5);
    d.reason = r.Text(6);
    d.user_id = r.OptInt(7);
    d.user_name = r.Text(8);
    d.role = r.Text(9);
    d.at = r.Int(10);
    out.push_back(std::move(d));
  }
  return out;
}

int64_t InsertDecision(Conn& c, int64_t school_id, const DecisionRow& d) {
  return c.Insert(
      "INSERT INTO application_decisions (school_id, application_id, application_version, action, from_status,"
      " to_status, reason, user_id, user_name, role, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
      " RETURNING id",
      {school_id, d.application_id, int64_t{d.application_version}, d.action, d.from_status, d.to_status, d.reason,
       Opt(d.user_id), d.user_name, d.role, d.at});
}

std::vector<EnrolmentRow> ApprovedOf(Conn& c, int64_t school_id, int64_t term_id, std::optional<int64_t> student_id) {
  // The signature of the current version by a join, not a subquery per application: a signature
  // is unique per (school, application, version) (application_signatures_one), so the join adds
  // no row. On PostgreSQL the subquery probed the index once per child (60,000 buffers for a
  // school of 20,000, a plan costly enough to be JIT-compiled on every call); the join reads the
  // school's signatures once (docs/ARCHITECTURE.md note 15, session 20).
  std::string sql =
      "SELECT a.id, a.student_id, CASE WHEN sg.id IS NULL THEN 0 ELSE 1 END,"
      " e.effective_date, a.days, a.bands, a.dismissal_batch_id"
      " FROM applications a LEFT JOIN exits e ON e.school_id = a.school_id AND e.application_id = a.id"
      " LEFT JOIN application_signatures sg ON sg.school_id = a.school_id AND sg.application_id = a.id"
      "  AND sg.application_version = a.version"
      " WHERE a.school_id = $1 AND a.term_id = $2 AND a.status = 'approved'";
  Params p{school_id, term_id};
  if (student_id) {
    sql += " AND a.student_id = $3";
    p.push_back(*student_id);
  }
  std::vector<EnrolmentRow> out;
  for (const auto& r : c.Query(sql, p)) {
    EnrolmentRow e;
    e.application_id = r.Int(0);
    e.student_id = r.Int(1);
    e.signed_current_version = r.Int(2) > 0;
    e.exit_effective = OD(r.OptText(3));
    e.days = SplitInts(r.Text(4));
    e.bands = SplitBands(r.Text(5));
    e.dismissal_batch_id = r.OptInt(6);
    out.push_back(std::move(e));
  }
  return out;
}

// ---- exits ---------------------------------------------------------------------------------------

std::optional<ExitRow> LoadExit(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kExitCols) + " WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return ExitOf(*r);
}

std::optional<ExitRow> ExitFor(Conn& c, int64_t school_id, int64_t application_id) {
  auto r =
      c.QueryOne(std::string(kExitCols) + " WHERE school_id = $1 AND application_id = $2", {school_id, application_id});
  if (!r) return std::nullopt;
  return ExitOf(*r);
}

std::vector<ExitRow> ExitsOf(Conn& c, int64_t school_id, std::optional<int64_t> term_id) {
  std::string sql = std::string(kExitCols) + " WHERE school_id = $1";
  Params p{school_id};
  if (term_id) {
    sql += " AND term_id = $2";
    p.push_back(*term_id);
  }
  sql += " ORDER BY effective_date DESC, id DESC";
  std::vector<ExitRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(ExitOf(r));
  return out;
}

int64_t InsertExit(Conn& c, const ExitRow& e) {
  return c.Insert(
      "INSERT INTO exits (school_id, term_id, student_id, application_id, effective_date, reason, user_id,"
      " user_name, role, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
      {e.school_id, e.term_id, e.student_id, e.application_id, FormatDate(e.effective_date), e.reason, Opt(e.user_id),
       e.user_name, e.role, NowMs()});
}

// ---- looked-after --------------------------------------------------------------------------------

std::optional<LookedAfterRow> LoadLookedAfter(Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string(kLookedAfterCols) + " WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return LookedAfterOf(*r);
}

std::vector<LookedAfterRow> LookedAfterOf(Conn& c, int64_t school_id, int64_t term_id,
                                          std::optional<int64_t> student_id) {
  std::string sql = std::string(kLookedAfterCols) + " WHERE school_id = $1 AND term_id = $2";
  Params p{school_id, term_id};
  if (student_id) {
    sql += " AND student_id = $3";
    p.push_back(*student_id);
  }
  sql += " ORDER BY start_date, id";
  std::vector<LookedAfterRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(LookedAfterOf(r));
  return out;
}

int64_t InsertLookedAfter(Conn& c, const LookedAfterRow& r) {
  int64_t now = NowMs();
  return c.Insert(
      "INSERT INTO looked_after (school_id, term_id, student_id, reason, start_date, end_date, user_id, user_name,"
      " created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
      {r.school_id, r.term_id, r.student_id, r.reason, FormatDate(r.start_date), OptDate(r.end_date), Opt(r.user_id),
       r.user_name, now});
}

void UpdateLookedAfter(Conn& c, const LookedAfterRow& r) {
  c.Exec("UPDATE looked_after SET reason = $2, start_date = $3, end_date = $4, updated_at = $5 WHERE id = $1",
         {r.id, r.reason, FormatDate(r.start_date), OptDate(r.end_date), NowMs()});
}

}  // namespace kehou::enroll::store
