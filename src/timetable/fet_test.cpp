#include "timetable/fet.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/mapped_file.h"
#include "timetable/fet_cli.h"
#include "timetable/solver.h"

namespace kehou::timetable {
namespace {

// A small file in FET 6.8's own form (element names as in FET's example files).
constexpr const char* kSmall = R"(<?xml version="1.0" encoding="UTF-8"?>
<fet version="6.8.5">
<Mode>Official</Mode>
<Institution_Name>Test</Institution_Name>
<Days_List><Number_of_Days>3</Number_of_Days>
<Day><Name>Mon</Name></Day><Day><Name>Tue</Name></Day><Day><Name>Wed</Name></Day></Days_List>
<Hours_List><Number_of_Hours>2</Number_of_Hours>
<Hour><Name>15:30</Name></Hour><Hour><Name>16:30</Name></Hour></Hours_List>
<Subjects_List><Subject><Name>Art &amp; Craft</Name></Subject><Subject><Name>Chess</Name></Subject></Subjects_List>
<Teachers_List><Teacher><Name>Wang</Name></Teacher><Teacher><Name>Li</Name></Teacher></Teachers_List>
<Students_List>
<Year><Name>G1</Name><Number_of_Students>40</Number_of_Students>
  <Group><Name>G1-1</Name><Number_of_Students>20</Number_of_Students>
    <Subgroup><Name>G1-1a</Name><Number_of_Students>10</Number_of_Students></Subgroup>
    <Subgroup><Name>G1-1b</Name><Number_of_Students>10</Number_of_Students></Subgroup>
  </Group>
  <Group><Name>G1-2</Name><Number_of_Students>20</Number_of_Students></Group>
</Year>
<Year><Name>G2</Name><Number_of_Students>25</Number_of_Students></Year>
</Students_List>
<Activities_List>
<Activity><Teacher>Wang</Teacher><Subject>Art &amp; Craft</Subject><Students>G1</Students><Duration>1</Duration>
  <Total_Duration>2</Total_Duration><Id>11</Id><Activity_Group_Id>11</Activity_Group_Id><Active>true</Active></Activity>
<Activity><Teacher>Wang</Teacher><Subject>Art &amp; Craft</Subject><Students>G1</Students><Duration>1</Duration>
  <Total_Duration>2</Total_Duration><Id>12</Id><Activity_Group_Id>11</Activity_Group_Id><Active>true</Active></Activity>
<Activity><Teacher>Li</Teacher><Subject>Chess</Subject><Students>G1-1a</Students><Students>G2</Students><Duration>1</Duration>
  <Total_Duration>1</Total_Duration><Id>13</Id><Activity_Group_Id>0</Activity_Group_Id><Active>true</Active></Activity>
<Activity><Teacher>Li</Teacher><Subject>Chess</Subject><Students>G2</Students><Duration>1</Duration>
  <Total_Duration>1</Total_Duration><Id>14</Id><Activity_Group_Id>0</Activity_Group_Id><Active>false</Active></Activity>
</Activities_List>
<Rooms_List>
<Room><Name>Hall</Name><Building></Building><Capacity>50</Capacity><Virtual>false</Virtual></Room>
<Room><Name>R101</Name><Building></Building><Capacity>40</Capacity><Virtual>false</Virtual></Room>
</Rooms_List>
<Time_Constraints_List>
<ConstraintBasicCompulsoryTime><Weight_Percentage>100</Weight_Percentage><Active>true</Active></ConstraintBasicCompulsoryTime>
<ConstraintBreakTimes><Weight_Percentage>100</Weight_Percentage><Number_of_Break_Times>1</Number_of_Break_Times>
  <Break_Time><Day>Wed</Day><Hour>16:30</Hour></Break_Time><Active>true</Active></ConstraintBreakTimes>
<ConstraintTeacherNotAvailableTimes><Weight_Percentage>100</Weight_Percentage><Teacher>Wang</Teacher>
  <Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
  <Not_Available_Time><Day>Mon</Day><Hour>15:30</Hour></Not_Available_Time><Active>true</Active></ConstraintTeacherNotAvailableTimes>
<ConstraintStudentsSetNotAvailableTimes><Weight_Percentage>100</Weight_Percentage><Students>G1-1</Students>
  <Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
  <Not_Available_Time><Day>Tue</Day><Hour>16:30</Hour></Not_Available_Time><Active>true</Active></ConstraintStudentsSetNotAvailableTimes>
<ConstraintTeacherMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Li</Teacher_Name>
  <Max_Days_Per_Week>1</Max_Days_Per_Week><Active>true</Active></ConstraintTeacherMaxDaysPerWeek>
<ConstraintTeachersMaxDaysPerWeek><Weight_Percentage>100</Weight_Percentage><Max_Days_Per_Week>2</Max_Days_Per_Week>
  <Active>true</Active></ConstraintTeachersMaxDaysPerWeek>
<ConstraintMinDaysBetweenActivities><Weight_Percentage>100</Weight_Percentage><Consecutive_If_Same_Day>true</Consecutive_If_Same_Day>
  <Number_of_Activities>2</Number_of_Activities><Activity_Id>11</Activity_Id><Activity_Id>12</Activity_Id>
  <MinDays>1</MinDays><Active>true</Active></ConstraintMinDaysBetweenActivities>
<ConstraintActivityPreferredStartingTime><Weight_Percentage>100</Weight_Percentage><Activity_Id>13</Activity_Id>
  <Preferred_Day>Tue</Preferred_Day><Preferred_Hour>15:30</Preferred_Hour><Permanently_Locked>true</Permanently_Locked>
  <Active>true</Active></ConstraintActivityPreferredStartingTime>
<ConstraintTeacherMaxGapsPerWeek><Weight_Percentage>100</Weight_Percentage><Teacher_Name>Li</Teacher_Name>
  <Max_Gaps>0</Max_Gaps><Active>true</Active></ConstraintTeacherMaxGapsPerWeek>
</Time_Constraints_List>
<Space_Constraints_List>
<ConstraintBasicCompulsorySpace><Weight_Percentage>100</Weight_Percentage><Active>true</Active></ConstraintBasicCompulsorySpace>
<ConstraintActivityPreferredRooms><Weight_Percentage>100</Weight_Percentage><Activity_Id>11</Activity_Id>
  <Number_of_Preferred_Rooms>2</Number_of_Preferred_Rooms><Preferred_Room>Hall</Preferred_Room><Preferred_Room>R101</Preferred_Room>
  <Active>true</Active></ConstraintActivityPreferredRooms>
<ConstraintActivityPreferredRooms><Weight_Percentage>80</Weight_Percentage><Activity_Id>11</Activity_Id>
  <Number_of_Preferred_Rooms>1</Number_of_Preferred_Rooms><Preferred_Room>R101</Preferred_Room>
  <Active>true</Active></ConstraintActivityPreferredRooms>
<ConstraintActivityPreferredRoom><Weight_Percentage>100</Weight_Percentage><Activity_Id>12</Activity_Id>
  <Room>Hall</Room><Permanently_Locked>false</Permanently_Locked><Active>true</Active></ConstraintActivityPreferredRoom>
<ConstraintRoomNotAvailableTimes><Weight_Percentage>100</Weight_Percentage><Room>Hall</Room>
  <Number_of_Not_Available_Times>1</Number_of_Not_Available_Times>
  <Not_Available_Time><Day>Tue</Day><Hour>15:30</Hour></Not_Available_Time><Active>true</Active></ConstraintRoomNotAvailableTimes>
</Space_Constraints_List>
</fet>
)";

void ExpectSmall(const Problem& p) {
  ASSERT_EQ(p.days.size(), 3u);
  ASSERT_EQ(p.hours.size(), 2u);
  EXPECT_EQ(p.hours[1], "16:30");
  ASSERT_EQ(p.teachers.size(), 2u);
  EXPECT_TRUE(p.teachers[0].unavailable[0]);  // Wang, Mon 15:30
  EXPECT_EQ(p.teachers[0].max_days, 2);       // all teachers: 2
  EXPECT_EQ(p.teachers[1].max_days, 1);       // Li: 1 (the smaller)
  EXPECT_TRUE(p.breaks[5]);                   // Wed 16:30
  EXPECT_EQ(std::count(p.breaks.begin(), p.breaks.end(), true), 1);
  // Leaves: G1-1a, G1-1b, G1-2, G2; G1 stands for the first three.
  ASSERT_EQ(p.atoms.size(), 4u);
  ASSERT_EQ(p.sets.size(), 6u);
  EXPECT_EQ(p.sets[0].name, "G1");
  EXPECT_EQ(p.sets[0].atoms.size(), 3u);
  EXPECT_EQ(p.sets[1].atoms.size(), 2u);  // G1-1: its two subgroups
  // G1-1 not available Tue 16:30: both subgroups.
  int blocked = 0;
  for (const Atom& a : p.atoms) blocked += a.unavailable.empty() ? 0 : a.unavailable[3] ? 1 : 0;
  EXPECT_EQ(blocked, 2);
  ASSERT_EQ(p.activities.size(), 3u);  // the inactive one is left out
  const Activity& a11 = p.activities[0];
  EXPECT_EQ(a11.id, 11);
  EXPECT_EQ(a11.group_id, 11);
  EXPECT_EQ(a11.subject, "Art & Craft");
  EXPECT_EQ(a11.size, 40);
  EXPECT_TRUE(a11.needs_room);
  EXPECT_EQ(a11.allowed_rooms, (std::vector<int>{0, 1}));
  EXPECT_EQ(a11.preferred_rooms, (std::vector<int>{1}));
  EXPECT_EQ(p.activities[1].allowed_rooms, (std::vector<int>{0}));
  EXPECT_EQ(p.activities[2].size, 35);        // G1-1a 10 + G2 25
  EXPECT_EQ(p.activities[2].locked_slot, 2);  // Tue 15:30
  EXPECT_FALSE(p.activities[2].needs_room);   // no room constraint: no room in FET either
  ASSERT_EQ(p.groups.size(), 1u);
  EXPECT_EQ(p.groups[0].weight_percent, 100);
  EXPECT_EQ(p.groups[0].activities, (std::vector<int>{0, 1}));
  EXPECT_TRUE(p.rooms[0].unavailable[2]);
  EXPECT_EQ(p.rooms[1].capacity, 40);
}

TEST(Fet, ReadsEveryElementAndConstraint) {
  auto d = ReadFet(kSmall);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ExpectSmall(d->problem);
  EXPECT_EQ(d->ignored, (std::vector<std::string>{"ConstraintTeacherMaxGapsPerWeek"}));
}

// FET writes each list after those it refers to; a file in another order reads the same.
TEST(Fet, ReadsTheListsInAnyOrder) {
  const std::string text(kSmall);
  auto cut = [&](const std::string& tag) {
    const size_t a = text.find("<" + tag + ">"), b = text.find("</" + tag + ">") + tag.size() + 3;
    return text.substr(a, b - a);
  };
  const std::string head = text.substr(0, text.find("<Days_List>"));
  // Constraints first, then activities, rooms, students, teachers, hours, days (reversed).
  std::string reversed = head;
  for (const char* tag : {"Space_Constraints_List", "Time_Constraints_List", "Rooms_List", "Activities_List",
                          "Students_List", "Teachers_List", "Subjects_List", "Hours_List", "Days_List"})
    reversed += cut(tag) + "\n";
  reversed += "</fet>\n";
  auto d = ReadFet(reversed);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ExpectSmall(d->problem);
  EXPECT_EQ(WriteFet(d->problem), WriteFet(ReadFet(kSmall)->problem));
  EXPECT_EQ(d->ignored, (std::vector<std::string>{"ConstraintTeacherMaxGapsPerWeek"}));
  // Without hours nothing can be placed: refused by name, whatever the order.
  std::string no_hours = reversed;
  no_hours.erase(no_hours.find(cut("Hours_List")), cut("Hours_List").size());
  auto none = ReadFet(no_hours);
  ASSERT_FALSE(none.ok());
  EXPECT_NE(none.error().message_en.find("no days or hours"), std::string::npos);
}

// The CLI reads the file mapped (core/mapped_file.h): a .fet on disk solves as the text does.
TEST(Fet, ReadsAMappedFile) {
  const std::string path = testing::TempDir() + "fet_test_small.fet";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << kSmall;
  }
  auto file = MappedFile::Open(path);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file->bytes(), std::string_view(kSmall));
  auto d = ReadFet(file->bytes());
  ASSERT_TRUE(d.ok()) << d.error().message;
  ExpectSmall(d->problem);
  { std::ofstream empty(path, std::ios::binary | std::ios::trunc); }  // nothing to map: read, and refused
  auto none = MappedFile::Open(path);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->bytes(), "");
  EXPECT_FALSE(ReadFet(none->bytes()).ok());
  std::remove(path.c_str());
  EXPECT_FALSE(MappedFile::Open(path).ok());
}

