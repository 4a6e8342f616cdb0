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

inline constexpr int kMaxPerChildLimit = 10;  // a round's per-child limit is 1..10
inline constexpr int kMaxRanksLimit = 10;     // preference rounds rank at most this many
inline constexpr int kDefaultMaxRanks = 5;
inline constexpr size_t kMaxIdempotencyKeyLength = 64;
inline constexpr size_t kMaxRoundNameChars = 60;               // code points, like course names
inline constexpr int64_t kOfferWindowMs = 24LL * 3600 * 1000;  // a waitlist offer stands 24 hours
// Per-family rate limit on taking, dropping and ranking (R-SEL): a family's burst of taps on
// selection night passes; a script hammering the server gets 429 with Retry-After.
inline constexpr double kFamilyRequestsPerSecond = 2.0;
inline constexpr double kFamilyBurst = 20.0;
inline constexpr int64_t kSeatsCacheMs = 1000;  // live seats are at most this old
inline constexpr int64_t kMaxRoundLengthMs = 31LL * 24 * 3600 * 1000;
// "Close now" from the console sends the browser's clock: a closing time at most this far in the
// past is taken as now; earlier is refused (a round cannot be created or moved into the past).
inline constexpr int64_t kCloseSkewMs = 5LL * 60 * 1000;

enum class Mode { kFcfs, kPreference };
std::optional<Mode> ParseMode(std::string_view s);
std::string_view ModeName(Mode m);

inline constexpr std::string_view kDefaultRankRule = "equity";

struct Round {
  int64_t id = 0;
  int64_t term_id = 0;  // 0: the school's current term (rounds made before rounds carried a term)
  Mode mode = Mode::kFcfs;
  std::vector<int> grades;
  int64_t opens_at = 0;
  int64_t closes_at = 0;
  int max_per_child = 1;
  int max_ranks = kDefaultMaxRanks;
  std::string rank_rule = std::string(kDefaultRankRule);
  bool allocated = false;
};

// How a preference round counts ranks (chosen by the school when it creates the round, shown to
// families before they rank, named in every explanation and stored in the published record so
// `kehou allocate --verify` recomputes with it). Every rule first places as many priority-group
// children, then as many children, as possible (allocate.h T1, T2); then:
//   cost: the rank cost table for K ranks (allocate::Options::rank_cost), lower is better;
//   seats_first: when a child may take several courses, more seats in total come before better
//   ranks (T3); otherwise ranks and seats are weighed together as points (cost(K) + 1 - cost(r)).
struct RankRule {
  std::string_view name;      // stored in select_rounds.rank_rule
  std::string_view label_zh;  // for the dialog and the families' page
  std::string_view text_zh;   // one sentence: what the rule does
  std::string_view text_en;
  bool convex = true;  // 3^(K-1) - 3^(K-r) (0, 54, 72, 78, 80), else linear r - 1 (points K..1)
  bool seats_first = true;
};
const std::vector<RankRule>& RankRules();
const RankRule* FindRankRule(std::string_view name);
std::vector<int64_t> RankCosts(const RankRule& rule, int max_ranks);

// A new round's settings. Errors name the field.
Status ValidateRound(const Round& r);
// A closing time given at `now`. A new round must close in the future. An update may close the
// round now: up to kCloseSkewMs in the past is clamped to now, earlier is refused (field closes_at).
Result<int64_t> CheckClosingTime(int64_t closes_at, int64_t now, bool is_update);
// A round that has been allocated is frozen: its record is published and --verify must keep
// passing, so no edits to its times or settings and no rankings (kConflict, 409).
Status CheckNotAllocated(bool allocated);
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

// What an idempotency key is stored with (IETF draft "The Idempotency-Key HTTP Header Field"):
// hex BLAKE2b-256 of the method, the path and the JSON body (canonical: keys sorted, no
// whitespace, the body's own "idempotency_key" left out).
std::string RequestFingerprint(std::string_view method, std::string_view path, std::string_view canonical_body);
// A stored key met again: the same fingerprint replays; another one is refused with 422
// (kRuleBroken, field idempotency_key). A key stored before fingerprints ("") replays.
Status CheckFingerprint(std::string_view stored, std::string_view given);

}  // namespace kehou::select
