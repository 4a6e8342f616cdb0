// fet.cpp: the FET 6.8 (.fet) reader (the writer is fet_write.cpp); element names as in FET's own
// example files.
#include "timetable/fet.h"

#include <algorithm>
#include <string_view>
#include <unordered_map>

#include "timetable/check.h"
#include "timetable/xml_pull.h"

namespace kehou::timetable {
namespace {

using Node = XmlTree::Ref;

std::string Text(const Node& n, const char* child) { return std::string(n.child(child).text()); }
int Int(const Node& n, const char* child, int fallback = 0) {
  return n.child(child) ? AsInt(n.child(child).text(), fallback) : fallback;
}
// The text of a child element without a copy (for lookups).
std::string_view View(const Node& n, const char* child) { return n.child(child).text(); }
bool Active(const Node& n) { return View(n, "Active") != "false"; }
// FET's weights are percentages; anything else (NaN, 1e300) is held to 0-100.
double Weight(const Node& n) {
  const double w = AsDouble(View(n, "Weight_Percentage"), 100);
  return w >= 0 ? std::min(w, 100.0) : 0;
}

Error Bad(const std::string& zh, const std::string& en) {
  return Error::Invalid("FET 文件：" + zh, "FET file: " + en, "fet");
}
Error BadXml(const XmlPull& x) { return Bad("XML 无法解析（" + x.error() + "）", "bad XML (" + x.error() + ")"); }

// Names looked up by string_view (no copy of the element's text).
struct NameHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using Names = std::unordered_map<std::string, int, NameHash, std::equal_to<>>;

// The top-level lists this reader uses, in an order where each comes after those it refers to.
enum Section { kDays, kHours, kSubjects, kTeachers, kStudents, kRooms, kActivities, kTime, kSpace, kSections };
constexpr std::string_view kSectionNames[kSections] = {
    "Days_List",  "Hours_List",      "Subjects_List",         "Teachers_List",         "Students_List",
    "Rooms_List", "Activities_List", "Time_Constraints_List", "Space_Constraints_List"};

int SectionOf(std::string_view name) {
  for (int s = 0; s < kSections; ++s)
    if (kSectionNames[s] == name) return s;
  return -1;
}

// The sections one refers to (days and hours size every availability).
bool NeedsDone(int s, const bool* done) {
  switch (s) {
    case kTeachers:
    case kStudents:
    case kRooms: return done[kDays] && done[kHours];
    case kActivities: return done[kTeachers] && done[kStudents];
    case kTime:
    case kSpace:
      return done[kDays] && done[kHours] && done[kTeachers] && done[kStudents] && done[kRooms] && done[kActivities];
    default: return true;
  }
}

// Reads a .fet file in one pass, one record at a time (xml_pull.h). FET writes the lists in an
// order where each comes after those it refers to; a list that comes before one it needs is set
// aside (its place in the text) and read at the end.
class Reader {
 public:
  Result<FetData> Read(std::string_view xml) {
    XmlPull x(xml);
    if (!x.NextElement()) return x.ok() ? Bad("缺少 <fet> 根元素", "no <fet> root element") : BadXml(x);
    if (x.name() != "fet") return Bad("缺少 <fet> 根元素", "no <fet> root element");
    bool seen[kSections] = {};
    std::vector<std::pair<int, std::string_view>> later;
    while (x.NextElement()) {
      const int s = SectionOf(x.name());
      if (s < 0 || seen[s]) {  // another element, or a list given twice (the first one counts)
        x.Skip();
        continue;
      }
      seen[s] = true;
      if (NeedsDone(s, done_)) {
        KEHOU_TRY(ReadSection(x, s));
      } else {
        const size_t begin = x.element_begin();
        later.emplace_back(s, xml.substr(begin, x.Skip() - begin));
      }
    }
    if (!x.ok()) return BadXml(x);
    std::sort(later.begin(), later.end());
    for (const auto& [s, text] : later) {
      XmlPull sub(text);
      sub.NextElement();
      KEHOU_TRY(ReadSection(sub, s));
    }
    KEHOU_TRY(NeedSlots());
    Problem& p = d_.problem;
    std::sort(d_.ignored.begin(), d_.ignored.end());
    d_.ignored.erase(std::unique(d_.ignored.begin(), d_.ignored.end()), d_.ignored.end());
    for (Activity& a : p.activities)  // a room list that named no real room allows none
      a.allowed_rooms.erase(std::remove(a.allowed_rooms.begin(), a.allowed_rooms.end(), -1), a.allowed_rooms.end());
    return std::move(d_);
  }

