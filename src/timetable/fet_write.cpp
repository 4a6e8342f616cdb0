// fet_write.cpp: the FET 6.8 (.fet) writer (the reader is fet.cpp): the same elements the reader
// takes, so fet-cl solves the file as it is.
#include <algorithm>
#include <set>
#include <sstream>

#include "timetable/check.h"
#include "timetable/fet.h"

namespace kehou::timetable {
namespace {

// XML text escaping for element content.
std::string X(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&apos;"; break;
      default: o += c;
    }
  }
  return o;
}

void Times(std::ostringstream& o, const Problem& p, const std::vector<bool>& v, const char* tag) {
  for (int s = 0; s < p.Slots() && static_cast<size_t>(s) < v.size(); ++s)
    if (v[static_cast<size_t>(s)])
      o << "\t<" << tag << ">\n\t\t<Day>" << X(p.days[static_cast<size_t>(s / p.Hours())]) << "</Day>\n\t\t<Hour>"
        << X(p.hours[static_cast<size_t>(s % p.Hours())]) << "</Hour>\n\t</" << tag << ">\n";
}

int Count(const std::vector<bool>& v) { return static_cast<int>(std::count(v.begin(), v.end(), true)); }

void WriteSet(std::ostringstream& o, const Problem& p, int i, const std::vector<std::vector<int>>& kids, int depth) {
  static const char* kTag[] = {"Year", "Group", "Subgroup"};
  const std::string ind(static_cast<size_t>(depth), '\t');
  const StudentSet& s = p.sets[static_cast<size_t>(i)];
  const char* tag = kTag[std::clamp(s.level, 0, 2)];
  o << ind << "<" << tag << ">\n"
    << ind << "\t<Name>" << X(s.name) << "</Name>\n"
    << ind << "\t<Number_of_Students>" << s.size << "</Number_of_Students>\n"
    << ind << "\t<Comments></Comments>\n";
  if (s.level == 0)
    o << ind << "\t<Number_of_Categories>0</Number_of_Categories>\n" << ind << "\t<Separator> </Separator>\n";
  for (int k : kids[static_cast<size_t>(i)]) WriteSet(o, p, k, kids, depth + 1);
  o << ind << "</" << tag << ">\n";
}

constexpr const char* kTail = "\t<Active>true</Active>\n\t<Comments></Comments>\n";

// The lists: days, hours, subjects, teachers and the student sets (years > groups > subgroups).
void WriteLists(std::ostringstream& o, const Problem& p) {
  o << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\n<fet version=\"6.8.5\">\n\n<Mode>Official</Mode>\n\n"
    << "<Institution_Name>Kehou</Institution_Name>\n\n<Comments>Written by kehou timetable</Comments>\n\n";
  o << "<Days_List>\n<Number_of_Days>" << p.Days() << "</Number_of_Days>\n";
  for (const auto& d : p.days) o << "<Day>\n\t<Name>" << X(d) << "</Name>\n</Day>\n";
  o << "</Days_List>\n\n<Hours_List>\n<Number_of_Hours>" << p.Hours() << "</Number_of_Hours>\n";
  for (const auto& h : p.hours) o << "<Hour>\n\t<Name>" << X(h) << "</Name>\n</Hour>\n";
  o << "</Hours_List>\n\n<Subjects_List>\n";
  std::set<std::string> subjects(p.subjects.begin(), p.subjects.end());
  for (const Activity& x : p.activities) subjects.insert(x.subject);
  for (const auto& s : subjects) o << "<Subject>\n\t<Name>" << X(s) << "</Name>\n\t<Comments></Comments>\n</Subject>\n";
  o << "</Subjects_List>\n\n<Activity_Tags_List>\n</Activity_Tags_List>\n\n<Teachers_List>\n";
  for (const Teacher& t : p.teachers)
    o << "<Teacher>\n\t<Name>" << X(t.name) << "</Name>\n\t<Target_Number_of_Hours>0</Target_Number_of_Hours>\n"
      << "\t<Qualified_Subjects>\n\t</Qualified_Subjects>\n\t<Comments></Comments>\n</Teacher>\n";
  o << "</Teachers_List>\n\n<Students_List>\n";
  std::vector<std::vector<int>> kids(p.sets.size());
  for (size_t i = 0; i < p.sets.size(); ++i)
    if (p.sets[i].parent >= 0) kids[static_cast<size_t>(p.sets[i].parent)].push_back(static_cast<int>(i));
  for (size_t i = 0; i < p.sets.size(); ++i)
    if (p.sets[i].parent < 0) WriteSet(o, p, static_cast<int>(i), kids, 0);
  o << "</Students_List>\n\n";
}

