#include "activation/rules.h"

#include <gtest/gtest.h>

namespace kehou::activation {
namespace {

TEST(ActivationRules, OneSmsAMinuteAtTheLimit) {
  const int64_t now = 1'000'000'000;
  EXPECT_TRUE(MaySendSms(0, 0, now).ok());
  EXPECT_TRUE(MaySendSms(now - kSmsMinIntervalMs, 1, now).ok());  // exactly a minute: allowed
  auto early = MaySendSms(now - kSmsMinIntervalMs + 1, 1, now);   // a millisecond short: refused
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, ErrorCode::kRateLimited);
  EXPECT_EQ(early.error().retry_after, 1);
  EXPECT_NE(early.error().message.find("秒后再试"), std::string::npos);
}

TEST(ActivationRules, FiveADay) {
  const int64_t now = 1'000'000'000;
  EXPECT_TRUE(MaySendSms(now - kDayMs, kSmsPerDay - 1, now).ok());
  auto sixth = MaySendSms(now - kDayMs, kSmsPerDay, now);
  ASSERT_FALSE(sixth.ok());
  EXPECT_EQ(sixth.error().code, ErrorCode::kRateLimited);
  EXPECT_NE(sixth.error().message.find("上限"), std::string::npos);
}

TEST(ActivationRules, CodesByChannel) {
  EXPECT_EQ(CodeDigits(Channel::kSms), 6);
  EXPECT_EQ(CodeDigits(Channel::kLetter), 8);
  EXPECT_EQ(CodeTtlMs(Channel::kSms), 10 * kMinuteMs);
  EXPECT_EQ(CodeTtlMs(Channel::kLetter), 14 * kDayMs);
  EXPECT_EQ(ChannelName(Channel::kLetter), "letter");
  EXPECT_EQ(NormaliseCode(" 1234-5678 "), "12345678");
  EXPECT_EQ(NormaliseCode("abc"), "");
}

}  // namespace
}  // namespace kehou::activation
