// rules.h (notify): the policy numbers of delivery and the pure pieces of the channels: the
// retry schedule, HMAC-SHA256 signing of webhooks, DingTalk's signed timestamp, WeCom and
// DingTalk message bodies. No I/O; thread-safe.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace kehou::notify {

inline constexpr int64_t kBackoffBaseMs = 30'000;    // first retry 30 s after a failure
inline constexpr int64_t kBackoffMaxMs = 3'600'000;  // never more than an hour between tries
inline constexpr int64_t kLeaseMs = 5 * 60'000;      // a claimed row is another server's again after 5 min
inline constexpr int kClaimBatch = 20;               // rows one claim takes (x timeout < lease)
inline constexpr int kHttpTimeoutMs = 5'000;         // one channel request, connect to answer
inline constexpr int64_t kWorkerPollMs = 2'000;      // the worker looks for due rows this often

// The channels a row can go out on.
inline constexpr std::string_view kInApp = "in_app", kSms = "sms", kWebhook = "webhook", kWecom = "wecom",
                                  kDingtalk = "dingtalk";
bool ValidChannel(std::string_view c);
bool ValidGuardianChannel(std::string_view c);  // what a guardian may choose: in_app | sms
bool ValidStaffChannel(std::string_view c);     // the school's channel for staff: in_app | webhook | wecom | dingtalk

// Delay before the next try after `attempts` failed tries (>= 1): base x 2^(attempts-1), capped.
int64_t BackoffMs(int attempts);

std::string HmacSha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string Hex(std::string_view bytes);                              // lowercase
std::string Base64(std::string_view bytes);
std::string UrlEncode(std::string_view s);  // RFC 3986 unreserved kept, the rest %XX

// Webhook signature: hex HMAC-SHA256(secret, timestamp + "\n" + body), sent in X-Kehou-Signature
// with X-Kehou-Timestamp (ms) and X-Kehou-Delivery (the outbox id: a receiver drops repeats).
std::string WebhookSignature(std::string_view secret, int64_t timestamp_ms, std::string_view body);
// DingTalk custom robot ("加签"): urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))),
// appended to the robot URL as &timestamp=...&sign=...
std::string DingtalkSign(std::string_view secret, int64_t timestamp_ms);
std::string DingtalkUrl(std::string_view robot_url, std::string_view secret, int64_t timestamp_ms);

// Group-robot bodies: WeCom markdown, DingTalk text (both carry the title on the first line).
nlohmann::json WecomBody(std::string_view title, std::string_view body);
nlohmann::json DingtalkBody(std::string_view title, std::string_view body);

}  // namespace kehou::notify
