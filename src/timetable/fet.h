// fet.h: FET 6.8 timetable files (.fet XML) both ways (read with the pull reader of xml_pull.h).
// Read: days, hours, subjects, teachers, years/groups/subgroups, rooms and capacities, activities
// (duration 1, with Activity_Group_Id) and the constraints of this kind of problem: break times,
// teacher / students set / room not available times, teacher(s) max days per week, activity
// preferred room(s) (100 %: allowed rooms; less: preferred), preferred starting time at 100 %
// (locked), min days between activities. Other active constraints are listed in `ignored`.
// Write: the same elements, so fet-cl solves the file as it is. Thread-safety: pure functions.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "timetable/model.h"

namespace kehou::timetable {

struct FetData {
  Problem problem;
  std::vector<std::string> ignored;  // names of active constraints this reader does not apply
};

// xml is only read (a mapped file's bytes will do: core/mapped_file.h).
Result<FetData> ReadFet(std::string_view xml);

// The .fet text of p. With `locked` (one placement per activity), those placements are written as
// permanently locked preferred starting times and rooms.
std::string WriteFet(const Problem& p, const Assignment& locked = {});

}  // namespace kehou::timetable
