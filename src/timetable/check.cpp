#include "timetable/check.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>

namespace kehou::timetable {
namespace {

bool Blocked(const std::vector<bool>& v, int slot) {
  return !v.empty() && static_cast<size_t>(slot) < v.size() && v[static_cast<size_t>(slot)];
}

std::vector<int> AtomsOf(const Problem& p, const Activity& x) {
  std::vector<int> out;
  for (int s : x.sets)
    for (int a : p.sets[static_cast<size_t>(s)].atoms) out.push_back(a);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// t may take a standby duty at slot: a standby teacher, willing and available then.
bool Standby(const Problem& p, int t, int slot) {
  if (t < 0 || static_cast<size_t>(t) >= p.teachers.size()) return false;
  const Teacher& te = p.teachers[static_cast<size_t>(t)];
  return te.standby && !Blocked(te.unwilling, slot) && !Blocked(te.unavailable, slot);
}

// What the placements so far occupy: per teacher, student atom and room the activities at each
// slot, per teacher the activities each day, and the (teacher, slot) of each valid-looking backup.
struct Occupancy {
  Occupancy(const Problem& p, int slots, int days)
      : S(slots),
        D(days),
        tcnt(p.teachers.size() * static_cast<size_t>(slots)),
        acnt(p.atoms.size() * static_cast<size_t>(slots)),
        rcnt(p.rooms.size() * static_cast<size_t>(slots)),
        tday(p.teachers.size() * static_cast<size_t>(days)) {}
  int S, D;
  std::vector<int> tcnt, acnt, rcnt, tday;
  std::vector<std::pair<int, int>> backups;
};

void Bump(std::vector<int>& v, size_t i, int& clash) {
  if (v[i]++ >= 1) ++clash;
}

// The room of a placed activity: it fits, is available, is not taken twice, and is preferred.
void CountRoom(const Problem& p, const Activity& x, const Placement& pl, Occupancy& o, Report& rep) {
  if (!RoomFits(p, x, pl.room)) {
    ++rep.room_fit;
    return;
  }
  if (Blocked(p.rooms[static_cast<size_t>(pl.room)].unavailable, pl.slot)) ++rep.not_available;
  Bump(o.rcnt, static_cast<size_t>(pl.room) * static_cast<size_t>(o.S) + static_cast<size_t>(pl.slot), rep.room_clash);
  if (!x.preferred_rooms.empty() &&
      std::find(x.preferred_rooms.begin(), x.preferred_rooms.end(), pl.room) == x.preferred_rooms.end())
    ++rep.non_preferred_room;
}

// One placed activity: locks, breaks, its teachers (with the standby one of an open activity), its
// backup, its students and its room.
void CountPlaced(const Problem& p, const Activity& x, const Placement& pl, const Staff& who, Occupancy& o,
                 Report& rep) {
  const size_t s = static_cast<size_t>(pl.slot), S = static_cast<size_t>(o.S), D = static_cast<size_t>(o.D);
  const size_t d = static_cast<size_t>(pl.slot / p.Hours());
  if (x.locked_slot >= 0 && x.locked_slot != pl.slot) ++rep.locked;
  if (x.locked_room >= 0 && x.locked_room != pl.room) ++rep.locked;
  if (Blocked(p.breaks, pl.slot)) ++rep.not_available;
  std::vector<int> teachers = x.teachers;
  if (x.open_teacher) {
    if (!Standby(p, who.teacher, pl.slot)) ++rep.unstaffed;
    else teachers.push_back(who.teacher);
  }
  for (int t : teachers) {
    if (Blocked(p.teachers[static_cast<size_t>(t)].unavailable, pl.slot)) ++rep.not_available;
    Bump(o.tcnt, static_cast<size_t>(t) * S + s, rep.teacher_clash);
    ++o.tday[static_cast<size_t>(t) * D + d];
  }
  if (x.needs_backup) {
    if (!Standby(p, who.backup, pl.slot) || std::find(teachers.begin(), teachers.end(), who.backup) != teachers.end()) {
      ++rep.backup;
    } else {
      o.backups.push_back({who.backup, pl.slot});
      ++o.tday[static_cast<size_t>(who.backup) * D + d];
    }
  }
  for (int at : AtomsOf(p, x)) {
    if (Blocked(p.atoms[static_cast<size_t>(at)].unavailable, pl.slot)) ++rep.not_available;
    Bump(o.acnt, static_cast<size_t>(at) * S + s, rep.student_clash);
  }
  if (x.needs_room) CountRoom(p, x, pl, o, rep);
}

// A backup is free then: not teaching (any activity) and not backing up another one at that slot.
void CountBusyBackups(Occupancy& o, Report& rep) {
  std::sort(o.backups.begin(), o.backups.end());
  for (size_t k = 0; k < o.backups.size(); ++k) {
    const auto [t, sl] = o.backups[k];
    if (o.tcnt[static_cast<size_t>(t) * static_cast<size_t>(o.S) + static_cast<size_t>(sl)] > 0 ||
        (k > 0 && o.backups[k - 1] == o.backups[k]))
      ++rep.backup;
  }
}

// Teaching days per teacher, and the days over a teacher's max_days.
void CountTeacherDays(const Problem& p, const Occupancy& o, Report& rep) {
  const size_t D = static_cast<size_t>(o.D);
  for (size_t t = 0; t < p.teachers.size(); ++t) {
    int used = 0;
    for (size_t d = 0; d < D; ++d) used += o.tday[t * D + d] > 0 ? 1 : 0;
    rep.teaching_days += used;
    const int mx = p.teachers[t].max_days;
    if (mx > 0 && used > mx) rep.teacher_days += used - mx;
  }
}

// Pairs of a group's activities closer than its min_days (hard or soft by the group's weight).
void CountGroupSpread(const Problem& p, const Assignment& a, Report& rep) {
  const int H = p.Hours();
  for (const ActivityGroup& g : p.groups) {
    for (size_t i = 0; i < g.activities.size(); ++i)
      for (size_t j = i + 1; j < g.activities.size(); ++j) {
        const Placement& pi = a[static_cast<size_t>(g.activities[i])];
        const Placement& pj = a[static_cast<size_t>(g.activities[j])];
        if (pi.slot < 0 || pj.slot < 0) continue;
        if (std::abs(pi.slot / H - pj.slot / H) < g.min_days) {
          if (g.weight_percent >= kHardWeightPercent) ++rep.group_days;
          else ++rep.group_spread;
        }
      }
  }
}

}  // namespace

bool RoomFits(const Problem& p, const Activity& x, int r) {
  if (r < 0 || static_cast<size_t>(r) >= p.rooms.size()) return false;
  const Room& room = p.rooms[static_cast<size_t>(r)];
  if (room.capacity < x.size) return false;
  if (!x.room_type.empty() && room.type != x.room_type) return false;
  if (!x.allowed_rooms.empty() && std::find(x.allowed_rooms.begin(), x.allowed_rooms.end(), r) == x.allowed_rooms.end())
    return false;
  return true;
}

std::vector<int> FittingRooms(const Problem& p, const Activity& x) {
  std::vector<int> out;
  const int R = static_cast<int>(p.rooms.size());
  out.reserve(x.allowed_rooms.empty() ? p.rooms.size() : x.allowed_rooms.size());  // no growth garbage
  auto fits = [&](int r) {
    const Room& room = p.rooms[static_cast<size_t>(r)];
    return room.capacity >= x.size && (x.room_type.empty() || room.type == x.room_type) &&
           (x.locked_room < 0 || x.locked_room == r);
  };
  if (x.allowed_rooms.empty()) {
    for (int r = 0; r < R; ++r)
      if (fits(r)) out.push_back(r);
    return out;
  }
  for (int r : x.allowed_rooms)
    if (r >= 0 && r < R && fits(r)) out.push_back(r);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

Report Evaluate(const Problem& p, const Assignment& a, const Assignment& previous) {
  return Evaluate(p, a, Staffing{}, previous);
}

Report Evaluate(const Problem& p, const Assignment& a, const Staffing& staff, const Assignment& previous) {
  Report rep;
  const int S = p.Slots();
  Occupancy o(p, S, p.Days());
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Placement pl = i < a.size() ? a[i] : Placement{};
    if (!previous.empty() && i < previous.size() && !(previous[i] == pl)) ++rep.moved;
    if (pl.slot < 0 || pl.slot >= S) {
      ++rep.unplaced;
      continue;
    }
    CountPlaced(p, p.activities[i], pl, i < staff.size() ? staff[i] : Staff{}, o, rep);
  }
  CountBusyBackups(o, rep);
  CountTeacherDays(p, o, rep);
  CountGroupSpread(p, a, rep);
  return rep;
}

std::string Report::Describe() const {
  std::ostringstream o;
  o << "硬约束违反 " << Hard() << "（未排 " << unplaced << "，教师冲突 " << teacher_clash << "，学生冲突 "
    << student_clash << "，教室冲突 " << room_clash << "，教师超天数 " << teacher_days << "，不可用时间 "
    << not_available << "，教室不合适 " << room_fit << "，组间隔天数 " << group_days << "，锁定 " << locked
    << "，无看管教师 " << unstaffed << "，AB岗 " << backup << "）；软目标：教学天数 " << teaching_days << "，同组过近 "
    << group_spread << "，非首选教室 " << non_preferred_room << "，移动 " << moved << " / hard violations " << Hard()
    << " (unstaffed groups " << unstaffed << ", AB backups " << backup << "); teaching days " << teaching_days
    << ", group spread " << group_spread << ", non-preferred rooms " << non_preferred_room << ", moved " << moved;
  return o.str();
}

}  // namespace kehou::timetable