 private:
  // One list: each of its records read whole into t_ and handled.
  Status ReadSection(XmlPull& x, int s) {
    if (s != kDays && s != kHours && s != kSubjects) KEHOU_TRY(NeedSlots());
    Problem& p = d_.problem;
    static constexpr const char* kRecord[kSections] = {"Day",  "Hour",     "Subject", "Teacher", "Year",
                                                       "Room", "Activity", nullptr,   nullptr};
    while (x.NextElement()) {
      if (kRecord[s] && x.name() != kRecord[s]) {
        x.Skip();
        continue;
      }
      if (!x.ReadTree(t_)) break;
      const Node n = t_.root();
      switch (s) {
        case kDays: p.days.push_back(Text(n, "Name")); break;
        case kHours: p.hours.push_back(Text(n, "Name")); break;
        case kSubjects: p.subjects.push_back(Text(n, "Name")); break;
        case kTeachers:
          teacher_[Text(n, "Name")] = static_cast<int>(p.teachers.size());
          p.teachers.push_back(Teacher{Text(n, "Name"), std::vector<bool>(Slots(), false), 0, false, {}});
          break;
        case kStudents: Year(n); break;
        case kRooms:
          room_[Text(n, "Name")] = static_cast<int>(p.rooms.size());
          p.rooms.push_back(Room{Text(n, "Name"), Int(n, "Capacity", 30000), "", std::vector<bool>(Slots(), false)});
          break;
        case kActivities: KEHOU_TRY(Activity1(n)); break;
        default: KEHOU_TRY(Constraint(n)); break;
      }
    }
    if (!x.ok()) return BadXml(x);
    if (s == kStudents) FinishSets();
    done_[s] = true;
    return Ok();
  }

  size_t Slots() const { return static_cast<size_t>(d_.problem.Slots()); }

  // Days and hours known: the break times sized (once).
  Status NeedSlots() {
    if (slots_) return Ok();
    Problem& p = d_.problem;
    if (p.days.empty() || p.hours.empty()) return Bad("没有天或节次", "no days or hours");
    p.breaks.assign(Slots(), false);
    slots_ = true;
    return Ok();
  }

  void Year(const Node& y) {
    const int yi = AddSet(y, 0, -1);
    for (auto g : Children(y, "Group")) {
      const int gi = AddSet(g, 1, yi);
      for (auto sg : Children(g, "Subgroup")) AddSet(sg, 2, gi);
    }
  }

  // One activity, its fields in one pass.
  Status Activity1(const Node& n) {
    Problem& p = d_.problem;
    Activity x;
    bool active = true, has_size = false;
    int duration = 1, size = 0;
    std::string_view unknown_teacher, unknown_set;  // reported only for an active activity, after its duration
    for (Node c = n.first_child(); c; c = c.next()) {
      const std::string_view tag = c.name(), text = c.text();
      if (tag == "Teacher") {
        auto it = teacher_.find(text);
        if (it == teacher_.end()) {
          if (unknown_teacher.empty()) unknown_teacher = text;
        } else {
          x.teachers.push_back(it->second);
        }
      } else if (tag == "Students") {
        auto it = set_.find(text);
        if (it == set_.end()) {
          if (unknown_set.empty()) unknown_set = text;
        } else {
          x.sets.push_back(it->second);
          // (saturating: a file's sizes are anything up to INT_MAX each; fuzz/fet_fuzz found the overflow)
          size = static_cast<int>(std::clamp<long long>(
              static_cast<long long>(size) + p.sets[static_cast<size_t>(it->second)].size, INT32_MIN, INT32_MAX));
        }
      } else if (tag == "Subject") {
        x.subject = text;
      } else if (tag == "Id") {
        x.id = AsLong(text);
      } else if (tag == "Activity_Group_Id") {
        x.group_id = AsLong(text);
      } else if (tag == "Duration") {
        duration = AsInt(text, 1);
      } else if (tag == "Number_Of_Students") {
        has_size = true;
        x.size = AsInt(text);
      } else if (tag == "Active") {
        active = text != "false";
      }
    }
    if (!active) return Ok();
    if (duration != 1)
      return Bad("活动 " + std::to_string(x.id) + " 的时长不是 1（只支持时长 1）",
                 "activity " + std::to_string(x.id) + " has a duration other than 1 (only 1 is supported)");
    if (!unknown_teacher.empty())
      return Bad("未知教师 " + std::string(unknown_teacher), "unknown teacher " + std::string(unknown_teacher));
    if (!unknown_set.empty())
      return Bad("未知学生组 " + std::string(unknown_set), "unknown students set " + std::string(unknown_set));
    if (!has_size) x.size = size;
    x.needs_room = false;  // FET gives a room only to activities with a room constraint
    activity_[x.id] = static_cast<int>(p.activities.size());
    p.activities.push_back(std::move(x));
    return Ok();
  }

