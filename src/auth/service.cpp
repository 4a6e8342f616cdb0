#include "auth/service.h"

#include <sodium.h>

#include <algorithm>
#include <limits>
#include <map>
#include <vector>

#include "access/may.h"
#include "auth/audit.h"
#include "auth/store.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "db/dedicated.h"

namespace kehou::auth {

using nlohmann::json;

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr size_t kMemLimit = 19u << 20;  // 19 MiB (OWASP's argon2id minimum)
constexpr size_t kTokenBytes = 32;

std::string RandomToken(size_t bytes) {
  std::vector<unsigned char> b(bytes);
  randombytes_buf(b.data(), b.size());
  return ToHex(b.data(), b.size());
}

Principal PrincipalFromRow(const store::SessionRow& s) {
  const store::UserRow& r = s.account;
  Principal p;
  p.user_id = r.id;
  p.login = r.login;
  p.display_name = r.display_name;
  p.role = ParseRole(r.role).value_or(Role::kGuardian);
  p.school_id = r.school_id;
  p.area_id = r.area_id;
  p.staff_id = r.staff_id;
  p.guardian_id = r.guardian_id;
  p.must_change_password = r.must_change_password;
  p.csrf_token = s.csrf_token;
  return p;
}

}  // namespace

std::string HashPassword(std::string_view password) {
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), kOpsLimit, kMemLimit) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool VerifyPassword(const std::string& hash, std::string_view password) {
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

Status CheckPasswordStrength(std::string_view pw, std::string_view field, std::string_view login) {
  bool letter = std::any_of(pw.begin(), pw.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); });
  bool digit = std::any_of(pw.begin(), pw.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  if (pw.size() < kMinPasswordLength || !letter || !digit)
    return MakeError(kInvalid, "密码至少 " + std::to_string(kMinPasswordLength) + " 位，且须同时包含字母和数字",
                     "a password needs at least 8 characters with letters and digits", std::string(field));
  auto lower = [](std::string_view v) {
    std::string out(v);
    for (auto& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  };
  if (!login.empty() && lower(pw) == lower(Trim(login)))
    return MakeError(kInvalid, "密码不能与登录名相同", "the password must not be the login", std::string(field));
  if (IsCommonPassword(pw))
    return MakeError(kInvalid, "该密码过于常见，容易被猜中，请换一个", "this password is too common",
                     std::string(field));
  return Ok();
}

std::string TemporaryPassword() {
  static const char* kAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 8; ++i) out.push_back(kAlphabet[randombytes_uniform(55)]);
  out.push_back(static_cast<char>('2' + randombytes_uniform(8)));
  out.push_back(static_cast<char>('a' + randombytes_uniform(26)));
  return out;
}

std::string AuthService::TokenHash(std::string_view token) {
  unsigned char h[32];
  crypto_generichash(h, sizeof h, reinterpret_cast<const unsigned char*>(token.data()), token.size(), nullptr, 0);
  return ToHex(h, sizeof h);
}

Result<bool> AuthService::VerifyBounded(const std::string& hash, std::string_view password) {
  std::unique_lock lock(hash_mu_);
  if (hashing_ >= kHashConcurrency && waiting_ >= kMaxHashWaiting) {
    Error e = MakeError(kUnavailable, "登录人数较多，请稍后重试", "too many logins at once, retry shortly");
    e.retry_after = 1;
    return e;
  }
  ++waiting_;
  hash_cv_.wait(lock, [&] { return hashing_ < kHashConcurrency; });
  --waiting_;
  ++hashing_;
  lock.unlock();
  bool ok = VerifyPassword(hash, password);
  lock.lock();
  --hashing_;
  hash_cv_.notify_one();
  return ok;
}

namespace {
Error TooManyFailures(int64_t wait) {
  Error e = MakeError(kRateLimited, "登录失败次数过多，请 " + std::to_string(wait) + " 秒后再试",
                      "too many failed logins, retry in " + std::to_string(wait) + " s");
  e.retry_after = static_cast<int>(wait);
  return e;
}
}  // namespace

// The account behind the login and, when the browser sent a kehou_device token that names this
// account, the token's hash (else empty: the address's counters apply).
std::pair<std::optional<store::LoginRow>, std::string> AuthService::FindLogin(const std::string& login,
                                                                              std::string_view device, int64_t now) {
  return db_.Read([&](db::Conn& c) {
    auto row = store::FindLogin(c, login);
    std::string known;
    if (row && !device.empty()) {
      std::string h = TokenHash(device);
      if (store::KnownDeviceUser(c, h, now) == row->id) known = h;
    }
    return std::make_pair(std::move(row), std::move(known));
  });
}

