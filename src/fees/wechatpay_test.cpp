#include "fees/wechatpay.h"

#include <gtest/gtest.h>

#include <vector>

namespace kehou::fees::wechatpay {
namespace {

using Json = nlohmann::json;
constexpr int64_t kNow = 1'796'000'000;

const TestProvider& Provider() {
  static TestProvider p = *TestProvider::Generate("1900000001");
  return p;
}

Json Transaction() {
  return Json{{"mchid", "1900000001"},
              {"out_trade_no", "KH7"},
              {"transaction_id", "4200000001202609140001"},
              {"trade_state", "SUCCESS"},
              {"success_time", "2026-09-14T10:00:00+08:00"},
              {"amount", {{"total", 30000}, {"payer_total", 30000}, {"currency", "CNY"}}}};
}

TEST(WeChatPay, Base64RoundTrip) {
  for (const std::string& s : std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    auto d = Base64Decode(Base64Encode(s));
    ASSERT_TRUE(d);
    EXPECT_EQ(*d, s);
  }
  EXPECT_FALSE(Base64Decode("abc"));
}

TEST(WeChatPay, TestProviderNotificationVerifiesAndDecrypts) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok()) << n.error().message;
  auto t = VerifyAndDecrypt(n->headers, n->body, Provider().Keys(), kNow + 10);
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ((*t)["out_trade_no"], "KH7");
  EXPECT_EQ((*t)["amount"]["total"], 30000);
  // The body is what WeChat Pay sends: an encrypted resource, no amount in clear.
  Json body = Json::parse(n->body);
  EXPECT_EQ(body["resource"]["algorithm"], "AEAD_AES_256_GCM");
  EXPECT_EQ(n->body.find("30000"), std::string::npos);
}

TEST(WeChatPay, OneByteChangedInTheBodyIsRefused) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok());
  std::string body = n->body;
  size_t at = body.find("支付成功");
  ASSERT_NE(at, std::string::npos);
  body[at + 1] = static_cast<char>(body[at + 1] ^ 1);
  auto t = VerifyAndDecrypt(n->headers, body, Provider().Keys(), kNow);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, ErrorCode::kUnauthenticated);
}

TEST(WeChatPay, WrongSerialIsRefused) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok());
  n->headers.serial = "0000" + n->headers.serial.substr(4);
  auto t = VerifyAndDecrypt(n->headers, n->body, Provider().Keys(), kNow);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("序列号"), std::string::npos);
}

TEST(WeChatPay, StaleTimestampIsRefusedAtTheLimit) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok());
  EXPECT_TRUE(VerifyAndDecrypt(n->headers, n->body, Provider().Keys(), kNow + kMaxCallbackSkewS).ok());
  auto t = VerifyAndDecrypt(n->headers, n->body, Provider().Keys(), kNow + kMaxCallbackSkewS + 1);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("过期"), std::string::npos);
  EXPECT_FALSE(VerifyAndDecrypt(n->headers, n->body, Provider().Keys(), kNow - kMaxCallbackSkewS - 1).ok());
}

TEST(WeChatPay, WrongKeysAreRefused) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok());
  auto other = TestProvider::Generate("1900000002");
  ASSERT_TRUE(other.ok());
  // Another platform key under the same serial: the signature does not verify.
  MerchantKeys k = Provider().Keys();
  k.platform_public_pem = other->public_pem;
  auto t = VerifyAndDecrypt(n->headers, n->body, k, kNow);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.error().message.find("签名"), std::string::npos);
  // The right platform key but another API v3 key: the resource does not decrypt.
  k = Provider().Keys();
  k.api_v3_key = other->api_v3_key;
  t = VerifyAndDecrypt(n->headers, n->body, k, kNow);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().field, "resource");
  // A signature made with another private key.
  auto forged = other->Notify(Transaction(), kNow);
  ASSERT_TRUE(forged.ok());
  forged->headers.serial = Provider().serial;
  EXPECT_FALSE(VerifyAndDecrypt(forged->headers, forged->body, Provider().Keys(), kNow).ok());
}

TEST(WeChatPay, MissingHeadersAreRefused) {
  auto n = Provider().Notify(Transaction(), kNow);
  ASSERT_TRUE(n.ok());
  Headers h = n->headers;
  h.signature.clear();
  EXPECT_EQ(VerifyAndDecrypt(h, n->body, Provider().Keys(), kNow).error().code, ErrorCode::kUnauthenticated);
  h = n->headers;
  h.timestamp = "12x";
  EXPECT_FALSE(VerifyAndDecrypt(h, n->body, Provider().Keys(), kNow).ok());
}

TEST(WeChatPay, AesGcmTamperedTagRefused) {
  std::string key(kApiV3KeyLength, 'k');
  auto c = AesGcmEncrypt(key, "123456789012", "transaction", "hello");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*AesGcmDecrypt(key, "123456789012", "transaction", *c), "hello");
  std::string bad = *c;
  bad.back() = static_cast<char>(bad.back() ^ 1);
  EXPECT_FALSE(AesGcmDecrypt(key, "123456789012", "transaction", bad).ok());
  EXPECT_FALSE(AesGcmDecrypt(key, "123456789012", "other", *c).ok());
}

}  // namespace
}  // namespace kehou::fees::wechatpay
