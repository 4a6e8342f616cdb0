// basic_groups.h: the basic-service groups (the "1" of 1+X, R-CRS-1/R-CRS-4) of one weekday and
// band from the children who attend then: a class of its own, split into equal parts when more
// than kMaxGroupSize attend; the few of a small class join a mixed group of their grade. Pure.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kehou::timetable {

// Policy 004 (学生分班: 每班人数≤45人) and SPEC R-CRS-4: at most 45 children in a group.
inline constexpr int kMaxGroupSize = 45;
// A class with fewer children attending than this joins a mixed group of its grade.
inline constexpr int kMinClassGroup = 15;
// Grades 1-2 emphasise play and reading (R-CRS-1): their groups carry the label.
inline constexpr int kPlayReadingTopGrade = 2;

struct GroupChild {
  int64_t student_id = 0;
  int64_t class_id = 0;
  int grade = 0;
  std::string class_name;  // 三年级(2)班
  std::string grade_name;  // 三年级
};

struct FormedGroup {
  std::string name;
  int grade = 0;
  std::optional<int64_t> class_id;  // a class group; nullopt: mixed
  std::vector<int64_t> members;     // student ids, ascending
  bool play_reading = false;
};

// The groups of the children given (one weekday and band), by grade, class, then mixed; each of
// at most max_size children (max_size >= 1). Deterministic: the same children, the same groups.
std::vector<FormedGroup> FormGroups(std::vector<GroupChild> children, int max_size = kMaxGroupSize);

}  // namespace kehou::timetable
