#include "pay/store.h"

namespace kehou::pay::store {

std::map<int64_t, Terms> LoadTerms(db::Conn& c, int64_t school_id) {
  std::map<int64_t, Terms> out;
  for (auto& r : c.Query(kTerms, {school_id})) {
    Terms t;
    t.name = r.Text(1);
    t.rate_fen = r.Int(2);
    if (auto s = r.OptText(3)) t.start = ParseDate(*s);
    if (auto e = r.OptText(4)) t.end = ParseDate(*e);
    t.institution_id = r.OptInt(5);
    t.institution_name = r.Text(6);
    out.emplace(r.Int(0), std::move(t));
  }
  return out;
}

FactorRule LoadRule(db::Conn& c, int64_t school_id) {
  auto r = c.QueryOne(kLoadRule, {school_id});
  if (!r) return FactorRule::kFlat;
  return ParseFactorRule(r->Text(0)).value_or(FactorRule::kFlat);
}

std::map<int64_t, int> LoadScores(db::Conn& c, int64_t school_id, const std::string& month) {
  std::map<int64_t, int> out;
  for (auto& r : c.Query(kScores, {school_id, month})) out[r.Int(0)] = static_cast<int>(r.Int(1));
  return out;
}

}  // namespace kehou::pay::store
