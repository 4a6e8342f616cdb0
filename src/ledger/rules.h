// rules.h (ledger): the pure rules of the double-entry ledger (issue 14 §3, R-FEE-4/5): the chart of
// accounts as named codes, the balance check of a posting, how an account's movement adds to a
// budget/disclosure line, and the months of a term. No I/O. Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::ledger {

// ---- the chart of accounts (sql/0120_ledger.sql seeds the same codes) ---------------------------
inline constexpr const char* kAcctCash = "1001";                 // 库存现金
inline constexpr const char* kAcctBank = "1002";                 // 银行存款
inline constexpr const char* kAcctWeChat = "1012";               // 微信支付待清算
inline constexpr const char* kAcctAlipay = "1013";               // 支付宝待清算
inline constexpr const char* kAcctReceivable = "1122";           // 应收课后服务费
inline constexpr const char* kAcctBilledUnreceived = "2205";     // 待收课后服务费 (billed, not yet received)
inline constexpr const char* kAcctInstitutionsPayable = "2202";  // 应付机构服务费
inline constexpr const char* kAcctTeacherPayPayable = "2211";    // 应付教师课后服务补助
inline constexpr const char* kAcctRefundsPayable = "2241";       // 应付退费
inline constexpr const char* kAcctSuspense = "2249";             // 待查明款项 (callbacks not yet matched)
inline constexpr const char* kAcctFeeIncome = "4101";            // 课后服务费收入 (basic service, courses)
inline constexpr const char* kAcctMaterialsIncome = "4102";      // 材料费收入
inline constexpr const char* kAcctReductions = "4108";           // 减免 (contra income)
inline constexpr const char* kAcctRefunds = "4109";              // 退费 (contra income)
inline constexpr const char* kAcctSubsidy = "4201";              // 财政补助收入
inline constexpr const char* kAcctTeacherPay = "5101";           // 教师课后服务补助
inline constexpr const char* kAcctMaterials = "5102";            // 材料支出
inline constexpr const char* kAcctVenue = "5103";                // 场地维护
inline constexpr const char* kAcctInstitutions = "5104";         // 机构服务费
inline constexpr const char* kAcctOtherExpense = "5199";         // 其他支出

enum class AccountKind { kAsset, kLiability, kIncome, kExpense };
struct Account {
  const char* code;
  const char* name;
  const char* name_en;
  AccountKind kind;
  const char* line;  // budget/disclosure line, "" for balance-sheet accounts
};
// The whole chart, in the order of sql/0120 (a test checks the two agree).
const std::vector<Account>& Chart();
const Account* FindAccount(std::string_view code);

// Budget and disclosure lines, in display order, with their side.
struct Line {
  const char* key;
  const char* name;
  const char* name_en;
  bool income;  // income lines add credits - debits; expense lines debits - credits
};
const std::vector<Line>& Lines();
const Line* FindLine(std::string_view key);

// The largest amount one posting line may carry: 100 million yuan. Keeps every sum far from
// int64 overflow.
inline constexpr int64_t kMaxLineFen = 10'000'000'000;
// The most lines one entry may have.
inline constexpr size_t kMaxLines = 50;

struct PostingLine {
  std::string account;  // a code of the chart (kAcct*)
  int64_t debit_fen = 0;
  int64_t credit_fen = 0;
};
// Ok when the lines make one balanced entry: 2..kMaxLines lines, every account in the chart, every
// line exactly one side positive and at most kMaxLineFen, debits == credits. Otherwise invalid
// (unbalanced: rule_broken) naming the line.
Status CheckBalanced(const std::vector<PostingLine>& lines);
int64_t TotalDebit(const std::vector<PostingLine>& lines);
// The lines of the reversal of an entry: each line's sides swapped.
std::vector<PostingLine> Reversed(const std::vector<PostingLine>& lines);

// What an account's movement adds to its line: income accounts credit - debit, expense accounts
// debit - credit; nullopt for balance-sheet accounts.
std::optional<int64_t> LineAmount(const Account& a, int64_t debit_fen, int64_t credit_fen);

// Sums by line of a set of movements (account -> {debit, credit}); every line present (0 if none).
struct Movement {
  int64_t debit_fen = 0, credit_fen = 0;
};
std::map<std::string, int64_t> ByLine(const std::map<std::string, Movement>& by_account);
// Income minus expense of a by-line map.
int64_t Surplus(const std::map<std::string, int64_t>& by_line);

// ---- months ------------------------------------------------------------------------------------
struct Month {
  int y = 0, m = 0;
  auto operator<=>(const Month&) const = default;
};
std::optional<Month> ParseMonth(std::string_view s);  // strict YYYY-MM
std::string FormatMonth(const Month& m);
Month MonthOf(const Date& d);
Date FirstDay(const Month& m);
Date LastDay(const Month& m);
Month NextMonth(const Month& m);
// Ok when the month overlaps the term [start, end] and has begun by `today`.
Status CheckDisclosureMonth(const Month& m, const Date& term_start, const Date& term_end, const Date& today);

}  // namespace kehou::ledger
