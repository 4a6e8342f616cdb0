#include "timetable/store.h"

namespace kehou::timetable::store {
namespace {

constexpr const char* kLoad =
    "SELECT section_id, session_no, weekday, band, room_id, teacher_staff_id, backup_staff_id FROM "
    "timetable_placements "
    "WHERE school_id = $1 AND term_id = $2 ORDER BY section_id, session_no";
constexpr const char* kDelete = "DELETE FROM timetable_placements WHERE school_id = $1 AND term_id = $2";
constexpr const char* kInsert =
    "INSERT INTO timetable_placements (school_id, term_id, section_id, session_no, weekday, band, room_id, "
    "teacher_staff_id, solved_at, backup_staff_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
constexpr const char* kGroups =
    "SELECT g.id, g.weekday, g.band, g.name, g.grade, g.class_id, g.size, g.play_reading, g.room_id,"
    " g.supervisor_staff_id, cl.room_id AS class_room_id, COALESCE(r.name, '') AS room_name,"
    " COALESCE(r.capacity, 0) AS room_capacity,"
    " COALESCE(st.name, '') AS supervisor_name FROM timetable_groups g"
    " LEFT JOIN classes cl ON cl.id = g.class_id LEFT JOIN rooms r ON r.id = g.room_id"
    " LEFT JOIN staff st ON st.id = g.supervisor_staff_id"
    " WHERE g.school_id = $1 AND g.term_id = $2 ORDER BY g.weekday, g.band, g.grade, g.name";
constexpr const char* kGroupMembers =
    "SELECT m.group_id, m.student_id FROM timetable_group_members m JOIN timetable_groups g ON g.id = m.group_id"
    " WHERE g.school_id = $1 AND g.term_id = $2 ORDER BY m.group_id, m.student_id";
constexpr const char* kDeleteMembers = "DELETE FROM timetable_group_members WHERE school_id = $1 AND group_id = $2";
constexpr const char* kDeleteGroup = "DELETE FROM timetable_groups WHERE school_id = $1 AND id = $2";
constexpr const char* kUpdateGroup =
    "UPDATE timetable_groups SET size = $3, play_reading = $4, room_id = $5, supervisor_staff_id = $6"
    " WHERE school_id = $1 AND id = $2";
constexpr const char* kInsertGroup =
    "INSERT INTO timetable_groups (school_id, term_id, weekday, band, name, grade, class_id, size, play_reading,"
    " created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
constexpr const char* kInsertMember =
    "INSERT INTO timetable_group_members (school_id, group_id, student_id) VALUES ($1, $2, $3)";
constexpr const char* kPlaceGroup =
    "UPDATE timetable_groups SET room_id = $3, supervisor_staff_id = $4 WHERE school_id = $1 AND id = $2";
constexpr const char* kSettings = "SELECT noon_care, evening_study FROM timetable_settings WHERE school_id = $1";
constexpr const char* kSaveSettings =
    "INSERT INTO timetable_settings (school_id, noon_care, evening_study, updated_at) VALUES ($1, $2, $3, $4)"
    " ON CONFLICT (school_id) DO UPDATE SET noon_care = excluded.noon_care, evening_study = excluded.evening_study,"
    " updated_at = excluded.updated_at";
constexpr const char* kClasses =
    "SELECT s.id, s.class_id, gr.number, cl.name, gr.name FROM students s JOIN classes cl ON cl.id = s.class_id"
    " JOIN grades gr ON gr.id = cl.grade_id WHERE s.school_id = $1 AND s.active = 1";

}  // namespace

std::vector<StoredPlacement> LoadPlacements(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<StoredPlacement> out;
  for (const auto& r : c.Query(kLoad, {school_id, term_id}))
    out.push_back({r.Int("section_id"), static_cast<int>(r.Int("session_no")), static_cast<int>(r.Int("weekday")),
                   r.Text("band"), r.OptInt("room_id"), r.OptInt("teacher_staff_id"), r.OptInt("backup_staff_id")});
  return out;
}

void ReplacePlacements(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<StoredPlacement>& rows,
                       int64_t now_ms) {
  c.Exec(kDelete, {school_id, term_id});
  for (const auto& p : rows)
    c.Exec(kInsert, {school_id, term_id, p.section_id, int64_t{p.session_no}, int64_t{p.weekday}, p.band,
                     db::Opt(p.room_id), db::Opt(p.teacher_staff_id), now_ms, db::Opt(p.backup_staff_id)});
}

std::vector<StoredGroup> LoadGroups(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::vector<StoredGroup> out;
  for (const auto& r : c.Query(kGroups, {school_id, term_id})) {
    StoredGroup g;
    g.id = r.Int("id");
    g.weekday = static_cast<int>(r.Int("weekday"));
    g.band = r.Text("band");
    g.name = r.Text("name");
    g.grade = static_cast<int>(r.Int("grade"));
    g.class_id = r.OptInt("class_id");
    g.size = static_cast<int>(r.Int("size"));
    g.play_reading = r.Int("play_reading") != 0;
    g.room_id = r.OptInt("room_id");
    g.supervisor_staff_id = r.OptInt("supervisor_staff_id");
    g.class_room_id = r.OptInt("class_room_id");
    g.room_name = r.Text("room_name");
    g.room_capacity = static_cast<int>(r.Int("room_capacity"));
    g.supervisor_name = r.Text("supervisor_name");
    out.push_back(std::move(g));
  }
  return out;
}

std::map<int64_t, std::vector<int64_t>> LoadGroupMembers(db::Conn& c, int64_t school_id, int64_t term_id) {
  std::map<int64_t, std::vector<int64_t>> out;
  for (const auto& r : c.Query(kGroupMembers, {school_id, term_id})) out[r.Int(0)].push_back(r.Int(1));
  return out;
}

void DeleteGroup(db::Conn& c, int64_t school_id, int64_t group_id) {
  c.Exec(kDeleteMembers, {school_id, group_id});
  c.Exec(kDeleteGroup, {school_id, group_id});
}

int64_t InsertGroup(db::Conn& c, int64_t school_id, int64_t term_id, const StoredGroup& g, int64_t now_ms) {
  const int64_t id =
      c.Insert(kInsertGroup, {school_id, term_id, int64_t{g.weekday}, g.band, g.name, int64_t{g.grade},
                              db::Opt(g.class_id), int64_t{g.size}, int64_t{g.play_reading ? 1 : 0}, now_ms});
  for (int64_t m : g.members) c.Exec(kInsertMember, {school_id, id, m});
  return id;
}

void UpdateGroup(db::Conn& c, int64_t school_id, const StoredGroup& g) {
  c.Exec(kUpdateGroup, {school_id, g.id, int64_t{g.size}, int64_t{g.play_reading ? 1 : 0}, db::Opt(g.room_id),
                        db::Opt(g.supervisor_staff_id)});
  c.Exec(kDeleteMembers, {school_id, g.id});
  for (int64_t m : g.members) c.Exec(kInsertMember, {school_id, g.id, m});
}

void PlaceGroup(db::Conn& c, int64_t school_id, int64_t group_id, std::optional<int64_t> room_id,
                std::optional<int64_t> supervisor_staff_id) {
  c.Exec(kPlaceGroup, {school_id, group_id, db::Opt(room_id), db::Opt(supervisor_staff_id)});
}

Settings LoadSettings(db::Conn& c, int64_t school_id) {
  Settings s;
  if (auto r = c.QueryOne(kSettings, {school_id})) {
    s.noon_care = r->Int(0) != 0;
    s.evening_study = r->Int(1) != 0;
  }
  return s;
}

void SaveSettings(db::Conn& c, int64_t school_id, const Settings& s, int64_t now_ms) {
  c.Exec(kSaveSettings, {school_id, int64_t{s.noon_care ? 1 : 0}, int64_t{s.evening_study ? 1 : 0}, now_ms});
}

std::vector<ChildClass> ClassesOf(db::Conn& c, int64_t school_id) {
  std::vector<ChildClass> out;
  for (const auto& r : c.Query(kClasses, {school_id}))
    out.push_back({r.Int(0), r.Int(1), static_cast<int>(r.Int(2)), r.Text(3), r.Text(4)});
  return out;
}

}  // namespace kehou::timetable::store
