// take_group.h (select): PostgreSQL's takes and drops that wait at the same time written in one call
// and one commit (issue 10 §4, session 29; docs/ARCHITECTURE.md note 15, session 29).
//
// Why: since session 27 a take the server knows the facts of is one call of the take function, but
// each call was its own transaction: a commit (its WAL flush and the wake-ups around it), a protocol
// message and the function's entry a take, and under a burst every backend runnable at once, a
// take then costing about twice its CPU (session 28). Here the takes handed over while a group is
// being written wait, and the next group takes them all: one call of kehou_seat_writes
// (sql/0610), one transaction, one commit. A family's drop goes the same way (alone it was a
// commit of its own too; at the end of a night, when families drop and try other sections, the
// drops' commits queued for the WAL). A take alone is written at once, so a quiet night pays
// nothing; the busier the night, the larger the groups and the cheaper each take (and while the
// groups have company, each waits up to kTakeLinger for more before it is written).
//
// Each write is still decided on its own (the function compares each take's facts under its child's
// lock, as before), so the answers are those a write alone gets. A group holds one write of a child
// (a second tap of the same child waits for the next group, where it sees the first's seat).
// When a group's call fails (a double tap with one key won a unique index in another server's
// group, a deadlock with another path), each of its writes is written again alone, so a write
// fails only for itself.
//
// Settings: KEHOU_PG_TAKE_GROUPS (groups one server writes at once; default kTakeGroupsDefault),
// KEHOU_PG_TAKE_GROUP_SIZE (takes in a group at most, default kMaxTakeGroup; 1 writes each take on
// its own, as before: for an A/B in one sitting, make bench-select) and KEHOU_PG_TAKE_LINGER_US
// (how long a busy night's group waits for company, default kTakeLinger; 0 never waits).
// Thread-safety: any thread; the waiting threads hold no database connection.
#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

#include "db/db.h"
#include "select/store.h"

namespace kehou::select::take_group {

inline constexpr size_t kMaxTakeGroup = 16;
// One group under way a server (session 32; it was one a core): the takes that arrive while it is
// written form the next, so under load the groups are larger and each write pays less of a call and
// a commit. Measured at 2,100 and 2,400 arrivals a second (docs/ARCHITECTURE.md note 15, session
// 32): the database's CPU a write 0.41-0.45 ms against 0.47-0.52 with one a core, the servers' the
// same; the database is shared by every server, so its cores are not the server's to count.
inline constexpr size_t kTakeGroupsDefault = 1;
// A busy night's group waits up to this long for company before it is written (core/combiner.h's
// linger; session 33). Written at once, a group held only what arrived during the previous call: at
// 2,400 arrivals a second 3.7 writes a call (8.3 with the wait), each paying a share of a call and a
// commit. With the wait the database's CPU a write fell from 0.38-0.43 ms to 0.32-0.33, the open
// loop's p99 from 41-264 ms to 26-33 (docs/ARCHITECTURE.md note 15, session 33), for at most 2 ms
// more a write; a quiet night, whose groups are single writes, never waits.
inline constexpr std::chrono::microseconds kTakeLinger{2000};

// Writes one take or drop (of child `student_id`; its parameters must outlive the call) and answers
// what the function answered for it. Throws its own failure (db::DbError as a call alone would).
store::SeatWrite Write(db::Db& db, store::SeatWriteIn write, int64_t student_id);

// Since the process started: the calls written (a group or a write alone), the writes in them, the
// largest group; and the writes waiting now.
struct Stats {
  int64_t calls = 0, takes = 0, largest = 0, waiting = 0;
};
Stats GetStats();

// The settings in force (the environment read once).
size_t Groups();
size_t GroupSize();
std::chrono::microseconds Linger();

}  // namespace kehou::select::take_group
