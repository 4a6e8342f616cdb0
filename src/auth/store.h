// store.h (auth): the SQL of login throttling and known devices (portable: SQLite 3.40 and
// PostgreSQL 15, $1..$n), with row structs and loaders. The rest of the module's SQL moves here
// module by module (the house rule: SQL as named constants beside its row loaders).
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
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

}  // namespace kehou::auth::store
