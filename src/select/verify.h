// verify.h (select): anyone can re-run a preference round's allocation and check it (R-SEL,
// "the seed is committed before the round opens, revealed after; `kehou allocate --verify`").
//
// The allocation stores its exact input (select_rounds.allocation_input, JSON, see InputJson)
// in the same transaction as the seats. A Record is that input plus the revealed seed, the
// published commitment and the claimed outcome: from the database (LoadRecord: the seats the
// allocation created in `selections`, the rows of `select_results`, the families' ranked lists in
// `select_preferences`) or from the published anonymised JSON (RecordFromJson; made by RecordJson,
// served by GET /api/v1/rounds/:id/verification). VerifyRecord checks the seed against its
// commitment, recomputes allocate::Allocate and names the first difference.
//
// The published JSON carries no names: child and section ids (the lottery hashes the child id),
// grades, a 0/1 priority flag (not which group) and the ranked lists.
//   {"format":"kehou-allocation/v1","round_id","seed","seed_hash",
//    "input":{"options":{"max_choices","course_limit","rank_cost":[..],"seats_first","rule"},
//             "sections":[{"id","capacity","grades":[..],"slots":[[weekday,band],..]}],
//             "children":[{"id","grade","priority","ranked":[section ids],"course_limit"?}]},
//    "result":{"placements":[[child,section,rank],..],"lottery":[[child,position],..],
//              "tiers":{"priority_placed","placed","seats","rank_cost"}}}
//
// "rule" names the round's rank rule (select/rules.h RankRule); VerifyRecord checks that rank_cost
// and seats_first are that rule's, then recomputes with them. A child's "course_limit" is the
// family's own limit (absent: the round's). Records made before rules were named have neither
// "rule" nor "seats_first" (the default rule, seats first).
//
// Thread-safety: stateless functions; the Conn belongs to the caller's Read callback.
#pragma once
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "allocate/allocate.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::select {

using Json = nlohmann::json;

inline constexpr const char* kVerifyFormat = "kehou-allocation/v1";

// What a round's allocation claims, with the input it was computed from.
struct Record {
  int64_t round_id = 0;
  std::string seed;       // revealed seed, hex ("" = not revealed)
  std::string seed_hash;  // the commitment published before the round opened
  allocate::Input input;
  std::vector<allocate::Placement> placements;                           // the seats (rank may be 0)
  std::map<int64_t, int> lottery_positions;                              // child -> claimed position
  std::optional<std::vector<allocate::Placement>> result_placed;         // select_results.placed = 1 rows
  std::optional<std::map<int64_t, std::vector<int64_t>>> result_ranked;  // select_results lists
  std::optional<std::map<int64_t, std::vector<int64_t>>> preferences;    // select_preferences lists
  std::optional<allocate::Tiers> tiers;                                  // claimed tier values (JSON only)
  bool claimed = true;  // false: a published input without "result" (compute only)
};

struct VerifyOutcome {
  bool identical = false;
  std::string difference_zh;  // the first difference, when not identical
  std::string difference_en;
  int64_t round_id = 0;
  size_t children = 0;
  size_t seats = 0;
  allocate::Tiers tiers;  // recomputed
  std::string rule;       // the named rank rule ("" = records before rules were named)
};

// The allocation input as stored and published, and back (kInvalid naming the bad part).
Json InputJson(const allocate::Input& input);
Result<allocate::Input> InputFromJson(const Json& j);

// A round's record from the database (any school: the caller decides who may ask).
// kNotFound: no such round; kRuleBroken: not a preference round, not allocated yet, or allocated
// before inputs were stored (migration 0006).
Result<Record> LoadRecord(db::Conn& c, int64_t round_id);

// The published JSON of a record, and back.
Json RecordJson(const Record& r);
Result<Record> RecordFromJson(const Json& j);

// Checks the seed against its commitment, recomputes and compares. Every problem of the record
// (seed missing or not matching, input refused, a different outcome) is a difference.
VerifyOutcome VerifyRecord(const Record& r);

// Two lines for people: Chinese, then English ("复核通过 ..." / "verified ..." or the difference).
std::string Describe(const VerifyOutcome& v);

// Recomputes a record's allocation with its revealed seed (checked against the commitment), with
// no comparison: what `kehou allocate --input FILE` prints so anyone can re-run a round.
Result<allocate::Allocation> Recompute(const Record& r);
// {"round_id","rule","seed","placements":[[child,section,rank],..],"lottery":[[child,position],..],
//  "tiers":{"priority_placed","placed","seats","rank_cost"}}
Json AllocationJson(const Record& r, const allocate::Allocation& a);
// That JSON as text for people and diff: one member per line, one placement / lottery entry per
// line (valid JSON).
std::string AllocationText(const Json& allocation);

// Ids of every allocated preference round, oldest first (`kehou allocate --verify --all`).
std::vector<int64_t> AllocatedRounds(db::Conn& c);

// GET /api/v1/rounds/:id/verification: the published JSON of an allocated round, to the round's
// school staff, officers of its area, the administrator, and guardians with a child in the school.
Result<Json> Verification(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id);

}  // namespace kehou::select
