#include "auth/store.h"

namespace kehou::auth::store {

namespace {

constexpr const char* kLockedUntil =
    "SELECT COALESCE(MAX(locked_until_ms), 0) FROM login_throttle WHERE throttle_key = $1 OR throttle_key = $2";
constexpr const char* kEnsureThrottleRow =
    "INSERT INTO login_throttle (throttle_key) VALUES ($1) ON CONFLICT (throttle_key) DO NOTHING";
constexpr const char* kThrottleRowSqlite =
    "SELECT failures, level_ms, last_ms, locked_until_ms FROM login_throttle WHERE throttle_key = $1";
constexpr const char* kThrottleRowPg =
    "SELECT failures, level_ms, last_ms, locked_until_ms FROM login_throttle WHERE throttle_key = $1 FOR UPDATE";
constexpr const char* kSaveThrottleRow =
    "UPDATE login_throttle SET failures = $2, level_ms = $3, last_ms = $4, locked_until_ms = $5 WHERE throttle_key = "
    "$1";
constexpr const char* kDeleteThrottleRow = "DELETE FROM login_throttle WHERE throttle_key = $1";
constexpr const char* kPruneThrottle = "DELETE FROM login_throttle WHERE locked_until_ms <= $1 AND last_ms < $2";

constexpr const char* kKnownDeviceUser = "SELECT user_id FROM known_devices WHERE token_hash = $1 AND expires_at > $2";
constexpr const char* kForgetDevice = "DELETE FROM known_devices WHERE token_hash = $1";
constexpr const char* kInsertDevice =
    "INSERT INTO known_devices (token_hash, user_id, created_at, expires_at) VALUES ($1,$2,$3,$4)";
constexpr const char* kTrimDevices =
    "DELETE FROM known_devices WHERE user_id = $1 AND (expires_at <= $2 OR token_hash NOT IN"
    " (SELECT token_hash FROM known_devices WHERE user_id = $1 ORDER BY created_at DESC, token_hash LIMIT $3))";

constexpr const char* kDeleteExpiredSessions = "DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2";
constexpr const char* kInsertSession =
    "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, client) VALUES ($1,$2,$3,$4,$5,$6)";
constexpr const char* kEndSession = "DELETE FROM sessions WHERE token_hash = $1";
constexpr const char* kEndSessionsOf = "DELETE FROM sessions WHERE user_id = $1";
constexpr const char* kEndOtherSessions = "DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2";
constexpr const char* kPasswordHash = "SELECT password_hash FROM users WHERE id = $1";
constexpr const char* kSetOwnPassword =
    "UPDATE users SET password_hash = $1, must_change_password = 0, updated_at = $2 WHERE id = $3";
constexpr const char* kFindLogin = "SELECT id, password_hash, disabled, role, school_id FROM users WHERE login = $1";

constexpr const char* kSelectPrincipal =
    "SELECT u.id, u.login, u.display_name, u.role, u.school_id, u.area_id, u.staff_id, u.guardian_id,"
    " u.must_change_password, s.csrf_token, s.expires_at, u.disabled"
    " FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1";

// PostgreSQL: the snapshot's xmin (every older transaction has finished) and the rows of the
// transactions that had not finished at the previous read, in one round trip.
constexpr const char* kRevocationsPg =
    "SELECT x.xmin, r.id, r.user_id, r.token_hash"
    " FROM (SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin) x"
    " LEFT JOIN session_revocations r ON r.xid >= $1 ORDER BY r.id";
constexpr const char* kRevocationsSqlite =
    "SELECT 0, id, user_id, token_hash FROM session_revocations WHERE id > $1 ORDER BY id";
constexpr const char* kLastRevocationSqlite = "SELECT COALESCE(MAX(id), 0) FROM session_revocations";

}  // namespace

int64_t LockedUntil(db::Conn& c, const std::vector<std::string>& keys) {
  int64_t until = 0;
  for (size_t i = 0; i < keys.size(); i += 2) {
    const std::string& second = i + 1 < keys.size() ? keys[i + 1] : keys[i];
    if (auto r = c.QueryOne(kLockedUntil, {keys[i], second})) until = std::max(until, r->Int(0));
  }
  return until;
}

std::vector<ThrottleRow> LockThrottleRows(db::Conn& c, const std::vector<std::string>& keys) {
  const char* select = c.dialect() == db::Dialect::kPostgres ? kThrottleRowPg : kThrottleRowSqlite;
  std::vector<ThrottleRow> out;
  for (const std::string& key : keys) {
    c.Exec(kEnsureThrottleRow, {key});
    ThrottleRow row;
    row.key = key;
    if (auto r = c.QueryOne(select, {key})) {
      row.failures = r->Int(0);
      row.level_ms = r->Int(1);
      row.last_ms = r->Int(2);
      row.locked_until_ms = r->Int(3);
    }
    out.push_back(std::move(row));
  }
  return out;
}

void SaveThrottleRow(db::Conn& c, const ThrottleRow& row) {
  c.Exec(kSaveThrottleRow, {row.key, row.failures, row.level_ms, row.last_ms, row.locked_until_ms});
}

void DeleteThrottleRow(db::Conn& c, const std::string& key) { c.Exec(kDeleteThrottleRow, {key}); }

int64_t PruneThrottle(db::Conn& c, int64_t now_ms, int64_t idle_before_ms) {
  return c.Exec(kPruneThrottle, {now_ms, idle_before_ms});
}

std::optional<int64_t> KnownDeviceUser(db::Conn& c, const std::string& token_hash, int64_t now_ms) {
  auto r = c.QueryOne(kKnownDeviceUser, {token_hash, now_ms});
  if (!r) return std::nullopt;
  return r->Int(0);
}

void RememberDevice(db::Conn& c, const std::string& token_hash, int64_t user_id, int64_t now_ms, int64_t expires_at_ms,
                    const std::string& replaced, int64_t keep) {
  if (!replaced.empty()) c.Exec(kForgetDevice, {replaced});
  c.Exec(kInsertDevice, {token_hash, user_id, now_ms, expires_at_ms});
  c.Exec(kTrimDevices, {user_id, now_ms, keep});
}

std::optional<LoginRow> FindLogin(db::Conn& c, const std::string& login) {
  auto r = c.QueryOne(kFindLogin, {login});
  if (!r) return std::nullopt;
  return LoginRow{r->Int(0), r->Text(1), r->Int(2) != 0, r->Text(3), r->OptInt(4)};
}

void InsertSession(db::Conn& c, const std::string& token_hash, int64_t user_id, const std::string& csrf, int64_t now_ms,
                   int64_t expires_at_ms, const std::string& client) {
  c.Exec(kDeleteExpiredSessions, {user_id, now_ms});
  c.Exec(kInsertSession, {token_hash, user_id, csrf, now_ms, expires_at_ms, client});
}

void EndSession(db::Conn& c, const std::string& token_hash) { c.Exec(kEndSession, {token_hash}); }

void EndSessionsOf(db::Conn& c, int64_t user_id, const std::string& keep) {
  if (keep.empty()) {
    c.Exec(kEndSessionsOf, {user_id});
  } else {
    c.Exec(kEndOtherSessions, {user_id, keep});
  }
}

std::optional<std::string> PasswordHash(db::Conn& c, int64_t user_id) {
  auto r = c.QueryOne(kPasswordHash, {user_id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

void SetOwnPassword(db::Conn& c, int64_t user_id, const std::string& hash, int64_t now_ms) {
  c.Exec(kSetOwnPassword, {hash, now_ms, user_id});
}

std::optional<SessionRow> SessionByToken(db::Conn& c, const std::string& token_hash) {
  auto r = c.QueryOne(kSelectPrincipal, {token_hash});
  if (!r) return std::nullopt;
  SessionRow s;
  UserRow& u = s.account;
  u.id = r->Int(0);
  u.login = r->Text(1);
  u.display_name = r->Text(2);
  u.role = r->Text(3);
  u.school_id = r->OptInt(4);
  u.area_id = r->OptInt(5);
  u.staff_id = r->OptInt(6);
  u.guardian_id = r->OptInt(7);
  u.must_change_password = r->Int(8) != 0;
  s.csrf_token = r->Text(9);
  s.expires_at = r->Int(10);
  u.disabled = r->Int(11) != 0;
  return s;
}

std::vector<RevocationRow> RevocationsAfter(db::Conn& c, int64_t after) {
  const bool pg = c.dialect() == db::Dialect::kPostgres;
  std::vector<RevocationRow> out;
  for (auto& r : c.Query(pg ? kRevocationsPg : kRevocationsSqlite, {after}))
    out.push_back(RevocationRow{r.Int(0), r.OptInt(1), r.Int(2), r.OptText(3)});
  return out;
}

int64_t LastRevocationSqlite(db::Conn& c) { return c.QueryOne(kLastRevocationSqlite)->Int(0); }

}  // namespace kehou::auth::store
