// rules.h (activation): the policy numbers of guardian account activation and the pure decisions
// on them. No I/O; thread-safe.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace kehou::activation {

inline constexpr int kSmsCodeDigits = 6;
inline constexpr int kLetterCodeDigits = 8;
inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kDayMs = 86'400'000;
inline constexpr int64_t kSmsCodeTtlMs = 10 * kMinuteMs;  // an SMS code lasts 10 minutes
inline constexpr int64_t kLetterCodeTtlMs = 14 * kDayMs;  // a printed letter's code, 14 days
inline constexpr int64_t kSmsMinIntervalMs = kMinuteMs;   // one SMS a minute per mobile
inline constexpr int kSmsPerDay = 5;                      // and five a day
// Per client address, whatever the mobiles (one address walking through numbers): ten at once,
// then ten an hour (core/rate_limit token bucket, in memory).
inline constexpr double kSmsPerAddressBurst = 10;
inline constexpr double kSmsPerAddressPerSecond = 10.0 / 3600.0;

enum class Channel { kSms, kLetter };
std::string_view ChannelName(Channel c);  // sms | letter
int CodeDigits(Channel c);
int64_t CodeTtlMs(Channel c);

// Whether another SMS may go to a mobile that had `sent_today` codes in the last 24 hours, the
// latest at last_sent_ms (0: never): RateLimited (with retry_after) otherwise.
Status MaySendSms(int64_t last_sent_ms, int sent_today, int64_t now_ms);

// A code as typed: digits only, spaces and dashes dropped ("1234 5678" -> "12345678").
std::string NormaliseCode(std::string_view typed);

}  // namespace kehou::activation
