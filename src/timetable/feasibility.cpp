// feasibility.cpp: necessary conditions of a timetable, each naming the hard rule it checks.
#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

bool Blocked(const std::vector<bool>& v, int slot) {
  return !v.empty() && static_cast<size_t>(slot) < v.size() && v[static_cast<size_t>(slot)];
}

std::string Num(int64_t n) { return std::to_string(n); }

std::string ActName(const Activity& x) { return Num(x.id) + (x.subject.empty() ? "" : "（" + x.subject + "）"); }

bool Willing(const Teacher& te, int slot) {
  return te.standby && !Blocked(te.unwilling, slot) && !Blocked(te.unavailable, slot);
}

// Standby duties: an activity needing a backup has a standby teacher besides its own; the open
// activities locked at one slot have as many willing standby teachers; and the teacher-days the
// groups need at least (per day the most groups at one of its slots) fit the standby teachers' days.
void CheckDuties(const Problem& p, std::vector<Impossible>& out) {
  const int S = p.Slots(), H = p.Hours(), D = p.Days();
  for (const Activity& x : p.activities) {
    if (!x.needs_backup) continue;
    int n = 0;
    for (size_t t = 0; t < p.teachers.size(); ++t)
      n += p.teachers[t].standby &&
           std::find(x.teachers.begin(), x.teachers.end(), static_cast<int>(t)) == x.teachers.end();
    if (n == 0) {
      out.push_back({"no_backup", "活动 " + ActName(x) + " 需要 AB 岗，但除任课教师外没有通过准入的教师",
                     "activity " + Num(x.id) + " needs an AB backup but no other teacher passes the gate"});
      break;
    }
  }
  std::vector<int> open_at(static_cast<size_t>(S), 0);
  for (const Activity& x : p.activities)
    if (x.open_teacher && x.locked_slot >= 0 && x.locked_slot < S) ++open_at[static_cast<size_t>(x.locked_slot)];
  int64_t need = 0;
  for (int d = 0; d < D; ++d) {
    int most = 0;
    for (int h = 0; h < H; ++h) {
      const int s = d * H + h, n = open_at[static_cast<size_t>(s)];
      if (n == 0) continue;
      most = std::max(most, n);
      int willing = 0;
      for (const Teacher& te : p.teachers) willing += Willing(te, s) ? 1 : 0;
      if (n > willing) {
        out.push_back({"no_supervisor",
                       p.days[static_cast<size_t>(d)] + " " + p.hours[static_cast<size_t>(h)] + " 有 " + Num(n) +
                           " 个基础托管组，但只有 " + Num(willing) + " 位通过准入且愿意此时服务的教师",
                       p.days[static_cast<size_t>(d)] + " " + p.hours[static_cast<size_t>(h)] + ": " + Num(n) +
                           " basic-service groups but only " + Num(willing) + " gated teachers willing then"});
        return;
      }
    }
    need += most;
  }
  int64_t days = 0;
  for (const Teacher& te : p.teachers) {
    if (!te.standby) continue;
    int willing_days = 0;
    for (int d = 0; d < D; ++d) {
      bool any = false;
      for (int h = 0; h < H; ++h) any = any || Willing(te, d * H + h);
      willing_days += any ? 1 : 0;
    }
    days += te.max_days > 0 ? std::min(te.max_days, willing_days) : willing_days;
  }
  if (need > days)
    out.push_back({"staff_days",
                   "基础托管组每周至少需要 " + Num(need) + " 个教师服务日，但通过准入的教师在每周服务天数限制内只有 " +
                       Num(days) + " 个",
                   "the basic-service groups need at least " + Num(need) +
                       " teacher-days a week, the gated teachers' "
                       "day limits allow " +
                       Num(days)});
}

