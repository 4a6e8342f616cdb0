// model.h: a weekly timetabling problem and its solution, as plain values (no database, no I/O).
// Time is a grid of days x hours; a slot is day * hours + hour. Student sets (years, groups,
// subgroups) are reduced to "atoms" (the leaf sets): two activities clash for students when their
// atom lists meet. Thread-safety: plain values.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace kehou::timetable {

// Weight of a constraint that must hold (FET's 100 %); anything less is a soft goal.
inline constexpr int kHardWeightPercent = 100;

struct Room {
  std::string name;
  int capacity = 0;
  std::string type;               // empty: a general room
  std::vector<bool> unavailable;  // per slot (empty: always available)
};

struct Teacher {
  std::string name;
  std::vector<bool> unavailable;  // per slot (empty: always available)
  int max_days = 0;               // 0: no limit (hard: teacher max days per week)
  // Standby duties (AB backup, a basic-service group's supervision): only a standby teacher (one
  // who passes the staff gate) takes them, and only in slots they are willing to serve.
  bool standby = false;
  std::vector<bool> unwilling;  // per slot, for standby duties (empty: willing always)
};

// A year, group or subgroup. atoms: the leaf sets it stands for (indexes into Problem::atoms).
struct StudentSet {
  std::string name;
  int size = 0;
  std::vector<int> atoms;
  int level = 0;    // 0 year, 1 group, 2 subgroup
  int parent = -1;  // the year of a group, the group of a subgroup (index into Problem::sets)
};

// A leaf student set: what cannot be in two places at once.
struct Atom {
  std::string name;
  std::vector<bool> unavailable;  // per slot (empty: always available)
};

struct Activity {
  int64_t id = 0;        // the caller's id (FET Id, section id)
  int64_t group_id = 0;  // FET Activity_Group_Id (0: none)
  std::string subject;
  std::vector<int> teachers;         // indexes into Problem::teachers
  std::vector<int> sets;             // indexes into Problem::sets
  int size = 0;                      // number of students (room capacity must be >= size)
  bool needs_room = true;            // FET: an activity with no room constraint gets no room
  std::string room_type;             // empty: any type
  std::vector<int> allowed_rooms;    // hard: only these rooms (empty: any that fits)
  std::vector<int> preferred_rooms;  // soft: rather these rooms
  int locked_slot = -1;              // hard: placed at this slot (-1: free)
  int locked_room = -1;              // hard: in this room (-1: free)
  // A basic-service group: no fixed teacher; the solver chooses its supervising teacher among
  // the standby teachers (who then teach it: clashes and days count as for any activity).
  bool open_teacher = false;
  // An AB backup teacher (AB岗) is chosen for it: a standby teacher other than its own, free then
  // (neither teaching nor backing up another activity), willing then, within their day limit.
  bool needs_backup = false;
};

// Activities that should lie at least min_days apart (FET ConstraintMinDaysBetweenActivities).
struct ActivityGroup {
  std::vector<int> activities;  // indexes into Problem::activities
  int min_days = 1;
  int weight_percent = 95;  // 100: hard; otherwise a soft goal ("spread over the week")
  bool consecutive_if_same_day = false;
};

struct Problem {
  std::vector<std::string> days;
  std::vector<std::string> hours;
  std::vector<bool> breaks;  // per slot: nobody is placed there
  std::vector<Room> rooms;
  std::vector<Teacher> teachers;
  std::vector<StudentSet> sets;
  std::vector<Atom> atoms;
  std::vector<ActivityGroup> groups;
  std::vector<Activity> activities;
  std::vector<std::string> subjects;

  int Days() const { return static_cast<int>(days.size()); }
  int Hours() const { return static_cast<int>(hours.size()); }
  int Slots() const { return Days() * Hours(); }
};

// Where one activity is: slot -1 = not placed; room -1 = no room.
struct Placement {
  int slot = -1;
  int room = -1;
  bool operator==(const Placement&) const = default;
};

// One placement per activity, in Problem::activities order.
using Assignment = std::vector<Placement>;

// Who serves an activity beyond its fixed teachers: the chosen supervising teacher of an open
// activity and the AB backup (indexes into Problem::teachers; -1: none).
struct Staff {
  int teacher = -1;
  int backup = -1;
  bool operator==(const Staff&) const = default;
};
// One Staff per activity, in Problem::activities order (empty: nobody chosen yet).
using Staffing = std::vector<Staff>;
// Policy on standby duties and the day limit (R-STF-4, policy 004 "每人每周参与课后服务不超过2天"):
// a backup post is a duty to be at school that day, so a backup's day counts toward their days a
// week like a teaching day; a substitution then never takes anyone past the limit.

}  // namespace kehou::timetable
