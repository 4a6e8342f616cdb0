// statement.h (fees): the provider's daily statement file (WeChat Pay's trade bill, 交易账单) and
// its reconciliation against our payments, as pure functions (no I/O).
//
// Accepted CSV (UTF-8, header on the first line, any column order, other columns ignored):
//   交易时间 (YYYY-MM-DD HH:MM:SS, school-local), 商户订单号 (our out_trade_no, KH<bill id>),
//   微信支付单号 (the provider's transaction id), 交易状态 (SUCCESS; REFUND/REVOKED/CLOSED rows
//   are read and left out of the match), 订单金额 (yuan with at most 2 decimals, e.g. 300.00).
// WeChat's download prefixes values with a backtick (`2026-11-03 ...) which is dropped; the
// summary that follows the rows (a line starting 总交易单数 or 总交易笔数) ends the rows.
// All-or-nothing: any bad row makes the whole file an error list (row number, column, message).
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/time.h"

namespace kehou::fees {

inline constexpr int kMaxStatementRows = 50'000;

struct StatementRow {
  int row = 0;  // the file's line number (header = 1)
  std::string at, out_trade_no, transaction_id, state;
  int64_t amount_fen = 0;
  bool success = false;
};
struct RowError {
  int row = 0;
  std::string field, message;
};
struct Statement {
  std::vector<StatementRow> rows;
  std::vector<RowError> errors;
};
// Parses the file for the statement day `day` (rows of another day are errors).
Result<Statement> ParseStatement(std::string_view csv, const Date& day);
// "300.00" -> 30000; at most 2 decimals, no sign.
std::optional<int64_t> ParseYuan(std::string_view s);

struct OurPayment {
  std::string transaction_id, out_trade_no;
  std::optional<int64_t> bill_id;
  int64_t amount_fen = 0;
  std::string at;
};
struct ReconItem {
  std::string kind;  // matched | amount_differs | missing_in_ours | missing_in_theirs
  std::string transaction_id, out_trade_no, at;
  std::optional<int64_t> bill_id, ours_fen, theirs_fen;
};
// Matches the statement's successful rows with ours by transaction id.
std::vector<ReconItem> Reconcile(const std::vector<StatementRow>& theirs, const std::vector<OurPayment>& ours);

}  // namespace kehou::fees
