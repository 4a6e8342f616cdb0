#include "notify/rules.h"

#include <gtest/gtest.h>

namespace kehou::notify {
namespace {

// Expected values computed independently with Python's hmac/hashlib/base64/urllib (not with this
// code): hmac.new(key, msg, hashlib.sha256).hexdigest(), and for DingTalk
// urllib.parse.quote_plus(base64.b64encode(hmac.new(secret, f"{ts}\n{secret}", sha256).digest())).
TEST(Signing, HmacSha256KnownVectors) {
  // RFC 4231 test case 2
  EXPECT_EQ(Hex(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha256("key", "The quick brown fox jumps over the lazy dog")),
            "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
}

TEST(Signing, WebhookSignsTimestampNewlineBody) {
  EXPECT_EQ(WebhookSignature("whsec", 1700000000000, R"({"a":1})"),
            "b2ebca1a7b5d20d57e3f3f78dc66330e5014e0c6c408f8c275095d0d1e62fa88");
  EXPECT_NE(WebhookSignature("whsec", 1700000000001, R"({"a":1})"),
            WebhookSignature("whsec", 1700000000000, R"({"a":1})"));
}

TEST(Signing, DingtalkSignAsDocumented) {
  EXPECT_EQ(DingtalkSign("SEC0123456789abcdef", 1577262236757), "Pgr6tpIpjVrMPPJUPkaI9sivFPPTYOy5zIOMF2GPFMA%3D");
  EXPECT_EQ(
      DingtalkUrl("http://h/robot/send?access_token=T", "SEC0123456789abcdef", 1577262236757),
      "http://h/robot/send?access_token=T&timestamp=1577262236757&sign=Pgr6tpIpjVrMPPJUPkaI9sivFPPTYOy5zIOMF2GPFMA%3D");
  EXPECT_EQ(DingtalkUrl("http://h/send", "", 1), "http://h/send");  // no secret: unsigned robot
}

TEST(Signing, Base64AndUrlEncode) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(UrlEncode("a+b/c=d ~-_."), "a%2Bb%2Fc%3Dd%20~-_.");
}

TEST(Backoff, DoublesFromTheBaseUpToTheCap) {
  EXPECT_EQ(BackoffMs(1), kBackoffBaseMs);
  EXPECT_EQ(BackoffMs(2), 2 * kBackoffBaseMs);
  EXPECT_EQ(BackoffMs(3), 4 * kBackoffBaseMs);
  EXPECT_EQ(BackoffMs(7), 64 * kBackoffBaseMs);  // 32 min, still under the hour
  EXPECT_EQ(BackoffMs(8), kBackoffMaxMs);        // 64 min: capped at one hour
  EXPECT_EQ(BackoffMs(1000), kBackoffMaxMs);
  EXPECT_EQ(BackoffMs(0), kBackoffBaseMs);
  EXPECT_LT(kClaimBatch * kHttpTimeoutMs, kLeaseMs);  // a claimed batch is sent within its lease
}

TEST(Bodies, RobotFormats) {
  auto w = WecomBody("缺勤", "张三未到");
  EXPECT_EQ(w["msgtype"], "markdown");
  EXPECT_EQ(w["markdown"]["content"], "**缺勤**\n张三未到");
  auto d = DingtalkBody("缺勤", "张三未到");
  EXPECT_EQ(d["msgtype"], "text");
  EXPECT_EQ(d["text"]["content"], "缺勤\n张三未到");
}

TEST(Channels, Choices) {
  EXPECT_TRUE(ValidGuardianChannel("sms"));
  EXPECT_TRUE(ValidGuardianChannel("in_app"));
  EXPECT_FALSE(ValidGuardianChannel("wecom"));
  EXPECT_TRUE(ValidStaffChannel("dingtalk"));
  EXPECT_FALSE(ValidStaffChannel("sms"));
}

}  // namespace
}  // namespace kehou::notify
