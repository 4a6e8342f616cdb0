// substitution_store.h (timetable_term): the SQL of substitutions (sql/0140) and of what a
// substitution needs to know about a day: a section's teacher and weekly slots, and who is busy
// or serving on a weekday. Thread-safety: per Conn (the caller's transaction).
#pragma once
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::timetable::store {

struct SectionFacts {
  int64_t id = 0;
  std::string name, course, slots;  // slots "2:after_school,4:after_school"
  std::optional<int64_t> teacher_staff_id;
  std::string teacher;
};
std::optional<SectionFacts> SectionOf(db::Conn& c, int64_t school, int64_t section_id);

struct Substitution {
  int64_t id = 0, term_id = 0, section_id = 0, absent_staff_id = 0;
  std::string day, band, source, status, reason;
  std::optional<int64_t> substitute_staff_id;
  std::string section, course, absent_name, substitute_name;  // (read only)
  int64_t reported_at = 0;
};
std::optional<Substitution> FindSubstitution(db::Conn& c, int64_t school, int64_t id);
std::optional<Substitution> SubstitutionAt(db::Conn& c, int64_t school, int64_t section_id, const std::string& day,
                                           const std::string& band);
// By day, band; filters: day ('' any), status ('' any), staff (0 any: absent or substitute).
std::vector<Substitution> ListSubstitutions(db::Conn& c, int64_t school, const std::string& day,
                                            const std::string& status, int64_t staff);
// The same read, to share a round trip with others (db::FetchAll).
db::Fetch<std::vector<Substitution>> SubstitutionsFetch(int64_t school, const std::string& day,
                                                        const std::string& status, int64_t staff);
// Inserts or (for a cancelled one of the same session) reopens; the row's id.
int64_t PutSubstitution(db::Conn& c, int64_t school, const Substitution& s, int64_t reported_by, int64_t now_ms);
void AssignSubstitution(db::Conn& c, int64_t school, int64_t id, int64_t staff_id, const std::string& source,
                        int64_t by, int64_t now_ms);

// A person's week in the stored timetable and course slots: weekdays served (teaching, AB backup,
// group supervision) and weekly duties (sessions taught and groups supervised).
struct Week {
  std::set<int> days;
  int64_t duties = 0;
};
Week WeekOf(db::Conn& c, int64_t school, int64_t term_id, int64_t staff_id);
// Whether the person teaches (stored timetable or course slots) or supervises a group at
// (weekday, band), or is absent or substituting on `day` at `band`.
bool BusyAt(db::Conn& c, int64_t school, int64_t term_id, int64_t staff_id, int weekday, const std::string& band,
            const std::string& day);
// The AB backup of the section's stored placement at (weekday, band), else of any of its placements.
std::optional<int64_t> BackupOf(db::Conn& c, int64_t school, int64_t term_id, int64_t section_id, int weekday,
                                const std::string& band);

// The bands of the section's stored placements on a weekday.
std::vector<std::string> PlacedBands(db::Conn& c, int64_t school, int64_t term_id, int64_t section_id, int weekday);

}  // namespace kehou::timetable::store
