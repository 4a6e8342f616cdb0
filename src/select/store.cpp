#include "select/store.h"

#include "catalog/rules.h"

namespace kehou::select::store {

std::optional<Round> LoadRound(db::Conn& c, int64_t round_id, int64_t* school_id) {
  auto r = c.QueryOne("SELECT id, school_id, mode, grades, opens_at, closes_at, max_per_child, max_ranks,"
                      " COALESCE(term_id, 0), rank_rule, allocated_at FROM select_rounds WHERE id = $1",
                      {round_id});
  if (!r) return std::nullopt;
  if (school_id && *school_id != 0 && *school_id != r->Int(1)) return std::nullopt;
  if (school_id) *school_id = r->Int(1);
  return RoundFrom(*r, 0);
}

Round RoundFrom(const db::Row& r, size_t first) {
  Round out;
  out.id = r.Int(first);
  out.mode = ParseMode(r.Text(first + 2)).value_or(Mode::kFcfs);
  auto g = catalog::ParseGrades(r.Text(first + 3));
  if (g.ok()) out.grades = *g;
  out.opens_at = r.Int(first + 4);
  out.closes_at = r.Int(first + 5);
  out.max_per_child = static_cast<int>(r.Int(first + 6));
  out.max_ranks = static_cast<int>(r.Int(first + 7));
  out.term_id = r.Int(first + 8);
  out.rank_rule = r.Text(first + 9);
  out.allocated = !r.IsNull(first + 10);
  return out;
}

}  // namespace kehou::select::store
