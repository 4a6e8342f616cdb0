// service.h: accounts and sessions. Passwords are argon2id (libsodium crypto_pwhash_str),
// hashed on a bounded pool so a login storm never stalls other requests; session tokens are 32
// random bytes of which only a BLAKE2b hash is stored; logins are throttled per account and
// per client address; every failure is audited.
// Thread-safety: AuthService is shared by all request threads; all methods are thread-safe.
#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "access/principal.h"
#include "auth/store.h"
#include "core/periodic.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::auth {

// Policy numbers of accounts and sessions.
// Login throttling counts failures two ways (issue 10): per account from one address (the lock
// applies to that address only, so nobody can lock a guardian out from elsewhere) and per
// address over all accounts (a leaky bucket, so one address cannot spray passwords across
// accounts). A success clears only its own account-and-address counter.
inline constexpr int kFreeLoginFailures = 5;     // per account from one address, then a growing lock
inline constexpr int kFreeAddressFailures = 10;  // per address over all accounts (bucket size)
inline constexpr int64_t kAddressLeakMs = 6000;  // the address bucket forgets one failure per 6 s
inline constexpr int64_t kMaxLockSeconds = 15 * 60;
inline constexpr int64_t kThrottleIdleMs = kMaxLockSeconds * 2000;  // a counter idle this long is forgotten
inline constexpr int64_t kThrottlePruneEveryMs = 60000;  // each server prunes idle counters this often at most
// Known devices (CGNAT, many families behind one carrier address): a successful login sets the
// HttpOnly kehou_device cookie (a random token, its hash stored with the account, rotated at each
// login). A login from a known device of that account is never refused because of its address's
// bucket, only after kFreeLoginFailures of its own.
inline constexpr int64_t kKnownDeviceMs = 180LL * 24 * 3600 * 1000;
inline constexpr int64_t kMaxKnownDevices = 10;  // per account; the oldest are forgotten
inline constexpr const char* kDeviceCookie = "kehou_device";
inline constexpr size_t kMaxLoginChars = 64;        // a login (account name), in characters
inline constexpr size_t kMaxDisplayNameChars = 50;  // a user's display name
inline constexpr int64_t kStaffSessionMs = 12LL * 3600 * 1000;
inline constexpr int64_t kGuardianSessionMs = 7LL * 24 * 3600 * 1000;
inline constexpr size_t kMinPasswordLength = 8;
inline constexpr int kHashConcurrency = 1;  // argon2 runs this many at once (2-core box)
inline constexpr int kMaxHashWaiting = 2;   // more logins than this waiting: 503, retry (keeps workers free)
// The session cache (issue 10 §4): each server keeps the principal of a checked session for up to
// kSessionCacheMs (and never past the session's expiry). Revocation: the server that ends a
// session or changes an account evicts it at once, in the same code path; every change also
// leaves a row in session_revocations (database triggers, sql/0240: logout, password change or
// reset, disable, role or name change, the command line, a hand-written UPDATE), which every
// server reads every kRevocationPollMs on a thread and a connection of its own (never waiting
// behind request load for a pooled connection). A cached session is used only while that read is
// at most kRevocationBoundMs old (else the database is asked), so a change made anywhere takes
// effect on every server within kRevocationBoundMs, whatever happens to the polls. Polling at a
// quarter of the bound leaves three late or failed polls before the cache stops being used.
inline constexpr int64_t kSessionCacheMs = 60000;
inline constexpr int64_t kRevocationPollMs = 250;
inline constexpr int64_t kRevocationBoundMs = 1000;
inline constexpr int64_t kResetCodeMs = 24LL * 3600 * 1000;  // a printed one-time reset code lives a day
inline constexpr int kResetCodeDigits = 8;
inline constexpr int kMaxNoticesShown = 20;  // GET /auth/me: the latest notices
inline constexpr int64_t kNoticeShownMs = 90LL * 24 * 3600 * 1000;

