// rules.h (pay): the pure decisions of teacher pay (issue 14 §4, R-FEE-6): the month a run covers,
// the evaluation factor's named rules (多劳多得、优绩优酬) and the arithmetic in fen. No I/O.
//
// Arithmetic: a slip is minutes × hourly rate (fen) × factor (permille) ÷ (60 × 1000), computed in
// 64-bit integers over the month's total minutes and rounded ONCE per slip, half up to the fen
// (so the sum of the sessions never drifts by a fen per session). An institution invoice is
// minutes × rate ÷ 60 per person, rounded half up per person, then summed (no evaluation factor:
// the factor is the school's own teachers' 绩效).
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/time.h"

namespace kehou::pay {

inline constexpr int kFactorOne = 1000;  // permille: 1.0
// tiered: score >= 90 -> 1.2, >= 80 -> 1.1, >= 60 -> 1.0, below 60 -> 0.9
inline constexpr int kTierTop = 90, kTierGood = 80, kTierPass = 60;
inline constexpr int kTierTopFactor = 1200, kTierGoodFactor = 1100, kTierPassFactor = 1000, kTierLowFactor = 900;
// linear: 0.8 at score 0 up to 1.2 at score 100 (0.004 a point)
inline constexpr int kLinearBase = 800, kLinearPerPoint = 4;

enum class FactorRule { kFlat, kTiered, kLinear };
std::optional<FactorRule> ParseFactorRule(std::string_view s);
std::string_view FactorRuleName(FactorRule r);
// The rule in words (zh), as the slip shows it.
std::string FactorRuleText(FactorRule r);
// The factor in permille for a quality score (0..100); no score -> 1.0 whatever the rule.
int FactorPermille(FactorRule r, std::optional<int> score);

// Pay in fen: minutes × rate_fen_per_hour × factor_permille / 60,000, half up. Negative inputs: 0.
int64_t PayFen(int64_t minutes, int64_t rate_fen_per_hour, int factor_permille);

struct Month {
  int y = 0, m = 0;
  Date First() const;
  Date Last() const;
  std::string Text() const;  // 'YYYY-MM'
  auto operator<=>(const Month&) const = default;
};
std::optional<Month> ParseMonth(std::string_view s);  // strict 'YYYY-MM'
Month MonthOf(const Date& d);
Month PreviousMonth(const Month& m);
// A run is made only for a month that has ended (its last day is before today).
Status CheckMonthEnded(const Month& m, const Date& today);

}  // namespace kehou::pay
