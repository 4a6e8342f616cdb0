// store_users.cpp (auth): the SQL of accounts, notices, reset codes and the audit and read logs
// (store.h), with their row loaders.
#include "auth/store.h"

namespace kehou::auth::store {

namespace {

constexpr const char* kSchoolLabel = "SELECT name, level, type FROM schools WHERE id = $1";
constexpr const char* kAreaLabel = "SELECT name, kind FROM areas WHERE id = $1";
constexpr const char* kRecentNotices =
    "SELECT id, at, kind, message, by_name FROM user_notices WHERE user_id = $1 AND at >= $2"
    " ORDER BY at DESC, id DESC LIMIT $3";
constexpr const char* kInsertNotice =
    "INSERT INTO user_notices (user_id, school_id, at, kind, message, by_user_id, by_name) VALUES "
    "($1,$2,$3,$4,$5,$6,$7)";

constexpr const char* kValidCode =
    "SELECT u.id, u.school_id, rc.id FROM users u JOIN reset_codes rc ON rc.user_id = u.id"
    " WHERE u.login = $1 AND u.disabled = 0 AND rc.code_hash = $2 AND rc.used_at IS NULL AND rc.expires_at > $3";
constexpr const char* kUseResetCode = "UPDATE reset_codes SET used_at = $1 WHERE id = $2";
constexpr const char* kEndResetCodes = "UPDATE reset_codes SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL";
constexpr const char* kInsertResetCode =
    "INSERT INTO reset_codes (user_id, code_hash, created_at, expires_at, created_by, school_id)"
    " VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";

constexpr const char* kUserColumns =
    "id, login, display_name, role, school_id, area_id, staff_id, guardian_id, disabled, must_change_password, "
    "created_at";
constexpr const char* kCountUsers = "SELECT COUNT(*) FROM users";
constexpr const char* kLoginTaken = "SELECT 1 FROM users WHERE login = $1";
constexpr const char* kAreaExists = "SELECT 1 FROM areas WHERE id = $1";
constexpr const char* kAreaUnder = "SELECT 1 FROM areas WHERE id = $1 AND parent_id = $2";
constexpr const char* kStaffInSchool = "SELECT 1 FROM staff WHERE id = $1 AND school_id = $2";
constexpr const char* kGuardianSchools = "SELECT DISTINCT school_id FROM student_guardians WHERE guardian_id = $1";
constexpr const char* kInsertUser =
    "INSERT INTO users (login, password_hash, display_name, role, school_id, area_id, staff_id, disabled,"
    " must_change_password, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,0,$8,$9,$9) RETURNING id";
constexpr const char* kInsertUserDirect =
    "INSERT INTO users (login, password_hash, display_name, role, school_id, area_id, disabled,"
    " must_change_password, created_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,0,$7,$8,$8) RETURNING id";
constexpr const char* kUpdateUser =
    "UPDATE users SET display_name = $1, role = $2, disabled = $3, updated_at = $4 WHERE id = $5";
constexpr const char* kSetTemporaryPassword =
    "UPDATE users SET password_hash = $1, must_change_password = 1, updated_at = $2 WHERE id = $3";
constexpr const char* kSetDisabled = "UPDATE users SET disabled = $1, updated_at = $2 WHERE id = $3";
constexpr const char* kAccountByLogin = "SELECT id, school_id FROM users WHERE login = $1";

constexpr const char* kSchoolExists = "SELECT 1 FROM schools WHERE id = $1";
constexpr const char* kSchoolInArea =
    "SELECT s.id FROM schools s JOIN areas a ON a.id = s.area_id "
    "WHERE s.id = $1 AND (a.id = $2 OR a.parent_id = $2)";

constexpr const char* kInsertAudit =
    "INSERT INTO audit_log (school_id, user_id, user_name, at, action, entity, entity_id, before_json,"
    " after_json, client, request_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr const char* kInsertReadLog =
    "INSERT INTO read_log (school_id, user_id, user_name, role, at, list, query, row_count, full_fields, client, "
    "request_id)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
constexpr const char* kAuditColumns =
    "SELECT id, at, user_id, user_name, action, entity, entity_id, before_json, after_json, client, request_id";
constexpr const char* kReadLogColumns =
    "SELECT id, at, user_id, user_name, list, query, row_count, full_fields, role, client, request_id";

UserRow ReadUser(const db::Row& r) {
  UserRow u;
  u.id = r.Int(0);
  u.login = r.Text(1);
  u.display_name = r.Text(2);
  u.role = r.Text(3);
  u.school_id = r.OptInt(4);
  u.area_id = r.OptInt(5);
  u.staff_id = r.OptInt(6);
  u.guardian_id = r.OptInt(7);
  u.disabled = r.Int(8) != 0;
  u.must_change_password = r.Int(9) != 0;
  u.created_at = r.Int(10);
  return u;
}

// A filtered list's " WHERE 1=1 AND ..." with its parameters $1..$n, then its page's LIMIT/OFFSET.
struct Where {
  std::string sql = " WHERE 1=1";
  db::Params params;
  std::string Next(db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  }
  // cond with each '?' replaced by the new parameter's $n.
  void Add(const std::string& cond, db::Value v) {
    std::string p = Next(std::move(v));
    std::string out = cond;
    for (size_t at; (at = out.find('?')) != std::string::npos;) out.replace(at, 1, p);
    sql += " AND " + out;
  }
  std::string Page(int64_t limit, int64_t offset) {
    std::string l = Next(limit);
    std::string o = Next(offset);
    return " LIMIT " + l + " OFFSET " + o;
  }
};

Where UsersWhere(const UserFilter& f) {
  Where w;
  if (f.school_id) w.Add("school_id = ?", *f.school_id);
  if (!f.q.empty()) w.Add("(login LIKE ? OR display_name LIKE ?)", "%" + f.q + "%");
  if (!f.role.empty()) w.Add("role = ?", f.role);
  return w;
}

Where AuditWhere(const AuditFilter& f) {
  Where w;
  if (f.school_id) w.Add("school_id = ?", *f.school_id);
  if (f.user_id) w.Add("user_id = ?", *f.user_id);
  if (f.action && !f.reads) w.Add("action = ?", *f.action);
  if (f.entity) w.Add(f.reads ? "list = ?" : "entity = ?", *f.entity);
  if (f.q) w.Add("user_name LIKE ?", "%" + *f.q + "%");
  if (f.from) w.Add("at >= ?", *f.from);
  if (f.to) w.Add("at < ?", *f.to);
  return w;
}

const char* AuditTable(const AuditFilter& f) { return f.reads ? " FROM read_log" : " FROM audit_log"; }

}  // namespace

std::optional<SchoolLabel> SchoolLabelOf(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kSchoolLabel, {school_id});
  if (!r) return std::nullopt;
  return SchoolLabel{r->Text(0), r->Text(1), r->Text(2)};
}