Result<LoginResult> AuthService::Login(std::string_view login_in, std::string_view password, std::string_view client,
                                       std::string_view device) {
  std::string login = Trim(login_in);
  if (login.empty()) return MakeError(kInvalid, "请输入账号或手机号", "enter your login", "login");
  // No account has a longer login (CreateUser): refused before the throttle and the audit.
  if (Utf8Length(login) > kMaxLoginChars)
    return Error::Invalid("账号不能超过 " + std::to_string(kMaxLoginChars) + " 个字符", "the login is too long",
                          "login");
  if (password.empty()) return MakeError(kInvalid, "请输入密码", "enter your password", "password");
  int64_t now = NowMs();
  const std::string address(client);
  auto [row, known] = FindLogin(login, device, now);
  if (int64_t wait = throttle_.WaitSeconds(login, address, now, known); wait > 0) return TooManyFailures(wait);
  // Verify against a dummy hash when the account does not exist, so timing does not tell.
  static const std::string kDummy = HashPassword("kehou-dummy-password-1");
  auto verified = VerifyBounded(row ? row->password_hash : kDummy, password);
  if (!verified.ok()) return verified.error();
  if (!row || !verified.value() || row->disabled) {
    throttle_.Failure(login, address, now, known);
    std::string reason = !row ? "no_such_login" : row->disabled ? "disabled" : "wrong_password";
    db_.Write([&](db::Conn& c) {
      json after = {{"reason", reason}};
      // The account's school sees its failed logins in its audit page.
      AuditAnonymous(c, login, client,
                     AuditEntry{"login_failed", "user", row ? std::optional<int64_t>(row->id) : std::nullopt, nullptr,
                                &after, row ? row->school_id : std::nullopt});
    });
    if (row && row->disabled && verified.value())
      return MakeError(kForbidden, "账号已停用，请联系学校管理员", "this account is disabled");
    return MakeError(kUnauthenticated, "账号或密码错误", "wrong login or password", "password");
  }
  return StartSession(login, *row, client, known, now);
}

// A new session and a new known-device token (the device's previous one, if any, is dropped), and
// the account's failure count from this address (or device) cleared, in one transaction.
Result<LoginResult> AuthService::StartSession(const std::string& login, const store::LoginRow& row,
                                              std::string_view client, const std::string& known_device, int64_t now) {
  auto role = ParseRole(row.role).value_or(Role::kGuardian);
  LoginResult out;
  out.token = RandomToken(kTokenBytes);
  out.expires_at_ms = now + (role == Role::kGuardian ? kGuardianSessionMs : kStaffSessionMs);
  out.device_token = RandomToken(kTokenBytes);
  std::string csrf = RandomToken(16);
  std::string th = TokenHash(out.token);
  auto principal = db_.Write([&](db::Conn& c) -> std::optional<Principal> {
    throttle_.Success(c, login, std::string(client), known_device);  // this address's (or device's) count only
    store::InsertSession(c, th, row.id, csrf, now, out.expires_at_ms, std::string(client));
    store::RememberDevice(c, TokenHash(out.device_token), row.id, now, now + kKnownDeviceMs, known_device,
                          kMaxKnownDevices);
    auto r = store::SessionByToken(c, th);
    if (!r) return std::nullopt;
    Principal p = PrincipalFromRow(*r);
    p.client = std::string(client);
    Audit(c, p, AuditEntry{"login", "user", row.id, nullptr, nullptr, std::nullopt});
    return p;
  });
  if (!principal) return MakeError(kInternal, "登录失败", "login failed");
  out.user = *principal;
  out.user.token_hash = th;
  return out;
}

