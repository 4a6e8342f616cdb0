#include "activation/store.h"

namespace kehou::activation::store {
namespace {
constexpr const char* kGuardianByMobile =
    "SELECT g.id, g.name, g.mobile, (SELECT MIN(sg.school_id) FROM student_guardians sg"
    " JOIN students s ON s.id = sg.student_id WHERE sg.guardian_id = g.id AND s.active = 1)"
    " FROM guardians g WHERE g.mobile = $1";
constexpr const char* kHasAccount = "SELECT 1 FROM users WHERE login = $1 OR guardian_id = $2";
constexpr const char* kSmsSince =
    "SELECT COUNT(*), COALESCE(MAX(created_at), 0) FROM activation_codes"
    " WHERE guardian_id = $1 AND channel = 'sms' AND created_at > $2";
constexpr const char* kInsertCode =
    "INSERT INTO activation_codes (guardian_id, school_id, channel, code_hash, created_by, created_at, expires_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
constexpr const char* kExpireLetters =
    "UPDATE activation_codes SET expires_at = $2 WHERE guardian_id = $1 AND channel = 'letter'"
    " AND used_at IS NULL AND expires_at > $2";
constexpr const char* kValidCode =
    "SELECT ac.id, ac.school_id, g.id, g.name FROM activation_codes ac JOIN guardians g ON g.id = ac.guardian_id"
    " WHERE g.mobile = $1 AND ac.code_hash = $2 AND ac.used_at IS NULL AND ac.expires_at > $3";
constexpr const char* kUseCodes = "UPDATE activation_codes SET used_at = $2 WHERE guardian_id = $1 AND used_at IS NULL";
constexpr const char* kInsertUser =
    "INSERT INTO users (login, password_hash, display_name, role, school_id, guardian_id, disabled,"
    " must_change_password, created_at, updated_at) VALUES ($1, $2, $3, 'guardian', $4, $5, 0, 0, $6, $6) RETURNING id";
constexpr const char* kClassSummary =
    "SELECT k.id, k.name, COUNT(DISTINCT sg.guardian_id), COUNT(DISTINCT u.guardian_id)"
    " FROM classes k JOIN grades gr ON gr.id = k.grade_id"
    " JOIN students s ON s.class_id = k.id AND s.active = 1"
    " JOIN student_guardians sg ON sg.student_id = s.id"
    " LEFT JOIN users u ON u.guardian_id = sg.guardian_id"
    " WHERE k.school_id = $1 AND (CAST($2 AS BIGINT) = 0 OR k.class_teacher_id = CAST($2 AS BIGINT))"
    " GROUP BY k.id, k.name, gr.number, k.number ORDER BY gr.number, k.number";
constexpr const char* kClassGuardians =
    "SELECT g.id, g.name, g.mobile, sg.relation, s.id, s.name, s.student_no,"
    " (SELECT COUNT(*) FROM users u WHERE u.guardian_id = g.id),"
    " (SELECT COALESCE(MAX(ac.created_at), 0) FROM activation_codes ac WHERE ac.guardian_id = g.id),"
    " (SELECT ac.channel FROM activation_codes ac WHERE ac.guardian_id = g.id ORDER BY ac.created_at DESC, ac.id DESC "
    "LIMIT 1),"
    " (SELECT COALESCE(MAX(ac.expires_at), 0) FROM activation_codes ac WHERE ac.guardian_id = g.id"
    "   AND ac.channel = 'letter' AND ac.used_at IS NULL)"
    " FROM students s JOIN student_guardians sg ON sg.student_id = s.id JOIN guardians g ON g.id = sg.guardian_id"
    " WHERE s.school_id = $1 AND s.class_id = $2 AND s.active = 1 ORDER BY s.student_no, sg.is_primary DESC, g.id";
constexpr const char* kLoadClass = "SELECT id, name, class_teacher_id FROM classes WHERE id = $1 AND school_id = $2";
constexpr const char* kSchoolName = "SELECT name FROM schools WHERE id = $1";
}  // namespace

std::optional<Guardian> GuardianByMobile(db::Conn& c, const std::string& mobile) {
  auto r = c.QueryOne(kGuardianByMobile, {mobile});
  if (!r) return std::nullopt;
  return Guardian{r->Int(0), r->Text(1), r->Text(2), r->OptInt(3)};
}

bool HasAccount(db::Conn& c, const std::string& mobile, int64_t guardian_id) {
  return c.QueryOne(kHasAccount, {mobile, guardian_id}).has_value();
}

SmsSent SmsSentSince(db::Conn& c, int64_t guardian_id, int64_t since_ms) {
  auto r = c.QueryOne(kSmsSince, {guardian_id, since_ms});
  return SmsSent{static_cast<int>(r->Int(0)), r->Int(1)};
}

int64_t InsertCode(db::Conn& c, int64_t guardian_id, int64_t school_id, const std::string& channel,
                   const std::string& code_hash, std::optional<int64_t> created_by, int64_t now_ms,
                   int64_t expires_ms) {
  return c.Insert(kInsertCode, {guardian_id, school_id, channel, code_hash, db::Opt(created_by), now_ms, expires_ms});
}

void ExpireLetters(db::Conn& c, int64_t guardian_id, int64_t now_ms) { c.Exec(kExpireLetters, {guardian_id, now_ms}); }

std::optional<ValidCode> FindValidCode(db::Conn& c, const std::string& mobile, const std::string& code_hash,
                                       int64_t now_ms) {
  auto r = c.QueryOne(kValidCode, {mobile, code_hash, now_ms});
  if (!r) return std::nullopt;
  return ValidCode{r->Int(0), r->Int(1), r->Int(2), r->Text(3)};
}

void UseCodes(db::Conn& c, int64_t guardian_id, int64_t now_ms) { c.Exec(kUseCodes, {guardian_id, now_ms}); }

int64_t InsertGuardianUser(db::Conn& c, const std::string& mobile, const std::string& password_hash,
                           const std::string& name, int64_t school_id, int64_t guardian_id, int64_t now_ms) {
  return c.Insert(kInsertUser, {mobile, password_hash, name, school_id, guardian_id, now_ms});
}

std::vector<ClassFigures> ClassSummary(db::Conn& c, int64_t school_id, std::optional<int64_t> teacher) {
  std::vector<ClassFigures> out;
  for (const auto& r : c.Query(kClassSummary, {school_id, teacher.value_or(0)}))
    out.push_back({r.Int(0), r.Text(1), r.Int(2), r.Int(3)});
  return out;
}

std::vector<GuardianRow> ClassGuardians(db::Conn& c, int64_t school_id, int64_t class_id) {
  std::vector<GuardianRow> out;
  for (const auto& r : c.Query(kClassGuardians, {school_id, class_id})) {
    GuardianRow g;
    g.guardian_id = r.Int(0);
    g.guardian_name = r.Text(1);
    g.mobile = r.Text(2);
    g.relation = r.Text(3);
    g.student_id = r.Int(4);
    g.student_name = r.Text(5);
    g.student_no = r.Text(6);
    g.activated = r.Int(7) > 0;
    g.last_code_at = r.Int(8);
    g.last_channel = r.Text(9);
    g.letter_expires_at = r.Int(10);
    out.push_back(std::move(g));
  }
  return out;
}

std::optional<ClassRow> LoadClass(db::Conn& c, int64_t school_id, int64_t class_id) {
  auto r = c.QueryOne(kLoadClass, {class_id, school_id});
  if (!r) return std::nullopt;
  return ClassRow{r->Int(0), r->Text(1), r->OptInt(2)};
}

std::string SchoolName(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kSchoolName, {school_id});
  return r ? r->Text(0) : std::string();
}

}  // namespace kehou::activation::store
