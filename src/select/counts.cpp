#include "select/counts.h"

namespace kehou::select {
namespace {
constexpr int64_t kDayMs = 86'400'000;
// Rounds not finished: open or upcoming, or a preference round closed and not yet allocated.
constexpr const char* kActive =
    "SELECT r.id, r.name, r.mode, r.opens_at, r.closes_at, r.allocated_at,"
    " (SELECT COALESCE(SUM(x.capacity), 0) FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
    "   WHERE rs.round_id = r.id) AS seats,"
    " (SELECT COALESCE(SUM(x.taken), 0) FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
    "   WHERE rs.round_id = r.id) AS taken"
    " FROM select_rounds r WHERE r.school_id = $1 AND r.opens_at <= $3"
    " AND (r.closes_at > $2 OR (r.mode = 'preference' AND r.allocated_at IS NULL))"
    " ORDER BY r.closes_at, r.id";
constexpr const char* kChildrenFcfs =
    "SELECT COUNT(DISTINCT student_id) FROM selections WHERE round_id = $1 AND status = 'confirmed'";
constexpr const char* kChildrenPreference =
    "SELECT COUNT(DISTINCT student_id) FROM select_preferences WHERE round_id = $1";
}  // namespace

std::vector<RoundFigures> ActiveRounds(db::Conn& c, int64_t school_id, int64_t now_ms) {
  std::vector<RoundFigures> out;
  for (const auto& r : c.Query(kActive, {school_id, now_ms, now_ms + kUpcomingDays * kDayMs})) {
    RoundFigures f;
    f.id = r.Int(0);
    f.name = r.Text(1);
    f.mode = r.Text(2);
    f.opens_at = r.Int(3);
    f.closes_at = r.Int(4);
    f.allocated = r.OptInt(5).has_value();
    f.seats = r.Int(6);
    f.taken = r.Int(7);
    f.phase = f.opens_at > now_ms ? "upcoming" : f.closes_at > now_ms ? "open" : "to_allocate";
    const bool pref = f.mode == "preference" && !f.allocated;
    f.children = c.QueryOne(pref ? kChildrenPreference : kChildrenFcfs, {f.id})->Int(0);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kehou::select