TEST(Fet, WriteThenReadGivesTheSameProblem) {
  auto d = ReadFet(kSmall);
  ASSERT_TRUE(d.ok());
  const std::string text = WriteFet(d->problem);
  auto again = ReadFet(text);
  ASSERT_TRUE(again.ok()) << again.error().message << "\n" << text;
  ExpectSmall(again->problem);
  EXPECT_TRUE(again->ignored.empty());
  EXPECT_EQ(WriteFet(again->problem), text);  // a fixed point
}

TEST(Fet, SolvesTheSmallFileAndTheCsvReadsBack) {
  auto d = ReadFet(kSmall);
  ASSERT_TRUE(d.ok());
  SolveOptions o;
  o.seconds = 5;
  auto r = Solve(d->problem, o);
  ASSERT_TRUE(r.solved) << (r.reasons.empty() ? "" : r.reasons[0].en);
  EXPECT_EQ(r.assignment[2].slot, 2);
  EXPECT_EQ(r.assignment[2].room, -1);
  const std::string csv = ResultCsv(d->problem, r.assignment);
  EXPECT_EQ(csv.rfind("activity_id,day,hour,room\n", 0), 0u);
  EXPECT_NE(csv.find("13,Tue,15:30,\n"), std::string::npos) << csv;
  std::istringstream in(csv);
  EXPECT_EQ(ReadResultCsv(d->problem, in), r.assignment);
}

