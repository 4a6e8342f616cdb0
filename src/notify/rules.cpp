#include "notify/rules.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

namespace kehou::notify {

bool ValidChannel(std::string_view c) {
  return c == kInApp || c == kSms || c == kWebhook || c == kWecom || c == kDingtalk;
}
bool ValidGuardianChannel(std::string_view c) { return c == kInApp || c == kSms; }
bool ValidStaffChannel(std::string_view c) { return c == kInApp || c == kWebhook || c == kWecom || c == kDingtalk; }

int64_t BackoffMs(int attempts) {
  if (attempts < 1) attempts = 1;
  int64_t d = kBackoffBaseMs;
  for (int i = 1; i < attempts && d < kBackoffMaxMs; ++i) d *= 2;
  return d < kBackoffMaxMs ? d : kBackoffMaxMs;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &len))
    throw std::runtime_error("HMAC-SHA256 failed");
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  s.reserve(bytes.size() * 2);
  for (unsigned char b : bytes) {
    s += kDigits[b >> 4];
    s += kDigits[b & 15];
  }
  return s;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

std::string UrlEncode(std::string_view s) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char ch : s) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
        ch == '.' || ch == '~') {
      out += static_cast<char>(ch);
    } else {
      out += '%';
      out += kDigits[ch >> 4];
      out += kDigits[ch & 15];
    }
  }
  return out;
}

std::string WebhookSignature(std::string_view secret, int64_t timestamp_ms, std::string_view body) {
  std::string data = std::to_string(timestamp_ms) + "\n";
  data += body;
  return Hex(HmacSha256(secret, data));
}

std::string DingtalkSign(std::string_view secret, int64_t timestamp_ms) {
  std::string data = std::to_string(timestamp_ms) + "\n";
  data += secret;
  return UrlEncode(Base64(HmacSha256(secret, data)));
}

std::string DingtalkUrl(std::string_view robot_url, std::string_view secret, int64_t timestamp_ms) {
  std::string url(robot_url);
  if (secret.empty()) return url;
  url += url.find('?') == std::string::npos ? '?' : '&';
  url += "timestamp=" + std::to_string(timestamp_ms) + "&sign=" + DingtalkSign(secret, timestamp_ms);
  return url;
}

nlohmann::json WecomBody(std::string_view title, std::string_view body) {
  return {{"msgtype", "markdown"}, {"markdown", {{"content", "**" + std::string(title) + "**\n" + std::string(body)}}}};
}

nlohmann::json DingtalkBody(std::string_view title, std::string_view body) {
  return {{"msgtype", "text"}, {"text", {{"content", std::string(title) + "\n" + std::string(body)}}}};
}

}  // namespace kehou::notify
