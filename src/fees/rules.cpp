#include "fees/rules.h"

#include <algorithm>

namespace kehou::fees {

Status CheckFeeAllowed(bool school_charges, int64_t fee_fen, std::string_view field) {
  if (school_charges || fee_fen == 0) return Ok();
  return Error::RuleBroken("民办寄宿制学校开展课后服务不得收费（001 五(四)1），费用须为 0",
                           "a private boarding school may not charge for the after-school service (001 V(4)1)", field);
}

Status CheckFeeAmount(int64_t fee_fen, std::string_view field) {
  if (fee_fen < 0) return Error::Invalid("金额不能为负", "the amount must not be negative", field);
  if (fee_fen > kMaxFeeFen)
    return Error::Invalid("金额超过上限（10 万元）", "the amount is above the ceiling (100,000 yuan)", field);
  return Ok();
}

bool IsFeeKind(std::string_view k) { return k == "basic" || k == "course" || k == "materials"; }
std::string_view FeeKindLabelZh(std::string_view k) {
  if (k == "basic") return "基本服务费";
  if (k == "course") return "课程费";
  if (k == "materials") return "材料费";
  return k;
}
bool IsExemptionCategory(std::string_view c) {
  return c == "left_behind" || c == "low_income" || c == "disability" || c == "other";
}
std::string_view ExemptionCategoryLabelZh(std::string_view c) {
  if (c == "left_behind") return "留守儿童";
  if (c == "low_income") return "低收入家庭";
  if (c == "disability") return "残疾儿童";
  if (c == "other") return "其他";
  return c;
}
bool IsPayChannel(std::string_view c) { return c == "wechat" || c == "alipay" || c == "bank" || c == "cash"; }
std::string_view PayChannelLabelZh(std::string_view c) {
  if (c == "wechat") return "微信支付";
  if (c == "alipay") return "支付宝";
  if (c == "bank") return "银行转账";
  if (c == "cash") return "现金（学校办公室）";
  return c;
}

bool MoneyTaken(std::string_view code) {
  return code == "unknown_order" || code == "already_paid" || code == "amount_mismatch" || code == "term_closed";
}

bool IsSettleKind(std::string_view k) { return k == "match" || k == "refund" || k == "note"; }

std::string_view SettleKindLabelZh(std::string_view k) {
  if (k == "match") return "匹配账单";
  if (k == "refund") return "退回付款人";
  if (k == "note") return "登记说明";
  return k;
}

std::optional<DateRange> TeachingWeek(const school::TermDates& t, int n) {
  if (n < 1 || t.end < t.start) return std::nullopt;
  Date monday = AddDays(t.start, -(IsoWeekday(t.start) - 1));
  int counted = 0;
  for (; !(t.end < monday); monday = AddDays(monday, 7)) {
    bool has_school_day = false;
    for (int i = 0; i < 5 && !has_school_day; ++i) has_school_day = school::IsSchoolDay(t, AddDays(monday, i));
    if (!has_school_day) continue;
    if (++counted == n) {
      Date sunday = AddDays(monday, 6);
      return DateRange{monday < t.start ? t.start : monday, t.end < sunday ? t.end : sunday};
    }
  }
  return std::nullopt;
}

Status CheckPayWeeks(int from_week, int to_week) {
  if (from_week < 1 || from_week > kMaxPayWeek)
    return Error::Invalid("缴费开始周须在 1 到 30 之间", "pay_from_week must be 1..30", "pay_from_week");
  if (to_week < from_week || to_week > kMaxPayWeek)
    return Error::Invalid("缴费结束周须不早于开始周且不超过 30", "pay_to_week must be pay_from_week..30",
                          "pay_to_week");
  return Ok();
}

Result<DateRange> PaymentWindow(const school::TermDates& t, int from_week, int to_week) {
  KEHOU_TRY(CheckPayWeeks(from_week, to_week));
  auto a = TeachingWeek(t, from_week);
  auto b = TeachingWeek(t, to_week);
  if (!a || !b)
    return Error::RuleBroken("学期教学周不足，无法确定缴费时间",
                             "the term has too few teaching weeks for the payment window", "term_id");
  return DateRange{a->first, b->last};
}

Status CheckPaymentOpen(const DateRange& window, const std::vector<DateRange>& late, const Date& day, int from_week,
                        int to_week) {
  if (window.Contains(day)) return Ok();
  for (const auto& w : late)
    if (w.Contains(day)) return Ok();
  std::string weeks = std::to_string(from_week) + "-" + std::to_string(to_week);
  return Error::RuleBroken(
      "不在缴费时间内：课后服务费在学期开学第" + weeks + "周缴纳（001 五(四)2，本学期为 " + FormatDate(window.first) +
          " 至 " + FormatDate(window.last) + "），如需补缴请联系学校办公室开放补缴时段",
      "payment is open in teaching weeks " + weeks + " of the term (001 V(4)2: " + FormatDate(window.first) + " to " +
          FormatDate(window.last) + "); ask the office for a late window",
      "pay_window");
}

std::optional<ReductionMode> ParseReductionMode(std::string_view s) {
  if (s == "full") return ReductionMode::kFull;
  if (s == "amount") return ReductionMode::kAmount;
  if (s == "percent") return ReductionMode::kPercent;
  return std::nullopt;
}

Status CheckReduction(const Reduction& r) {
  switch (r.mode) {
    case ReductionMode::kFull: return Ok();
    case ReductionMode::kAmount:
      if (r.value < 1 || r.value > kMaxFeeFen)
        return Error::Invalid("减免金额须在 0.01 元到 10 万元之间", "the reduction must be 1..10,000,000 fen", "value");
      return Ok();
    case ReductionMode::kPercent:
      if (r.value < 1 || r.value > 100)
        return Error::Invalid("减免比例须在 1% 到 100% 之间", "percent must be 1..100", "value");
      return Ok();
  }
  return Ok();
}

int64_t ReductionFen(int64_t gross_fen, const Reduction& r) {
  if (gross_fen <= 0) return 0;
  int64_t v = 0;
  switch (r.mode) {
    case ReductionMode::kFull: v = gross_fen; break;
    case ReductionMode::kAmount: v = std::max<int64_t>(0, r.value); break;
    case ReductionMode::kPercent: v = (gross_fen * std::clamp<int64_t>(r.value, 0, 100) + 50) / 100; break;
  }
  return std::min(v, gross_fen);
}

int64_t TotalReductionFen(int64_t gross_fen, const std::vector<Reduction>& rs) {
  int64_t total = 0;
  for (const auto& r : rs) total = std::min(gross_fen, total + ReductionFen(gross_fen, r));
  return std::max<int64_t>(0, total);
}

std::string BillStatus(int64_t gross_fen, int64_t reduction_fen, int64_t paid_fen) {
  int64_t due = gross_fen - reduction_fen;
  if (due <= 0 && reduction_fen > 0) return "exempted";
  if (paid_fen >= due) return "paid";
  return "unpaid";
}

std::string OutTradeNo(int64_t bill_id) { return "KH" + std::to_string(bill_id); }

std::optional<int64_t> BillOfOutTradeNo(std::string_view s) {
  if (s.size() < 3 || s.substr(0, 2) != "KH" || s.size() > 20) return std::nullopt;
  int64_t v = 0;
  for (char c : s.substr(2)) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
  }
  if (v <= 0) return std::nullopt;
  return v;
}

