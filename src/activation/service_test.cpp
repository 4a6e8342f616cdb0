// ActivationService on both databases: the per-address limit on SMS codes (the per-mobile limits
// alone let one address walk through numbers).
#include "activation/service.h"

#include <gtest/gtest.h>

#include "activation/rules.h"
#include "db/testing.h"

namespace kehou::activation {
namespace {

class Activation : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    t_ = db::MakeTestDb(GetParam());
    if (!t_.db) GTEST_SKIP() << "no PostgreSQL";
  }
  db::TestDb t_;
};

std::string Mobile(int i) { return "1390000" + std::to_string(1000 + i); }

TEST_P(Activation, SmsRequestsAreLimitedPerAddress) {
  ActivationService svc(*t_.db);
  const int64_t now = 1'800'000'000'000;
  const int burst = static_cast<int>(kSmsPerAddressBurst);
  for (int i = 0; i < burst; ++i) EXPECT_TRUE(svc.RequestSms(Mobile(i), "203.0.113.5", now).ok()) << i;
  auto r = svc.RequestSms(Mobile(burst), "203.0.113.5", now);  // a fresh mobile, the same address
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRateLimited);
  EXPECT_GT(r.error().retry_after, 0);
  EXPECT_TRUE(svc.RequestSms(Mobile(burst), "203.0.113.6", now).ok());  // another address is not held up
  const auto one_token_ms = static_cast<int64_t>(1000.0 / kSmsPerAddressPerSecond) + 1;
  EXPECT_TRUE(svc.RequestSms(Mobile(burst + 1), "203.0.113.5", now + one_token_ms).ok());  // refilled
  EXPECT_FALSE(svc.RequestSms(Mobile(burst + 2), "203.0.113.5", now + one_token_ms).ok());
  // a malformed mobile is refused before it counts
  EXPECT_EQ(svc.RequestSms("123", "203.0.113.7", now).error().code, ErrorCode::kInvalid);
}

INSTANTIATE_TEST_SUITE_P(Db, Activation, ::testing::ValuesIn(db::TestDialects()));

}  // namespace
}  // namespace kehou::activation