// Hashes a password with argon2id at Kehou's cost (t=2, m=19 MiB).
std::string HashPassword(std::string_view password);
bool VerifyPassword(const std::string& hash, std::string_view password);
// Length, letters and digits; not on the common-password list; not the login itself (when
// given). Error names field.
Status CheckPasswordStrength(std::string_view password, std::string_view field = "new_password",
                             std::string_view login = {});
// On the compiled-in list of the weakest passwords (case-insensitive). common_passwords.cpp.
bool IsCommonPassword(std::string_view password);
size_t CommonPasswordCount();
// A readable temporary password (letters and digits, 10 chars).
std::string TemporaryPassword();

// Login throttling (see the policy numbers above). The counters live in the database
// (login_throttle, sql/0380), so several servers on one PostgreSQL count together: failures
// split over N servers lock at the same count as on one. `kind` keeps the counters of different
// doors apart ("login", "code"). Thread-safe.
// `device` (the hash of a known-device token of this account, see kKnownDeviceMs) replaces the
// address: the device's own failures lock it, the address's bucket does not (CGNAT).
class Throttle {
 public:
  Throttle(db::Db& db, std::string kind) : db_(db), kind_(std::move(kind)) {}
  // Seconds this address (or device) must still wait before trying this account, 0 if it may try now.
  int64_t WaitSeconds(const std::string& account, const std::string& address, int64_t now_ms,
                      const std::string& device = {});
  // Counts a failure for the account from this address (or device) and in the address's bucket.
  void Failure(const std::string& account, const std::string& address, int64_t now_ms, const std::string& device = {});
  // Clears the account's counter for this address (or device) only (never the address's bucket).
  void Success(const std::string& account, const std::string& address, const std::string& device = {});
  // The same inside the caller's write transaction (a login's session write: one transaction).
  void Success(db::Conn& c, const std::string& account, const std::string& address, const std::string& device) const;

 private:
  std::string PairKey(const std::string& account, const std::string& address, const std::string& device) const;
  std::string BucketKey(const std::string& address) const;
  db::Db& db_;
  const std::string kind_;
  std::atomic<int64_t> pruned_at_ms_{0};
};
// The pure steps of the counters (store::ThrottleRow), shared by every door.
namespace throttle {
// A pair (account from an address or device): a growing lock past kFreeLoginFailures.
void PairFailure(int64_t& failures, int64_t& last_ms, int64_t& locked_until_ms, int64_t now_ms);
// An address bucket: kFreeAddressFailures, leaking one per kAddressLeakMs, then a growing lock.
void BucketFailure(int64_t& level_ms, int64_t& last_ms, int64_t& locked_until_ms, int64_t now_ms);
}  // namespace throttle

struct LoginResult {
  std::string token;
  Principal user;
  int64_t expires_at_ms = 0;
  std::string device_token;  // the new known-device token (the kehou_device cookie)
};

class AuthService {
 public:
  explicit AuthService(db::Db& db) : db_(db), throttle_(db, "login") {}
  ~AuthService();  // stops the revocation poller
  AuthService(const AuthService&) = delete;
  AuthService& operator=(const AuthService&) = delete;

  // `device`: the kehou_device cookie, if the browser sent one (see kKnownDeviceMs).
  Result<LoginResult> Login(std::string_view login, std::string_view password, std::string_view client,
                            std::string_view device = {});
  // The principal behind a token, or nullopt. Cached (see kSessionCacheMs: revoked on every
  // server within kRevocationBoundMs, on this one at once).
  std::optional<Principal> Authenticate(std::string_view token);
  // For tests and the bench: how the session cache answered.
  struct CacheStats {
    int64_t hits = 0, misses = 0, polls = 0, poll_failures = 0, revocations_read = 0;
  };
  CacheStats Stats();
  Status Logout(const Principal& who);
  Status LogoutEverywhere(const Principal& who);
  Status ChangePassword(const Principal& who, std::string_view old_password, std::string_view new_password);
  // {id, login, display_name, role, role_label, school_id, school_name, area_id, ...}
  Result<nlohmann::json> Me(const Principal& who);