// Per activity: a slot it can take (no break, its teachers and students available) and, when it
// needs one, a room that fits; returns each activity's fitting rooms for the Hall check.
std::vector<std::vector<int>> CheckActivities(const Problem& p, std::vector<Impossible>& out) {
  const int S = p.Slots();
  std::vector<std::vector<int>> rooms_of(p.activities.size());
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Activity& x = p.activities[i];
    int free = 0;
    std::string why_zh = "休息时间", why_en = "breaks";
    for (int s = 0; s < S; ++s) {
      if (x.locked_slot >= 0 && s != x.locked_slot) continue;
      bool ok = !Blocked(p.breaks, s);
      for (int t : x.teachers)
        if (ok && Blocked(p.teachers[static_cast<size_t>(t)].unavailable, s)) {
          ok = false;
          why_zh = "教师 " + p.teachers[static_cast<size_t>(t)].name + " 不可用";
          why_en = "teacher " + p.teachers[static_cast<size_t>(t)].name + " not available";
        }
      for (int st : x.sets)
        for (int at : p.sets[static_cast<size_t>(st)].atoms)
          if (ok && Blocked(p.atoms[static_cast<size_t>(at)].unavailable, s)) {
            ok = false;
            why_zh = "学生 " + p.sets[static_cast<size_t>(st)].name + " 不可用";
            why_en = "students " + p.sets[static_cast<size_t>(st)].name + " not available";
          }
      free += ok ? 1 : 0;
    }
    if (free == 0)
      out.push_back({"no_time", "活动 " + ActName(x) + " 没有可排的时间（" + why_zh + "）",
                     "activity " + Num(x.id) + " has no time it can take (" + why_en + ")"});
    if (!x.needs_room) continue;
    rooms_of[i] = FittingRooms(p, x);
    if (rooms_of[i].empty())
      out.push_back({"no_room",
                     "活动 " + ActName(x) + " 没有合适的教室（需容纳 " + Num(x.size) + " 人" +
                         (x.room_type.empty() ? "" : "，类型 " + x.room_type) + "）",
                     "activity " + Num(x.id) + " has no room that fits (capacity >= " + Num(x.size) +
                         (x.room_type.empty() ? "" : ", type " + x.room_type) + ")"});
  }
  return rooms_of;
}

// Per teacher: activities within the slots of their best max_days days.
void CheckTeacherLoad(const Problem& p, std::vector<Impossible>& out) {
  const int H = p.Hours(), D = p.Days();
  for (size_t t = 0; t < p.teachers.size(); ++t) {
    const Teacher& te = p.teachers[t];
    int n = 0;
    for (const Activity& x : p.activities)
      n += std::count(x.teachers.begin(), x.teachers.end(), static_cast<int>(t)) > 0 ? 1 : 0;
    std::vector<int> per_day;
    for (int d = 0; d < D; ++d) {
      int c = 0;
      for (int h = 0; h < H; ++h) c += (Blocked(te.unavailable, d * H + h) || Blocked(p.breaks, d * H + h)) ? 0 : 1;
      per_day.push_back(c);
    }
    std::sort(per_day.rbegin(), per_day.rend());
    const int days = te.max_days > 0 ? std::min(te.max_days, D) : D;
    int cap = 0;
    for (int d = 0; d < days; ++d) cap += per_day[static_cast<size_t>(d)];
    if (n > cap)
      out.push_back({"teacher_overload",
                     "教师 " + te.name + " 有 " + Num(n) + " 节课，但在可用时间内（每周最多 " + Num(days) +
                         " 天）只有 " + Num(cap) + " 个时段",
                     "teacher " + te.name + " has " + Num(n) + " activities but only " + Num(cap) +
                         " available slots (at most " + Num(days) + " days a week)"});
  }
}

// Per student atom: activities within its available slots.
void CheckStudentLoad(const Problem& p, std::vector<Impossible>& out) {
  const int S = p.Slots();
  for (size_t at = 0; at < p.atoms.size(); ++at) {
    int n = 0;
    for (const Activity& x : p.activities) {
      bool in = false;
      for (int st : x.sets)
        for (int a2 : p.sets[static_cast<size_t>(st)].atoms) in = in || a2 == static_cast<int>(at);
      n += in ? 1 : 0;
    }
    int cap = 0;
    for (int s = 0; s < S; ++s) cap += (Blocked(p.atoms[at].unavailable, s) || Blocked(p.breaks, s)) ? 0 : 1;
    if (n > cap)
      out.push_back({"students_overload",
                     "学生 " + p.atoms[at].name + " 有 " + Num(n) + " 节课，但只有 " + Num(cap) + " 个可用时段",
                     "students " + p.atoms[at].name + " have " + Num(n) + " activities but only " + Num(cap) +
                         " available slots"});
  }
}

