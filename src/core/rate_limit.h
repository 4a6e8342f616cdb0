// rate_limit.h: per-key token buckets, e.g. one per family for taking and dropping seats on
// selection night (R-SEL: per-family rate limits). A key may make `burst` requests at once and
// then `per_second` a second. Pure: the caller passes the time, so tests need no clock.
// Thread-safety: Take may be called from any thread (the keys are spread over mutex shards).
#pragma once
#include <array>
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace kehou {

class RateLimiter {
 public:
  // per_second > 0, burst >= 1; at most max_keys buckets are kept (idle full buckets are
  // dropped first; beyond that the oldest shard content is forgotten, which only ever allows).
  RateLimiter(double per_second, double burst, size_t max_keys = 200000);
  // 0 when the request may go ahead now (one token taken); otherwise the whole seconds (>= 1)
  // after which it would be allowed, for a 429 with Retry-After. A refused request takes nothing.
  int Take(int64_t key, int64_t now_ms);

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::unordered_map<int64_t, Bucket> buckets;
  };
  double per_ms_;
  double burst_;
  size_t max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace kehou
