// store.cpp (select): rounds, children, sections, the take path and waiting lists. Each query's
// row is read by position in exactly one place here, into the named fields of store.h.
#include "select/store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "catalog/rules.h"

namespace kehou::select::store {
namespace {

// Columns [first, first + 10) as kSectionInRound reads them (term last).
Section SectionAt(const db::Row& s, size_t first) {
  Section out;
  out.id = s.Int(first);
  out.capacity = s.Int(first + 1);
  out.taken = s.Int(first + 2);
  out.course_id = s.Int(first + 3);
  out.course_name = s.Text(first + 4);
  out.grades = s.Text(first + 5);
  out.slots = s.Text(first + 6);
  out.course_status = s.Text(first + 7);
  out.name = s.Text(first + 8);
  out.term = s.Int(first + 9);
  return out;
}

// Columns [first, first + 4) as kChildOfGuardian reads them.
Child ChildAt(const db::Row& r, size_t first) {
  return Child{r.Int(first), r.Int(first + 1), r.Int(first + 2), r.Text(first + 3)};
}

std::optional<Child> OneChild(db::Conn& c, const char* sql, const db::Params& p) {
  auto r = c.QueryOne(sql, p);
  if (!r) return std::nullopt;
  return ChildAt(*r, 0);
}

std::optional<Section> OneSection(db::Conn& c, const char* sql, const db::Params& p) {
  auto r = c.QueryOne(sql, p);
  if (!r) return std::nullopt;
  return SectionAt(*r, 0);
}

std::vector<int64_t> Ids(db::Conn& c, std::string_view sql, const db::Params& p) {
  std::vector<int64_t> out;
  for (const auto& r : c.Query(sql, p)) out.push_back(r.Int(0));
  return out;
}

// A row of kSeatWritesPg: outcome, selection_id, remaining, status, answer, stored_fingerprint, held.
SeatWrite WriteFrom(const db::Row& w) {
  SeatWrite out;
  out.outcome = w.Text(0);
  out.selection_id = w.Int(1);
  out.remaining = w.Int(2);
  out.answer = w.Text(4);
  out.stored_fingerprint = w.Text(5);
  out.held = w.Text(6);
  return out;
}

}  // namespace

// ---- Rounds

std::optional<Round> LoadRound(db::Conn& c, int64_t round_id, int64_t* school_id) {
  auto r = c.QueryOne(
      "SELECT id, school_id, mode, grades, opens_at, closes_at, max_per_child, max_ranks,"
      " COALESCE(term_id, 0), rank_rule, allocated_at FROM select_rounds WHERE id = $1",
      {round_id});
  if (!r) return std::nullopt;
  if (school_id && *school_id != 0 && *school_id != r->Int(1)) return std::nullopt;
  if (school_id) *school_id = r->Int(1);
  return RoundFrom(*r, 0);
}

Round RoundFrom(const db::Row& r, size_t first) {
  Round out;
  out.id = r.Int(first);
  out.mode = ParseMode(r.Text(first + 2)).value_or(Mode::kFcfs);
  auto g = catalog::ParseGrades(r.Text(first + 3));
  if (g.ok()) out.grades = *g;
  out.opens_at = r.Int(first + 4);
  out.closes_at = r.Int(first + 5);
  out.max_per_child = static_cast<int>(r.Int(first + 6));
  out.max_ranks = static_cast<int>(r.Int(first + 7));
  out.term_id = r.Int(first + 8);
  out.rank_rule = r.Text(first + 9);
  out.allocated = !r.IsNull(first + 10);
  return out;
}

std::optional<db::Row> RoundRow(db::Conn& c, int64_t round_id) {
  return c.QueryOne(std::string("SELECT ") + kRoundColumns + " FROM select_rounds WHERE id = $1", {round_id});
}

db::Rows RoundRowsOfSchool(db::Conn& c, int64_t school_id) {
  return c.Query(std::string("SELECT ") + kRoundColumns +
                     " FROM select_rounds WHERE school_id = $1 ORDER BY opens_at DESC, id DESC",
                 {school_id});
}

bool RoundInSchool(db::Conn& c, int64_t round_id, int64_t school_id) {
  return c.QueryOne("SELECT school_id FROM select_rounds WHERE id = $1 AND school_id = $2", {round_id, school_id})
      .has_value();
}

std::optional<int64_t> RoundSchoolOfGuardian(db::Conn& c, int64_t round_id, int64_t guardian_id) {
  auto r = c.QueryOne(
      "SELECT r.school_id FROM select_rounds r WHERE r.id = $1 AND EXISTS (SELECT 1 FROM"
      " student_guardians sg WHERE sg.guardian_id = $2 AND sg.school_id = r.school_id)",
      {round_id, guardian_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::vector<int64_t> GuardianSchools(db::Conn& c, int64_t guardian_id) {
  return Ids(c, "SELECT DISTINCT school_id FROM student_guardians WHERE guardian_id = $1", {guardian_id});
}

bool GuardianInSchool(db::Conn& c, int64_t guardian_id, int64_t school_id) {
  return c
      .QueryOne("SELECT 1 FROM student_guardians WHERE guardian_id = $1 AND school_id = $2", {guardian_id, school_id})
      .has_value();
}

std::optional<RoundTimes> LoadRoundTimes(db::Conn& c, int64_t round_id) {
  auto r = c.QueryOne("SELECT school_id, opens_at, closes_at FROM select_rounds WHERE id = $1", {round_id});
  if (!r) return std::nullopt;
  return RoundTimes{r->Int(0), r->Int(1), r->Int(2)};
}

std::vector<SectionSeats> ApprovedSections(db::Conn& c, int64_t school_id, std::optional<int64_t> previous_round) {
  std::string sql =
      "SELECT x.id, c.grades, x.capacity, x.taken FROM sections x JOIN courses c ON c.id = x.course_id"
      " WHERE x.school_id = $1 AND c.status = 'approved'";
  if (previous_round) sql += " AND x.id IN (SELECT section_id FROM round_sections WHERE round_id = $2)";
  db::Params p{school_id};
  if (previous_round) p.emplace_back(*previous_round);
  std::vector<SectionSeats> out;
  for (const auto& s : c.Query(sql + " ORDER BY x.id", p)) out.push_back({s.Int(0), s.Int(2), s.Int(3), s.Text(1)});
  return out;
}

std::vector<SectionSeats> RoundSeats(db::Conn& c, int64_t round_id) {
  std::vector<SectionSeats> out;
  for (const auto& s : c.Query(kSeats, {round_id})) out.push_back({s.Int(0), s.Int(1), s.Int(2), {}});
  return out;
}

std::optional<std::string> CourseStatusOfSection(db::Conn& c, int64_t section_id, int64_t school_id) {
  auto r = c.QueryOne(
      "SELECT c.status FROM sections x JOIN courses c ON c.id = x.course_id"
      " WHERE x.id = $1 AND x.school_id = $2",
      {section_id, school_id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

bool SectionInSchool(db::Conn& c, int64_t section_id, int64_t school_id) {
  return c.QueryOne("SELECT 1 FROM sections WHERE id = $1 AND school_id = $2", {section_id, school_id}).has_value();
}

db::Rows RoundSectionsShown(db::Conn& c, int64_t round_id) {
  return c.Query(
      "SELECT x.id, x.name, x.capacity, x.taken, c.id AS course_id, c.name AS course_name, c.category, c.grades,"
      " c.slots, c.fee_fen, c.description, c.institution,"
      " (SELECT st.name FROM staff st WHERE st.id = COALESCE(x.teacher_staff_id, c.teacher_staff_id)) AS teacher,"
      " (SELECT rm.name FROM rooms rm WHERE rm.id = x.room_id) AS room,"
      " COALESCE(tm.start_date, cur.start_date) AS start_date, COALESCE(tm.end_date, cur.end_date) AS end_date"
      " FROM round_sections rs JOIN sections x ON x.id = rs.section_id JOIN courses c ON c.id = x.course_id"
      " LEFT JOIN terms tm ON tm.id = c.term_id"
      " LEFT JOIN terms cur ON cur.school_id = x.school_id AND cur.is_current = 1"
      " WHERE rs.round_id = $1 ORDER BY c.category, c.name, x.id",
      {round_id});
}

// ---- Children and sections of a take

std::optional<Child> ChildOfGuardian(db::Conn& c, int64_t guardian_id, int64_t student_id) {
  return OneChild(c, kChildOfGuardian, {guardian_id, student_id});
}
std::optional<Child> ChildOfSchool(db::Conn& c, int64_t student_id, int64_t school_id) {
  return OneChild(c, kChildOfSchool, {student_id, school_id});
}
void LockChild(db::Conn& c, int64_t student_id) { c.Query(kLockChildPg, {student_id}); }

std::optional<Section> SectionInRound(db::Conn& c, int64_t round_id, int64_t section_id) {
  return OneSection(c, kSectionInRound, {round_id, section_id});
}
std::optional<Section> SectionOfSchool(db::Conn& c, int64_t section_id, int64_t school_id) {
  return OneSection(c, kSectionOfSchool, {section_id, school_id});
}

std::vector<HeldRow> HeldSeats(db::Conn& c, int64_t school_id, int64_t student_id, int64_t term) {
  std::vector<HeldRow> out;
  for (const auto& r : c.Query(kHeld, {school_id, student_id, term}))
    out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Text(3), r.Text(4)});
  return out;
}

std::optional<StoredAnswer> FindRequest(db::Conn& c, int64_t guardian_id, const std::string& key) {
  auto r = c.QueryOne(kFindRequest, {guardian_id, key});
  if (!r) return std::nullopt;
  return StoredAnswer{r->Int(0), r->Text(1), r->Text(2)};
}

TakeLoad LoadTakePg(db::Conn& c, int64_t guardian_id, const std::string& key, int64_t student_id, int64_t round_id,
                    int64_t section_id) {
  auto row = c.QueryOne(kTakeLoadPg, {guardian_id, key, student_id, round_id, section_id});
  if (!row) throw db::DbError("take: the read returned no row");
  TakeLoad out;
  if (!row->IsNull(0)) out.stored = StoredAnswer{0, row->Text(1), row->Text(kTakeLoadFingerprint)};
  if (!row->IsNull(kTakeLoadChild)) out.child = ChildAt(*row, kTakeLoadChild);
  if (!row->IsNull(kTakeLoadRound)) out.round = RoundFrom(*row, kTakeLoadRound);
  if (!row->IsNull(kTakeLoadSection)) out.section = SectionAt(*row, kTakeLoadSection);
  out.held_json = row->Text(kTakeLoadHeld);
  out.round_facts = row->Text(kTakeLoadRoundFacts);
  out.section_facts = row->Text(kTakeLoadSectionFacts);
  return out;
}

std::optional<WarmPick> PickWarmTake(db::Conn& c) {
  auto r = c.QueryOne(
      "SELECT id, school_id FROM select_rounds WHERE mode = 'fcfs' AND allocated_at IS NULL ORDER BY closes_at DESC"
      " LIMIT 1");
  if (!r) return std::nullopt;
  auto x = c.QueryOne(
      "SELECT x.id FROM round_sections rs JOIN sections x ON x.id = rs.section_id WHERE rs.round_id = $1"
      " AND x.taken < x.capacity LIMIT 1",
      {r->Int(0)});
  auto st = c.QueryOne(
      "SELECT sg.guardian_id, st.id FROM students st JOIN student_guardians sg ON sg.student_id = st.id"
      " WHERE st.school_id = $1 AND st.active = 1 AND NOT EXISTS (SELECT 1 FROM selections s"
      " WHERE s.school_id = st.school_id AND s.student_id = st.id AND s.status = 'confirmed') LIMIT 1",
      {r->Int(1)});
  if (!x || !st) return std::nullopt;
  return WarmPick{st->Int(0), st->Int(1), r->Int(0), x->Int(0)};
}

std::vector<int64_t> OpenFcfsRounds(db::Conn& c, int64_t now) {
  std::vector<int64_t> out;
  for (const auto& r : c.Query(kOpenFcfsRoundsPg, {now})) out.push_back(r.Int(0));
  return out;
}

std::vector<RoundOffer> OffersOfRound(db::Conn& c, int64_t round_id) {
  std::vector<RoundOffer> out;
  for (const auto& r : c.Query(kOffersOfRoundPg, {round_id}))
    out.push_back({r.Int(1), RoundFrom(r, 0), SectionAt(r, kOffersSection), r.Text(kOffersRoundFacts),
                   r.Text(kOffersSectionFacts)});
  return out;
}

std::vector<Child> ChildrenOfSchool(db::Conn& c, int64_t school_id) {
  std::vector<Child> out;
  for (const auto& r : c.Query(kChildrenOfSchool, {school_id})) out.push_back(ChildAt(r, 0));
  return out;
}

std::string SeatWritesJson(const std::vector<SeatWriteIn>& writes) {
  using Json = nlohmann::json;
  Json all = Json::array();
  for (const SeatWriteIn& w : writes) {
    Json one = Json::array();
    for (const db::Value& v : *w.params) {
      if (const auto* i = std::get_if<int64_t>(&v)) one.push_back(*i);
      else if (const auto* t = std::get_if<std::string>(&v)) one.push_back(*t);
      else one.push_back(nullptr);
    }
    if (w.kind == SeatWriteIn::kDrop) all.push_back(Json{{"drop", std::move(one)}});
    else all.push_back(std::move(one));
  }
  return all.dump();
}

std::vector<SeatWrite> SeatWritesPg(db::Conn& c, const std::vector<SeatWriteIn>& writes) {
  std::vector<SeatWrite> out(writes.size());
  std::vector<bool> seen(writes.size(), false);
  for (const db::Row& w : c.Query(kSeatWritesPg, {SeatWritesJson(writes)})) {
    int64_t place = w.Int(7);
    if (place < 0 || static_cast<size_t>(place) >= writes.size() || seen[place])
      throw db::DbError("seat writes: an answer for a write it was not given");
    seen[place] = true;
    out[place] = WriteFrom(w);
  }
  if (std::find(seen.begin(), seen.end(), false) != seen.end()) throw db::DbError("seat writes: a write got no answer");
  return out;
}

SeatWrite TakeWritePg(db::Conn& c, const db::Params& p) { return SeatWritesPg(c, {{SeatWriteIn::kTake, &p}})[0]; }

// ---- Waiting lists

std::optional<int64_t> FirstWaiting(db::Conn& c, int64_t section_id) {
  auto r = c.QueryOne("SELECT id FROM waitlist WHERE section_id = $1 AND status = 'waiting' ORDER BY id LIMIT 1",
                      {section_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::vector<Offer> DueOffers(db::Conn& c, int64_t now) {
  std::vector<Offer> out;
  for (const auto& r :
       c.Query("SELECT id, section_id FROM waitlist WHERE status = 'offered' AND offer_expires_at <= $1", {now}))
    out.push_back({r.Int(0), r.Int(1)});
  return out;
}

bool AnyDueOffer(db::Conn& c, int64_t now) {
  return c.QueryOne("SELECT 1 FROM waitlist WHERE status = 'offered' AND offer_expires_at <= $1", {now}).has_value();
}

bool HasSeatIn(db::Conn& c, int64_t student_id, int64_t section_id) {
  return c
      .QueryOne("SELECT 1 FROM selections WHERE student_id = $1 AND section_id = $2 AND status = 'confirmed'",
                {student_id, section_id})
      .has_value();
}

bool IsWaitingFor(db::Conn& c, int64_t student_id, int64_t section_id) {
  return c
      .QueryOne("SELECT 1 FROM waitlist WHERE student_id = $1 AND section_id = $2 AND status IN ('waiting','offered')",
                {student_id, section_id})
      .has_value();
}

int64_t WaitPosition(db::Conn& c, int64_t section_id, int64_t waitlist_id) {
  return c
      .QueryOne("SELECT COUNT(*) FROM waitlist WHERE section_id = $1 AND status = 'waiting' AND id <= $2",
                {section_id, waitlist_id})
      ->Int(0);
}

std::optional<int64_t> WaitingChildOfGuardian(db::Conn& c, int64_t waitlist_id, int64_t guardian_id) {
  auto r = c.QueryOne(
      "SELECT w.student_id FROM waitlist w JOIN student_guardians sg"
      " ON sg.student_id = w.student_id AND sg.guardian_id = $2 WHERE w.id = $1",
      {waitlist_id, guardian_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

std::optional<WaitEntry> WaitEntryOfGuardian(db::Conn& c, int64_t waitlist_id, int64_t guardian_id) {
  auto w = c.QueryOne(
      "SELECT w.id, w.school_id, w.section_id, w.student_id, w.status FROM waitlist w"
      " JOIN student_guardians sg ON sg.student_id = w.student_id AND sg.guardian_id = $2"
      " WHERE w.id = $1",
      {waitlist_id, guardian_id});
  if (!w) return std::nullopt;
  return WaitEntry{w->Int(0), w->Int(1), w->Int(2), w->Int(3), w->Text(4)};
}

std::vector<Waiting> WaitingFor(db::Conn& c, int64_t section_id) {
  std::vector<Waiting> out;
  for (const auto& w :
       c.Query("SELECT w.id, w.student_id, st.name, w.status, w.created_at, w.offer_expires_at FROM waitlist w"
               " JOIN students st ON st.id = w.student_id WHERE w.section_id = $1"
               " AND w.status IN ('waiting','offered') ORDER BY w.id",
               {section_id}))
    out.push_back({w.Int(0), w.Int(1), w.Int(4), w.Text(2), w.Text(3), w.OptInt(5)});
  return out;
}

}  // namespace kehou::select::store