  int AddSet(const Node& n, int level, int parent) {
    const std::string name = Text(n, "Name");
    auto it = set_.find(name);
    if (it != set_.end()) return it->second;  // FET may list a shared group under several years
    const int i = static_cast<int>(d_.problem.sets.size());
    set_[name] = i;
    d_.problem.sets.push_back(StudentSet{name, Int(n, "Number_of_Students"), {}, level, parent});
    return i;
  }

  // Each set stands for its leaves: a subgroup, a group without subgroups, a year without groups.
  void FinishSets() {
    Problem& p = d_.problem;
    std::vector<std::vector<int>> kids(p.sets.size());
    for (size_t i = 0; i < p.sets.size(); ++i)
      if (p.sets[i].parent >= 0) kids[static_cast<size_t>(p.sets[i].parent)].push_back(static_cast<int>(i));
    std::vector<int> atom_of(p.sets.size(), -1);
    for (size_t i = 0; i < p.sets.size(); ++i)
      if (kids[i].empty()) {
        atom_of[i] = static_cast<int>(p.atoms.size());
        p.atoms.push_back(Atom{p.sets[i].name, std::vector<bool>(Slots(), false)});
      }
    for (size_t i = 0; i < p.sets.size(); ++i) {
      std::vector<int> stack{static_cast<int>(i)};
      while (!stack.empty()) {
        const int k = stack.back();
        stack.pop_back();
        if (atom_of[static_cast<size_t>(k)] >= 0) p.sets[i].atoms.push_back(atom_of[static_cast<size_t>(k)]);
        for (int c : kids[static_cast<size_t>(k)]) stack.push_back(c);
      }
    }
  }

  Result<int> Slot(const Node& n, const char* day_tag, const char* hour_tag) {
    const Problem& p = d_.problem;
    auto d = std::find(p.days.begin(), p.days.end(), View(n, day_tag));
    auto h = std::find(p.hours.begin(), p.hours.end(), View(n, hour_tag));
    if (d == p.days.end() || h == p.hours.end())
      return Bad("未知时间 " + Text(n, day_tag) + " " + Text(n, hour_tag),
                 "unknown time " + Text(n, day_tag) + " " + Text(n, hour_tag));
    return static_cast<int>(d - p.days.begin()) * p.Hours() + static_cast<int>(h - p.hours.begin());
  }

  Status MarkTimes(const Node& n, const char* tag, std::vector<bool>& v) {
    for (auto t : Children(n, tag)) {
      KEHOU_ASSIGN_OR_RETURN(int s, Slot(t, "Day", "Hour"));
      v[static_cast<size_t>(s)] = true;
    }
    return Ok();
  }

  Activity* Act(const Node& n, const char* tag = "Activity_Id") {
    auto it = activity_.find(AsLong(View(n, tag)));
    return it == activity_.end() ? nullptr : &d_.problem.activities[static_cast<size_t>(it->second)];
  }

  Result<int> RoomOf(std::string_view name) {
    auto it = room_.find(name);
    if (it == room_.end()) return Bad("未知教室 " + std::string(name), "unknown room " + std::string(name));
    return it->second;
  }

  // A room list names rooms in the order of the Rooms_List more often than not (FET writes them
  // so, and so do we), and the lists of one room type repeat: the room after the last one found,
  // or the first room of the previous list, is compared before the hash table is asked.
  Result<int> RoomOfInList(std::string_view name, bool first) {
    const auto& rooms = d_.problem.rooms;
    const int guess = first ? list_first_ : next_room_;
    int r = -1;
    if (guess >= 0 && static_cast<size_t>(guess) < rooms.size() && rooms[static_cast<size_t>(guess)].name == name) {
      r = guess;
    } else {
      KEHOU_ASSIGN_OR_RETURN(r, RoomOf(name));
    }
    if (first) list_first_ = r;
    next_room_ = r + 1;
    return r;
  }

  // One activity's room (or rooms): hard ones allow only those, soft ones are preferred.
  Status PreferredRooms(const Node& c, std::string_view kind, bool hard) {
    Activity* x = Act(c);
    if (!x) return Ok();
    std::vector<int> rooms;
    if (kind == "ConstraintActivityPreferredRoom") {
      KEHOU_ASSIGN_OR_RETURN(int r, RoomOf(View(c, "Room")));
      rooms.push_back(r);
      if (hard && View(c, "Permanently_Locked") == "true") x->locked_room = r;
    } else {
      for (auto r : Children(c, "Preferred_Room")) {
        KEHOU_ASSIGN_OR_RETURN(int ri, RoomOfInList(r.text(), rooms.empty()));
        rooms.push_back(ri);
      }
    }
    std::sort(rooms.begin(), rooms.end());
    x->needs_room = true;
    std::vector<int>& target = hard ? x->allowed_rooms : x->preferred_rooms;
    if (target.empty()) {
      target = rooms;
    } else {  // two constraints on one activity: both hold
      std::vector<int> both;
      std::set_intersection(target.begin(), target.end(), rooms.begin(), rooms.end(), std::back_inserter(both));
      target = both.empty() && !hard ? rooms : both;
      if (target.empty() && hard) target.push_back(-1);  // nothing allowed: the feasibility check names it
    }
    return Ok();
  }

