#include "activation/rules.h"

#include <cctype>

namespace kehou::activation {

std::string_view ChannelName(Channel c) { return c == Channel::kSms ? "sms" : "letter"; }
int CodeDigits(Channel c) { return c == Channel::kSms ? kSmsCodeDigits : kLetterCodeDigits; }
int64_t CodeTtlMs(Channel c) { return c == Channel::kSms ? kSmsCodeTtlMs : kLetterCodeTtlMs; }

Status MaySendSms(int64_t last_sent_ms, int sent_today, int64_t now_ms) {
  if (sent_today >= kSmsPerDay) {
    Error e = Error::Make(ErrorCode::kRateLimited,
                          "今天发送验证码的次数已达上限（" + std::to_string(kSmsPerDay) + " 次），请明天再试或联系学校",
                          "at most " + std::to_string(kSmsPerDay) + " codes a day to one mobile; try tomorrow");
    e.retry_after = static_cast<int>(kDayMs / 1000);
    return e;
  }
  if (last_sent_ms > 0 && now_ms - last_sent_ms < kSmsMinIntervalMs) {
    int64_t wait = (kSmsMinIntervalMs - (now_ms - last_sent_ms) + 999) / 1000;
    Error e = Error::Make(ErrorCode::kRateLimited, "验证码已发送，请 " + std::to_string(wait) + " 秒后再试",
                          "a code was just sent; retry in " + std::to_string(wait) + " s");
    e.retry_after = static_cast<int>(wait);
    return e;
  }
  return Ok();
}

std::string NormaliseCode(std::string_view typed) {
  std::string out;
  for (char ch : typed)
    if (std::isdigit(static_cast<unsigned char>(ch))) out += ch;
  return out;
}

}  // namespace kehou::activation
