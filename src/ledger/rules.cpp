// rules.cpp (ledger): see rules.h.
#include "ledger/rules.h"

#include <cstdio>

namespace kehou::ledger {

const std::vector<Account>& Chart() {
  using K = AccountKind;
  static const std::vector<Account> chart = {
      {kAcctCash, "库存现金", "Cash on hand", K::kAsset, ""},
      {kAcctBank, "银行存款", "Bank", K::kAsset, ""},
      {kAcctWeChat, "微信支付待清算", "WeChat Pay clearing", K::kAsset, ""},
      {kAcctAlipay, "支付宝待清算", "Alipay clearing", K::kAsset, ""},
      {kAcctReceivable, "应收课后服务费", "Fees receivable", K::kAsset, ""},
      {kAcctInstitutionsPayable, "应付机构服务费", "Payable to institutions", K::kLiability, ""},
      {kAcctBilledUnreceived, "待收课后服务费", "Fees billed, not yet received", K::kLiability, ""},
      {kAcctTeacherPayPayable, "应付教师课后服务补助", "Teacher pay payable", K::kLiability, ""},
      {kAcctRefundsPayable, "应付退费", "Refunds payable", K::kLiability, ""},
      {kAcctSuspense, "待查明款项", "Unidentified receipts (suspense)", K::kLiability, ""},
      {kAcctFeeIncome, "课后服务费收入", "Service fee income", K::kIncome, "fee_income"},
      {kAcctMaterialsIncome, "材料费收入", "Materials fee income", K::kIncome, "materials_income"},
      {kAcctReductions, "减免", "Exemptions and reductions", K::kIncome, "reductions"},
      {kAcctRefunds, "退费", "Refunds", K::kIncome, "refunds"},
      {kAcctSubsidy, "财政补助收入", "Government subsidies", K::kIncome, "subsidy"},
      {kAcctTeacherPay, "教师课后服务补助", "Teacher subsidies and pay", K::kExpense, "teacher_pay"},
      {kAcctMaterials, "材料支出", "Materials", K::kExpense, "materials"},
      {kAcctVenue, "场地维护", "Venue upkeep", K::kExpense, "venue"},
      {kAcctInstitutions, "机构服务费", "Institution payments", K::kExpense, "institutions"},
      {kAcctOtherExpense, "其他支出", "Other expenses", K::kExpense, "other"},
  };
  return chart;
}

const Account* FindAccount(std::string_view code) {
  for (const auto& a : Chart())
    if (code == a.code) return &a;
  return nullptr;
}

const std::vector<Line>& Lines() {
  static const std::vector<Line> lines = {
      {"fee_income", "课后服务费收入", "Service fee income", true},
      {"materials_income", "材料费收入", "Materials fee income", true},
      {"reductions", "减免", "Exemptions and reductions", true},
      {"refunds", "退费", "Refunds", true},
      {"subsidy", "财政补助收入", "Government subsidies", true},
      {"teacher_pay", "教师课后服务补助", "Teacher subsidies and pay", false},
      {"materials", "材料支出", "Materials", false},
      {"venue", "场地维护", "Venue upkeep", false},
      {"institutions", "机构服务费", "Institution payments", false},
      {"other", "其他支出", "Other expenses", false},
  };
  return lines;
}

const Line* FindLine(std::string_view key) {
  for (const auto& l : Lines())
    if (key == l.key) return &l;
  return nullptr;
}

Status CheckBalanced(const std::vector<PostingLine>& lines) {
  if (lines.size() < 2)
    return Error::Invalid("记账凭证至少需要两行（借方和贷方）", "an entry needs at least two lines", "lines");
  if (lines.size() > kMaxLines)
    return Error::Invalid("记账凭证最多 " + std::to_string(kMaxLines) + " 行", "too many lines", "lines");
  int64_t debit = 0, credit = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    std::string field = "lines[" + std::to_string(i) + "]";
    if (!FindAccount(l.account))
      return Error::Invalid("第 " + std::to_string(i + 1) + " 行的科目不存在：" + l.account,
                            "unknown account " + l.account, field + ".account");
    if (l.debit_fen < 0 || l.credit_fen < 0 || (l.debit_fen > 0) == (l.credit_fen > 0))
      return Error::Invalid("第 " + std::to_string(i + 1) + " 行须且只须填写借方或贷方一个正数金额",
                            "each line needs exactly one positive side", field);
    if (l.debit_fen > kMaxLineFen || l.credit_fen > kMaxLineFen)
      return Error::Invalid("第 " + std::to_string(i + 1) + " 行金额超过上限", "line amount over the limit", field);
    debit += l.debit_fen;
    credit += l.credit_fen;
  }
  if (debit != credit)
    return Error::RuleBroken(
        "借贷不平衡：借方 " + std::to_string(debit) + " 分，贷方 " + std::to_string(credit) + " 分",
        "unbalanced: debits " + std::to_string(debit) + " fen, credits " + std::to_string(credit) + " fen", "lines");
  return {};
}

