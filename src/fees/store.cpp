#include "fees/store.h"

#include "fees/rules.h"

namespace kehou::fees::store {

Settings LoadSettings(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kLoadSettings, {school_id});
  if (!r) return {kPayFromWeek, kPayToWeek};
  return {static_cast<int>(r->Int(0)), static_cast<int>(r->Int(1))};
}

std::optional<Merchant> LoadMerchant(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kLoadMerchant, {school_id});
  if (!r) return std::nullopt;
  return Merchant{r->Text(0), r->Text(1), r->Text(2), r->Text(3), r->Text(4), r->OptText(5)};
}

namespace {
Line LineOf(const db::Row& r, size_t at) { return Line{r.Text(at), r.OptInt(at + 1), r.Text(at + 2), r.Int(at + 3)}; }
}  // namespace

std::map<int64_t, std::vector<Line>> TermLines(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::map<int64_t, std::vector<Line>> out;
  for (const auto& r : c.Query(kTermBillLines, {school_id, term_id})) out[r.Int(0)].push_back(LineOf(r, 1));
  return out;
}

std::vector<Line> BillLines(db::Conn& c, int64_t school_id, int64_t bill_id) {
  std::vector<Line> out;
  for (const auto& r : c.Query(kBillLines, {school_id, bill_id})) out.push_back(LineOf(r, 0));
  return out;
}

void ReplaceLines(db::Conn& c, int64_t school_id, int64_t bill_id, const std::vector<Line>& lines) {
  c.Exec(kDeleteBillLines, {school_id, bill_id});
  for (const auto& l : lines)
    c.Exec(kInsertBillLine, {school_id, bill_id, l.kind, db::Opt(l.standard_id), l.name, l.amount_fen});
}

void InsertLines(db::Conn& c, int64_t school_id,
                 const std::vector<std::pair<int64_t, const std::vector<Line>*>>& bills) {
  db::Params vals;
  size_t rows = 0;
  auto flush = [&] {
    if (rows == 0) return;
    std::string sql = "INSERT INTO fee_bill_lines (school_id, bill_id, kind, standard_id, name, amount_fen) VALUES ";
    for (size_t i = 0; i < rows; ++i) {
      sql += i ? ", (" : "(";
      for (size_t k = 1; k <= 6; ++k) sql += (k > 1 ? ", $" : "$") + std::to_string(i * 6 + k);
      sql += ")";
    }
    c.Exec(sql, vals);
    vals.clear();
    rows = 0;
  };
  for (const auto& [bill, lines] : bills)
    for (const auto& l : *lines) {
      vals.insert(vals.end(), {db::Value(school_id), db::Value(bill), db::Value(l.kind), db::Opt(l.standard_id),
                               db::Value(l.name), db::Value(l.amount_fen)});
      if (++rows == kLinesPerInsert) flush();
    }
  flush();
}

}  // namespace kehou::fees::store
