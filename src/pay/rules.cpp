#include "pay/rules.h"

#include <cstdio>

namespace kehou::pay {

std::optional<FactorRule> ParseFactorRule(std::string_view s) {
  if (s == "flat") return FactorRule::kFlat;
  if (s == "tiered") return FactorRule::kTiered;
  if (s == "linear") return FactorRule::kLinear;
  return std::nullopt;
}

std::string_view FactorRuleName(FactorRule r) {
  switch (r) {
    case FactorRule::kFlat: return "flat";
    case FactorRule::kTiered: return "tiered";
    case FactorRule::kLinear: return "linear";
  }
  return "flat";
}

std::string FactorRuleText(FactorRule r) {
  switch (r) {
    case FactorRule::kFlat: return "统一系数：所有教师按 1.0 计酬";
    case FactorRule::kTiered: return "分档系数：质量评价 ≥90 分 1.2，≥80 分 1.1，≥60 分 1.0，60 分以下 0.9；无评价 1.0";
    case FactorRule::kLinear: return "线性系数：0.8 + 评价分 × 0.004（0 分 0.8，100 分 1.2）；无评价 1.0";
  }
  return "";
}

int FactorPermille(FactorRule r, std::optional<int> score) {
  if (!score) return kFactorOne;
  int s = *score < 0 ? 0 : (*score > 100 ? 100 : *score);
  switch (r) {
    case FactorRule::kFlat: return kFactorOne;
    case FactorRule::kTiered:
      if (s >= kTierTop) return kTierTopFactor;
      if (s >= kTierGood) return kTierGoodFactor;
      if (s >= kTierPass) return kTierPassFactor;
      return kTierLowFactor;
    case FactorRule::kLinear: return kLinearBase + kLinearPerPoint * s;
  }
  return kFactorOne;
}

int64_t PayFen(int64_t minutes, int64_t rate_fen_per_hour, int factor_permille) {
  if (minutes <= 0 || rate_fen_per_hour <= 0 || factor_permille <= 0) return 0;
  constexpr int64_t kDiv = 60 * 1000;
  int64_t num = minutes * rate_fen_per_hour * factor_permille;
  return (num + kDiv / 2) / kDiv;
}

Date Month::First() const { return Date{y, m, 1}; }
Date Month::Last() const {
  Month next = m == 12 ? Month{y + 1, 1} : Month{y, m + 1};
  return AddDays(next.First(), -1);
}
std::string Month::Text() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

std::optional<Month> ParseMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  for (size_t i : {0u, 1u, 2u, 3u, 5u, 6u})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  int m = (s[5] - '0') * 10 + (s[6] - '0');
  if (y < 2000 || m < 1 || m > 12) return std::nullopt;
  return Month{y, m};
}

Month MonthOf(const Date& d) { return Month{d.y, d.m}; }
Month PreviousMonth(const Month& m) { return m.m == 1 ? Month{m.y - 1, 12} : Month{m.y, m.m - 1}; }

Status CheckMonthEnded(const Month& m, const Date& today) {
  if (m.Last() < today) return Ok();
  return Error::RuleBroken("只能为已结束的月份核算课酬（" + m.Text() + " 尚未结束）",
                           "a pay run covers a month that has ended", "month");
}

}  // namespace kehou::pay
