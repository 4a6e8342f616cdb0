// staffing.cpp: standby duties once every activity has its place (solver.h, step 5): the
// supervising teacher of each open activity (basic-service group), then each AB backup.
#include <algorithm>
#include <numeric>
#include <string>
#include <tuple>

#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

bool Blocked(const std::vector<bool>& v, int slot) {
  return !v.empty() && static_cast<size_t>(slot) < v.size() && v[static_cast<size_t>(slot)];
}

class Duties {
 public:
  Duties(const Problem& p, const Assignment& a, const Staffing& prev, Staffing& staff)
      : p_(p), a_(a), prev_(prev), staff_(staff), S_(p.Slots()), D_(p.Days()), H_(p.Hours()) {
    const size_t T = p.teachers.size();
    busy_.assign(T * static_cast<size_t>(S_), 0);
    day_.assign(T * static_cast<size_t>(D_), 0);
    used_.assign(T, 0);
    load_.assign(T, 0);
    staff_.assign(p.activities.size(), Staff{});
    teaches_.assign(T, 0);
    for (size_t i = 0; i < p.activities.size(); ++i)
      for (int t : p.activities[i].teachers) teaches_[static_cast<size_t>(t)] = 1;
    for (size_t i = 0; i < p.activities.size(); ++i)
      if (a[i].slot >= 0)
        for (int t : p.activities[i].teachers) Take(t, a[i].slot, true);
  }

  // Matches the activities of `need` (open ones when supervisors, else those needing a backup),
  // slot by slot, the scarcest slot first.
  void Pass(bool supervisors, std::vector<Impossible>& why) {
    std::vector<std::vector<int>> at(static_cast<size_t>(S_));
    for (size_t i = 0; i < p_.activities.size(); ++i) {
      const Activity& x = p_.activities[i];
      if (a_[i].slot < 0 || !(supervisors ? x.open_teacher : x.needs_backup)) continue;
      at[static_cast<size_t>(a_[i].slot)].push_back(static_cast<int>(i));
    }
    std::vector<int> order;
    std::vector<int> slack(static_cast<size_t>(S_), 0);
    for (int s = 0; s < S_; ++s) {
      if (at[static_cast<size_t>(s)].empty()) continue;
      int free = 0;
      for (int t = 0; t < static_cast<int>(p_.teachers.size()); ++t) free += Eligible(t, s) ? 1 : 0;
      slack[static_cast<size_t>(s)] = free - static_cast<int>(at[static_cast<size_t>(s)].size());
      order.push_back(s);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](int x, int y) { return slack[static_cast<size_t>(x)] < slack[static_cast<size_t>(y)]; });
    for (int s : order) Match(s, at[static_cast<size_t>(s)], supervisors, why);
  }

 private:
  size_t Ix(int t, int s) const { return static_cast<size_t>(t) * static_cast<size_t>(S_) + static_cast<size_t>(s); }
  bool OnDay(int t, int d) const {
    return day_[static_cast<size_t>(t) * static_cast<size_t>(D_) + static_cast<size_t>(d)] > 0;
  }

  // Free, willing and within the day limit at s (teaching counts are fixed within a slot's match).
  bool Eligible(int t, int s) const {
    const Teacher& te = p_.teachers[static_cast<size_t>(t)];
    if (!te.standby || Blocked(te.unwilling, s) || Blocked(te.unavailable, s) || busy_[Ix(t, s)] > 0) return false;
    return te.max_days <= 0 || OnDay(t, s / H_) || used_[static_cast<size_t>(t)] < te.max_days;
  }

  void Take(int t, int s, bool teaching) {
    if (teaching) ++busy_[Ix(t, s)];
    int& d = day_[static_cast<size_t>(t) * static_cast<size_t>(D_) + static_cast<size_t>(s / H_)];
    if (d++ == 0) ++used_[static_cast<size_t>(t)];
    ++load_[static_cast<size_t>(t)];
  }

  // Kuhn's augmenting path from activity k of the slot's list.
  bool Augment(size_t k, const std::vector<std::vector<int>>& cands, std::vector<int>& owner, std::vector<int>& mate,
               std::vector<char>& seen) {
    for (int t : cands[k]) {
      if (seen[static_cast<size_t>(t)]) continue;
      seen[static_cast<size_t>(t)] = 1;
      const int o = owner[static_cast<size_t>(t)];
      if (o < 0 || Augment(static_cast<size_t>(o), cands, owner, mate, seen)) {
        owner[static_cast<size_t>(t)] = static_cast<int>(k);
        mate[k] = t;
        return true;
      }
    }
    return false;
  }

  void Match(int s, const std::vector<int>& acts, bool supervisors, std::vector<Impossible>& why) {
    const int d = s / H_;
    std::vector<std::vector<int>> cands(acts.size());
    for (size_t k = 0; k < acts.size(); ++k) {
      const size_t i = static_cast<size_t>(acts[k]);
      const Activity& x = p_.activities[i];
      const int before = prev_.size() == p_.activities.size() ? (supervisors ? prev_[i].teacher : prev_[i].backup) : -1;
      for (int t = 0; t < static_cast<int>(p_.teachers.size()); ++t) {
        if (!Eligible(t, s)) continue;
        if (std::find(x.teachers.begin(), x.teachers.end(), t) != x.teachers.end() || staff_[i].teacher == t) continue;
        cands[k].push_back(t);
      }
      // The previous choice first, then those who teach no section of their own (a section's
      // teacher keeps free bands on their days, so the grid can still move the section: a drag
      // onto their duty is refused), then those at school that day anyway, then fewest days and
      // duties.
      std::stable_sort(cands[k].begin(), cands[k].end(), [&](int u, int v) {
        auto key = [&](int t) {
          return std::make_tuple(t != before, teaches_[static_cast<size_t>(t)] != 0, !OnDay(t, d),
                                 used_[static_cast<size_t>(t)], load_[static_cast<size_t>(t)]);
        };
        return key(u) < key(v);
      });
    }
    std::vector<int> owner(p_.teachers.size(), -1), mate(acts.size(), -1);
    for (size_t k = 0; k < acts.size(); ++k) {
      std::vector<char> seen(p_.teachers.size(), 0);
      Augment(k, cands, owner, mate, seen);
    }
    int missing = 0;
    for (size_t k = 0; k < acts.size(); ++k) {
      const int t = mate[k];
      if (t < 0) {
        ++missing;
        continue;
      }
      Staff& st = staff_[static_cast<size_t>(acts[k])];
      (supervisors ? st.teacher : st.backup) = t;
      Take(t, s, supervisors);
    }
    if (missing == 0) return;
    const std::string when = p_.days[static_cast<size_t>(d)] + " " + p_.hours[static_cast<size_t>(s % H_)];
    const std::string n = std::to_string(acts.size()), m = std::to_string(missing);
    if (supervisors)
      why.push_back(
          {"no_supervisor",
           when + " 有 " + n + " 个基础托管组，其中 " + m +
               " 个找不到看管教师（需通过准入、当时空闲、愿意服务且每周不超过服务天数）",
           when + ": " + m + " of " + n +
               " basic-service groups find no supervising teacher (gated, free, willing, within the day limit)"});
    else
      why.push_back({"no_backup",
                     when + " 有 " + n + " 个教学班需要 AB 岗，其中 " + m +
                         " 个找不到备岗教师（另一位通过准入、当时空闲、愿意服务且每周不超过服务天数的教师）",
                     when + ": " + m + " of " + n +
                         " sections find no AB backup (another gated teacher, free, willing, within the day limit)"});
  }

  const Problem& p_;
  const Assignment& a_;
  const Staffing& prev_;
  Staffing& staff_;
  const int S_, D_, H_;
  std::vector<int> busy_, day_, used_, load_;
  std::vector<char> teaches_;  // per teacher: has an activity of their own (a section)
};

}  // namespace

