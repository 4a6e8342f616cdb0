// rules.h (select): pure decisions of selection rounds. No I/O, no clock: callers pass the
// server's time (the only clock). Tested at every limit.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/rules.h"
#include "core/result.h"

namespace kehou::select {

inline constexpr int kMaxPerChildLimit = 10;        // a round's per-child limit is 1..10
inline constexpr int kMaxRanksLimit = 10;           // preference rounds rank at most this many
inline constexpr int kDefaultMaxRanks = 5;
inline constexpr size_t kMaxIdempotencyKeyLength = 64;
inline constexpr size_t kMaxRoundNameChars = 60;  // code points, like course names
inline constexpr int64_t kOfferWindowMs = 24LL * 3600 * 1000;  // a waitlist offer stands 24 hours
// Per-family rate limit on taking, dropping and ranking (R-SEL): a family's burst of taps on
// selection night passes; a script hammering the server gets 429 with Retry-After.
inline constexpr double kFamilyRequestsPerSecond = 2.0;
inline constexpr double kFamilyBurst = 20.0;
inline constexpr int64_t kSeatsCacheMs = 1000;      // live seats are at most this old
inline constexpr int64_t kMaxRoundLengthMs = 31LL * 24 * 3600 * 1000;

enum class Mode { kFcfs, kPreference };
std::optional<Mode> ParseMode(std::string_view s);
std::string_view ModeName(Mode m);

struct Round {
  int64_t id = 0;
  int64_t term_id = 0;  // 0: the school's current term (rounds made before rounds carried a term)
  Mode mode = Mode::kFcfs;
  std::vector<int> grades;
  int64_t opens_at = 0;
  int64_t closes_at = 0;
  int max_per_child = 1;
  int max_ranks = kDefaultMaxRanks;
};

// A new round's settings. Errors name the field.
Status ValidateRound(const Round& r);
// Open at `now`: opens_at <= now < closes_at.
Status CheckOpen(const Round& r, int64_t now);
std::string_view PhaseOf(const Round& r, int64_t now);  // "upcoming", "open", "closed"

// A seat the child already holds.
struct Held {
  int64_t section_id = 0;
  int64_t course_id = 0;
  int64_t round_id = 0;  // 0 if placed outside a round
  std::string course_name;
  std::vector<catalog::Slot> slots;
};

struct TakeCheck {
  const Round* round = nullptr;
  int child_grade = 0;
  int64_t section_id = 0;
  int64_t course_id = 0;
  std::string course_name;
  std::vector<int> course_grades;
  std::vector<catalog::Slot> slots;
  bool section_in_round = false;
  std::string course_status = "approved";
  std::vector<Held> held;  // the child's confirmed seats (all rounds)
  int64_t now = 0;
};
// Everything but capacity (capacity is enforced by the conditional UPDATE in the same
// transaction). Refusals carry a clear Chinese reason.
Status CanTake(const TakeCheck& t);

// A ranked list of section ids for a preference round: 1..max_ranks, no repeats.
Status ValidateRanking(const std::vector<int64_t>& section_ids, int max_ranks);

// Idempotency keys: 1..64 of [A-Za-z0-9_-:.].
Status ValidateIdempotencyKey(std::string_view key);

}  // namespace kehou::select