std::optional<AreaLabel> AreaLabelOf(db::Conn& c, int64_t area_id) {
  auto r = c.QueryOne(kAreaLabel, {area_id});
  if (!r) return std::nullopt;
  return AreaLabel{r->Text(0), r->Text(1)};
}

std::vector<NoticeRow> RecentNotices(db::Conn& c, int64_t user_id, int64_t since_ms, int64_t limit) {
  std::vector<NoticeRow> out;
  for (auto& r : c.Query(kRecentNotices, {user_id, since_ms, limit}))
    out.push_back(NoticeRow{r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4)});
  return out;
}

void InsertNotice(db::Conn& c, const NewNotice& n) {
  c.Exec(kInsertNotice, {n.user_id, db::Opt(n.school_id), n.at, n.kind, n.message, db::Opt(n.by_user_id), n.by_name});
}

std::optional<ResetCodeRow> ValidResetCode(db::Conn& c, const std::string& login, const std::string& code_hash,
                                           int64_t now_ms) {
  auto r = c.QueryOne(kValidCode, {login, code_hash, now_ms});
  if (!r) return std::nullopt;
  return ResetCodeRow{r->Int(0), r->OptInt(1), r->Int(2)};
}

void UseResetCode(db::Conn& c, int64_t code_id, int64_t now_ms) { c.Exec(kUseResetCode, {now_ms, code_id}); }

void EndResetCodes(db::Conn& c, int64_t user_id, int64_t now_ms) { c.Exec(kEndResetCodes, {now_ms, user_id}); }

void InsertResetCode(db::Conn& c, const NewResetCode& r) {
  c.Insert(kInsertResetCode,
           {r.user_id, r.code_hash, r.created_at, r.expires_at, db::Opt(r.created_by), db::Opt(r.school_id)});
}

int64_t CountUsers(db::Conn& c, const UserFilter& f) {
  Where w = UsersWhere(f);
  return c.QueryOne(kCountUsers + w.sql, w.params)->Int(0);
}

std::vector<UserRow> UsersPage(db::Conn& c, const UserFilter& f, int64_t limit, int64_t offset) {
  Where w = UsersWhere(f);
  std::string where = w.sql;
  std::string page = w.Page(limit, offset);
  std::vector<UserRow> out;
  for (auto& r :
       c.Query(std::string("SELECT ") + kUserColumns + " FROM users" + where + " ORDER BY id" + page, w.params))
    out.push_back(ReadUser(r));
  return out;
}

