// throttle.cpp: login throttling over the database's counters (auth/service.h Throttle).
#include <algorithm>

#include "auth/service.h"
#include "auth/store.h"

namespace kehou::auth {

namespace throttle {
namespace {
// A growing lock: 1 s for the first failure over the allowance, doubling to kMaxLockSeconds.
int64_t LockSeconds(int64_t over) {
  return std::min<int64_t>(int64_t{1} << std::clamp<int64_t>(over, 0, 10), kMaxLockSeconds);
}
}  // namespace

void PairFailure(int64_t& failures, int64_t& last_ms, int64_t& locked_until_ms, int64_t now_ms) {
  if (now_ms - last_ms > kThrottleIdleMs) failures = 0;  // old failures are forgiven
  last_ms = now_ms;
  ++failures;
  if (failures >= kFreeLoginFailures) locked_until_ms = now_ms + LockSeconds(failures - kFreeLoginFailures) * 1000;
}

void BucketFailure(int64_t& level_ms, int64_t& last_ms, int64_t& locked_until_ms, int64_t now_ms) {
  level_ms = std::max<int64_t>(0, level_ms - (now_ms - last_ms)) + kAddressLeakMs;
  last_ms = now_ms;
  int64_t over = (level_ms + kAddressLeakMs - 1) / kAddressLeakMs - kFreeAddressFailures;
  if (over > 0) locked_until_ms = now_ms + LockSeconds(over - 1) * 1000;
}
}  // namespace throttle

std::string Throttle::PairKey(const std::string& account, const std::string& address, const std::string& device) const {
  return device.empty() ? kind_ + "|p|" + account + '\n' + address : kind_ + "|d|" + account + '\n' + device;
}

std::string Throttle::BucketKey(const std::string& address) const { return kind_ + "|a|" + address; }

int64_t Throttle::WaitSeconds(const std::string& account, const std::string& address, int64_t now_ms,
                              const std::string& device) {
  std::vector<std::string> keys{PairKey(account, address, device)};
  if (device.empty()) keys.push_back(BucketKey(address));
  int64_t until = db_.Read([&](db::Conn& c) { return store::LockedUntil(c, keys); });
  return until <= now_ms ? 0 : (until - now_ms + 999) / 1000;
}

// Both counters change in one transaction, their rows locked (pair first, then bucket), so
// failures arriving at several servers at once are all counted. Idle counters that lock nothing
// are pruned once a kThrottlePruneEveryMs per server; a lock in force or a bucket not yet leaked
// empty (idle < kThrottleIdleMs) is never forgotten, whatever the number of keys sprayed.
void Throttle::Failure(const std::string& account, const std::string& address, int64_t now_ms,
                       const std::string& device) {
  int64_t pruned = pruned_at_ms_.load();
  bool prune = now_ms - pruned >= kThrottlePruneEveryMs && pruned_at_ms_.compare_exchange_strong(pruned, now_ms);
  db_.Write([&](db::Conn& c) {
    auto rows = store::LockThrottleRows(c, {PairKey(account, address, device), BucketKey(address)});
    throttle::PairFailure(rows[0].failures, rows[0].last_ms, rows[0].locked_until_ms, now_ms);
    throttle::BucketFailure(rows[1].level_ms, rows[1].last_ms, rows[1].locked_until_ms, now_ms);
    for (const auto& row : rows) store::SaveThrottleRow(c, row);
    if (prune) store::PruneThrottle(c, now_ms, now_ms - kThrottleIdleMs);
  });
}

void Throttle::Success(const std::string& account, const std::string& address, const std::string& device) {
  db_.Write([&](db::Conn& c) { Success(c, account, address, device); });
}

void Throttle::Success(db::Conn& c, const std::string& account, const std::string& address,
                       const std::string& device) const {
  store::DeleteThrottleRow(c, PairKey(account, address, device));
}

}  // namespace kehou::auth
