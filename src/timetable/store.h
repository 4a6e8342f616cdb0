// store.h (timetable): the SQL of the stored term timetable (sql/0060) as named constants and the
// functions that run them on a caller's connection. No decisions here. Thread-safety: per Conn.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"

namespace kehou::timetable::store {

struct StoredPlacement {
  int64_t section_id = 0;
  int session_no = 0;
  int weekday = 0;
  std::string band;
  std::optional<int64_t> room_id, teacher_staff_id;
  std::optional<int64_t> backup_staff_id;  // the AB backup (sql/0140)
};

std::vector<StoredPlacement> LoadPlacements(db::Conn& c, int64_t school_id, int64_t term_id);
// Replaces the term's rows with `rows` (the caller's transaction).
void ReplacePlacements(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<StoredPlacement>& rows,
                       int64_t now_ms);

// ---- basic-service groups (sql/0140) ----
struct StoredGroup {
  int64_t id = 0;
  int weekday = 0;
  std::string band, name;
  int grade = 0;
  std::optional<int64_t> class_id;
  int size = 0;
  bool play_reading = false;
  std::optional<int64_t> room_id, supervisor_staff_id;
  std::optional<int64_t> class_room_id;    // the class's own room (read only)
  std::string room_name, supervisor_name;  // (read only)
  int room_capacity = 0;                   // the room's capacity, 0 without a room (read only)
  std::vector<int64_t> members;            // filled by ReplaceGroups' caller / LoadGroupMembers
};
// The term's groups by weekday, band, grade, name.
std::vector<StoredGroup> LoadGroups(db::Conn& c, int64_t school_id, int64_t term_id);
// group id -> its members (ascending).
std::map<int64_t, std::vector<int64_t>> LoadGroupMembers(db::Conn& c, int64_t school_id, int64_t term_id);
// The writes of a regeneration (the caller's transaction): a group and its members go; a new group
// (no room, no supervisor) and its members come, returning its id; a kept group's size, label,
// room, supervisor and members are set to `g`'s.
void DeleteGroup(db::Conn& c, int64_t school_id, int64_t group_id);
int64_t InsertGroup(db::Conn& c, int64_t school_id, int64_t term_id, const StoredGroup& g, int64_t now_ms);
void UpdateGroup(db::Conn& c, int64_t school_id, const StoredGroup& g);
// A group's room and supervisor from a solved timetable.
void PlaceGroup(db::Conn& c, int64_t school_id, int64_t group_id, std::optional<int64_t> room_id,
                std::optional<int64_t> supervisor_staff_id);

// The school's basic-service settings (no row: after-school only).
struct Settings {
  bool noon_care = false, evening_study = false;
};
Settings LoadSettings(db::Conn& c, int64_t school_id);
void SaveSettings(db::Conn& c, int64_t school_id, const Settings& s, int64_t now_ms);

// Children's class and grade (active students among `ids`).
struct ChildClass {
  int64_t student_id = 0, class_id = 0;
  int grade = 0;
  std::string class_name, grade_name;
};
std::vector<ChildClass> ClassesOf(db::Conn& c, int64_t school_id);

}  // namespace kehou::timetable::store