// Rooms (Hall's condition on each distinct set of fitting rooms): the activities that can only
// use rooms of that set need no more room-slots than it has.
void CheckRoomSlots(const Problem& p, const std::vector<std::vector<int>>& rooms_of, std::vector<Impossible>& out) {
  const int S = p.Slots();
  std::set<std::vector<int>> sets;
  for (const auto& v : rooms_of)
    if (!v.empty()) sets.insert(v);
  for (const auto& set : sets) {
    int n = 0;
    for (const auto& v : rooms_of)
      if (!v.empty() && std::includes(set.begin(), set.end(), v.begin(), v.end())) ++n;
    int cap = 0;
    for (int r : set)
      for (int s = 0; s < S; ++s)
        cap += (Blocked(p.rooms[static_cast<size_t>(r)].unavailable, s) || Blocked(p.breaks, s)) ? 0 : 1;
    if (n > cap) {
      std::string names;
      for (int r : set) names += (names.empty() ? "" : ",") + p.rooms[static_cast<size_t>(r)].name;
      out.push_back({"rooms_overload",
                     Num(n) + " 个活动只能用教室 " + names + "，但它们只有 " + Num(cap) + " 个教室时段",
                     Num(n) + " activities can only use rooms " + names + ", which have " + Num(cap) + " room-slots"});
      break;
    }
  }
}

// Locked activities that clash with each other (a teacher, a student atom or a locked room twice).
void CheckLockedClashes(const Problem& p, std::vector<Impossible>& out) {
  std::map<std::pair<std::string, int>, int64_t> seen;
  for (const Activity& x : p.activities) {
    if (x.locked_slot < 0) continue;
    std::vector<std::string> keys;
    for (int t : x.teachers) keys.push_back("t" + Num(t));
    for (int st : x.sets)
      for (int at : p.sets[static_cast<size_t>(st)].atoms) keys.push_back("a" + Num(at));
    if (x.locked_room >= 0) keys.push_back("r" + Num(x.locked_room));
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    for (const auto& k : keys) {
      auto [it, fresh] = seen.emplace(std::make_pair(k, x.locked_slot), x.id);
      if (!fresh) {
        out.push_back({"locked_clash", "锁定的活动 " + Num(it->second) + " 与 " + Num(x.id) + " 在同一时间冲突",
                       "locked activities " + Num(it->second) + " and " + Num(x.id) + " clash at the same time"});
        break;
      }
    }
  }
}

// Hard min-days groups: n activities min_days apart need (n-1)*min_days+1 days.
void CheckGroupDays(const Problem& p, std::vector<Impossible>& out) {
  const int D = p.Days();
  for (const ActivityGroup& g : p.groups) {
    if (g.weight_percent < kHardWeightPercent || g.activities.size() < 2) continue;
    const int64_t need = static_cast<int64_t>(g.activities.size() - 1) * g.min_days + 1;
    if (need > D)
      out.push_back({"group_days",
                     "同组 " + Num(static_cast<int64_t>(g.activities.size())) + " 个活动需间隔 " + Num(g.min_days) +
                         " 天，一周只有 " + Num(D) + " 天",
                     Num(static_cast<int64_t>(g.activities.size())) + " activities of a group need " + Num(g.min_days) +
                         " days apart, the week has " + Num(D) + " days"});
  }
}

}  // namespace

std::vector<Impossible> CheckFeasibility(const Problem& p) {
  std::vector<Impossible> out;
  if (p.Slots() == 0) {
    out.push_back({"no_time", "没有可用的天或节次", "no days or hours"});
    return out;
  }
  const std::vector<std::vector<int>> rooms_of = CheckActivities(p, out);
  CheckTeacherLoad(p, out);
  CheckStudentLoad(p, out);
  CheckRoomSlots(p, rooms_of, out);
  CheckLockedClashes(p, out);
  CheckGroupDays(p, out);
  CheckDuties(p, out);
  return out;
}

}  // namespace kehou::timetable