std::optional<Principal> AuthService::Authenticate(std::string_view token) {
  if (token.size() != kTokenBytes * 2) return std::nullopt;
  std::string th = TokenHash(token);
  int64_t now = NowMs();
  std::call_once(poller_started_, [this] { StartPoller(); });
  int64_t evictions_seen = 0;
  bool may_cache = false;
  {
    std::lock_guard lock(cache_mu_);
    auto it = cache_.find(th);
    if (it != cache_.end()) {
      bool fresh = synced_ && now - last_sync_ms_.load() <= kRevocationBoundMs;
      if (fresh && it->second.expires_at_ms > now && now - it->second.cached_at_ms < kSessionCacheMs) {
        ++stats_.hits;
        return it->second.who;
      }
      if (it->second.expires_at_ms <= now || now - it->second.cached_at_ms >= kSessionCacheMs) cache_.erase(it);
    }
    ++stats_.misses;
    evictions_seen = evictions_;
    may_cache = synced_;
  }
  auto row = db_.Read([&](db::Conn& c) { return store::SessionByToken(c, th); });
  if (!row || row->expires_at <= now || row->account.disabled) return std::nullopt;
  Principal p = PrincipalFromRow(*row);
  p.token_hash = th;
  std::lock_guard lock(cache_mu_);
  // An eviction since the lookup began may concern this very row (read before it committed):
  // answer this request from the row, but do not keep it.
  if (!may_cache || evictions_ != evictions_seen) return p;
  if (cache_.size() > 50000) cache_.clear();
  cache_[th] = CacheEntry{p, row->expires_at, now};
  return p;
}

AuthService::CacheStats AuthService::Stats() {
  std::lock_guard lock(cache_mu_);
  return stats_;
}

AuthService::~AuthService() {
  if (poller_) poller_->Stop();
}

// The poller's own thread, on its own connection (db::Dedicated): however many requests
// wait for a pooled connection, the revocation log is read every kRevocationPollMs. The first
// lookup starts it, so a command line that never checks a session opens no connection for it;
// that lookup makes the first read itself (other lookups wait for it: one small query on the
// poller's connection), so the cache works from the first answer on.
void AuthService::StartPoller() {
  SyncRevocations();
  poller_ = std::make_unique<PeriodicTask>(
      PeriodicTask::Options{.name = "session revocations", .period_ms = kRevocationPollMs, .first_after_period = true},
      [this](const std::atomic<bool>&) {
        SyncRevocations();
        return false;
      });
}

void AuthService::SyncRevocations() {
  int64_t started = NowMs();
  const bool pg = db_.dialect() == db::Dialect::kPostgres;
  bool first = false;
  {
    std::lock_guard lock(cache_mu_);
    first = !synced_;
  }
  std::vector<store::RevocationRow> rows;
  try {
    if (!poll_conn_) poll_conn_ = db::Dedicated(db_);
    if (first && !pg) {
      poll_after_ = store::LastRevocationSqlite(*poll_conn_);
    } else {
      // (the first read on PostgreSQL only learns the xmin: nothing is cached before it)
      rows = store::RevocationsAfter(*poll_conn_, first ? std::numeric_limits<int64_t>::max() : poll_after_);
    }
  } catch (const std::exception&) {
    // The database is away: cached sessions stop being used at kRevocationBoundMs; the next
    // poll connects again.
    poll_conn_.reset();
    std::lock_guard lock(cache_mu_);
    ++stats_.poll_failures;
    return;
  }
  std::unordered_set<int64_t> seen;
  std::vector<std::pair<int64_t, std::optional<std::string>>> revoked;
  for (auto& r : rows) {
    if (pg) poll_after_ = r.xmin;
    auto id = r.id;
    if (!id) continue;
    if (pg) seen.insert(*id);
    else poll_after_ = std::max(poll_after_, *id);
    if (!poll_seen_.contains(*id)) revoked.emplace_back(r.user_id, r.token_hash);
  }
  poll_seen_ = std::move(seen);
  std::lock_guard lock(cache_mu_);
  ++stats_.polls;
  stats_.revocations_read += static_cast<int64_t>(revoked.size());
  if (first || !revoked.empty()) ++evictions_;
  for (auto& [user_id, token_hash] : revoked) {
    if (token_hash) {
      cache_.erase(*token_hash);
      continue;
    }
    for (auto it = cache_.begin(); it != cache_.end();)
      it = it->second.who.user_id == user_id ? cache_.erase(it) : std::next(it);
  }
  synced_ = true;
  last_sync_ms_.store(started);
}

void AuthService::Evict(const std::string& th) {
  std::lock_guard lock(cache_mu_);
  cache_.erase(th);
  ++evictions_;
}

void AuthService::EvictUser(int64_t user_id) {
  std::lock_guard lock(cache_mu_);
  for (auto it = cache_.begin(); it != cache_.end();)
    it = it->second.who.user_id == user_id ? cache_.erase(it) : std::next(it);
  ++evictions_;
}

Status AuthService::Logout(const Principal& who) {
  db_.Write([&](db::Conn& c) {
    store::EndSession(c, who.token_hash);
    Audit(c, who, AuditEntry{"logout", "user", who.user_id, nullptr, nullptr, std::nullopt});
  });
  Evict(who.token_hash);
  return Ok();
}