std::string FormatYuan(int64_t fen) {
  std::string sign = fen < 0 ? "-" : "";
  int64_t a = fen < 0 ? -fen : fen;
  std::string cents = std::to_string(a % 100);
  if (cents.size() < 2) cents = "0" + cents;
  return sign + "¥" + std::to_string(a / 100) + "." + cents;
}

}  // namespace kehou::fees

namespace kehou::fees {

int64_t SchoolDaysBetween(const school::TermDates& t, const Date& from, const Date& to) {
  int64_t n = 0;
  for (Date d = from < t.start ? t.start : from; !(to < d) && !(t.end < d); d = AddDays(d, 1))
    if (school::IsSchoolDay(t, d)) ++n;
  return n;
}

int64_t ProratedRefundFen(int64_t paid_fen, const school::TermDates& t, const Date& first_unused) {
  if (paid_fen <= 0) return 0;
  int64_t all = SchoolDaysBetween(t, t.start, t.end);
  if (all == 0) return 0;
  int64_t left = SchoolDaysBetween(t, first_unused, t.end);
  return (paid_fen * left * 2 + all) / (2 * all);  // half up
}

int64_t MaterialsReceivedFen(int64_t due_fen, int64_t materials_fen, int64_t paid_before_fen, int64_t amount_fen) {
  int64_t m = std::max<int64_t>(0, std::min(materials_fen, due_fen));
  auto covered = [&](int64_t paid) { return std::min(m, std::max<int64_t>(0, paid)); };
  return covered(paid_before_fen + amount_fen) - covered(paid_before_fen);
}

}  // namespace kehou::fees
