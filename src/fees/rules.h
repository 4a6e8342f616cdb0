// rules.h (fees): the money rules of R-FEE-1..3, pure and tested at their limits.
//  - A private boarding school charges nothing (R-SET-4, 001 五(四)1): every fee > 0 is refused.
//  - Payment is open in teaching weeks kPayFromWeek..kPayToWeek of the term (001 五(四)2: "原则上在
//    学期开学第3-4周完成缴费"), a school setting with these defaults; a late window the office opens
//    also admits payment.
//  - Exemptions and reductions: full, an amount in fen, or a percent of the gross (rounded half up
//    to the fen); together never more than the gross.
// Money is integer fen. Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"
#include "school/service.h"

namespace kehou::fees {

inline constexpr int kPayFromWeek = 3;  // policy 001 五(四)2
inline constexpr int kPayToWeek = 4;
inline constexpr int kMaxPayWeek = 30;
inline constexpr int64_t kMaxFeeFen = 10'000'000;  // 100,000 yuan: a ceiling against typos
inline constexpr size_t kMaxDocRefLength = 100;

// ---- no fee at a private boarding school --------------------------------------------------------
// Ok for fee 0, or for any fee at a school that charges; kRuleBroken naming the rule otherwise.
Status CheckFeeAllowed(bool school_charges, int64_t fee_fen, std::string_view field = "amount_fen");
// 0 <= fee <= kMaxFeeFen.
Status CheckFeeAmount(int64_t fee_fen, std::string_view field = "amount_fen");

// ---- kinds and categories -----------------------------------------------------------------------
bool IsFeeKind(std::string_view k);                   // basic | course | materials
std::string_view FeeKindLabelZh(std::string_view k);  // 基本服务费 | 课程费 | 材料费
bool IsExemptionCategory(std::string_view c);         // left_behind | low_income | disability | other
std::string_view ExemptionCategoryLabelZh(std::string_view c);
bool IsPayChannel(std::string_view c);  // wechat | alipay | bank | cash
std::string_view PayChannelLabelZh(std::string_view c);

// ---- the exceptions queue and suspense (待查明款项) ------------------------------------------------
// True when an exception's callback means the money reached the school's merchant (a success in
// yuan to our merchant id, for an order that is unknown, already paid, of another amount or of a
// closed term): it is posted to suspense. Otherwise (not a success, another merchant, another
// currency, no transaction id) no money moved and the office only records what it found.
bool MoneyTaken(std::string_view reason_code);
// How the office settles an exception: match (to a bill: a payment out of suspense), refund (back
// to the payer out of suspense) or note (a record only: for an exception with no money taken).
bool IsSettleKind(std::string_view k);
std::string_view SettleKindLabelZh(std::string_view k);  // 匹配账单 | 退回付款人 | 登记说明

// ---- the payment window -------------------------------------------------------------------------
struct DateRange {
  Date first, last;  // inclusive
  bool Contains(const Date& d) const { return !(d < first) && !(last < d); }
};
// The n-th teaching week (1-based) of the term: the Monday-to-Sunday weeks from the term's start
// that contain at least one school day (school::IsSchoolDay), as school::TeachingWeeks counts
// them. The range is that week's Monday..Sunday clipped to the term. nullopt past the last week.
std::optional<DateRange> TeachingWeek(const school::TermDates& t, int n);
// Weeks from..to (from <= to): the first day of week `from` to the last day of week `to`.
Result<DateRange> PaymentWindow(const school::TermDates& t, int from_week, int to_week);
// 1 <= from <= to <= kMaxPayWeek.
Status CheckPayWeeks(int from_week, int to_week);
// Ok when `day` is in the window or in one of the late windows; kRuleBroken naming the rule
// (with the window's dates) otherwise.
Status CheckPaymentOpen(const DateRange& window, const std::vector<DateRange>& late, const Date& day, int from_week,
                        int to_week);

// ---- exemptions ---------------------------------------------------------------------------------
enum class ReductionMode { kFull, kAmount, kPercent };
std::optional<ReductionMode> ParseReductionMode(std::string_view s);  // full | amount | percent
struct Reduction {
  ReductionMode mode = ReductionMode::kFull;
  int64_t value = 0;  // fen (amount) or percent 1..100
};
Status CheckReduction(const Reduction& r);
// The fen one reduction takes off a gross amount (percent: rounded half up; never above gross).
int64_t ReductionFen(int64_t gross_fen, const Reduction& r);
// All reductions together, capped at the gross.
int64_t TotalReductionFen(int64_t gross_fen, const std::vector<Reduction>& rs);

// ---- bill status ----------------------------------------------------------------------------------
// "exempted" when reductions cover the whole gross (and it is > 0 or nothing is due), "paid" when
// paid >= due > 0, else "unpaid". A bill of 0 with no reduction counts as paid.
std::string BillStatus(int64_t gross_fen, int64_t reduction_fen, int64_t paid_fen);

// "KH" + bill id: the out_trade_no of a bill's payment order; nullopt if not of that form.
std::string OutTradeNo(int64_t bill_id);
std::optional<int64_t> BillOfOutTradeNo(std::string_view s);

// "¥12.50" for 1250 fen (display only).
std::string FormatYuan(int64_t fen);

}  // namespace kehou::fees

namespace kehou::fees {

// ---- refunds (R-FEE-3) ----------------------------------------------------------------------------
// Leaving mid-term: the unused part of what was paid, by school days. refund = paid × (school days
// of the term from `first_unused` to the end) ÷ (school days of the term), rounded half up to the
// fen; 0 when first_unused is after the term, all of it when on or before its first day.
int64_t ProratedRefundFen(int64_t paid_fen, const school::TermDates& t, const Date& first_unused);

// Income is recognised when received (docs/ARCHITECTURE.md, money): of a payment of `amount_fen`
// on a bill due `due_fen` (gross - exemptions) with `materials_fen` of materials lines and
// `paid_before_fen` paid by earlier payments, the part that is materials income; the rest is
// service fee income. Materials are paid first (exemptions come off the service fee first), so the
// parts of a bill's payments add up to min(materials, due) and the rest, to the fen.
int64_t MaterialsReceivedFen(int64_t due_fen, int64_t materials_fen, int64_t paid_before_fen, int64_t amount_fen);
// School days (school::IsSchoolDay) of the term in [from, to].
int64_t SchoolDaysBetween(const school::TermDates& t, const Date& from, const Date& to);

}  // namespace kehou::fees
