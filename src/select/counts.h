#pragma once
// Figures of selection rounds for the workbench (home pages): the rounds a school is running now,
// with how many children have chosen and how full the seats are. Plain reads; thread-safe as Db is.
#include <cstdint>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::select {

struct RoundFigures {
  int64_t id = 0;
  std::string name;
  std::string mode;  // fcfs | preference
  int64_t opens_at = 0, closes_at = 0;
  bool allocated = false;
  std::string phase;     // upcoming | open | to_allocate (a closed preference round not yet allocated)
  int64_t children = 0;  // children with a seat (fcfs) or a ranked list (preference)
  int64_t seats = 0;     // capacity of the round's sections
  int64_t taken = 0;     // seats taken in those sections
};

// Rounds of the school that are upcoming (opening within kUpcomingDays), open, or closed and waiting
// for the allocation, at now_ms; soonest first.
inline constexpr int64_t kUpcomingDays = 14;
std::vector<RoundFigures> ActiveRounds(db::Conn& c, int64_t school_id, int64_t now_ms);

}  // namespace kehou::select