// The activities (with their teachers and students) and the rooms.
void WriteActivities(std::ostringstream& o, const Problem& p) {
  o << "<Activities_List>\n";
  for (const Activity& x : p.activities) {
    o << "<Activity>\n";
    for (int t : x.teachers) o << "\t<Teacher>" << X(p.teachers[static_cast<size_t>(t)].name) << "</Teacher>\n";
    o << "\t<Subject>" << X(x.subject) << "</Subject>\n";
    int size = 0;
    for (int s : x.sets) {
      o << "\t<Students>" << X(p.sets[static_cast<size_t>(s)].name) << "</Students>\n";
      size += p.sets[static_cast<size_t>(s)].size;
    }
    o << "\t<Duration>1</Duration>\n\t<Total_Duration>1</Total_Duration>\n\t<Id>" << x.id << "</Id>\n"
      << "\t<Activity_Group_Id>" << x.group_id << "</Activity_Group_Id>\n";
    if (size != x.size) o << "\t<Number_Of_Students>" << x.size << "</Number_Of_Students>\n";
    o << "\t<Active>true</Active>\n\t<Comments></Comments>\n</Activity>\n";
  }
  o << "</Activities_List>\n\n<Buildings_List>\n</Buildings_List>\n\n<Rooms_List>\n";
  for (const Room& r : p.rooms)
    o << "<Room>\n\t<Name>" << X(r.name) << "</Name>\n\t<Building></Building>\n\t<Capacity>" << r.capacity
      << "</Capacity>\n\t<Virtual>false</Virtual>\n\t<Comments></Comments>\n</Room>\n";
  o << "</Rooms_List>\n\n";
}

// Time constraints of the people and the breaks: break times, teachers' and students' unavailable
// times and teachers' days per week.
void WriteAvailability(std::ostringstream& o, const Problem& p) {
  o << "<Time_Constraints_List>\n<ConstraintBasicCompulsoryTime>\n\t<Weight_Percentage>100</Weight_Percentage>\n"
    << "\t<Active>true</Active>\n\t<Comments></Comments>\n</ConstraintBasicCompulsoryTime>\n";
  if (Count(p.breaks) > 0) {
    o << "<ConstraintBreakTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Number_of_Break_Times>"
      << Count(p.breaks) << "</Number_of_Break_Times>\n";
    Times(o, p, p.breaks, "Break_Time");
    o << kTail << "</ConstraintBreakTimes>\n";
  }
  for (const Teacher& t : p.teachers) {
    if (Count(t.unavailable) > 0) {
      o << "<ConstraintTeacherNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Teacher>"
        << X(t.name) << "</Teacher>\n\t<Number_of_Not_Available_Times>" << Count(t.unavailable)
        << "</Number_of_Not_Available_Times>\n";
      Times(o, p, t.unavailable, "Not_Available_Time");
      o << kTail << "</ConstraintTeacherNotAvailableTimes>\n";
    }
    if (t.max_days > 0)
      o << "<ConstraintTeacherMaxDaysPerWeek>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Teacher_Name>"
        << X(t.name) << "</Teacher_Name>\n\t<Max_Days_Per_Week>" << t.max_days << "</Max_Days_Per_Week>\n"
        << kTail << "</ConstraintTeacherMaxDaysPerWeek>\n";
  }
  for (const Atom& a : p.atoms) {
    if (Count(a.unavailable) == 0) continue;
    o << "<ConstraintStudentsSetNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Students>"
      << X(a.name) << "</Students>\n\t<Number_of_Not_Available_Times>" << Count(a.unavailable)
      << "</Number_of_Not_Available_Times>\n";
    Times(o, p, a.unavailable, "Not_Available_Time");
    o << kTail << "</ConstraintStudentsSetNotAvailableTimes>\n";
  }
}