std::optional<UserRow> UserById(db::Conn& c, int64_t id) {
  auto r = c.QueryOne(std::string("SELECT ") + kUserColumns + " FROM users WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return ReadUser(*r);
}

std::string LastLoginsQuery(std::string_view id_list) {
  return "SELECT user_id, MAX(at) FROM audit_log WHERE action = 'login' AND user_id IN (" + std::string(id_list) +
         ") GROUP BY user_id";
}

std::map<int64_t, int64_t> LastLogins(db::Conn& c, const std::vector<int64_t>& user_ids) {
  std::string ids;  // integers read from the database, not user input
  for (int64_t id : user_ids) ids += (ids.empty() ? "" : ", ") + std::to_string(id);
  std::map<int64_t, int64_t> last;
  for (auto& r : c.Query(LastLoginsQuery(ids))) last[r.Int(0)] = r.Int(1);
  return last;
}

bool LoginTaken(db::Conn& c, const std::string& login) { return c.QueryOne(kLoginTaken, {login}).has_value(); }

bool AreaExists(db::Conn& c, int64_t area_id) { return c.QueryOne(kAreaExists, {area_id}).has_value(); }

bool AreaUnder(db::Conn& c, int64_t area_id, std::optional<int64_t> parent) {
  return c.QueryOne(kAreaUnder, {area_id, db::Opt(parent)}).has_value();
}

bool StaffInSchool(db::Conn& c, int64_t staff_id, std::optional<int64_t> school_id) {
  return c.QueryOne(kStaffInSchool, {staff_id, db::Opt(school_id)}).has_value();
}

std::vector<int64_t> GuardianSchools(db::Conn& c, int64_t guardian_id) {
  std::vector<int64_t> out;
  for (auto& r : c.Query(kGuardianSchools, {guardian_id})) out.push_back(r.Int(0));
  return out;
}

int64_t InsertUser(db::Conn& c, const NewUser& u) {
  return c.Insert(kInsertUser,
                  {u.login, u.password_hash, u.display_name, u.role, db::Opt(u.school_id), db::Opt(u.area_id),
                   db::Opt(u.staff_id), int64_t{u.must_change_password ? 1 : 0}, u.now_ms});
}

int64_t InsertUserDirect(db::Conn& c, const NewUser& u) {
  return c.Insert(kInsertUserDirect, {u.login, u.password_hash, u.display_name, u.role, db::Opt(u.school_id),
                                      db::Opt(u.area_id), int64_t{u.must_change_password ? 1 : 0}, u.now_ms});
}

void UpdateUser(db::Conn& c, int64_t id, const std::string& display_name, const std::string& role, bool disabled,
                int64_t now_ms) {
  c.Exec(kUpdateUser, {display_name, role, int64_t{disabled ? 1 : 0}, now_ms, id});
}

void SetTemporaryPassword(db::Conn& c, int64_t user_id, const std::string& hash, int64_t now_ms) {
  c.Exec(kSetTemporaryPassword, {hash, now_ms, user_id});
}

void SetDisabled(db::Conn& c, int64_t user_id, bool disabled, int64_t now_ms) {
  c.Exec(kSetDisabled, {int64_t{disabled ? 1 : 0}, now_ms, user_id});
}

std::optional<AccountRef> AccountByLogin(db::Conn& c, const std::string& login) {
  auto r = c.QueryOne(kAccountByLogin, {login});
  if (!r) return std::nullopt;
  return AccountRef{r->Int(0), r->OptInt(1)};
}

bool SchoolExists(db::Conn& c, int64_t school_id) { return c.QueryOne(kSchoolExists, {school_id}).has_value(); }

bool SchoolInArea(db::Conn& c, int64_t school_id, std::optional<int64_t> area_id) {
  return c.QueryOne(kSchoolInArea, {school_id, db::Opt(area_id)}).has_value();
}

void InsertAudit(db::Conn& c, const NewAuditRow& a) {
  c.Exec(kInsertAudit, {db::Opt(a.school_id), db::Opt(a.user_id), a.user_name, a.at, a.action, a.entity,
                        db::Opt(a.entity_id), db::Opt(a.before_json), db::Opt(a.after_json), a.client, a.request_id});
}

void InsertReadLog(db::Conn& c, const NewReadLogRow& r) {
  c.Exec(kInsertReadLog, {db::Opt(r.school_id), db::Opt(r.user_id), r.user_name, r.role, r.at, r.list, r.query,
                          r.row_count, r.full_fields, r.client, r.request_id});
}

int64_t CountAudit(db::Conn& c, const AuditFilter& f) {
  Where w = AuditWhere(f);
  return c.QueryOne("SELECT COUNT(*)" + std::string(AuditTable(f)) + w.sql, w.params)->Int(0);
}

std::vector<AuditRow> AuditPage(db::Conn& c, const AuditFilter& f, int64_t limit, int64_t offset) {
  Where w = AuditWhere(f);
  std::string where = w.sql;
  std::string page = w.Page(limit, offset);
  std::vector<AuditRow> out;
  for (auto& r :
       c.Query(std::string(kAuditColumns) + " FROM audit_log" + where + " ORDER BY at DESC, id DESC" + page, w.params))
    out.push_back(AuditRow{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5), r.OptInt(6), r.OptText(7),
                           r.OptText(8), r.Text(9), r.Text(10)});
  return out;
}

std::vector<ReadLogRow> ReadLogPage(db::Conn& c, const AuditFilter& f, int64_t limit, int64_t offset) {
  Where w = AuditWhere(f);
  std::string where = w.sql;
  std::string page = w.Page(limit, offset);
  std::vector<ReadLogRow> out;
  for (auto& r :
       c.Query(std::string(kReadLogColumns) + AuditTable(f) + where + " ORDER BY at DESC, id DESC" + page, w.params))
    out.push_back(ReadLogRow{r.Int(0), r.Int(1), r.OptInt(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6), r.Text(7),
                             r.Text(8), r.Text(9), r.Text(10)});
  return out;
}

}  // namespace kehou::auth::store