int64_t TotalDebit(const std::vector<PostingLine>& lines) {
  int64_t s = 0;
  for (const auto& l : lines) s += l.debit_fen;
  return s;
}

std::vector<PostingLine> Reversed(const std::vector<PostingLine>& lines) {
  std::vector<PostingLine> out;
  out.reserve(lines.size());
  for (const auto& l : lines) out.push_back({l.account, l.credit_fen, l.debit_fen});
  return out;
}

std::optional<int64_t> LineAmount(const Account& a, int64_t debit_fen, int64_t credit_fen) {
  if (a.kind == AccountKind::kIncome) return credit_fen - debit_fen;
  if (a.kind == AccountKind::kExpense) return debit_fen - credit_fen;
  return std::nullopt;
}

std::map<std::string, int64_t> ByLine(const std::map<std::string, Movement>& by_account) {
  std::map<std::string, int64_t> out;
  for (const auto& l : Lines()) out[l.key] = 0;
  for (const auto& [code, mv] : by_account) {
    const Account* a = FindAccount(code);
    if (!a) continue;
    if (auto v = LineAmount(*a, mv.debit_fen, mv.credit_fen)) out[a->line] += *v;
  }
  return out;
}

int64_t Surplus(const std::map<std::string, int64_t>& by_line) {
  int64_t s = 0;
  for (const auto& l : Lines()) {
    auto it = by_line.find(l.key);
    if (it == by_line.end()) continue;
    s += l.income ? it->second : -it->second;
  }
  return s;
}

std::optional<Month> ParseMonth(std::string_view s) {
  if (s.size() != 7 || s[4] != '-') return std::nullopt;
  for (size_t i : {0, 1, 2, 3, 5, 6})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  Month m{std::stoi(std::string(s.substr(0, 4))), std::stoi(std::string(s.substr(5, 2)))};
  if (m.m < 1 || m.m > 12 || m.y < 1970 || m.y > 9999) return std::nullopt;
  return m;
}

std::string FormatMonth(const Month& m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m.y, m.m);
  return buf;
}

Month MonthOf(const Date& d) { return {d.y, d.m}; }
Date FirstDay(const Month& m) { return {m.y, m.m, 1}; }
Month NextMonth(const Month& m) { return m.m == 12 ? Month{m.y + 1, 1} : Month{m.y, m.m + 1}; }
Date LastDay(const Month& m) { return AddDays(FirstDay(NextMonth(m)), -1); }

Status CheckDisclosureMonth(const Month& m, const Date& term_start, const Date& term_end, const Date& today) {
  if (LastDay(m) < term_start || FirstDay(m) > term_end)
    return Error::Invalid("该月份不在学期内", "the month is outside the term", "month");
  if (FirstDay(m) > today) return Error::RuleBroken("不能公示尚未开始的月份", "the month has not begun", "month");
  return {};
}

}  // namespace kehou::ledger