TEST(Fet, RefusesWhatItCannotRead) {
  EXPECT_FALSE(ReadFet("<fet><Days_List>").ok());
  EXPECT_FALSE(ReadFet("<other/>").ok());
  auto broken = ReadFet("<fet>\n<Days_List><Day><Name>Mon</Day></Days_List></fet>");
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(broken.error().message, "FET 文件：XML 无法解析（line 2: end tag </Day> does not match <Name>）");
  std::string longer = kSmall;
  longer.replace(longer.find("<Duration>1</Duration>"), 22, "<Duration>2</Duration>");
  auto d = ReadFet(longer);
  ASSERT_FALSE(d.ok());
  EXPECT_NE(d.error().message.find("时长"), std::string::npos);
  std::string unknown = kSmall;
  unknown.replace(unknown.find("<Teacher>Li</Teacher><Subject>"), 20, "<Teacher>Xu</Teacher>");
  EXPECT_FALSE(ReadFet(unknown).ok());
}

// Odd values the fuzzer (fuzz/fet_fuzz.cpp) goes after: a soft room list naming no room leaves no
// preference (it once left a -1 that the writer read as a room), and weights are held to 0-100.
TEST(Fet, OddRoomListsAndWeightsStayInRange) {
  std::string odd = kSmall;
  const std::string empty_soft =  // after activity 11's soft list of R101: a second one naming no room
      "<ConstraintActivityPreferredRooms><Weight_Percentage>80</Weight_Percentage><Activity_Id>11</Activity_Id>"
      "<Active>true</Active></ConstraintActivityPreferredRooms>\n";
  odd.insert(odd.find("</Space_Constraints_List>"), empty_soft);
  const std::string group_weight = "<Weight_Percentage>100</Weight_Percentage><Consecutive_If_Same_Day>";
  odd.replace(odd.find(group_weight), group_weight.size(),
              "<Weight_Percentage>1e300</Weight_Percentage><Consecutive_If_Same_Day>");
  auto d = ReadFet(odd);
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_TRUE(d->problem.activities[0].preferred_rooms.empty());
  ASSERT_EQ(d->problem.groups.size(), 1u);
  EXPECT_EQ(d->problem.groups[0].weight_percent, 100);
  EXPECT_TRUE(ReadFet(WriteFet(d->problem)).ok());
  std::string nan = odd;
  nan.replace(nan.find("1e300"), 5, "nan");
  auto n = ReadFet(nan);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->problem.groups[0].weight_percent, 0);
}