Status AuthService::LogoutEverywhere(const Principal& who) {
  db_.Write([&](db::Conn& c) {
    store::EndSessionsOf(c, who.user_id);
    Audit(c, who, AuditEntry{"logout_all", "user", who.user_id, nullptr, nullptr, std::nullopt});
  });
  EvictUser(who.user_id);
  return Ok();
}

Status AuthService::ChangePassword(const Principal& who, std::string_view old_pw, std::string_view new_pw) {
  if (auto s = CheckPasswordStrength(new_pw, "new_password", who.login); !s.ok()) return s;
  if (old_pw == new_pw)
    return MakeError(kInvalid, "新密码不能与原密码相同", "the new password must differ", "new_password");
  auto hash = db_.Read([&](db::Conn& c) { return store::PasswordHash(c, who.user_id); });
  if (!hash) return Error::NotFound("账号不存在", "no such account");
  auto ok = VerifyBounded(*hash, old_pw);
  if (!ok.ok()) return ok.error();
  if (!ok.value()) return MakeError(kInvalid, "原密码不正确", "the current password is wrong", "old_password");
  std::string new_hash = HashPassword(new_pw);
  db_.Write([&](db::Conn& c) {
    store::SetOwnPassword(c, who.user_id, new_hash, NowMs());
    // Other sessions end; this one stays.
    store::EndSessionsOf(c, who.user_id, who.token_hash);
    Audit(c, who, AuditEntry{"change_password", "user", who.user_id, nullptr, nullptr, std::nullopt});
  });
  EvictUser(who.user_id);
  return Ok();
}

Result<json> AuthService::Me(const Principal& who) {
  return db_.Read([&](db::Conn& c) -> Result<json> {
    json u = {{"id", who.user_id},
              {"login", who.login},
              {"display_name", who.display_name},
              {"role", std::string(RoleName(who.role))},
              {"role_label", std::string(RoleLabelZh(who.role))},
              {"school_id", who.school_id ? json(*who.school_id) : json(nullptr)},
              {"area_id", who.area_id ? json(*who.area_id) : json(nullptr)},
              {"staff_id", who.staff_id ? json(*who.staff_id) : json(nullptr)},
              {"must_change_password", who.must_change_password},
              {"csrf_token", who.csrf_token}};
    if (who.school_id)
      if (auto s = store::SchoolLabelOf(c, *who.school_id)) {
        u["school_name"] = s->name;
        u["school_level"] = s->level;
        u["school_type"] = s->type;
      }
    if (who.area_id)
      if (auto a = store::AreaLabelOf(c, *who.area_id)) {
        u["area_name"] = a->name;
        u["area_kind"] = a->kind;
      }
    // What others changed on this account lately (role, disabled, password reset, ...).
    json notices = json::array();
    for (auto& n : store::RecentNotices(c, who.user_id, NowMs() - kNoticeShownMs, int64_t{kMaxNoticesShown}))
      notices.push_back({{"id", n.id},
                         {"at", n.at},
                         {"at_text", FormatInstant(n.at)},
                         {"kind", n.kind},
                         {"message", n.message},
                         {"by", n.by}});
    u["notices"] = std::move(notices);
    // What this user may do, from the one permission table (the console's menus and page guards),
    // and the roles they may give an account (the users page).
    u["routes"] = RoutesAllowed(who.role);
    json grantable = json::array();
    for (Role r : GrantableRoles(who.role)) grantable.push_back(std::string(RoleName(r)));
    u["grantable_roles"] = std::move(grantable);
    return u;
  });
}