// Time constraints of the activities: min-days groups and locked (or kept) starting times.
void WriteActivityTimes(std::ostringstream& o, const Problem& p, const Assignment& locked) {
  for (const ActivityGroup& g : p.groups) {
    o << "<ConstraintMinDaysBetweenActivities>\n\t<Weight_Percentage>" << g.weight_percent
      << "</Weight_Percentage>\n\t<Consecutive_If_Same_Day>" << (g.consecutive_if_same_day ? "true" : "false")
      << "</Consecutive_If_Same_Day>\n\t<Number_of_Activities>" << g.activities.size() << "</Number_of_Activities>\n";
    for (int a : g.activities) o << "\t<Activity_Id>" << p.activities[static_cast<size_t>(a)].id << "</Activity_Id>\n";
    o << "\t<MinDays>" << g.min_days << "</MinDays>\n" << kTail << "</ConstraintMinDaysBetweenActivities>\n";
  }
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Activity& x = p.activities[i];
    const int slot = x.locked_slot >= 0 ? x.locked_slot : (i < locked.size() ? locked[i].slot : -1);
    if (slot < 0) continue;
    o << "<ConstraintActivityPreferredStartingTime>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Activity_Id>"
      << x.id << "</Activity_Id>\n\t<Preferred_Day>" << X(p.days[static_cast<size_t>(slot / p.Hours())])
      << "</Preferred_Day>\n\t<Preferred_Hour>" << X(p.hours[static_cast<size_t>(slot % p.Hours())])
      << "</Preferred_Hour>\n\t<Permanently_Locked>true</Permanently_Locked>\n"
      << kTail << "</ConstraintActivityPreferredStartingTime>\n";
  }
  o << "</Time_Constraints_List>\n\n";
}

// Space constraints: the rooms' unavailable times; per activity its locked room, or the rooms it may use.
void WriteSpaceConstraints(std::ostringstream& o, const Problem& p, const Assignment& locked) {
  o << "<Space_Constraints_List>\n<ConstraintBasicCompulsorySpace>\n"
    << "\t<Weight_Percentage>100</Weight_Percentage>\n"
    << kTail << "</ConstraintBasicCompulsorySpace>\n";
  for (const Room& r : p.rooms) {
    if (Count(r.unavailable) == 0) continue;
    o << "<ConstraintRoomNotAvailableTimes>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Room>" << X(r.name)
      << "</Room>\n\t<Number_of_Not_Available_Times>" << Count(r.unavailable) << "</Number_of_Not_Available_Times>\n";
    Times(o, p, r.unavailable, "Not_Available_Time");
    o << kTail << "</ConstraintRoomNotAvailableTimes>\n";
  }
  for (size_t i = 0; i < p.activities.size(); ++i) {
    const Activity& x = p.activities[i];
    if (!x.needs_room) continue;
    const int room = x.locked_room >= 0 ? x.locked_room : (i < locked.size() ? locked[i].room : -1);
    if (room >= 0) {
      o << "<ConstraintActivityPreferredRoom>\n\t<Weight_Percentage>100</Weight_Percentage>\n\t<Activity_Id>" << x.id
        << "</Activity_Id>\n\t<Room>" << X(p.rooms[static_cast<size_t>(room)].name)
        << "</Room>\n\t<Permanently_Locked>true</Permanently_Locked>\n"
        << kTail << "</ConstraintActivityPreferredRoom>\n";
      continue;
    }
    std::vector<int> fits;  // the hard room rule (type, capacity, allowed list) as FET's allowed rooms
    for (int r = 0; r < static_cast<int>(p.rooms.size()); ++r)
      if (RoomFits(p, x, r)) fits.push_back(r);
    auto list = [&](const std::vector<int>& rooms, int weight) {
      o << "<ConstraintActivityPreferredRooms>\n\t<Weight_Percentage>" << weight
        << "</Weight_Percentage>\n\t<Activity_Id>" << x.id << "</Activity_Id>\n\t<Number_of_Preferred_Rooms>"
        << rooms.size() << "</Number_of_Preferred_Rooms>\n";
      for (int r : rooms) o << "\t<Preferred_Room>" << X(p.rooms[static_cast<size_t>(r)].name) << "</Preferred_Room>\n";
      o << kTail << "</ConstraintActivityPreferredRooms>\n";
    };
    list(fits, 100);
    if (!x.preferred_rooms.empty()) list(x.preferred_rooms, 90);
  }
  o << "</Space_Constraints_List>\n\n";
}

}  // namespace

std::string WriteFet(const Problem& p, const Assignment& locked) {
  std::ostringstream o;
  WriteLists(o, p);
  WriteActivities(o, p);
  WriteAvailability(o, p);
  WriteActivityTimes(o, p, locked);
  WriteSpaceConstraints(o, p, locked);
  o << "</fet>\n";
  return o.str();
}

}  // namespace kehou::timetable