  // Account management (principal / office director for their school; sysadmin for all).
  Result<nlohmann::json> ListUsers(const Principal& who, std::optional<int64_t> school_id, std::string_view q,
                                   std::string_view role, int64_t page, int64_t page_size);
  Result<nlohmann::json> CreateUser(const Principal& who, const nlohmann::json& body, std::optional<int64_t> school_id);
  Result<nlohmann::json> UpdateUser(const Principal& who, int64_t id, const nlohmann::json& body);
  Result<nlohmann::json> ResetPassword(const Principal& who, int64_t id);
  // A one-time code with which a guardian sets a new password themself (POST /auth/reset-with-code):
  // by SMS in production, printed by the office of one of the children's schools in the demo.
  // Guardian accounts only; {code, expires_at}. Audited; the guardian gets a notice.
  Result<nlohmann::json> IssueResetCode(const Principal& who, int64_t id);
  // The guardian's side: login (mobile), the code, the new password. Throttled like a login.
  Status ResetWithCode(std::string_view login, std::string_view code, std::string_view new_password,
                       std::string_view client);
  Result<nlohmann::json> ListAudit(const Principal& who, std::optional<int64_t> school_id,
                                   const nlohmann::json& filters, int64_t page, int64_t page_size);
  // Creates a user without a principal (CLI `kehou user create`, demo). Returns the id.
  Result<int64_t> CreateUserDirect(const std::string& login, const std::string& display_name, Role role,
                                   std::optional<int64_t> school_id, std::optional<int64_t> area_id,
                                   const std::string& password, bool must_change);
  Result<std::string> ResetPasswordDirect(const std::string& login);  // returns a temporary password
  Status SetDisabledDirect(const std::string& login, bool disabled);

  static std::string TokenHash(std::string_view token);

 private:
  void Evict(const std::string& token_hash);
  void EvictUser(int64_t user_id);
  // The poller (started by the first Authenticate): every kRevocationPollMs it reads the rows of
  // session_revocations it has not seen, on its own connection, and evicts what they name. A
  // failed read leaves the last read's time, so cached sessions stop being used once it is
  // kRevocationBoundMs old.
  void StartPoller();
  void SyncRevocations();
  Result<bool> VerifyBounded(const std::string& hash, std::string_view password);
  std::pair<std::optional<store::LoginRow>, std::string> FindLogin(const std::string& login, std::string_view device,
                                                                   int64_t now);
  Result<LoginResult> StartSession(const std::string& login, const store::LoginRow& row, std::string_view client,
                                   const std::string& known_device, int64_t now);

  db::Db& db_;
  Throttle throttle_;
  std::mutex cache_mu_;
  struct CacheEntry {
    Principal who;
    int64_t expires_at_ms;
    int64_t cached_at_ms;
  };
  std::unordered_map<std::string, CacheEntry> cache_;  // guarded by cache_mu_
  int64_t evictions_ = 0;                 // bumped by every eviction (cache_mu_): a lookup that raced one is not cached
  bool synced_ = false;                   // the revocation log has been read once (cache_mu_)
  std::atomic<int64_t> last_sync_ms_{0};  // when the last successful read of the log started
  CacheStats stats_;                      // cache_mu_
  // The poller's own (only its thread touches these three).
  std::unique_ptr<db::Conn> poll_conn_;    // db::Dedicated(db_), reopened after a failure
  int64_t poll_after_ = 0;                 // PostgreSQL: the previous read's snapshot xmin; SQLite: the last id
  std::unordered_set<int64_t> poll_seen_;  // ids returned by the previous read (PostgreSQL re-reads them)
  std::mutex hash_mu_;
  int hashing_ = 0;
  int waiting_ = 0;
  std::condition_variable hash_cv_;
  std::once_flag poller_started_;
  std::unique_ptr<PeriodicTask> poller_;  // last: stopped before the members its ticks use
};

}  // namespace kehou::auth
