// take_cache.h (select): what PostgreSQL's one-trip take decides with, kept between takes
// (docs/ARCHITECTURE.md note 15, session 27): the round and the section with its course, the child
// (the school's active children are read in one statement), and the child's seats of a term.
//
// Nothing here is trusted. kehou_seat_writes (sql/0610) reads the same facts under the child's lock
// and writes only when they are what the rules decided with; otherwise nothing is written and the
// take reads them again (store::kTakeLoadPg). A stale entry costs a round trip, never a wrong
// seat, and a refusal is never answered from this cache (the take reads again first).
// Thread-safety: every function locks the one mutex of the cache.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "select/rules.h"
#include "select/store.h"

namespace kehou::select::take_cache {

// How often a child missing from the cache makes its school's list be read again.
inline constexpr int64_t kChildFillMs = 60'000;
// Beyond this many entries of a kind the cache starts again empty (a city's night fits well below).
inline constexpr size_t kMaxEntries = 1'000'000;

// A section offered in a round as the take's rules see it, with the facts kehou_seat_writes compares.
struct Offer {
  int64_t school_id = 0;  // the round's school
  Round round;
  std::string round_facts;
  store::Section section;
  std::string section_facts;
};
std::optional<Offer> FindOffer(int64_t round_id, int64_t section_id);
void PutOffer(int64_t round_id, int64_t section_id, Offer offer);
void ForgetOffer(int64_t round_id, int64_t section_id);

std::optional<store::Child> FindChild(int64_t student_id);
void PutChild(const store::Child& child);
void ForgetChild(int64_t student_id);
// True (and the fill counted as started now) when the school's children were not read within
// kChildFillMs; the caller then reads them and gives them to PutChildren.
bool ChildFillDue(int64_t school_id, int64_t now_ms);
void PutChildren(const std::vector<store::Child>& children);
// The child's facts as kehou_seat_writes compares them: [id, school, grade, name].
std::string ChildFacts(const store::Child& child);

// The child's confirmed seats of a term as kTakeLoadPg reads them (a JSON array), "[]" if unknown.
std::string Held(int64_t student_id, int64_t term);
void PutHeld(int64_t student_id, int64_t term, std::string held_json);
void ForgetHeld(int64_t student_id);

// How PostgreSQL's takes and drops went since the start (or Clear): answered in one trip from the
// cache (a seat taken, a refusal stored, a seat dropped), reads of kTakeLoadPg, 'context' and
// 'stale' answers of the write.
struct Stats {
  int64_t one_trip = 0, loads = 0, context = 0, stale = 0;
};
Stats GetStats();
// Counts one of them: Count(&Stats::loads).
void Count(int64_t Stats::*which);

void Clear();

}  // namespace kehou::select::take_cache