std::vector<Impossible> AssignStaff(const Problem& p, const Assignment& a, const Staffing& previous, Staffing& staff) {
  std::vector<Impossible> why;
  Duties duties(p, a, previous, staff);
  duties.Pass(true, why);
  duties.Pass(false, why);
  return why;
}

int ChooseBackup(const Problem& p, const Assignment& a, const Staffing& staff, int i) {
  const size_t n = p.activities.size();
  if (i < 0 || static_cast<size_t>(i) >= n || a.size() != n) return -1;
  const int s = a[static_cast<size_t>(i)].slot;
  if (s < 0 || p.Hours() <= 0) return -1;
  const int H = p.Hours(), D = p.Days(), d = s / H;
  const size_t T = p.teachers.size();
  std::vector<char> busy(T, 0);  // at slot s: teaching, supervising or backing up another session
  std::vector<int> day(T * static_cast<size_t>(D), 0), load(T, 0);
  auto at_school = [&](int t, int slot) {
    if (t < 0 || static_cast<size_t>(t) >= T || slot < 0) return;
    ++day[static_cast<size_t>(t) * static_cast<size_t>(D) + static_cast<size_t>(slot / H)];
    ++load[static_cast<size_t>(t)];
    if (slot == s) busy[static_cast<size_t>(t)] = 1;
  };
  for (size_t k = 0; k < n; ++k) {
    const int slot = a[k].slot;
    if (slot < 0) continue;
    for (int t : p.activities[k].teachers) at_school(t, slot);
    if (staff.size() == n) {
      at_school(staff[k].teacher, slot);
      if (static_cast<int>(k) != i) at_school(staff[k].backup, slot);
    }
  }
  const Activity& x = p.activities[static_cast<size_t>(i)];
  const int own_supervisor = staff.size() == n ? staff[static_cast<size_t>(i)].teacher : -1;
  int best = -1;
  std::tuple<bool, int, int> best_key{};
  for (size_t t = 0; t < T; ++t) {
    const Teacher& te = p.teachers[t];
    const int ti = static_cast<int>(t);
    if (!te.standby || busy[t] || Blocked(te.unwilling, s) || Blocked(te.unavailable, s)) continue;
    if (std::find(x.teachers.begin(), x.teachers.end(), ti) != x.teachers.end() || ti == own_supervisor) continue;
    int used = 0;
    for (int dd = 0; dd < D; ++dd) used += day[t * static_cast<size_t>(D) + static_cast<size_t>(dd)] > 0 ? 1 : 0;
    const bool on_day = day[t * static_cast<size_t>(D) + static_cast<size_t>(d)] > 0;
    if (te.max_days > 0 && !on_day && used >= te.max_days) continue;
    const auto key = std::make_tuple(!on_day, used, load[t]);
    if (best < 0 || key < best_key) {
      best = ti;
      best_key = key;
    }
  }
  return best;
}

}  // namespace kehou::timetable
