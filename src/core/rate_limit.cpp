#include "core/rate_limit.h"

#include <algorithm>
#include <cmath>

namespace kehou {

RateLimiter::RateLimiter(double per_second, double burst, size_t max_keys)
    : per_ms_(per_second / 1000.0),
      burst_(std::max(1.0, burst)),
      max_per_shard_(std::max<size_t>(1, max_keys / kShards)) {}

int RateLimiter::Take(int64_t key, int64_t now_ms) {
  Shard& s = shards_[static_cast<size_t>(static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull >> 60) % kShards];
  std::lock_guard lock(s.mu);
  auto it = s.buckets.find(key);
  if (it == s.buckets.end()) {
    if (s.buckets.size() >= max_per_shard_) {
      // Forget buckets that have refilled (they would allow anyway); if none, forget all.
      for (auto b = s.buckets.begin(); b != s.buckets.end();) {
        double t = b->second.tokens + static_cast<double>(now_ms - b->second.at_ms) * per_ms_;
        b = t >= burst_ ? s.buckets.erase(b) : std::next(b);
      }
      if (s.buckets.size() >= max_per_shard_) s.buckets.clear();
    }
    it = s.buckets.emplace(key, Bucket{burst_, now_ms}).first;
  }
  Bucket& b = it->second;
  if (now_ms > b.at_ms) {
    b.tokens = std::min(burst_, b.tokens + static_cast<double>(now_ms - b.at_ms) * per_ms_);
    b.at_ms = now_ms;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return 0;
  }
  double wait_ms = (1.0 - b.tokens) / per_ms_;
  return std::max(1, static_cast<int>(std::ceil(wait_ms / 1000.0)));
}

}  // namespace kehou
