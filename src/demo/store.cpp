// store.cpp (demo): the demo's statements and loaders (store.h); each row read into named fields here.
#include "demo/store.h"

#include <algorithm>
#include <unordered_map>
#include <utility>

namespace kehou::demo::store {
namespace {

using db::Null;
using db::Opt;
using db::Params;
using db::Value;

// Accounts.
constexpr const char* kUserByLogin =
    "SELECT id, display_name, staff_id, guardian_id FROM users WHERE login = $1 AND school_id = $2";
constexpr const char* kFirstGuardianAccount =
    "SELECT u.id, u.display_name, u.staff_id, u.guardian_id FROM users u WHERE u.role = 'guardian'"
    " AND EXISTS (SELECT 1 FROM student_guardians sg WHERE sg.guardian_id = u.guardian_id"
    " AND sg.school_id = $1) ORDER BY u.id LIMIT 1";
constexpr const char* kUserOfGuardian =
    "SELECT id, display_name, staff_id, guardian_id FROM users WHERE guardian_id = $1";

// People and classes.
constexpr const char* kAreaOfSchool = "SELECT area_id FROM schools WHERE id = $1";
constexpr const char* kChildrenOfGuardian =
    "SELECT sg.student_id FROM student_guardians sg JOIN students st ON st.id = sg.student_id"
    " WHERE sg.guardian_id = $1 AND st.school_id = $2 ORDER BY st.id";
constexpr const char* kChildrenWithoutApplication =
    "SELECT s.id AS student_id FROM students s WHERE s.school_id = $1 AND s.active = 1 AND NOT EXISTS"
    " (SELECT 1 FROM applications a WHERE a.student_id = s.id) ORDER BY s.id LIMIT $2";
constexpr const char* kChildrenWithGuardianLogin =
    "SELECT sg.student_id FROM student_guardians sg JOIN users u ON u.guardian_id = sg.guardian_id"
    " WHERE sg.school_id = $1";
constexpr const char* kLowerGradeChildren =
    "SELECT st.id AS student_id FROM students st JOIN classes cl ON cl.id = st.class_id"
    " JOIN grades g ON g.id = cl.grade_id"
    " WHERE st.school_id = $1 AND st.active = 1 AND g.number IN (1, 2) ORDER BY st.id";
constexpr const char* kClassesOfGuardian =
    "SELECT DISTINCT cl.id, cl.class_teacher_id FROM student_guardians sg JOIN students st ON st.id = "
    "sg.student_id JOIN classes cl ON cl.id = st.class_id WHERE sg.guardian_id = $1 AND st.school_id = $2"
    " ORDER BY cl.id";
constexpr const char* kClassesOfTeacher =
    "SELECT id, class_teacher_id FROM classes WHERE school_id = $1 AND class_teacher_id = $2 ORDER BY id";
constexpr const char* kClassesWithTeacher =
    "SELECT id, class_teacher_id FROM classes WHERE school_id = $1 AND class_teacher_id IS NOT NULL ORDER BY id";
constexpr const char* kStaffOfSchool =
    "SELECT id, name, kind, subjects, institution FROM staff WHERE school_id = $1 ORDER BY id";
constexpr const char* kStaffOfSchoolLimit =
    "SELECT id, name, kind, subjects, institution FROM staff WHERE school_id = $1 ORDER BY id LIMIT $2";
constexpr const char* kFirstInSchoolStaff =
    "SELECT id FROM staff WHERE school_id = $1 AND kind = 'in_school' ORDER BY id";
constexpr const char* kActiveTeachers =
    "SELECT id FROM staff WHERE school_id = $1 AND kind IN ('in_school','institution')"
    " AND active = 1 ORDER BY id LIMIT $2";
constexpr const char* kStaffByMobile = "SELECT id FROM staff WHERE school_id = $1 AND mobile = $2";
constexpr const char* kSectionTeachers =
    "SELECT DISTINCT COALESCE(x.teacher_staff_id, co.teacher_staff_id) AS staff_id FROM sections x"
    " JOIN courses co ON co.id = x.course_id WHERE x.school_id = $1"
    " AND COALESCE(x.teacher_staff_id, co.teacher_staff_id) IS NOT NULL ORDER BY 1";

// Staff records.
constexpr const char* kInsertInstitution =
    "INSERT INTO institutions (area_id, name, licence_no, filing_no, categories, listed, review_date, created_at,"
    " updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7, $7) RETURNING id";
constexpr const char* kInsertContract =
    "INSERT INTO institution_contracts (school_id, institution_id, start_date, end_date, no_promotion,"
    " safety_duties, assistant_staff_id, exited_on, exit_reason, created_at) VALUES ($1,$2,$3,$4,1,1,$5,$6,$7,$8)";
constexpr const char* kInsertStaffRecord =
    "INSERT INTO staff_records (school_id, staff_id, qualifications, institution_id, check_date, check_result,"
    " check_certificate, check_valid_until, health_valid_until, contract_start, contract_end, hourly_rate_fen,"
    " will_weekdays, will_bands, will_content, will_max_hours, updated_at)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17)";
constexpr const char* kInsertTraining =
    "INSERT INTO staff_trainings (school_id, staff_id, held_on, hours, topic, created_at)"
    " VALUES ($1,$2,$3,$4,$5,$6)";
constexpr const char* kInsertStaffMember =
    "INSERT INTO staff (school_id, name, gender, kind, subjects, mobile, institution, active, created_at, "
    "updated_at) VALUES ($1, $2, $3, $4, $5, $6, '', 1, $7, $7) RETURNING id";
constexpr const char* kWillBands = "SELECT will_bands FROM staff_records WHERE school_id = $1 AND staff_id = $2";
constexpr const char* kSetWillingness =
    "UPDATE staff_records SET will_bands = $3, will_weekdays = $4 WHERE school_id = $1 AND staff_id = $2";

// Care places.
constexpr const char* kEnrolledChildrenOfClass =
    "SELECT st.id, st.student_no FROM students st WHERE st.school_id = $1 AND st.class_id = $2"
    " AND st.active = 1 AND EXISTS (SELECT 1 FROM applications a JOIN terms t ON t.id = a.term_id"
    " WHERE a.student_id = st.id AND a.status = 'approved' AND t.is_current = 1)"
    " ORDER BY st.student_no LIMIT $3";
constexpr const char* kInsertCarePlace =
    "INSERT INTO selections (school_id, section_id, student_id, status, source, by_user_id, created_at)"
    " VALUES ($1, $2, $3, 'confirmed', 'manual', $4, $5)";
constexpr const char* kInsertCard =
    "INSERT INTO attendance_cards (school_id, card_no, student_id, created_at) VALUES ($1, $2, $3, $4)";
constexpr const char* kSetSectionTaken = "UPDATE sections SET taken = $2 WHERE id = $1";
constexpr const char* kOpenAbsenceAlerts =
    "SELECT COUNT(*) AS n FROM absence_alerts WHERE school_id = $1 AND status = 'open'";

// Rounds.
constexpr const char* kCourseOfSection = "SELECT course_id FROM sections WHERE id = $1";
constexpr const char* kInsertPreference =
    "INSERT INTO select_preferences (school_id, round_id, student_id, rank, section_id, by_user_id, updated_at)"
    " VALUES ($1, $2, $3, $4, $5, NULL, $6)";
constexpr const char* kSetRoundCloses = "UPDATE select_rounds SET closes_at = $2 WHERE id = $1";

// Fees.
constexpr const char* kCoursesInRounds =
    "SELECT DISTINCT c.id FROM courses c JOIN sections s ON s.course_id = c.id"
    " JOIN round_sections rs ON rs.section_id = s.id WHERE c.school_id = $1 ORDER BY c.id";
constexpr const char* kBillsOfGuardianAccounts =
    "SELECT b.id FROM fee_bills b JOIN student_guardians g ON g.student_id = b.student_id"
    " JOIN users u ON u.guardian_id = g.guardian_id WHERE b.school_id = $1 AND b.term_id = $2";
constexpr const char* kBillsOfTerm =
    "SELECT b.id, b.gross_fen, st.left_behind, st.low_income, st.disability FROM fee_bills b"
    " JOIN students st ON st.id = b.student_id WHERE b.school_id = $1 AND b.term_id = $2 ORDER BY b.id";

// Notify and timetable.
constexpr const char* kMarkGuardianRead =
    "UPDATE notify_outbox SET read_at = $3 WHERE school_id = $1 AND event_key = $4"
    " AND recipient_id = $2 AND status = 'sent'";
constexpr const char* kSectionWithBackup =
    "SELECT p.section_id, p.teacher_staff_id, p.weekday, t.end_date FROM timetable_placements p"
    " JOIN terms t ON t.id = p.term_id AND t.is_current = 1 JOIN sections x ON x.id = p.section_id"
    " JOIN courses co ON co.id = x.course_id WHERE p.school_id = $1 AND p.backup_staff_id IS NOT NULL"
    " AND p.band = 'after_school' AND p.teacher_staff_id IS NOT NULL ORDER BY p.section_id LIMIT 1";

UserRow User(const db::Row& r) {
  return {r.Int("id"), r.Text("display_name"), r.OptInt("staff_id"), r.OptInt("guardian_id")};
}

std::optional<UserRow> OneUser(db::Conn& c, const char* sql, const Params& p) {
  auto r = c.QueryOne(sql, p);
  if (!r) return std::nullopt;
  return User(*r);
}

std::vector<int64_t> Ids(db::Conn& c, const char* sql, const Params& p, const char* column) {
  std::vector<int64_t> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(r.Int(column));
  return out;
}

std::optional<int64_t> OneId(db::Conn& c, const char* sql, const Params& p, const char* column) {
  auto r = c.QueryOne(sql, p);
  if (!r) return std::nullopt;
  return r->Int(column);
}

std::vector<ClassRow> Classes(db::Conn& c, const char* sql, const Params& p) {
  std::vector<ClassRow> out;
  for (const auto& r : c.Query(sql, p)) out.push_back({r.Int("id"), r.OptInt("class_teacher_id")});
  return out;
}

Value Text(const std::string& s) { return Value(s); }

}  // namespace

std::vector<Inserted> InsertMany(db::Conn& c, const BulkInsert& what, const std::vector<Params>& rows) {
  std::vector<Inserted> out;
  const std::string_view returning = what.returning;
  const size_t batch = c.dialect() == db::Dialect::kPostgres ? kPgBatchRows : 1;
  for (size_t from = 0; from < rows.size(); from += batch) {
    const size_t to = std::min(rows.size(), from + batch);
    std::string sql(what.head);
    sql += " VALUES ";
    Params params;
    for (size_t r = from; r < to; ++r) {
      sql += r == from ? "(" : ", (";
      for (size_t i = 0; i < rows[r].size(); ++i) {
        params.push_back(rows[r][i]);
        sql += (i ? ", $" : "$") + std::to_string(params.size());
      }
      sql += ")";
    }
    if (returning.empty()) {
      c.Exec(sql, params);
      continue;
    }
    sql += " RETURNING ";
    sql += returning;
    for (const auto& row : c.Query(sql, params)) {
      // The key: the returning columns after the id, by name, joined with "/".
      Inserted in{row.Int("id"), {}};
      for (const auto& name : row.names())
        if (name != "id") in.key += (in.key.empty() ? "" : "/") + row.Text(std::string_view(name));
      out.push_back(std::move(in));
    }
  }
  return out;
}

std::vector<int64_t> IdsByKey(const std::vector<Inserted>& inserted, const std::vector<std::string>& keys) {
  std::unordered_map<std::string, int64_t> by_key;
  for (const auto& r : inserted) by_key.emplace(r.key, r.id);
  std::vector<int64_t> ids;
  ids.reserve(keys.size());
  for (const auto& k : keys) {
    auto it = by_key.find(k);
    if (it == by_key.end()) throw db::DbError("demo: a batch insert returned no id for " + k);
    ids.push_back(it->second);
  }
  return ids;
}

bool DemoPresent(db::Conn& c, std::string_view main_school_name) {
  return c.QueryOne(kFindDemoSchool, {Text(std::string(main_school_name))}).has_value() ||
         c.QueryOne(kFindDemoAudit).has_value();
}

bool LoginTaken(db::Conn& c, std::string_view login) {
  return c.QueryOne(kFindLogin, {Text(std::string(login))}).has_value();
}

std::optional<UserRow> UserByLogin(db::Conn& c, int64_t school_id, std::string_view login) {
  return OneUser(c, kUserByLogin, {Text(std::string(login)), school_id});
}
std::optional<UserRow> FirstGuardianAccount(db::Conn& c, int64_t school_id) {
  return OneUser(c, kFirstGuardianAccount, {school_id});
}
std::optional<UserRow> UserOfGuardian(db::Conn& c, int64_t guardian_id) {
  return OneUser(c, kUserOfGuardian, {guardian_id});
}

std::optional<int64_t> AreaOfSchool(db::Conn& c, int64_t school_id) {
  return OneId(c, kAreaOfSchool, {school_id}, "area_id");
}
std::vector<int64_t> ChildrenOfGuardian(db::Conn& c, int64_t guardian_id, int64_t school_id) {
  return Ids(c, kChildrenOfGuardian, {guardian_id, school_id}, "student_id");
}
std::vector<int64_t> ChildrenWithoutApplication(db::Conn& c, int64_t school_id, int64_t limit) {
  return Ids(c, kChildrenWithoutApplication, {school_id, limit}, "student_id");
}
std::vector<int64_t> ChildrenWithGuardianLogin(db::Conn& c, int64_t school_id) {
  return Ids(c, kChildrenWithGuardianLogin, {school_id}, "student_id");
}
std::vector<int64_t> LowerGradeChildren(db::Conn& c, int64_t school_id) {
  return Ids(c, kLowerGradeChildren, {school_id}, "student_id");
}

std::vector<ClassRow> ClassesOfGuardian(db::Conn& c, int64_t guardian_id, int64_t school_id) {
  return Classes(c, kClassesOfGuardian, {guardian_id, school_id});
}
std::vector<ClassRow> ClassesOfTeacher(db::Conn& c, int64_t school_id, int64_t staff_id) {
  return Classes(c, kClassesOfTeacher, {school_id, staff_id});
}
std::vector<ClassRow> ClassesWithTeacher(db::Conn& c, int64_t school_id) {
  return Classes(c, kClassesWithTeacher, {school_id});
}

std::vector<StaffRow> StaffOfSchool(db::Conn& c, int64_t school_id, std::optional<int64_t> limit) {
  std::vector<StaffRow> out;
  auto rows = limit ? c.Query(kStaffOfSchoolLimit, {school_id, *limit}) : c.Query(kStaffOfSchool, {school_id});
  for (const auto& r : rows)
    out.push_back({r.Int("id"), r.Text("name"), r.Text("kind"), r.Text("subjects"), r.Text("institution")});
  return out;
}
std::optional<int64_t> FirstInSchoolStaff(db::Conn& c, int64_t school_id) {
  return OneId(c, kFirstInSchoolStaff, {school_id}, "id");
}
std::vector<int64_t> ActiveTeachers(db::Conn& c, int64_t school_id, int64_t limit) {
  return Ids(c, kActiveTeachers, {school_id, limit}, "id");
}
std::optional<int64_t> StaffByMobile(db::Conn& c, int64_t school_id, std::string_view mobile) {
  return OneId(c, kStaffByMobile, {school_id, Text(std::string(mobile))}, "id");
}
std::vector<int64_t> SectionTeachers(db::Conn& c, int64_t school_id) {
  return Ids(c, kSectionTeachers, {school_id}, "staff_id");
}

int64_t InsertInstitution(db::Conn& c, const InstitutionRow& r) {
  return c.Insert(kInsertInstitution,
                  {r.area_id, r.name, r.licence_no, r.filing_no, r.categories, r.review_date, r.now});
}

void InsertContract(db::Conn& c, const ContractRow& r) {
  c.Exec(kInsertContract, {r.school_id, r.institution_id, r.start_date, r.end_date, Opt(r.assistant_staff_id),
                           Opt(r.exited_on), r.exit_reason, r.now});
}

void InsertStaffRecord(db::Conn& c, const StaffRecordRow& r) {
  c.Exec(kInsertStaffRecord, {r.school_id, r.staff_id, r.qualifications, Opt(r.institution_id), Opt(r.check_date),
                              Opt(r.check_result), r.check_certificate, Opt(r.check_valid_until), r.health_valid_until,
                              Opt(r.contract_start), Opt(r.contract_end), r.hourly_rate_fen, r.will_weekdays,
                              r.will_bands, r.will_content, r.will_max_hours, r.now});
}

void InsertTraining(db::Conn& c, int64_t school_id, int64_t staff_id, const std::string& held_on, int64_t hours,
                    const std::string& topic, int64_t now) {
  c.Exec(kInsertTraining, {school_id, staff_id, held_on, hours, topic, now});
}

int64_t InsertStaffMember(db::Conn& c, const StaffMemberRow& r) {
  return c.Insert(kInsertStaffMember, {r.school_id, r.name, r.gender, r.kind, r.subjects, r.mobile, r.now});
}

std::optional<std::string> WillBands(db::Conn& c, int64_t school_id, int64_t staff_id) {
  auto r = c.QueryOne(kWillBands, {school_id, staff_id});
  if (!r) return std::nullopt;
  return r->Text("will_bands");
}

void SetWillingness(db::Conn& c, int64_t school_id, int64_t staff_id, const std::string& bands,
                    const std::string& weekdays) {
  c.Exec(kSetWillingness, {school_id, staff_id, bands, weekdays});
}

std::vector<ChildRow> EnrolledChildrenOfClass(db::Conn& c, int64_t school_id, int64_t class_id, int64_t limit) {
  std::vector<ChildRow> out;
  for (const auto& r : c.Query(kEnrolledChildrenOfClass, {school_id, class_id, limit}))
    out.push_back({r.Int("id"), r.Text("student_no")});
  return out;
}

void PlaceWithCard(db::Conn& c, int64_t school_id, int64_t section_id, const ChildRow& child, int64_t by_user,
                   int64_t now) {
  c.Exec(kInsertCarePlace, {school_id, section_id, child.id, by_user, now});
  c.Exec(kInsertCard, {school_id, "CARD-" + child.student_no, child.id, now});
}

void SetSectionTaken(db::Conn& c, int64_t section_id, int64_t taken) { c.Exec(kSetSectionTaken, {section_id, taken}); }

int64_t OpenAbsenceAlerts(db::Conn& c, int64_t school_id) {
  return OneId(c, kOpenAbsenceAlerts, {school_id}, "n").value_or(0);
}

std::optional<int64_t> CourseOfSection(db::Conn& c, int64_t section_id) {
  return OneId(c, kCourseOfSection, {section_id}, "course_id");
}

void InsertPreference(db::Conn& c, int64_t school_id, int64_t round_id, int64_t student_id, int64_t rank,
                      int64_t section_id, int64_t at) {
  c.Exec(kInsertPreference, {school_id, round_id, student_id, rank, section_id, at});
}

void SetRoundCloses(db::Conn& c, int64_t round_id, int64_t closes_at) {
  c.Exec(kSetRoundCloses, {round_id, closes_at});
}

std::vector<int64_t> CoursesInRounds(db::Conn& c, int64_t school_id) {
  return Ids(c, kCoursesInRounds, {school_id}, "id");
}

std::vector<int64_t> BillsOfGuardianAccounts(db::Conn& c, int64_t school_id, int64_t term_id) {
  return Ids(c, kBillsOfGuardianAccounts, {school_id, term_id}, "id");
}

std::vector<BillRow> BillsOfTerm(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<BillRow> out;
  for (const auto& r : c.Query(kBillsOfTerm, {school_id, term_id}))
    out.push_back({r.Int("id"), r.Int("gross_fen"), r.Int("left_behind") != 0, r.Int("low_income") != 0,
                   r.Int("disability") != 0});
  return out;
}

void MarkGuardianRead(db::Conn& c, int64_t school_id, int64_t guardian_id, const std::string& event_key, int64_t at) {
  c.Exec(kMarkGuardianRead, {school_id, guardian_id, at, event_key});
}

std::optional<AbsencePick> SectionWithBackup(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kSectionWithBackup, {school_id});
  if (!r) return std::nullopt;
  return AbsencePick{r->Int("section_id"), r->Int("teacher_staff_id"), static_cast<int>(r->Int("weekday")),
                     r->Text("end_date")};
}

}  // namespace kehou::demo::store