// The reader takes an activity's fields in one pass and guesses a room list's next room from the
// Rooms_List order: neither may change what is read.
TEST(Fet, ReadsRoomListsInAnyOrderAndSkipsAnInactiveActivityWhole) {
  std::string reversed = kSmall;
  const std::string in_order = "<Preferred_Room>Hall</Preferred_Room><Preferred_Room>R101</Preferred_Room>";
  reversed.replace(reversed.find(in_order), in_order.size(),
                   "<Preferred_Room>R101</Preferred_Room><Preferred_Room>Hall</Preferred_Room>");
  auto d = ReadFet(reversed);
  ASSERT_TRUE(d.ok()) << d.error().message;
  ExpectSmall(d->problem);  // allowed rooms {Hall, R101} of activity 11 as before
  std::string missing = kSmall;
  missing.replace(missing.find(in_order), in_order.size(),
                  "<Preferred_Room>Hall</Preferred_Room><Preferred_Room>R102</Preferred_Room>");
  auto bad_room = ReadFet(missing);
  ASSERT_FALSE(bad_room.ok());
  EXPECT_NE(bad_room.error().message_en.find("unknown room R102"), std::string::npos);
  // Activity 14 is inactive: an unknown teacher or students set in it is not read at all.
  std::string inactive = kSmall;
  const std::string a14 = "<Teacher>Li</Teacher><Subject>Chess</Subject><Students>G2</Students>";
  inactive.replace(inactive.find(a14), a14.size(),
                   "<Teacher>Xu</Teacher><Subject>Chess</Subject><Students>G9</Students>");
  auto skipped = ReadFet(inactive);
  ASSERT_TRUE(skipped.ok()) << skipped.error().message;
  ExpectSmall(skipped->problem);
  // The same in an active activity is refused, naming it.
  std::string active = inactive;
  active.replace(active.find("<Active>false</Active>"), 22, "<Active>true</Active>");
  auto refused = ReadFet(active);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message_en.find("unknown teacher Xu"), std::string::npos);
  std::string set_only = kSmall;
  set_only.replace(set_only.find(a14), a14.size(),
                   "<Teacher>Li</Teacher><Subject>Chess</Subject><Students>G9</Students>");
  set_only.replace(set_only.find("<Active>false</Active>"), 22, "<Active>true</Active>");
  auto no_set = ReadFet(set_only);
  ASSERT_FALSE(no_set.ok());
  EXPECT_NE(no_set.error().message_en.find("unknown students set G9"), std::string::npos);
}

}  // namespace
}  // namespace kehou::timetable
