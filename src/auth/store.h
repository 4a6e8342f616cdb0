// store.h (auth): ALL the SQL of the module (portable: SQLite 3.40 and PostgreSQL 15, $1..$n), with
// row structs and loaders: login throttling, known devices, sessions and their revocation log
// (store.cpp); accounts, notices, reset codes and the audit and read logs (store_users.cpp).
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::auth::store {

// One counter of auth::Throttle (sql/0380): a pair (account from an address or a device) uses
// failures; an address bucket uses level_ms.
struct ThrottleRow {
  std::string key;
  int64_t failures = 0;
  int64_t level_ms = 0;
  int64_t last_ms = 0;
  int64_t locked_until_ms = 0;
};

// The latest lock end over these keys, 0 when none is locked (or no row exists).
int64_t LockedUntil(db::Conn& c, const std::vector<std::string>& keys);
// The rows of these keys (created empty when missing), locked until the transaction ends on
// PostgreSQL (FOR UPDATE; SQLite has one writer), in the order given. Give keys in a fixed order
// (pair before bucket) so two transactions never wait on each other in a circle.
std::vector<ThrottleRow> LockThrottleRows(db::Conn& c, const std::vector<std::string>& keys);
void SaveThrottleRow(db::Conn& c, const ThrottleRow& row);
void DeleteThrottleRow(db::Conn& c, const std::string& key);
// Forgets the rows that lock nothing and have been idle since before idle_before_ms. Returns how many.
int64_t PruneThrottle(db::Conn& c, int64_t now_ms, int64_t idle_before_ms);

// Known devices (sql/0380): the account a device token hash names, while it has not expired.
std::optional<int64_t> KnownDeviceUser(db::Conn& c, const std::string& token_hash, int64_t now_ms);
// Records a device for the account, drops `replaced` (the device's previous token, rotated) and
// keeps the account's newest `keep` unexpired devices.
void RememberDevice(db::Conn& c, const std::string& token_hash, int64_t user_id, int64_t now_ms, int64_t expires_at_ms,
                    const std::string& replaced, int64_t keep);

// Sign-in: the account behind a login.
struct LoginRow {
  int64_t id = 0;
  std::string password_hash;
  bool disabled = false;
  std::string role;
  std::optional<int64_t> school_id;
};
std::optional<LoginRow> FindLogin(db::Conn& c, const std::string& login);
// A new session (the account's expired ones are dropped first).
void InsertSession(db::Conn& c, const std::string& token_hash, int64_t user_id, const std::string& csrf, int64_t now_ms,
                   int64_t expires_at_ms, const std::string& client);

// Sign-out and passwords.
void EndSession(db::Conn& c, const std::string& token_hash);
// Every session of the account, but `keep` (the caller's own) when given.
void EndSessionsOf(db::Conn& c, int64_t user_id, const std::string& keep = {});
std::optional<std::string> PasswordHash(db::Conn& c, int64_t user_id);
// A password the account's owner chose: no change forced at the next login.
void SetOwnPassword(db::Conn& c, int64_t user_id, const std::string& hash, int64_t now_ms);

// Accounts (users), as the users page shows them.
struct UserRow {
  int64_t id = 0;
  std::string login;
  std::string display_name;
  std::string role;
  std::optional<int64_t> school_id;
  std::optional<int64_t> area_id;
  std::optional<int64_t> staff_id;
  std::optional<int64_t> guardian_id;
  bool disabled = false;
  bool must_change_password = false;
  int64_t created_at = 0;
};

// The account and session behind a session token hash (users JOIN sessions; the account's
// created_at is not read).
struct SessionRow {
  UserRow account;
  std::string csrf_token;
  int64_t expires_at = 0;
};
std::optional<SessionRow> SessionByToken(db::Conn& c, const std::string& token_hash);

// The session revocation log (sql/0380). On PostgreSQL, `xmin` is the snapshot's xmin (every older
// transaction has finished) and the rows are those of xid >= after, in one round trip (the one row
// without a revocation has no id); on SQLite the rows of id > after (xmin 0).
struct RevocationRow {
  int64_t xmin = 0;
  std::optional<int64_t> id;
  int64_t user_id = 0;
  std::optional<std::string> token_hash;
};
std::vector<RevocationRow> RevocationsAfter(db::Conn& c, int64_t after);
// SQLite: the newest revocation's id (0 when none).
int64_t LastRevocationSqlite(db::Conn& c);

// GET /auth/me: the names of the account's school and area, and its recent notices.
struct SchoolLabel {
  std::string name;
  std::string level;
  std::string type;
};
std::optional<SchoolLabel> SchoolLabelOf(db::Conn& c, int64_t school_id);
struct AreaLabel {
  std::string name;
  std::string kind;
};
std::optional<AreaLabel> AreaLabelOf(db::Conn& c, int64_t area_id);
struct NoticeRow {
  int64_t id = 0;
  int64_t at = 0;
  std::string kind;
  std::string message;
  std::string by;
};
// The account's notices since since_ms, newest first, at most `limit`.
std::vector<NoticeRow> RecentNotices(db::Conn& c, int64_t user_id, int64_t since_ms, int64_t limit);
struct NewNotice {
  int64_t user_id = 0;
  std::optional<int64_t> school_id;
  int64_t at = 0;
  std::string kind;
  std::string message;
  std::optional<int64_t> by_user_id;
  std::string by_name;
};
void InsertNotice(db::Conn& c, const NewNotice& n);

// One-time reset codes (guardians): an unused, unexpired code of an enabled account's login.
struct ResetCodeRow {
  int64_t user_id = 0;
  std::optional<int64_t> school_id;
  int64_t code_id = 0;
};
std::optional<ResetCodeRow> ValidResetCode(db::Conn& c, const std::string& login, const std::string& code_hash,
                                           int64_t now_ms);
void UseResetCode(db::Conn& c, int64_t code_id, int64_t now_ms);
// Ends the account's unused codes (a new one replaces them).
void EndResetCodes(db::Conn& c, int64_t user_id, int64_t now_ms);
struct NewResetCode {
  int64_t user_id = 0;
  std::string code_hash;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> created_by;
  std::optional<int64_t> school_id;
};
void InsertResetCode(db::Conn& c, const NewResetCode& r);

// The users list's filters: the school, a login or name part (LIKE), the role ("" any).
struct UserFilter {
  std::optional<int64_t> school_id;
  std::string q;
  std::string role;
};
int64_t CountUsers(db::Conn& c, const UserFilter& f);
std::vector<UserRow> UsersPage(db::Conn& c, const UserFilter& f, int64_t limit, int64_t offset);
std::optional<UserRow> UserById(db::Conn& c, int64_t id);
// The users list's 最近登录: the latest 'login' audit row of each account of `id_list` (integers
// read from the database, comma-separated, never user input), one grouped query per page; served
// by the audit_user_action_at index (sql/0072).
std::string LastLoginsQuery(std::string_view id_list);
std::map<int64_t, int64_t> LastLogins(db::Conn& c, const std::vector<int64_t>& user_ids);
bool LoginTaken(db::Conn& c, const std::string& login);
bool AreaExists(db::Conn& c, int64_t area_id);
// Whether the area's parent is `parent` (an officer's account reach).
bool AreaUnder(db::Conn& c, int64_t area_id, std::optional<int64_t> parent);
bool StaffInSchool(db::Conn& c, int64_t staff_id, std::optional<int64_t> school_id);
// The schools where a guardian's children are.
std::vector<int64_t> GuardianSchools(db::Conn& c, int64_t guardian_id);
struct NewUser {
  std::string login;
  std::string password_hash;
  std::string display_name;
  std::string role;
  std::optional<int64_t> school_id;
  std::optional<int64_t> area_id;
  std::optional<int64_t> staff_id;
  bool must_change_password = true;
  int64_t now_ms = 0;
};
// An account made on the users page (with its staff link) or on the command line (none).
int64_t InsertUser(db::Conn& c, const NewUser& u);
int64_t InsertUserDirect(db::Conn& c, const NewUser& u);
void UpdateUser(db::Conn& c, int64_t id, const std::string& display_name, const std::string& role, bool disabled,
                int64_t now_ms);
// A password set by someone else: changed at the next login.
void SetTemporaryPassword(db::Conn& c, int64_t user_id, const std::string& hash, int64_t now_ms);
void SetDisabled(db::Conn& c, int64_t user_id, bool disabled, int64_t now_ms);
struct AccountRef {
  int64_t id = 0;
  std::optional<int64_t> school_id;
};
std::optional<AccountRef> AccountByLogin(db::Conn& c, const std::string& login);

// Schools within a principal's reach (auth::ResolveSchool).
bool SchoolExists(db::Conn& c, int64_t school_id);
// Whether the school's area is `area` or below it (a city over its counties).
bool SchoolInArea(db::Conn& c, int64_t school_id, std::optional<int64_t> area_id);

// The audit trail (audit_log) and the log of list reads of personal data (read_log).
struct NewAuditRow {
  std::optional<int64_t> school_id;
  std::optional<int64_t> user_id;
  std::string user_name;
  int64_t at = 0;
  std::string action;
  std::string entity;
  std::optional<int64_t> entity_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string client;
  std::string request_id;
};
void InsertAudit(db::Conn& c, const NewAuditRow& a);
struct NewReadLogRow {
  std::optional<int64_t> school_id;
  std::optional<int64_t> user_id;
  std::string user_name;
  std::string role;
  int64_t at = 0;
  std::string list;
  std::string query;
  int64_t row_count = 0;
  std::string full_fields;
  std::string client;
  std::string request_id;
};
void InsertReadLog(db::Conn& c, const NewReadLogRow& r);

// The audit page's filters; `reads` lists read_log (its `list` filtered by `entity`; no action).
struct AuditFilter {
  bool reads = false;
  std::optional<int64_t> school_id;
  std::optional<int64_t> user_id;
  std::optional<std::string> action;
  std::optional<std::string> entity;
  std::optional<std::string> q;  // a part of the user's name
  std::optional<int64_t> from;
  std::optional<int64_t> to;
};
struct AuditRow {
  int64_t id = 0;
  int64_t at = 0;
  std::optional<int64_t> user_id;
  std::string user_name;
  std::string action;
  std::string entity;
  std::optional<int64_t> entity_id;
  std::optional<std::string> before_json;
  std::optional<std::string> after_json;
  std::string client;
  std::string request_id;
};
struct ReadLogRow {
  int64_t id = 0;
  int64_t at = 0;
  std::optional<int64_t> user_id;
  std::string user_name;
  std::string list;
  std::string query;
  int64_t row_count = 0;
  std::string full_fields;
  std::string role;
  std::string client;
  std::string request_id;
};
int64_t CountAudit(db::Conn& c, const AuditFilter& f);
std::vector<AuditRow> AuditPage(db::Conn& c, const AuditFilter& f, int64_t limit, int64_t offset);
std::vector<ReadLogRow> ReadLogPage(db::Conn& c, const AuditFilter& f, int64_t limit, int64_t offset);

}  // namespace kehou::auth::store
