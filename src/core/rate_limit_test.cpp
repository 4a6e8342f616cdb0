#include "core/rate_limit.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace kehou {
namespace {

TEST(RateLimiter, BurstThenRate) {
  RateLimiter r(2.0, 5.0);
  int64_t t = 1'000'000;
  for (int i = 0; i < 5; ++i) EXPECT_EQ(r.Take(7, t), 0) << i;  // the burst: 5 pass
  EXPECT_EQ(r.Take(7, t), 1);                                   // the 6th waits (0.5 s -> 1 s)
  EXPECT_EQ(r.Take(8, t), 0);                                   // another family is not affected
  EXPECT_EQ(r.Take(7, t + 499), 1);                             // not yet a whole token
  EXPECT_EQ(r.Take(7, t + 500), 0);                             // 2 per second: one every 500 ms
  EXPECT_EQ(r.Take(7, t + 500), 1);
  EXPECT_EQ(r.Take(7, t + 60'000), 0);  // refilled, but never beyond the burst:
  for (int i = 0; i < 4; ++i) EXPECT_EQ(r.Take(7, t + 60'000), 0);
  EXPECT_EQ(r.Take(7, t + 60'000), 1);
}

TEST(RateLimiter, RetryAfterCoversTheWait) {
  RateLimiter r(0.2, 1.0);  // one every 5 s
  EXPECT_EQ(r.Take(1, 0), 0);
  EXPECT_EQ(r.Take(1, 0), 5);
  EXPECT_EQ(r.Take(1, 4'000), 1);
  EXPECT_EQ(r.Take(1, 5'000), 0);
}

TEST(RateLimiter, BoundedKeysOnlyEverForgetInFavourOfTheFamily) {
  RateLimiter r(1.0, 1.0, 32);
  for (int64_t k = 0; k < 10'000; ++k) EXPECT_EQ(r.Take(k, 0), 0);
  // Many keys later, memory stayed bounded; a forgotten key starts with a full bucket.
  EXPECT_EQ(r.Take(3, 0), 0);
}

TEST(RateLimiter, ConcurrentTakesNeverExceedTheBurst) {
  RateLimiter r(0.001, 20.0);
  std::atomic<int> allowed{0};
  std::vector<std::thread> ts;
  for (int t = 0; t < 8; ++t)
    ts.emplace_back([&] {
      for (int i = 0; i < 100; ++i)
        if (r.Take(42, 1000) == 0) ++allowed;
    });
  for (auto& t : ts) t.join();
  EXPECT_EQ(allowed.load(), 20);
}

}  // namespace
}  // namespace kehou
