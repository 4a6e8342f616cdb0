// service.h (select): selection rounds. One function per use case; each write runs inside one
// db.Write with its audit row.
//
// First come, first served: TakeSeat checks the rules on data read inside the write
// transaction and takes the seat with a conditional UPDATE (taken < capacity) in that same
// transaction, never count-then-insert. An idempotency key (client-generated, unique per
// guardian) is stored with the answer in the same transaction, so a double tap or a retry
// after a timeout gets the same answer, not a second seat.
//
// Live seats: SeatsJson answers from a process-wide cache refreshed at most every
// kSeatsCacheMs per round, with an ETag, so thousands of polling phones do not reach the DB.
//
// Thread-safety: stateless functions over a thread-safe Db, plus an internal cache guarded by
// a mutex.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"
#include "enroll/service.h"
#include "select/rules.h"

namespace kehou::select {

using Json = nlohmann::json;

// An answer that may be a replay of a stored one.
struct Outcome {
  Result<Json> result = Json::object();
  bool replay = false;
};

// body: {name, mode: fcfs|preference, grades:[..], opens_at, closes_at (epoch ms or ISO 8601),
// max_per_child, max_ranks, section_ids:[..] (default: every section of an approved course
// open to one of the grades), previous_round_id}. Preference rounds publish seed_hash now.
Result<Json> CreateRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);
Result<Json> UpdateRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                         const Json& body);
Result<Json> ListRounds(db::Db& db, const auth::Principal& who, std::optional<int64_t> school);
Result<Json> GetRound(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);
// A round by id, of any school (nullopt if there is none), on the caller's transaction: for a
// caller that already holds the round's id in its own write (the demo ranking preferences).
std::optional<Round> RoundOf(db::Conn& c, int64_t round_id);

// The live seats of a round: the serialized JSON and its ETag (cached).
struct SeatsBody {
  std::string json;
  std::string etag;
};
Result<std::shared_ptr<const SeatsBody>> Seats(db::Db& db, const auth::Principal& who, int64_t round_id);

// Guardian: take / drop a seat for their child (FCFS, while the round is open). `fingerprint`
// (RequestFingerprint of method, path and body) is stored with the idempotency key: the same key
// with another fingerprint answers 422 instead of replaying ("" = not checked).
Outcome TakeSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& idem_key, std::string_view fingerprint = {});
Outcome DropSeat(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id, int64_t section_id,
                 const std::string& idem_key, std::string_view fingerprint = {});

// Guardian: their children in this round, with seats, preferences, results and reasons.
Result<Json> Mine(db::Db& db, const auth::Principal& who, int64_t round_id);
// GET /me/courses (guardian): the children's confirmed courses of this term, for their cards ->
// {items:[{student_id, section_id, course_name, section_name, category_label, slots:[label],
// teacher_name, room_name}]}. Only the guardian's own children.
Result<Json> FamilyCourses(db::Db& db, const auth::Principal& who);

// Preference rounds: rank up to max_ranks sections for a child while the round is open (and not
// allocated). course_limit: the family's own limit for this child (1..the round's max_per_child;
// nullopt = the round's), stored with the ranking and honoured by the allocation.
Result<Json> SetPreferences(db::Db& db, const auth::Principal& who, int64_t round_id, int64_t student_id,
                            const std::vector<int64_t>& section_ids, std::optional<int> course_limit = std::nullopt);

// The rank rule of a round as shown to families and in explanations (select/rules.h RankRule):
// {name, label, text, text_en, rank_cost, points, seats_first}; and every rule, for the dialog.
Json RankRuleJson(std::string_view name, int max_ranks);
Json RankRulesJson(int max_ranks);
// Office, after close: runs the allocation with the committed seed, stores seats and results,
// reveals the seed.
Result<Json> Allocate(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id);

// Office: fill rates per section; of the children of the round's grades, those who took part
// (ranked sections, held or dropped a seat of the round, or joined a waiting list from it) and
// have no seat from it ("unplaced", listed one page at a time) and those who did not take part.
// With all, every unplaced child and every child who did not take part ("absent") is listed
// (the XLSX export).
struct ReportListing {
  int64_t page = 1;   // from 1
  int64_t size = 20;  // children per page
  bool all = false;
};
Result<Json> Report(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id,
                    ReportListing listing = {});
// Office: place a child by hand (audited; still within capacity and 45).
Result<Json> Place(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                   int64_t student_id, std::optional<int64_t> round_id);
// Office: remove a child from a section (frees the seat; the waiting list gets an offer).
Result<Json> Remove(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id,
                    int64_t student_id);

// Waiting lists. Guardian joins for a child; when a seat frees, the first waiting child gets an
// offer that stands kOfferWindowMs; accept takes the held seat, decline/expiry passes it on.
Result<Json> JoinWaitlist(db::Db& db, const auth::Principal& who, int64_t section_id, int64_t student_id);
Result<Json> AnswerOffer(db::Db& db, const auth::Principal& who, int64_t waitlist_id, bool accept);
Result<Json> Waitlist(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t section_id);

// Expires stale offers and passes seats on (called lazily and by the server's sweeper).
void ExpireOffers(db::Db& db, int64_t now);

// Exits (准出, issue 11). From an exit's effective date the child holds no seat of the exit's
// term: each confirmed selection in a section of that term's courses (a course without a term
// counts for the school's current term) becomes 'dropped', the seat passes on exactly as a drop
// does (the first waiting child is offered it, else sections.taken drops by one), and each
// release leaves one audit row ("exit_release", selection). Returns the seats released.
// An exit whose date is after `today` releases nothing (ReleaseDueExits does it on the day).
int ReleaseExitSeats(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e, int64_t now);
// The enroll exit hook (enroll::SetExitHook): ReleaseExitSeats in CreateExit's transaction.
void OnExitRecorded(db::Conn& c, const auth::Principal& who, const enroll::ExitEvent& e);
// Every exit effective on or before `today` whose child still holds a seat of its term: released
// (by the server's sweeper, as the system). Returns the seats released.
int ReleaseDueExits(db::Db& db, const Date& today, int64_t now);

// Drops the seats cache (tests).
void ClearSeatsCache();

// PostgreSQL, before a server answers (kehou serve): every pooled connection opened, and each of
// the writes' runs the take path once (the read of the facts, the enrolment check, kehou_seat_writes
// taking a free seat of the latest first-come round) in a transaction rolled back, so a rush's
// first takes do not each pay a new backend's first plans; the server's take facts and the
// school's children are cached on the way (take_cache.h). Nothing is written. Returns how many
// write connections ran it; SQLite: 0.
size_t WarmTakePath(db::Db& db);

}  // namespace kehou::select
