// enrolment.h (select): selection builds on enrolment (R-REG, R-SEL). Only a child enrolled in
// the after-school service for the round's term may take a seat, rank courses, wait for a seat
// or be placed by hand: enrolled = an approved application whose current version the guardian
// signed, not ended by an exit (enroll's rule, enroll::EnrolledOn, the same as
// enroll::IsEnrolled). Nobody gets a seat without a signed application.
//
// The day that counts is the later of today (school-local) and the term's first day: a round
// held before the term starts admits the children enrolled for the term.
//
// A round belongs to a term (select_rounds.term_id, set when the round is made); a round made
// before rounds carried one counts for the school's current term.
//
// Positive answers are cached for kEnrolledCacheMs per (child, term), so a selection-night rush
// does not re-read the application on every tap; a "not enrolled" answer is never cached (a
// family approved a minute ago can choose at once). An exit that takes effect today is seen
// within that time. On PostgreSQL the first miss for a school and term reads all its enrolled
// children in one statement into the same cache (a rush's first taps then need no read of
// their own); a child missing from it is still read on its own.
// Thread-safety: the cache is guarded by a mutex; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <set>

#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "select/rules.h"

namespace kehou::select {

inline constexpr int64_t kEnrolledCacheMs = 60'000;

struct RoundTerm {
  int64_t id = 0;
  Date start, end;
};

// The round's term (or the school's current term for a round without one). kRuleBroken when
// the school has no current term.
Result<RoundTerm> TermOfRound(db::Conn& c, int64_t school_id, const Round& r);

// The later of the school-local date of `now_ms` and the term's first day.
Date SelectionDay(const RoundTerm& t, int64_t now_ms);

// Ok when the child is enrolled for the round's term on the selection day; kRuleBroken with a
// Chinese reason (field student_id) otherwise.
Status CheckEnrolled(db::Conn& c, int64_t school_id, int64_t student_id, const Round& r, int64_t now_ms);

// The same on PostgreSQL for a path that holds no connection (the take, seats.cpp): answered from
// the cache when it can, else read on a write connection of its own.
Status CheckEnrolled(db::Db& db, int64_t school_id, int64_t student_id, const Round& r, int64_t now_ms);

// Every child of the school enrolled for the round's term on the selection day.
Result<std::set<int64_t>> EnrolledChildren(db::Conn& c, int64_t school_id, const Round& r, int64_t now_ms);

// The error a child not enrolled gets.
Error NotEnrolled();

void ClearEnrolledCache();

}  // namespace kehou::select
