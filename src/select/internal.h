// internal.h (select): helpers the use-case files of select share (rounds.cpp, seats.cpp,
// family.cpp, office.cpp, waitlist.cpp, exits.cpp). Not for other modules: they use service.h.
// Thread-safety: stateless but for the live seats cache (Invalidate, mutex inside); the Conn
// belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/body.h"
#include "core/result.h"
#include "db/db.h"
#include "select/rules.h"
#include "select/service.h"
#include "select/store.h"

namespace kehou::select::internal {

using Json = nlohmann::json;

Error Full();
bool IsPg(db::Conn& c);

// An instant body field, read through the reader (errors are its, naming the field): epoch ms (an
// integer or a text of one, within 64 bits), or 'YYYY-MM-DD HH:MM[:SS]' / ISO with 'T' in China
// time (UTC+8), or ISO ending in 'Z' (UTC). Absent or null: nullopt (an error if required).
std::optional<int64_t> ReadInstant(BodyReader& in, std::string_view key, bool required, std::string_view label);

// The guardian's own active child (store::kChildOfGuardian), or not_found naming student_id.
Result<store::Child> ChildOfGuardian(db::Conn& c, const auth::Principal& who, int64_t student_id);

Held HeldFrom(int64_t section_id, int64_t course_id, int64_t round_id, std::string course_name,
              const std::string& slots);
// The child's confirmed seats of a term (store::kHeld; the term of a section: its row's
// Section::term). Seats of other terms neither clash nor count.
std::vector<Held> LoadHeld(db::Conn& c, int64_t school, int64_t student, int64_t term);
// Fills the course side of a TakeCheck from a section (store::SectionInRound / SectionOfSchool).
void FillSection(TakeCheck& t, const store::Section& s);

// The round's school if the principal may see it (not_found otherwise).
Result<int64_t> RoundSchool(db::Conn& c, const auth::Principal& who, std::optional<int64_t> school, int64_t round_id);
// A select_rounds row (store::kRoundColumns) as JSON.
Json RoundJson(const db::Row& r, int64_t now);

// Seat freed in a section: the first waiting child gets an offer (the seat stays held for it);
// with nobody waiting the seat returns to the pool.
void PassSeat(db::Conn& c, int64_t section_id, int64_t now);
// Offers past their window expire, each seat passed on.
void ExpireOffersIn(db::Conn& c, int64_t now);

// Drops the round's live seats from the cache (seats.cpp).
void Invalidate(int64_t round_id);

}  // namespace kehou::select::internal
