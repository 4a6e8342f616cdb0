#include "fees/statement.h"

#include <map>
#include <set>

#include "people/csv.h"

namespace kehou::fees {
namespace {

std::string Clean(std::string s) {
  while (!s.empty() && (s.front() == '`' || s.front() == ' ')) s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

constexpr const char* kColumns[] = {"交易时间", "商户订单号", "微信支付单号", "交易状态", "订单金额"};

}  // namespace

std::optional<int64_t> ParseYuan(std::string_view s) {
  if (s.empty() || s.size() > 15) return std::nullopt;
  int64_t yuan = 0, fen = 0;
  size_t i = 0;
  bool digits = false;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i, digits = true) yuan = yuan * 10 + (s[i] - '0');
  if (!digits) return std::nullopt;
  if (i == s.size()) return yuan * 100;
  if (s[i] != '.' || i + 1 == s.size() || s.size() - i - 1 > 2) return std::nullopt;
  int places = 0;
  for (++i; i < s.size(); ++i, ++places) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    fen = fen * 10 + (s[i] - '0');
  }
  if (places == 1) fen *= 10;
  return yuan * 100 + fen;
}

Result<Statement> ParseStatement(std::string_view csv, const Date& day) {
  KEHOU_ASSIGN_OR_RETURN(people::Sheet sheet, people::ParseCsv(csv));
  int col[5];
  for (int k = 0; k < 5; ++k) {
    col[k] = -1;
    for (size_t i = 0; i < sheet.headers.size(); ++i)
      if (Clean(sheet.headers[i]) == kColumns[k]) col[k] = static_cast<int>(i);
    if (col[k] < 0)
      return Error::Invalid(std::string("对账单缺少列：") + kColumns[k], std::string("missing column ") + kColumns[k],
                            "csv");
  }
  if (sheet.rows.size() > static_cast<size_t>(kMaxStatementRows))
    return Error::Invalid("对账单超过 50000 行", "the statement has too many rows", "csv");
  Statement out;
  std::set<std::string> seen;
  const std::string want = FormatDate(day);
  for (const auto& r : sheet.rows) {
    std::string first = Clean(r.cells.empty() ? "" : r.cells[0]);
    if (first.rfind("总交易单数", 0) == 0 || first.rfind("总交易笔数", 0) == 0) break;
    auto cell = [&](int k) { return Clean(r.cells.at(static_cast<size_t>(col[k]))); };
    StatementRow s;
    s.row = r.row;
    s.at = cell(0);
    s.out_trade_no = cell(1);
    s.transaction_id = cell(2);
    s.state = cell(3);
    auto bad = [&](int k, std::string msg) { out.errors.push_back({r.row, kColumns[k], std::move(msg)}); };
    if (s.at.size() < 10 || !ParseDate(s.at.substr(0, 10))) bad(0, "交易时间格式应为 YYYY-MM-DD HH:MM:SS");
    else if (s.at.substr(0, 10) != want) bad(0, "交易时间不在对账日 " + want);
    if (s.transaction_id.empty() || s.transaction_id.size() > 64) bad(2, "微信支付单号为空或过长");
    else if (!seen.insert(s.transaction_id + "|" + s.state).second) bad(2, "微信支付单号在对账单中重复");
    if (s.state != "SUCCESS" && s.state != "REFUND" && s.state != "REVOKED" && s.state != "CLOSED")
      bad(3, "交易状态应为 SUCCESS、REFUND、REVOKED 或 CLOSED");
    auto fen = ParseYuan(cell(4));
    if (!fen) bad(4, "订单金额应为元，最多两位小数");
    else s.amount_fen = *fen;
    s.success = s.state == "SUCCESS";
    out.rows.push_back(std::move(s));
  }
  return out;
}

std::vector<ReconItem> Reconcile(const std::vector<StatementRow>& theirs, const std::vector<OurPayment>& ours) {
  std::map<std::string, const OurPayment*> by_txn;
  for (const auto& o : ours) by_txn.emplace(o.transaction_id, &o);
  std::set<std::string> used;
  std::vector<ReconItem> out;
  for (const auto& t : theirs) {
    if (!t.success) continue;
    ReconItem it{"", t.transaction_id, t.out_trade_no, t.at, std::nullopt, std::nullopt, t.amount_fen};
    auto o = by_txn.find(t.transaction_id);
    if (o == by_txn.end()) {
      it.kind = "missing_in_ours";
    } else {
      used.insert(t.transaction_id);
      it.bill_id = o->second->bill_id;
      it.ours_fen = o->second->amount_fen;
      it.kind = o->second->amount_fen == t.amount_fen ? "matched" : "amount_differs";
    }
    out.push_back(std::move(it));
  }
  for (const auto& o : ours)
    if (!used.count(o.transaction_id))
      out.push_back(
          {"missing_in_theirs", o.transaction_id, o.out_trade_no, o.at, o.bill_id, o.amount_fen, std::nullopt});
  return out;
}

}  // namespace kehou::fees
