#include "timetable/substitution_store.h"

namespace kehou::timetable::store {
namespace {

constexpr const char* kSection =
    "SELECT x.id, x.name, co.name, co.slots, COALESCE(x.teacher_staff_id, co.teacher_staff_id), COALESCE(st.name, '')"
    " FROM sections x JOIN courses co ON co.id = x.course_id"
    " LEFT JOIN staff st ON st.id = COALESCE(x.teacher_staff_id, co.teacher_staff_id)"
    " WHERE x.school_id = $1 AND x.id = $2";
constexpr const char* kSubColumns =
    "SELECT s.id, s.term_id, s.section_id, s.absent_staff_id, s.day, s.band, s.source, s.status, s.reason,"
    " s.substitute_staff_id, x.name AS section, co.name AS course, a.name AS absent_name,"
    " COALESCE(b.name, '') AS substitute_name, s.reported_at FROM timetable_substitutions s"
    " JOIN sections x ON x.id = s.section_id JOIN courses co ON co.id = x.course_id"
    " JOIN staff a ON a.id = s.absent_staff_id LEFT JOIN staff b ON b.id = s.substitute_staff_id"
    " WHERE s.school_id = $1";
constexpr const char* kInsert =
    "INSERT INTO timetable_substitutions (school_id, term_id, section_id, day, band, absent_staff_id,"
    " substitute_staff_id, source, status, reason, reported_by, reported_at, assigned_by, assigned_at)"
    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id";
constexpr const char* kReopen =
    "UPDATE timetable_substitutions SET absent_staff_id = $3, substitute_staff_id = $4, source = $5, status = $6,"
    " reason = $7, reported_by = $8, reported_at = $9, assigned_by = $10, assigned_at = $11"
    " WHERE school_id = $1 AND id = $2";
constexpr const char* kAssign =
    "UPDATE timetable_substitutions SET substitute_staff_id = $3, source = $4, status = 'assigned', assigned_by = $5,"
    " assigned_at = $6 WHERE school_id = $1 AND id = $2";
// Weekdays and duties: stored placements (teacher, backup), groups, course slots of own sections.
constexpr const char* kPlacementsOf =
    "SELECT weekday, band, CASE WHEN teacher_staff_id = $3 THEN 1 ELSE 0 END FROM timetable_placements"
    " WHERE school_id = $1 AND term_id = $2 AND (teacher_staff_id = $3 OR backup_staff_id = $3)";
constexpr const char* kGroupsOf =
    "SELECT weekday, band FROM timetable_groups WHERE school_id = $1 AND term_id = $2 AND supervisor_staff_id = $3";
constexpr const char* kSlotsOf =
    "SELECT co.slots FROM sections x JOIN courses co ON co.id = x.course_id"
    " WHERE x.school_id = $1 AND co.status = 'approved' AND (co.term_id = $2 OR co.term_id IS NULL)"
    " AND COALESCE(x.teacher_staff_id, co.teacher_staff_id) = $3";
constexpr const char* kSubsOn =
    "SELECT band, CASE WHEN absent_staff_id = $3 THEN 1 ELSE 0 END FROM timetable_substitutions"
    " WHERE school_id = $1 AND day = $2 AND status <> 'cancelled' AND (absent_staff_id = $3"
    " OR (substitute_staff_id = $3 AND status = 'assigned'))";
constexpr const char* kBackup =
    "SELECT backup_staff_id, CASE WHEN weekday = $4 AND band = $5 THEN 0 ELSE 1 END AS far FROM timetable_placements"
    " WHERE school_id = $1 AND term_id = $2 AND section_id = $3 AND backup_staff_id IS NOT NULL"
    " ORDER BY far, session_no LIMIT 1";

Substitution RowOf(const db::Row& r) {
  Substitution s;
  s.id = r.Int("id");
  s.term_id = r.Int("term_id");
  s.section_id = r.Int("section_id");
  s.absent_staff_id = r.Int("absent_staff_id");
  s.day = r.Text("day");
  s.band = r.Text("band");
  s.source = r.Text("source");
  s.status = r.Text("status");
  s.reason = r.Text("reason");
  s.substitute_staff_id = r.OptInt("substitute_staff_id");
  s.section = r.Text("section");
  s.course = r.Text("course");
  s.absent_name = r.Text("absent_name");
  s.substitute_name = r.Text("substitute_name");
  s.reported_at = r.Int("reported_at");
  return s;
}

// "2:after_school,4:after_school" has (weekday, band)?
bool SlotsHave(const std::string& slots, int weekday, const std::string& band) {
  const std::string want = std::to_string(weekday) + ":" + band;
  size_t at = 0;
  while (at <= slots.size()) {
    size_t end = slots.find(',', at);
    if (end == std::string::npos) end = slots.size();
    if (slots.compare(at, end - at, want) == 0) return true;
    at = end + 1;
  }
  return false;
}

}  // namespace

std::optional<SectionFacts> SectionOf(db::Conn& c, int64_t school, int64_t section_id) {
  auto r = c.QueryOne(kSection, {school, section_id});
  if (!r) return std::nullopt;
  return SectionFacts{r->Int(0), r->Text(1), r->Text(2), r->Text(3), r->OptInt(4), r->Text(5)};
}

std::optional<Substitution> FindSubstitution(db::Conn& c, int64_t school, int64_t id) {
  auto r = c.QueryOne(std::string(kSubColumns) + " AND s.id = $2", {school, id});
  if (!r) return std::nullopt;
  return RowOf(*r);
}

std::optional<Substitution> SubstitutionAt(db::Conn& c, int64_t school, int64_t section_id, const std::string& day,
                                           const std::string& band) {
  auto r = c.QueryOne(std::string(kSubColumns) + " AND s.section_id = $2 AND s.day = $3 AND s.band = $4",
                      {school, section_id, day, band});
  if (!r) return std::nullopt;
  return RowOf(*r);
}

db::Fetch<std::vector<Substitution>> SubstitutionsFetch(int64_t school, const std::string& day,
                                                        const std::string& status, int64_t staff) {
  static const std::string sql = std::string(kSubColumns) +
                                 " AND ($2 = '' OR s.day = $2) AND ($3 = '' OR s.status = $3)"
                                 " AND ($4 = 0 OR s.absent_staff_id = $4 OR s.substitute_staff_id = $4)"
                                 " ORDER BY s.day DESC, s.band, s.id DESC";
  return {{sql, {school, day, status, staff}}, [](const db::Rows& rows) {
            std::vector<Substitution> out;
            for (const auto& r : rows) out.push_back(RowOf(r));
            return out;
          }};
}

std::vector<Substitution> ListSubstitutions(db::Conn& c, int64_t school, const std::string& day,
                                            const std::string& status, int64_t staff) {
  return db::FetchOne(c, SubstitutionsFetch(school, day, status, staff));
}

int64_t PutSubstitution(db::Conn& c, int64_t school, const Substitution& s, int64_t reported_by, int64_t now_ms) {
  const db::Value assigned_by = s.substitute_staff_id ? db::Value(reported_by) : db::Null();
  const db::Value assigned_at = s.substitute_staff_id ? db::Value(now_ms) : db::Null();
  if (auto old = SubstitutionAt(c, school, s.section_id, s.day, s.band)) {
    c.Exec(kReopen, {school, old->id, s.absent_staff_id, db::Opt(s.substitute_staff_id), s.source, s.status, s.reason,
                     reported_by, now_ms, assigned_by, assigned_at});
    return old->id;
  }
  return c.Insert(kInsert,
                  {school, s.term_id, s.section_id, s.day, s.band, s.absent_staff_id, db::Opt(s.substitute_staff_id),
                   s.source, s.status, s.reason, reported_by, now_ms, assigned_by, assigned_at});
}

void AssignSubstitution(db::Conn& c, int64_t school, int64_t id, int64_t staff_id, const std::string& source,
                        int64_t by, int64_t now_ms) {
  c.Exec(kAssign, {school, id, staff_id, source, by, now_ms});
}

Week WeekOf(db::Conn& c, int64_t school, int64_t term_id, int64_t staff_id) {
  Week w;
  for (const auto& r : c.Query(kPlacementsOf, {school, term_id, staff_id})) {
    w.days.insert(static_cast<int>(r.Int(0)));
    w.duties += r.Int(2);
  }
  for (const auto& r : c.Query(kGroupsOf, {school, term_id, staff_id})) {
    w.days.insert(static_cast<int>(r.Int(0)));
    ++w.duties;
  }
  for (const auto& r : c.Query(kSlotsOf, {school, term_id, staff_id}))
    for (int wd = 1; wd <= 5; ++wd)
      for (const char* b : {"morning", "noon", "after_school", "evening"})
        if (SlotsHave(r.Text(0), wd, b)) w.days.insert(wd);
  return w;
}

bool BusyAt(db::Conn& c, int64_t school, int64_t term_id, int64_t staff_id, int weekday, const std::string& band,
            const std::string& day) {
  for (const auto& r : c.Query(kPlacementsOf, {school, term_id, staff_id}))
    if (r.Int(2) == 1 && r.Int(0) == weekday && r.Text(1) == band) return true;
  for (const auto& r : c.Query(kGroupsOf, {school, term_id, staff_id}))
    if (r.Int(0) == weekday && r.Text(1) == band) return true;
  for (const auto& r : c.Query(kSlotsOf, {school, term_id, staff_id}))
    if (SlotsHave(r.Text(0), weekday, band)) return true;
  for (const auto& r : c.Query(kSubsOn, {school, day, staff_id}))
    if (r.Int(1) == 1 || r.Text(0) == band) return true;  // absent that day, or substituting then
  return false;
}

std::optional<int64_t> BackupOf(db::Conn& c, int64_t school, int64_t term_id, int64_t section_id, int weekday,
                                const std::string& band) {
  auto r = c.QueryOne(kBackup, {school, term_id, section_id, int64_t{weekday}, band});
  if (!r) return std::nullopt;
  return r->OptInt(0);
}

std::vector<std::string> PlacedBands(db::Conn& c, int64_t school, int64_t term_id, int64_t section_id, int weekday) {
  std::vector<std::string> out;
  for (const auto& r : c.Query("SELECT band FROM timetable_placements WHERE school_id = $1 AND term_id = $2"
                               " AND section_id = $3 AND weekday = $4",
                               {school, term_id, section_id, int64_t{weekday}}))
    out.push_back(r.Text(0));
  return out;
}

}  // namespace kehou::timetable::store
