// store.h (select): the SQL of rounds, seats, idempotent requests, preferences, results and
// waiting lists (portable: SQLite 3.40 and PostgreSQL 15, $1..$n), and row loaders.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"
#include "select/rules.h"

namespace kehou::select::store {

inline constexpr const char* kRoundColumns =
    "id, school_id, term_id, name, mode, grades, opens_at, closes_at, max_per_child, max_ranks, seed_hash, seed,"
    " allocated_at, previous_round_id, created_at, rank_rule";
inline constexpr const char* kInsertRound =
    "INSERT INTO select_rounds (school_id, term_id, name, mode, grades, opens_at, closes_at, max_per_child,"
    " max_ranks, seed_hash, seed_secret, previous_round_id, created_by, created_at, rank_rule)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15) RETURNING id";

// The stored answer to an idempotent request.
inline constexpr const char* kFindRequest =
    "SELECT status, answer, fingerprint FROM select_requests WHERE guardian_id = $1 AND idem_key = $2";
inline constexpr const char* kInsertRequest =
    "INSERT INTO select_requests (guardian_id, idem_key, school_id, status, answer, created_at, fingerprint)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7)";

// The guardian's child, with the grade number (the guardian's own children only).
inline constexpr const char* kChildOfGuardian =
    "SELECT st.id, st.school_id, g.number, st.name FROM student_guardians sg"
    " JOIN students st ON st.id = sg.student_id JOIN classes cl ON cl.id = st.class_id"
    " JOIN grades g ON g.id = cl.grade_id"
    " WHERE sg.guardian_id = $1 AND sg.student_id = $2 AND st.active = 1";
inline constexpr const char* kChildOfSchool =
    "SELECT st.id, st.school_id, g.number, st.name FROM students st JOIN classes cl ON cl.id = st.class_id"
    " JOIN grades g ON g.id = cl.grade_id WHERE st.id = $1 AND st.school_id = $2 AND st.active = 1";
// PostgreSQL: serialise one child's selection writes (limit and clash checks read its seats).
inline constexpr const char* kLockChildPg = "SELECT id FROM students WHERE id = $1 FOR UPDATE";

// The term of a seat (issue 9): its course's term, or for a course without one the school's current
// term (as exits and rosters read it), 0 if the school has none. Seats of other terms neither
// clash nor count. The seat_slots guard keys its rows by the same term, taken when the seat is
// written (sql/0070, both dialects); kehou_seat_writes compares the held seats of it (sql/0071).
#define KEHOU_SEAT_TERM(course, school)                                                       \
  " COALESCE(" course ".term_id, (SELECT cur.id FROM terms cur WHERE cur.school_id = " school \
  " AND cur.is_current = 1), 0)"

// A section offered in a round, with its course; the last column is the section's term.
inline constexpr const char* kSectionInRound =
    "SELECT x.id, x.capacity, x.taken, x.course_id, c.name, c.grades, c.slots, c.status, x.name,"
    KEHOU_SEAT_TERM("c", "x.school_id")
    " FROM round_sections rs JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id"
    " WHERE rs.round_id = $1 AND rs.section_id = $2";
inline constexpr const char* kSectionOfSchool =
    "SELECT x.id, x.capacity, x.taken, x.course_id, c.name, c.grades, c.slots, c.status, x.name," KEHOU_SEAT_TERM(
        "c",
        "x.school_id") " FROM sections x JOIN courses c ON c.id = x.course_id WHERE x.id = $1 AND x.school_id = $2";

// Preference allocation (issue 10 §2): the slots of the confirmed seats of the term ($2; 0 for a
// round without a term: the school's current term) held by the children who ranked in round $1,
// from other rounds or placed by the office. Fixed for the allocation: its sections meeting in
// those slots are not available to the child (the seat_slots guard would refuse the write).
inline constexpr const char* kHeldSlotsOfRanked =
    "SELECT s.student_id, c.slots FROM selections s JOIN sections x ON x.id = s.section_id"
    " JOIN courses c ON c.id = x.course_id"
    " WHERE s.status = 'confirmed' AND s.school_id = $3"
    " AND s.student_id IN (SELECT p.student_id FROM select_preferences p WHERE p.round_id = $1)"
    " AND" KEHOU_SEAT_TERM("c", "x.school_id") " = COALESCE(NULLIF($2, 0),"
    " (SELECT cur.id FROM terms cur WHERE cur.school_id = $3 AND cur.is_current = 1), 0)"
    " ORDER BY s.student_id, s.id";
// The child's confirmed seats of a term ($3) with their courses' slots.
inline constexpr const char* kHeld =
    "SELECT sel.section_id, x.course_id, COALESCE(sel.round_id, 0), c.name, c.slots FROM selections sel"
    " JOIN sections x ON x.id = sel.section_id JOIN courses c ON c.id = x.course_id"
    " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed'"
    " AND" KEHOU_SEAT_TERM("c", "sel.school_id") " = $3";

// A guardian's children's confirmed seats of their schools' current terms ($1 the guardian), with
// what a course card shows: course, section, slots, teacher, room.
inline constexpr const char* kFamilySeats =
    "SELECT sel.student_id, sel.section_id, c.name, x.name, c.slots, c.category,"
    " (SELECT st.name FROM staff st WHERE st.id = COALESCE(x.teacher_staff_id, c.teacher_staff_id)),"
    " (SELECT rm.name FROM rooms rm WHERE rm.id = x.room_id), c.institution"
    " FROM student_guardians sg JOIN selections sel ON sel.school_id = sg.school_id AND sel.student_id = sg.student_id"
    " JOIN sections x ON x.id = sel.section_id JOIN courses c ON c.id = x.course_id"
    " WHERE sg.guardian_id = $1 AND sel.status = 'confirmed'"
    " AND" KEHOU_SEAT_TERM("c", "sel.school_id") " = COALESCE((SELECT cur.id FROM terms cur WHERE cur.school_id = sel.school_id"
    " AND cur.is_current = 1), 0)"
    " ORDER BY sel.student_id, c.name, sel.section_id";

// The seat itself: capacity enforced inside the write, never count-then-insert.
inline constexpr const char* kTakeSeat = "UPDATE sections SET taken = taken + 1 WHERE id = $1 AND taken < capacity";
inline constexpr const char* kFreeSeat = "UPDATE sections SET taken = taken - 1 WHERE id = $1 AND taken > 0";
inline constexpr const char* kInsertSelection =
    "INSERT INTO selections (school_id, round_id, section_id, student_id, status, source, by_user_id, created_at)"
    " VALUES ($1,$2,$3,$4,'confirmed',$5,$6,$7) RETURNING id";
inline constexpr const char* kDropSelection =
    "UPDATE selections SET status = 'dropped', dropped_at = $4"
    " WHERE school_id = $1 AND student_id = $2 AND section_id = $3 AND status = 'confirmed'";

inline constexpr const char* kSeats =
    "SELECT x.id, x.capacity, x.taken FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
    " WHERE rs.round_id = $1 ORDER BY x.id";

// A family's own per-child limit in a preference round (select_child_limits).
inline constexpr const char* kChildLimit =
    "SELECT course_limit FROM select_child_limits WHERE round_id = $1 AND student_id = $2";
inline constexpr const char* kDeleteChildLimit =
    "DELETE FROM select_child_limits WHERE round_id = $1 AND student_id = $2";
inline constexpr const char* kInsertChildLimit =
    "INSERT INTO select_child_limits (school_id, round_id, student_id, course_limit, updated_at) VALUES "
    "($1,$2,$3,$4,$5)";
// ---- PostgreSQL's take path (two round trips; docs/ARCHITECTURE.md). kTakeLoadPg reads, in one
// statement, all a take's rules need ($1 guardian, $2 idempotency key or '', $3 child, $4 round,
// $5 section); always one row:
//   0-1   the stored answer to the key (status, answer), NULL if none
//   2-5   the guardian's child as kChildOfGuardian (NULL id if not theirs)
//   6-16  the round as LoadRound reads it, if it belongs to the child's school
//   17-26 the section as kSectionInRound (its term last)
//   27    the child's confirmed seats of the section's term as kHeld, a JSON array of
//         [section, course, round, name, slots]
//   28    the stored key's request fingerprint ('' before fingerprints)
//   29-30 the round's and the section's facts as kehou_seat_writes compares them (sql/0600, 0610: jsonb
//         arrays as text, NULL without a round or a section)
inline constexpr size_t kTakeLoadChild = 2, kTakeLoadRound = 6, kTakeLoadSection = 17, kTakeLoadHeld = 27,
                        kTakeLoadFingerprint = 28, kTakeLoadRoundFacts = 29, kTakeLoadSectionFacts = 30;
// The facts kehou_seat_writes compares (sql/0600, 0610), of a round `r` and of a section `x` with its course
// `c`; the function builds the same arrays.
#define KEHOU_ROUND_FACTS                                                                                    \
  " jsonb_build_array(r.school_id, r.mode, r.grades, r.opens_at, r.closes_at, r.max_per_child, r.max_ranks," \
  " COALESCE(r.term_id, 0), r.rank_rule, r.allocated_at)::text"
#define KEHOU_SECTION_FACTS                                                                             \
  " jsonb_build_array(x.id, x.course_id, c.name, c.grades, c.slots, c.status, x.name," KEHOU_SEAT_TERM( \
      "c", "x.school_id") ")::text"
inline constexpr const char* kTakeLoadPg =
    "SELECT rq.status, rq.answer, ch.id, ch.school_id, ch.number, ch.name,"
    " r.id, r.school_id, r.mode, r.grades, r.opens_at, r.closes_at, r.max_per_child, r.max_ranks, COALESCE(r.term_id, 0),"
    " r.rank_rule, r.allocated_at,"
    " sx.id, sx.capacity, sx.taken, sx.course_id, sx.course_name, sx.grades, sx.slots, sx.status, sx.name, sx.term,"
    " (SELECT json_agg(json_build_array(sel.section_id, x.course_id, COALESCE(sel.round_id, 0), c.name, c.slots)"
    "   ORDER BY sel.id) FROM selections sel JOIN sections x ON x.id = sel.section_id JOIN courses c ON c.id = x.course_id"
    "   WHERE sel.school_id = ch.school_id AND sel.student_id = ch.id AND sel.status = 'confirmed'"
    "   AND" KEHOU_SEAT_TERM("c", "sel.school_id") " = sx.term),"
    " COALESCE(rq.fingerprint, ''),"
    " CASE WHEN r.id IS NOT NULL THEN" KEHOU_ROUND_FACTS " END,"
    " sx.facts"
    " FROM (SELECT 1) one"
    " LEFT JOIN select_requests rq ON rq.guardian_id = $1 AND rq.idem_key = $2"
    " LEFT JOIN (SELECT st.id, st.school_id, g.number, st.name FROM student_guardians sg"
    "   JOIN students st ON st.id = sg.student_id JOIN classes cl ON cl.id = st.class_id"
    "   JOIN grades g ON g.id = cl.grade_id"
    "   WHERE sg.guardian_id = $1 AND sg.student_id = $3 AND st.active = 1 LIMIT 1) ch ON true"
    " LEFT JOIN select_rounds r ON r.id = $4 AND r.school_id = ch.school_id"
    " LEFT JOIN (SELECT x.id, x.capacity, x.taken, x.course_id, c.name AS course_name, c.grades, c.slots, c.status, x.name,"
    KEHOU_SEAT_TERM("c", "x.school_id") " AS term"
    "   ," KEHOU_SECTION_FACTS " AS facts"
    "   FROM round_sections rs JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id"
    "   WHERE rs.round_id = $4 AND rs.section_id = $5) sx ON true";
// Every section of a round with the round, as kTakeLoadPg reads them (columns 0-10 the round as
// there, 11-20 the section, 21-22 the facts): the take's cache before a rush (WarmTakePath).
inline constexpr size_t kOffersSection = 11, kOffersRoundFacts = 21, kOffersSectionFacts = 22;
inline constexpr const char* kOffersOfRoundPg =
    "SELECT r.id, r.school_id, r.mode, r.grades, r.opens_at, r.closes_at, r.max_per_child, r.max_ranks,"
    " COALESCE(r.term_id, 0), r.rank_rule, r.allocated_at,"
    " x.id, x.capacity, x.taken, x.course_id, c.name, c.grades, c.slots, c.status, x.name," KEHOU_SEAT_TERM(
        "c", "x.school_id") "," KEHOU_ROUND_FACTS "," KEHOU_SECTION_FACTS
                            " FROM select_rounds r JOIN round_sections rs ON rs.round_id = r.id JOIN sections x ON "
                            "x.id = rs.section_id"
                            " JOIN courses c ON c.id = x.course_id WHERE r.id = $1";
// A take that can succeed, for the warm-up (WarmTakePath): the latest first-come round, a section
// of it with a free seat, a child of its school with no seat and a guardian of the child.
struct WarmPick {
  int64_t guardian = 0, student = 0, round = 0, section = 0;
};
std::optional<WarmPick> PickWarmTake(db::Conn& c);
// The first-come rounds not yet closed at $1 (the take's cache before a rush).
inline constexpr const char* kOpenFcfsRoundsPg =
    "SELECT id FROM select_rounds WHERE mode = 'fcfs' AND allocated_at IS NULL AND closes_at > $1";
// The active children of a school as kChildOfGuardian reads one (the take's cache, take_cache.h).
inline constexpr const char* kChildrenOfSchool =
    "SELECT st.id, st.school_id, g.number, st.name FROM students st JOIN classes cl ON cl.id = st.class_id"
    " JOIN grades g ON g.id = cl.grade_id WHERE st.school_id = $1 AND st.active = 1";
// The writes (sql/0610_take_batch.postgresql.sql): $1 is SeatWritesJson of one or more takes and
// drops; a row a write: a take's outcome 'ok', 'full', 'replay', 'stale' (the child's seats now in
// column 6), 'context' (the child, round or section differ from the facts passed); a drop's 'ok',
// 'none' (no such seat) or 'replay'; 'again' (a second write of a child in the call: nothing
// written); on 'replay' the stored answer and the fingerprint it was stored with; column 7 the
// write's place in $1.
inline constexpr const char* kSeatWritesPg =
    "SELECT outcome, selection_id, remaining, status, answer, stored_fingerprint, held, place"
    " FROM kehou_seat_writes($1)";

#undef KEHOU_SEAT_TERM
#undef KEHOU_ROUND_FACTS
#undef KEHOU_SECTION_FACTS

// ---- Writes (no rows read back but an id): the service runs them with c.Exec / c.Insert.
inline constexpr const char* kInsertRoundSection =
    "INSERT INTO round_sections (school_id, round_id, section_id) VALUES ($1,$2,$3)";
inline constexpr const char* kUpdateRound =
    "UPDATE select_rounds SET name = $2, opens_at = $3, closes_at = $4, max_per_child = $5, rank_rule = $6"
    " WHERE id = $1 AND allocated_at IS NULL";
inline constexpr const char* kDropRoundSelection =
    "UPDATE selections SET status = 'dropped', dropped_at = $5 WHERE school_id = $1 AND student_id = $2"
    " AND section_id = $3 AND round_id = $4 AND status = 'confirmed'";
inline constexpr const char* kDropSelectionById =
    "UPDATE selections SET status = 'dropped', dropped_at = $2 WHERE id = $1 AND status = 'confirmed'";
inline constexpr const char* kDeletePreferences =
    "DELETE FROM select_preferences WHERE round_id = $1 AND student_id = $2";
inline constexpr const char* kInsertPreference =
    "INSERT INTO select_preferences (school_id, round_id, student_id, rank, section_id, by_user_id, updated_at)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7)";
inline constexpr const char* kInsertWaitlist =
    "INSERT INTO waitlist (school_id, section_id, student_id, status, created_at)"
    " VALUES ($1,$2,$3,'waiting',$4) RETURNING id";
inline constexpr const char* kOfferSeat =
    "UPDATE waitlist SET status = 'offered', offered_at = $2, offer_expires_at = $3 WHERE id = $1";
inline constexpr const char* kExpireOffer =
    "UPDATE waitlist SET status = 'expired', decided_at = $2 WHERE id = $1 AND status = 'offered'";
inline constexpr const char* kAcceptOffer = "UPDATE waitlist SET status = 'accepted', decided_at = $2 WHERE id = $1";
inline constexpr const char* kDeclineOffer = "UPDATE waitlist SET status = 'declined', decided_at = $2 WHERE id = $1";
inline constexpr const char* kMarkAllocated =
    "UPDATE select_rounds SET allocated_at = $2, seed = $3, allocation_input = $4"
    " WHERE id = $1 AND allocated_at IS NULL";
inline constexpr const char* kInsertResult =
    "INSERT INTO select_results (school_id, round_id, student_id, section_id, rank, placed, lottery, priority, "
    "reason)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9)";

// ---- Rounds
// A round from LoadRound's eleven columns starting at `first` (id, school_id, mode, grades,
// opens_at, closes_at, max_per_child, max_ranks, term_id or 0, rank_rule, allocated_at).
Round RoundFrom(const db::Row& r, size_t first);

// Loads a round (of any school when school_id is 0).
std::optional<Round> LoadRound(db::Conn& c, int64_t round_id, int64_t* school_id);

// A select_rounds row with kRoundColumns, read by name (internal::RoundJson).
std::optional<db::Row> RoundRow(db::Conn& c, int64_t round_id);
db::Rows RoundRowsOfSchool(db::Conn& c, int64_t school_id);  // newest opening first
// Whether the round belongs to the school.
bool RoundInSchool(db::Conn& c, int64_t round_id, int64_t school_id);
// The round's school if the guardian has a child there.
std::optional<int64_t> RoundSchoolOfGuardian(db::Conn& c, int64_t round_id, int64_t guardian_id);
// The schools of the guardian's children.
std::vector<int64_t> GuardianSchools(db::Conn& c, int64_t guardian_id);
bool GuardianInSchool(db::Conn& c, int64_t guardian_id, int64_t school_id);

struct RoundTimes {
  int64_t school_id = 0, opens_at = 0, closes_at = 0;
};
std::optional<RoundTimes> LoadRoundTimes(db::Conn& c, int64_t round_id);

// A section with what a round's default list checks (approved courses of the school; with
// previous_round, only that round's sections).
struct SectionSeats {
  int64_t id = 0, capacity = 0, taken = 0;
  std::string grades;
};
std::vector<SectionSeats> ApprovedSections(db::Conn& c, int64_t school_id, std::optional<int64_t> previous_round);
// The round's sections, id order (the live seats).
std::vector<SectionSeats> RoundSeats(db::Conn& c, int64_t round_id);  // (grades empty)
// The status of the section's course, if the section is the school's.
std::optional<std::string> CourseStatusOfSection(db::Conn& c, int64_t section_id, int64_t school_id);
bool SectionInSchool(db::Conn& c, int64_t section_id, int64_t school_id);
// The sections of a round as the round's page shows them, read by name (id, name, capacity, taken,
// course_id, course_name, category, grades, slots, fee_fen, description, institution, teacher,
// room, start_date, end_date).
db::Rows RoundSectionsShown(db::Conn& c, int64_t round_id);

// ---- Children and sections of a take
struct Child {
  int64_t id = 0, school_id = 0, grade = 0;
  std::string name;
};
std::optional<Child> ChildOfGuardian(db::Conn& c, int64_t guardian_id, int64_t student_id);
std::optional<Child> ChildOfSchool(db::Conn& c, int64_t student_id, int64_t school_id);
// PostgreSQL: the child's row lock (kLockChildPg).
void LockChild(db::Conn& c, int64_t student_id);

// A section with its course (kSectionInRound / kSectionOfSchool).
struct Section {
  int64_t id = 0, capacity = 0, taken = 0, course_id = 0;
  std::string course_name, grades, slots, course_status, name;
  int64_t term = 0;  // the seat's term (KEHOU_SEAT_TERM)
};
std::optional<Section> SectionInRound(db::Conn& c, int64_t round_id, int64_t section_id);
std::optional<Section> SectionOfSchool(db::Conn& c, int64_t section_id, int64_t school_id);

// A confirmed seat as kHeld reads it.
struct HeldRow {
  int64_t section_id = 0, course_id = 0, round_id = 0;
  std::string course_name, slots;
};
std::vector<HeldRow> HeldSeats(db::Conn& c, int64_t school_id, int64_t student_id, int64_t term);

// The stored answer to an idempotent request (kFindRequest).
struct StoredAnswer {
  int64_t status = 0;
  std::string answer, fingerprint;
};
std::optional<StoredAnswer> FindRequest(db::Conn& c, int64_t guardian_id, const std::string& key);

// PostgreSQL's take and drop (kTakeLoadPg, kSeatWritesPg).
struct TakeLoad {
  std::optional<StoredAnswer> stored;  // (status 0: the read does not return it)
  std::optional<Child> child;
  std::optional<Round> round;
  std::optional<Section> section;
  std::string held_json;                   // [[section, course, round, name, slots], ...]
  std::string round_facts, section_facts;  // as kehou_seat_writes compares them ('' if none)
};
std::vector<Child> ChildrenOfSchool(db::Conn& c, int64_t school_id);
// A round's sections as kOffersOfRoundPg reads them.
struct RoundOffer {
  int64_t school_id = 0;
  Round round;
  Section section;
  std::string round_facts, section_facts;
};
std::vector<RoundOffer> OffersOfRound(db::Conn& c, int64_t round_id);
// kOpenFcfsRoundsPg: the ids.
std::vector<int64_t> OpenFcfsRounds(db::Conn& c, int64_t now);
TakeLoad LoadTakePg(db::Conn& c, int64_t guardian_id, const std::string& key, int64_t student_id, int64_t round_id,
                    int64_t section_id);
struct SeatWrite {
  std::string outcome;  // take: ok | full | refused | replay | stale | context | again;
                        // drop: ok | none | replay | context (sent with facts) | again
  int64_t selection_id = 0, remaining = 0;
  std::string answer, stored_fingerprint;  // on replay
  std::string held;                        // take, on stale: the child's seats now
};
// A take (kehou_take_seat's 20 parameters, sql/0600; a refusal adds its status and answer) or a
// drop (kehou_drop_seat's 17, sql/0180; one decided on the server's facts adds the child's and the
// round's), as kehou_seat_writes (sql/0610, 0620) reads them.
struct SeatWriteIn {
  enum Kind { kTake, kDrop } kind = kTake;
  const db::Params* params = nullptr;
};
std::string SeatWritesJson(const std::vector<SeatWriteIn>& writes);
// Writes them in one call (one transaction when `c` is outside one): a SeatWrite each, in their
// order.
std::vector<SeatWrite> SeatWritesPg(db::Conn& c, const std::vector<SeatWriteIn>& writes);
SeatWrite TakeWritePg(db::Conn& c, const db::Params& p);  // one take alone (the warm-up)

// ---- Waiting lists
struct Offer {
  int64_t id = 0, section_id = 0;
};
std::optional<int64_t> FirstWaiting(db::Conn& c, int64_t section_id);
std::vector<Offer> DueOffers(db::Conn& c, int64_t now);
bool AnyDueOffer(db::Conn& c, int64_t now);
bool HasSeatIn(db::Conn& c, int64_t student_id, int64_t section_id);
bool IsWaitingFor(db::Conn& c, int64_t student_id, int64_t section_id);
// The place of a waiting-list entry among the section's waiting (1 first).
int64_t WaitPosition(db::Conn& c, int64_t section_id, int64_t waitlist_id);
// The child of a guardian's waiting-list entry.
std::optional<int64_t> WaitingChildOfGuardian(db::Conn& c, int64_t waitlist_id, int64_t guardian_id);
struct WaitEntry {
  int64_t id = 0, school_id = 0, section_id = 0, student_id = 0;
  std::string status;
};
std::optional<WaitEntry> WaitEntryOfGuardian(db::Conn& c, int64_t waitlist_id, int64_t guardian_id);
struct Waiting {
  int64_t id = 0, student_id = 0, since = 0;
  std::string name, status;
  std::optional<int64_t> offer_expires_at;
};
std::vector<Waiting> WaitingFor(db::Conn& c, int64_t section_id);  // waiting and offered, id order

// ---- A family's view (family.cpp)
struct FamilySeat {
  int64_t student_id = 0, section_id = 0;
  std::string course_name, section_name, slots, category, institution;
  std::optional<std::string> teacher, room;
};
std::vector<FamilySeat> FamilySeats(db::Conn& c, int64_t guardian_id);
struct FamilyChild {
  int64_t id = 0, grade = 0;
  std::string name, class_name;
};
std::vector<FamilyChild> ChildrenInSchool(db::Conn& c, int64_t guardian_id, int64_t school_id);
struct ChildSeat {
  int64_t section_id = 0, confirmed_at = 0, round_id = 0;
  std::string section_name, course_name, source;
};
std::vector<ChildSeat> ChildSeats(db::Conn& c, int64_t school_id, int64_t student_id);
struct RankedSection {
  int64_t rank = 0, section_id = 0;
  std::string section_name, course_name;
};
std::vector<RankedSection> ChildPreferences(db::Conn& c, int64_t round_id, int64_t student_id);
std::vector<int64_t> RankedSectionIds(db::Conn& c, int64_t round_id, int64_t student_id);
struct ChildResult {
  int64_t section_id = 0, rank = 0, lottery = 0;
  bool placed = false, priority = false;
  std::string reason;  // JSON
};
std::vector<ChildResult> ChildResults(db::Conn& c, int64_t round_id, int64_t student_id);
struct ChildWait {
  int64_t id = 0, section_id = 0, ahead = 0;
  std::string status;
  std::optional<int64_t> offer_expires_at;
};
std::vector<ChildWait> ChildWaits(db::Conn& c, int64_t student_id);
std::optional<int64_t> ChildLimit(db::Conn& c, int64_t round_id, int64_t student_id);

// ---- The office (office.cpp, counts.cpp, exits.cpp)
struct SectionFill {
  int64_t id = 0, capacity = 0, taken = 0, waiting = 0;
  std::string name, course_name;
};
std::vector<SectionFill> RoundFill(db::Conn& c, int64_t round_id);
// An active child of the school with what it did in the round.
struct RoundChild {
  int64_t id = 0, grade = 0, seats = 0, ranked = 0, seats_ever = 0, waited = 0;
  std::string name, class_name, student_no;
};
std::vector<RoundChild> RoundChildren(db::Conn& c, int64_t school_id, int64_t round_id);
struct ActiveRound {
  int64_t id = 0, opens_at = 0, closes_at = 0, seats = 0, taken = 0;
  std::string name, mode;
  bool allocated = false;
};
std::vector<ActiveRound> ActiveRoundsOf(db::Conn& c, int64_t school_id, int64_t now, int64_t upcoming_until);
// Children with a confirmed seat of the round (preference: with a ranked list).
int64_t ChildrenTakingPart(db::Conn& c, int64_t round_id, bool preference);
struct ExitSeat {
  int64_t id = 0, section_id = 0;
  std::optional<int64_t> round_id;
};
std::vector<ExitSeat> ExitSeats(db::Conn& c, int64_t school_id, int64_t student_id, int64_t term_id);
struct DueExit {
  int64_t id = 0, school_id = 0, term_id = 0, student_id = 0;
  std::string effective_date;
};
std::vector<DueExit> DueExits(db::Conn& c, const std::string& day);

// ---- Allocation and its verification (allocation.cpp, verify.cpp)
struct AllocRound {
  std::string mode, seed_secret, seed_hash, rank_rule;
  int64_t closes_at = 0, max_ranks = 0, max_per_child = 0;
  bool allocated = false;
};
std::optional<AllocRound> LoadAllocRound(db::Conn& c, int64_t round_id, int64_t school_id);
// Changes whenever a family saves a ranking or a per-child limit.
std::string RankingVersion(db::Conn& c, int64_t round_id);
struct AllocSection {
  int64_t id = 0, remaining = 0;
  std::string grades, slots, label;
};
std::vector<AllocSection> AllocSections(db::Conn& c, int64_t round_id);
struct RankedChoice {
  int64_t student_id = 0, grade = 0, section_id = 0;
  bool left_behind = false, low_income = false, disability = false;
};
std::vector<RankedChoice> RankedChoices(db::Conn& c, int64_t round_id);  // by child, then rank
struct ChildLimitRow {
  int64_t student_id = 0, course_limit = 0;
};
std::vector<ChildLimitRow> ChildLimits(db::Conn& c, int64_t round_id);
// kHeldSlotsOfRanked: a ranking child's confirmed seat of the term with its course's slots.
struct HeldSlotsRow {
  int64_t student_id = 0;
  std::string slots;
};
std::vector<HeldSlotsRow> HeldSlotsOfRanked(db::Conn& c, int64_t round_id, int64_t term_id, int64_t school_id);
bool ClosesAfter(db::Conn& c, int64_t round_id, int64_t now);
struct RecordRound {
  std::string mode, seed, seed_hash;
  bool allocated = false;
  std::optional<std::string> input;
};
std::optional<RecordRound> LoadRecordRound(db::Conn& c, int64_t round_id);
struct Pair {
  int64_t student_id = 0, section_id = 0;
};
std::vector<Pair> AllocationSeats(db::Conn& c, int64_t round_id);  // by child, section
std::vector<Pair> RankedPairs(db::Conn& c, int64_t round_id);      // by child, rank
struct StoredResult {
  int64_t student_id = 0, section_id = 0, rank = 0, lottery = 0;
  bool placed = false;
};
std::vector<StoredResult> StoredResults(db::Conn& c, int64_t round_id);  // by child, rank
std::vector<int64_t> AllocatedRoundIds(db::Conn& c);

}  // namespace kehou::select::store
