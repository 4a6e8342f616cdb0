// store_office.cpp (select): the family's view, the office's report, exits, the allocation and
// its verification. Each query's row is read by position in exactly one place here.
#include "select/store.h"

namespace kehou::select::store {

// ---- A family's view

std::vector<FamilySeat> FamilySeats(db::Conn& c, int64_t guardian_id) {
  std::vector<FamilySeat> out;
  for (const auto& r : c.Query(kFamilySeats, {guardian_id}))
    out.push_back(
        {r.Int(0), r.Int(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(8), r.OptText(6), r.OptText(7)});
  return out;
}

std::vector<FamilyChild> ChildrenInSchool(db::Conn& c, int64_t guardian_id, int64_t school_id) {
  std::vector<FamilyChild> out;
  for (const auto& ch : c.Query("SELECT st.id, st.name, g.number, cl.name FROM student_guardians sg"
                                " JOIN students st ON st.id = sg.student_id JOIN classes cl ON cl.id = st.class_id"
                                " JOIN grades g ON g.id = cl.grade_id"
                                " WHERE sg.guardian_id = $1 AND sg.school_id = $2 AND st.active = 1 ORDER BY st.id",
                                {guardian_id, school_id}))
    out.push_back({ch.Int(0), ch.Int(2), ch.Text(1), ch.Text(3)});
  return out;
}

std::vector<ChildSeat> ChildSeats(db::Conn& c, int64_t school_id, int64_t student_id) {
  std::vector<ChildSeat> out;
  for (const auto& s :
       c.Query("SELECT sel.section_id, x.name, c.name, sel.source, sel.created_at, COALESCE(sel.round_id, 0)"
               " FROM selections sel JOIN sections x ON x.id = sel.section_id"
               " JOIN courses c ON c.id = x.course_id"
               " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed' ORDER BY sel.id",
               {school_id, student_id}))
    out.push_back({s.Int(0), s.Int(4), s.Int(5), s.Text(1), s.Text(2), s.Text(3)});
  return out;
}

std::vector<RankedSection> ChildPreferences(db::Conn& c, int64_t round_id, int64_t student_id) {
  std::vector<RankedSection> out;
  for (const auto& p : c.Query("SELECT p.rank, p.section_id, x.name, c.name FROM select_preferences p"
                               " JOIN sections x ON x.id = p.section_id JOIN courses c ON c.id = x.course_id"
                               " WHERE p.round_id = $1 AND p.student_id = $2 ORDER BY p.rank",
                               {round_id, student_id}))
    out.push_back({p.Int(0), p.Int(1), p.Text(2), p.Text(3)});
  return out;
}

std::vector<int64_t> RankedSectionIds(db::Conn& c, int64_t round_id, int64_t student_id) {
  std::vector<int64_t> out;
  for (const auto& p :
       c.Query("SELECT section_id FROM select_preferences WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
               {round_id, student_id}))
    out.push_back(p.Int(0));
  return out;
}

std::vector<ChildResult> ChildResults(db::Conn& c, int64_t round_id, int64_t student_id) {
  std::vector<ChildResult> out;
  for (const auto& r : c.Query("SELECT section_id, rank, placed, lottery, priority, reason FROM select_results"
                               " WHERE round_id = $1 AND student_id = $2 ORDER BY rank",
                               {round_id, student_id}))
    out.push_back({r.Int(0), r.Int(1), r.Int(3), r.Int(2) != 0, r.Int(4) != 0, r.Text(5)});
  return out;
}

std::vector<ChildWait> ChildWaits(db::Conn& c, int64_t student_id) {
  std::vector<ChildWait> out;
  for (const auto& w :
       c.Query("SELECT w.id, w.section_id, w.status, w.offer_expires_at,"
               " (SELECT COUNT(*) FROM waitlist v WHERE v.section_id = w.section_id AND v.status = 'waiting'"
               "  AND v.id < w.id) AS ahead FROM waitlist w"
               " WHERE w.student_id = $1 AND w.status IN ('waiting','offered') ORDER BY w.id",
               {student_id}))
    out.push_back({w.Int(0), w.Int(1), w.Int(4), w.Text(2), w.OptInt(3)});
  return out;
}

std::optional<int64_t> ChildLimit(db::Conn& c, int64_t round_id, int64_t student_id) {
  auto r = c.QueryOne(kChildLimit, {round_id, student_id});
  if (!r) return std::nullopt;
  return r->Int(0);
}

// ---- The office

std::vector<SectionFill> RoundFill(db::Conn& c, int64_t round_id) {
  std::vector<SectionFill> out;
  for (const auto& s : c.Query("SELECT x.id, x.name, c.name, x.capacity, x.taken,"
                               " (SELECT COUNT(*) FROM waitlist w WHERE w.section_id = x.id AND w.status = 'waiting')"
                               " FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
                               " JOIN courses c ON c.id = x.course_id WHERE rs.round_id = $1 ORDER BY c.name, x.id",
                               {round_id}))
    out.push_back({s.Int(0), s.Int(3), s.Int(4), s.Int(5), s.Text(1), s.Text(2)});
  return out;
}

std::vector<RoundChild> RoundChildren(db::Conn& c, int64_t school_id, int64_t round_id) {
  std::vector<RoundChild> out;
  for (const auto& st : c.Query(
           "SELECT st.id, st.name, cl.name, g.number,"
           " (SELECT COUNT(*) FROM selections sel WHERE sel.student_id = st.id AND sel.round_id = $2"
           "  AND sel.status = 'confirmed') AS n,"
           " (SELECT COUNT(*) FROM select_preferences p WHERE p.student_id = st.id AND p.round_id = $2) AS ranked,"
           " (SELECT COUNT(*) FROM selections sel WHERE sel.student_id = st.id AND sel.round_id = $2) AS seats_ever,"
           " (SELECT COUNT(*) FROM waitlist w WHERE w.student_id = st.id AND w.round_id = $2) AS waited,"
           " st.student_no"
           " FROM students st JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id"
           " WHERE st.school_id = $1 AND st.active = 1 ORDER BY g.number, cl.number, st.student_no",
           {school_id, round_id}))
    out.push_back(
        {st.Int(0), st.Int(3), st.Int(4), st.Int(5), st.Int(6), st.Int(7), st.Text(1), st.Text(2), st.Text(8)});
  return out;
}

namespace {
// Rounds not finished: open or upcoming, or a preference round closed and not yet allocated.
constexpr const char* kActive =
    "SELECT r.id, r.name, r.mode, r.opens_at, r.closes_at, r.allocated_at,"
    " (SELECT COALESCE(SUM(x.capacity), 0) FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
    "   WHERE rs.round_id = r.id) AS seats,"
    " (SELECT COALESCE(SUM(x.taken), 0) FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
    "   WHERE rs.round_id = r.id) AS taken"
    " FROM select_rounds r WHERE r.school_id = $1 AND r.opens_at <= $3"
    " AND (r.closes_at > $2 OR (r.mode = 'preference' AND r.allocated_at IS NULL))"
    " ORDER BY r.closes_at, r.id";
constexpr const char* kChildrenFcfs =
    "SELECT COUNT(DISTINCT student_id) FROM selections WHERE round_id = $1 AND status = 'confirmed'";
constexpr const char* kChildrenPreference =
    "SELECT COUNT(DISTINCT student_id) FROM select_preferences WHERE round_id = $1";
// The child's confirmed seats in sections of the exit's term.
constexpr const char* kExitSeats =
    "SELECT sel.id, sel.section_id, sel.round_id FROM selections sel"
    " JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
    " WHERE sel.school_id = $1 AND sel.student_id = $2 AND sel.status = 'confirmed'"
    " AND (co.term_id = $3 OR (co.term_id IS NULL AND EXISTS"
    "   (SELECT 1 FROM terms t WHERE t.id = $3 AND t.school_id = $1 AND t.is_current = 1)))"
    " ORDER BY sel.id";
// Exits due by a day whose child still holds a seat of the exit's term.
constexpr const char* kDueExits =
    "SELECT e.id, e.school_id, e.term_id, e.student_id, e.effective_date FROM exits e"
    " WHERE e.effective_date <= $1 AND EXISTS (SELECT 1 FROM selections sel"
    "   JOIN sections x ON x.id = sel.section_id JOIN courses co ON co.id = x.course_id"
    "   WHERE sel.school_id = e.school_id AND sel.student_id = e.student_id AND sel.status = 'confirmed'"
    "   AND (co.term_id = e.term_id OR (co.term_id IS NULL AND EXISTS"
    "     (SELECT 1 FROM terms t WHERE t.id = e.term_id AND t.is_current = 1))))"
    " ORDER BY e.id";
}  // namespace

std::vector<ActiveRound> ActiveRoundsOf(db::Conn& c, int64_t school_id, int64_t now, int64_t upcoming_until) {
  std::vector<ActiveRound> out;
  for (const auto& r : c.Query(kActive, {school_id, now, upcoming_until}))
    out.push_back({r.Int(0), r.Int(3), r.Int(4), r.Int(6), r.Int(7), r.Text(1), r.Text(2), r.OptInt(5).has_value()});
  return out;
}

int64_t ChildrenTakingPart(db::Conn& c, int64_t round_id, bool preference) {
  return c.QueryOne(preference ? kChildrenPreference : kChildrenFcfs, {round_id})->Int(0);
}

std::vector<ExitSeat> ExitSeats(db::Conn& c, int64_t school_id, int64_t student_id, int64_t term_id) {
  std::vector<ExitSeat> out;
  for (const auto& r : c.Query(kExitSeats, {school_id, student_id, term_id}))
    out.push_back({r.Int(0), r.Int(1), r.OptInt(2)});
  return out;
}

std::vector<DueExit> DueExits(db::Conn& c, const std::string& day) {
  std::vector<DueExit> out;
  for (const auto& r : c.Query(kDueExits, {day})) out.push_back({r.Int(0), r.Int(1), r.Int(2), r.Int(3), r.Text(4)});
  return out;
}

// ---- Allocation and its verification

std::optional<AllocRound> LoadAllocRound(db::Conn& c, int64_t round_id, int64_t school_id) {
  auto r = c.QueryOne(
      "SELECT mode, closes_at, allocated_at, seed_secret, seed_hash, max_ranks, max_per_child,"
      " rank_rule FROM select_rounds WHERE id = $1 AND school_id = $2",
      {round_id, school_id});
  if (!r) return std::nullopt;
  AllocRound out;
  out.mode = r->Text(0);
  out.closes_at = r->Int(1);
  out.allocated = !r->IsNull(2);
  out.seed_secret = r->Text(3);
  out.seed_hash = r->Text(4);
  out.max_ranks = r->Int(5);
  out.max_per_child = r->Int(6);
  out.rank_rule = r->Text(7);
  return out;
}

std::string RankingVersion(db::Conn& c, int64_t round_id) {
  auto p = c.QueryOne("SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM select_preferences WHERE round_id = $1",
                      {round_id});
  auto l = c.QueryOne("SELECT COUNT(*), COALESCE(MAX(updated_at), 0) FROM select_child_limits WHERE round_id = $1",
                      {round_id});
  return std::to_string(p->Int(0)) + "/" + std::to_string(p->Int(1)) + "/" + std::to_string(l->Int(0)) + "/" +
         std::to_string(l->Int(1));
}

std::vector<AllocSection> AllocSections(db::Conn& c, int64_t round_id) {
  std::vector<AllocSection> out;
  for (const auto& x : c.Query("SELECT x.id, x.capacity - x.taken, c.grades, c.slots, c.name || ' ' || x.name"
                               " FROM round_sections rs JOIN sections x ON x.id = rs.section_id"
                               " JOIN courses c ON c.id = x.course_id WHERE rs.round_id = $1 ORDER BY x.id",
                               {round_id}))
    out.push_back({x.Int(0), x.Int(1), x.Text(2), x.Text(3), x.Text(4)});
  return out;
}

std::vector<RankedChoice> RankedChoices(db::Conn& c, int64_t round_id) {
  std::vector<RankedChoice> out;
  for (const auto& p :
       c.Query("SELECT p.student_id, g.number, st.left_behind, st.low_income, st.disability, p.section_id"
               " FROM select_preferences p JOIN students st ON st.id = p.student_id"
               " JOIN classes cl ON cl.id = st.class_id JOIN grades g ON g.id = cl.grade_id"
               " WHERE p.round_id = $1 AND st.active = 1 ORDER BY p.student_id, p.rank",
               {round_id}))
    out.push_back({p.Int(0), p.Int(1), p.Int(5), p.Int(2) != 0, p.Int(3) != 0, p.Int(4) != 0});
  return out;
}

std::vector<HeldSlotsRow> HeldSlotsOfRanked(db::Conn& c, int64_t round_id, int64_t term_id, int64_t school_id) {
  std::vector<HeldSlotsRow> out;
  for (const auto& h : c.Query(kHeldSlotsOfRanked, {round_id, term_id, school_id}))
    out.push_back({h.Int(0), h.Text(1)});
  return out;
}

std::vector<ChildLimitRow> ChildLimits(db::Conn& c, int64_t round_id) {
  std::vector<ChildLimitRow> out;
  for (const auto& l :
       c.Query("SELECT student_id, course_limit FROM select_child_limits WHERE round_id = $1", {round_id}))
    out.push_back({l.Int(0), l.Int(1)});
  return out;
}

bool ClosesAfter(db::Conn& c, int64_t round_id, int64_t now) {
  return c.QueryOne("SELECT 1 FROM select_rounds WHERE id = $1 AND closes_at > $2", {round_id, now}).has_value();
}

std::optional<RecordRound> LoadRecordRound(db::Conn& c, int64_t round_id) {
  auto r = c.QueryOne("SELECT mode, allocated_at, seed, seed_hash, allocation_input FROM select_rounds WHERE id = $1",
                      {round_id});
  if (!r) return std::nullopt;
  return RecordRound{r->Text(0), r->Text(2), r->Text(3), !r->IsNull(1), r->OptText(4)};
}

std::vector<Pair> AllocationSeats(db::Conn& c, int64_t round_id) {
  std::vector<Pair> out;
  for (const auto& s :
       c.Query("SELECT student_id, section_id FROM selections WHERE round_id = $1 AND source = 'allocation'"
               " ORDER BY student_id, section_id",
               {round_id}))
    out.push_back({s.Int(0), s.Int(1)});
  return out;
}

std::vector<Pair> RankedPairs(db::Conn& c, int64_t round_id) {
  std::vector<Pair> out;
  for (const auto& s : c.Query("SELECT student_id, section_id FROM select_preferences WHERE round_id = $1"
                               " ORDER BY student_id, rank",
                               {round_id}))
    out.push_back({s.Int(0), s.Int(1)});
  return out;
}

std::vector<StoredResult> StoredResults(db::Conn& c, int64_t round_id) {
  std::vector<StoredResult> out;
  for (const auto& s : c.Query("SELECT student_id, section_id, rank, placed, lottery FROM select_results"
                               " WHERE round_id = $1 ORDER BY student_id, rank",
                               {round_id}))
    out.push_back({s.Int(0), s.Int(1), s.Int(2), s.Int(4), s.Int(3) != 0});
  return out;
}

std::vector<int64_t> AllocatedRoundIds(db::Conn& c) {
  std::vector<int64_t> out;
  for (const auto& r :
       c.Query("SELECT id FROM select_rounds WHERE mode = 'preference' AND allocated_at IS NOT NULL ORDER BY id"))
    out.push_back(r.Int(0));
  return out;
}

}  // namespace kehou::select::store
