// check.h: counts what a timetable breaks, from scratch (no solver state): the hard rules one by
// one, and the soft goals with their weights. The solver's tests and the CLI report use it; the
// benchmark has its own checker in Python (bench/timetable/check.py) that shares no code with it.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "timetable/model.h"

namespace kehou::timetable {

// Weights of the soft goals (penalty points). A hard violation outweighs them all (kHardCost).
struct Weights {
  int teacher_day = 10;    // each day a teacher teaches (fewer teaching days)
  int group_spread = 20;   // each pair of a soft group closer than its min days (spread over the week)
  int preferred_room = 3;  // each activity outside its preferred rooms
  int64_t moved = 200;     // each activity moved from the previous solution (re-solving; the solver
                           // raises it above all other soft goals together)
};
inline constexpr int64_t kHardCost = 1'000'000'000;

struct Report {
  // Hard rules, each a count of violations.
  int unplaced = 0;       // activity with no slot
  int teacher_clash = 0;  // a teacher in two places at once (extra activities per slot)
  int student_clash = 0;  // a student set (atom) in two places at once
  int room_clash = 0;     // two activities in one room at once
  int teacher_days = 0;   // days over a teacher's max days per week
  int not_available = 0;  // a teacher, student set or room not available, or a break
  int room_fit = 0;       // room too small, wrong type, not allowed, or missing
  int group_days = 0;     // pairs of a hard group closer than its min days
  int locked = 0;         // a locked activity not where it is locked
  int unstaffed = 0;      // an open activity (basic-service group) without a supervising teacher who may take it
                          // (a standby teacher, willing then)
  int backup = 0;         // an AB backup missing, or the activity's own teacher, not a standby teacher, unwilling
                          // then, teaching or backing up another activity at that time
  // Soft goals.
  int teaching_days = 0;       // sum over teachers of days with teaching
  int group_spread = 0;        // pairs of soft groups closer than their min days
  int non_preferred_room = 0;  // activities outside their preferred rooms
  int moved = 0;               // activities placed differently from the previous solution

  int Hard() const {
    return unplaced + teacher_clash + student_clash + room_clash + teacher_days + not_available + room_fit +
           group_days + locked + unstaffed + backup;
  }
  int64_t Soft(const Weights& w) const {
    return int64_t{w.teacher_day} * teaching_days + int64_t{w.group_spread} * group_spread +
           int64_t{w.preferred_room} * non_preferred_room + w.moved * moved;
  }
  // "教师冲突 0，学生冲突 0, ..." in both languages, one line.
  std::string Describe() const;
};

// Evaluates `a` against `p` (and counts moves against `previous` when it is not empty), with nobody
// chosen for standby duties (an open activity or one needing a backup then counts as broken).
Report Evaluate(const Problem& p, const Assignment& a, const Assignment& previous = {});
// The same with the chosen supervisors and AB backups: a supervisor teaches the group (clashes and
// days as any teacher); a backup's day counts toward their days a week (policy in model.h).
Report Evaluate(const Problem& p, const Assignment& a, const Staffing& staff, const Assignment& previous);

// True when room r may take activity x (capacity, type, allowed list), ignoring time.
bool RoomFits(const Problem& p, const Activity& x, int r);
// The rooms x may take (RoomFits, and its locked room if any), ascending. With an allowed list
// only its rooms are looked at (not every room against the list).
std::vector<int> FittingRooms(const Problem& p, const Activity& x);

}  // namespace kehou::timetable