  // People's availability: a teacher's, a students set's (each of its leaves) or a room's.
  Status NotAvailable(const Node& c, std::string_view kind) {
    Problem& p = d_.problem;
    if (kind == "ConstraintTeacherNotAvailableTimes") {
      auto it = teacher_.find(View(c, "Teacher"));
      if (it == teacher_.end()) return Bad("未知教师 " + Text(c, "Teacher"), "unknown teacher " + Text(c, "Teacher"));
      return MarkTimes(c, "Not_Available_Time", p.teachers[static_cast<size_t>(it->second)].unavailable);
    }
    if (kind == "ConstraintStudentsSetNotAvailableTimes") {
      auto it = set_.find(View(c, "Students"));
      if (it == set_.end())
        return Bad("未知学生组 " + Text(c, "Students"), "unknown students set " + Text(c, "Students"));
      for (int at : p.sets[static_cast<size_t>(it->second)].atoms)
        KEHOU_TRY(MarkTimes(c, "Not_Available_Time", p.atoms[static_cast<size_t>(at)].unavailable));
      return Ok();
    }
    KEHOU_ASSIGN_OR_RETURN(int r, RoomOf(View(c, "Room")));
    return MarkTimes(c, "Not_Available_Time", p.rooms[static_cast<size_t>(r)].unavailable);
  }

  Status Constraint(const Node& c) {
    Problem& p = d_.problem;
    const std::string_view kind = c.name();
    if (!Active(c)) return Ok();
    const bool hard = Weight(c) >= kHardWeightPercent;
    if (kind == "ConstraintBasicCompulsoryTime" || kind == "ConstraintBasicCompulsorySpace") return Ok();
    if (kind == "ConstraintBreakTimes") return MarkTimes(c, "Break_Time", p.breaks);
    if (hard && (kind == "ConstraintTeacherNotAvailableTimes" || kind == "ConstraintStudentsSetNotAvailableTimes" ||
                 kind == "ConstraintRoomNotAvailableTimes"))
      return NotAvailable(c, kind);
    if (kind == "ConstraintTeacherMaxDaysPerWeek" && hard) {
      auto it = teacher_.find(View(c, "Teacher_Name"));
      if (it == teacher_.end())
        return Bad("未知教师 " + Text(c, "Teacher_Name"), "unknown teacher " + Text(c, "Teacher_Name"));
      int& mx = p.teachers[static_cast<size_t>(it->second)].max_days;
      const int v = Int(c, "Max_Days_Per_Week");
      mx = mx > 0 ? std::min(mx, v) : v;
    } else if (kind == "ConstraintTeachersMaxDaysPerWeek" && hard) {
      const int v = Int(c, "Max_Days_Per_Week");
      for (Teacher& t : p.teachers) t.max_days = t.max_days > 0 ? std::min(t.max_days, v) : v;
    } else if (kind == "ConstraintActivityPreferredRooms" || kind == "ConstraintActivityPreferredRoom") {
      return PreferredRooms(c, kind, hard);
    } else if (kind == "ConstraintActivityPreferredStartingTime" && hard) {
      Activity* x = Act(c);
      if (!x) return Ok();
      KEHOU_ASSIGN_OR_RETURN(int s, Slot(c, "Preferred_Day", "Preferred_Hour"));
      x->locked_slot = s;
    } else if (kind == "ConstraintMinDaysBetweenActivities") {
      ActivityGroup g;
      for (auto a : Children(c, "Activity_Id")) {
        auto it = activity_.find(AsLong(a.text()));
        if (it != activity_.end()) g.activities.push_back(it->second);
      }
      g.min_days = Int(c, "MinDays", 1);
      g.weight_percent = static_cast<int>(Weight(c));
      g.consecutive_if_same_day = View(c, "Consecutive_If_Same_Day") == "true";
      if (g.activities.size() >= 2 && g.min_days > 0) p.groups.push_back(std::move(g));
    } else {
      d_.ignored.emplace_back(kind);
    }
    return Ok();
  }

  FetData d_;
  XmlTree t_;  // the record in hand
  bool done_[kSections] = {};
  bool slots_ = false;  // NeedSlots ran
  Names teacher_, set_, room_;
  int next_room_ = -1, list_first_ = -1;  // RoomOfInList's guesses
  std::unordered_map<int64_t, int> activity_;
};

}  // namespace

Result<FetData> ReadFet(std::string_view xml) { return Reader().Read(xml); }

}  // namespace kehou::timetable
