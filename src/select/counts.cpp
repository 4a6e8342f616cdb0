#include "select/counts.h"

#include "select/store.h"

namespace kehou::select {
namespace {
constexpr int64_t kDayMs = 86'400'000;
}  // namespace

std::vector<RoundFigures> ActiveRounds(db::Conn& c, int64_t school_id, int64_t now_ms) {
  std::vector<RoundFigures> out;
  for (const auto& r : store::ActiveRoundsOf(c, school_id, now_ms, now_ms + kUpcomingDays * kDayMs)) {
    RoundFigures f;
    f.id = r.id;
    f.name = r.name;
    f.mode = r.mode;
    f.opens_at = r.opens_at;
    f.closes_at = r.closes_at;
    f.allocated = r.allocated;
    f.seats = r.seats;
    f.taken = r.taken;
    f.phase = f.opens_at > now_ms ? "upcoming" : f.closes_at > now_ms ? "open" : "to_allocate";
    const bool pref = f.mode == "preference" && !f.allocated;
    f.children = store::ChildrenTakingPart(c, f.id, pref);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace kehou::select