Status AuthService::ResetWithCode(std::string_view login_in, std::string_view code, std::string_view new_password,
                                  std::string_view client) {
  std::string login = Trim(login_in);
  if (login.empty()) return MakeError(kInvalid, "请输入手机号", "enter your mobile", "login");
  if (code.empty()) return MakeError(kInvalid, "请输入重置码", "enter the reset code", "code");
  if (auto s = CheckPasswordStrength(new_password, "new_password", login); !s.ok()) return s;
  int64_t now = NowMs();
  const std::string address(client);
  if (int64_t wait = throttle_.WaitSeconds(login, address, now); wait > 0) {
    Error e = MakeError(kRateLimited, "尝试次数过多，请 " + std::to_string(wait) + " 秒后再试",
                        "too many attempts, retry in " + std::to_string(wait) + " s");
    e.retry_after = static_cast<int>(wait);
    return e;
  }
  auto wrong_code = [&] {
    throttle_.Failure(login, address, now);
    return MakeError(kInvalid, "重置码无效或已过期", "the reset code is wrong or expired", "code");
  };
  // The code first (a wrong one costs no password hash), then hash outside the write.
  if (!db_.Read([&](db::Conn& c) { return store::ValidResetCode(c, login, TokenHash(code), now).has_value(); }))
    return wrong_code();
  std::string hash = HashPassword(new_password);
  std::optional<int64_t> user_id;
  auto r = db_.Write([&](db::Conn& c) -> Status {
    auto row = store::ValidResetCode(c, login, TokenHash(code), now);  // still unused
    if (!row) return MakeError(kInvalid, "重置码无效或已过期", "the reset code is wrong or expired", "code");
    user_id = row->user_id;
    store::UseResetCode(c, row->code_id, now);
    store::SetOwnPassword(c, *user_id, hash, now);
    store::EndSessionsOf(c, *user_id);
    Principal self;
    self.user_id = *user_id;
    self.login = login;
    self.client = address;
    Audit(c, self, AuditEntry{"reset_password_with_code", "user", *user_id, nullptr, nullptr, row->school_id});
    return Ok();
  });
  if (!r.ok()) {
    throttle_.Failure(login, address, now);
    return r;
  }
  throttle_.Success(login, address);
  EvictUser(*user_id);
  return Ok();
}

namespace {
// An audit_log or read_log text column holding JSON: the value, or the text itself if it is not JSON.
json ParsedJson(const std::optional<std::string>& s) {
  if (!s) return json(nullptr);
  json j = json::parse(*s, nullptr, false);
  return j.is_discarded() ? json(*s) : j;
}

json OptJson(const std::optional<int64_t>& v) { return v ? json(*v) : json(nullptr); }

json ReadLogJson(const store::ReadLogRow& r) {
  return {{"id", r.id},
          {"at", r.at},
          {"at_text", FormatInstant(r.at)},
          {"user_id", OptJson(r.user_id)},
          {"user_name", r.user_name},
          {"action", "read_list"},
          {"entity", r.list},
          {"entity_id", nullptr},
          {"before", nullptr},
          {"after", {{"query", r.query}, {"rows", r.row_count}, {"full_fields", r.full_fields}, {"role", r.role}}},
          {"client", r.client},
          {"request_id", r.request_id}};
}

json AuditJson(const store::AuditRow& r) {
  return {{"id", r.id},
          {"at", r.at},
          {"at_text", FormatInstant(r.at)},
          {"user_id", OptJson(r.user_id)},
          {"user_name", r.user_name},
          {"action", r.action},
          {"entity", r.entity},
          {"entity_id", OptJson(r.entity_id)},
          {"before", ParsedJson(r.before_json)},
          {"after", ParsedJson(r.after_json)},
          {"client", r.client},
          {"request_id", r.request_id}};
}
}  // namespace

Result<json> AuthService::ListAudit(const Principal& who, std::optional<int64_t> school_id, const json& f, int64_t page,
                                    int64_t page_size) {
  return db_.Read([&](db::Conn& c) -> Result<json> {
    store::AuditFilter filter;
    if (who.role != Role::kSysAdmin || school_id) {
      auto sid = ResolveSchool(c, who, school_id);
      if (!sid.ok()) return sid.error();
      filter.school_id = sid.value();
    }
    if (f.contains("user_id")) filter.user_id = f["user_id"].get<int64_t>();
    // List reads of personal data live in read_log (see audit.h ListRead): same answer shape.
    filter.reads = f.value("action", "") == "read_list";
    if (f.contains("action") && !filter.reads) filter.action = f["action"].get<std::string>();
    if (f.contains("entity")) filter.entity = f["entity"].get<std::string>();
    if (f.contains("q")) filter.q = f["q"].get<std::string>();
    if (f.contains("from")) filter.from = f["from"].get<int64_t>();
    if (f.contains("to")) filter.to = f["to"].get<int64_t>();
    int64_t total = store::CountAudit(c, filter);
    json items = json::array();
    if (filter.reads) {
      for (auto& r : store::ReadLogPage(c, filter, page_size, (page - 1) * page_size)) items.push_back(ReadLogJson(r));
    } else {
      for (auto& r : store::AuditPage(c, filter, page_size, (page - 1) * page_size)) items.push_back(AuditJson(r));
    }
    return json{{"items", items}, {"total", total}, {"page", page}, {"page_size", page_size}};
  });
}

}  // namespace kehou::auth
