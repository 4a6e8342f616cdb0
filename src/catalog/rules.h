// rules.h (catalog): pure rules of the 1+X extension-course catalog and its sections.
// No I/O. Every policy number is a named constant with a test at its limit.
// Thread-safety: pure functions.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace kehou::catalog {

// A section holds at most this many children (R-CRS): 45 passes, 46 is refused everywhere
// (creation, selection, manual placement, import).
inline constexpr int kMaxSectionSize = 45;
// The catalog page shows the count of extension courses against this target.
inline constexpr int kCatalogTarget = 30;
inline constexpr int kMaxSessionsPerWeek = 10;
inline constexpr size_t kMaxNameLength = 60;  // code points

// Categories: science, sports, arts, labour, reading, film, interest group, club.
const std::vector<std::string>& Categories();
std::string_view CategoryLabelZh(std::string_view category);
bool IsCategory(std::string_view s);
// Venue kinds (the rooms' kinds).
bool IsVenueKind(std::string_view s);
// Service bands a course may meet in.
bool IsBand(std::string_view s);
std::string_view BandLabelZh(std::string_view band);

// A meeting slot: ISO weekday 1..5 and a service band.
struct Slot {
  int weekday = 1;
  std::string band;
  bool operator==(const Slot&) const = default;
};
// "2:after_school,4:after_school" <-> slots. Errors name the field "slots".
Result<std::vector<Slot>> ParseSlots(std::string_view text);
std::string FormatSlots(const std::vector<Slot>& slots);
std::string DescribeSlotZh(const Slot& s);  // 周二 课后
// True if some slot of a is a slot of b.
bool SlotsClash(const std::vector<Slot>& a, const std::vector<Slot>& b);
std::optional<Slot> FirstClash(const std::vector<Slot>& a, const std::vector<Slot>& b);

// "3,4,5" <-> grade numbers 1..9 (sorted, unique).
Result<std::vector<int>> ParseGrades(std::string_view text, std::string_view field = "grades");
std::string FormatGrades(const std::vector<int>& grades);
bool GradeIn(int grade, const std::vector<int>& grades);

struct CourseInput {
  std::string name;
  std::string category;
  std::string description;
  std::vector<int> grades;
  int64_t capacity = 0;
  std::string venue_kind = "classroom";
  std::optional<int64_t> teacher_staff_id;
  std::string institution;
  int64_t sessions_per_week = 1;
  std::vector<Slot> slots;
  int64_t fee_fen = 0;
  bool subject_qa = false;
  // Subject-type courses are Q&A only: they may not be published as new-lesson courses.
  bool new_lessons = false;
};
// Checks a course; the error names the broken rule and the field.
Status ValidateCourse(const CourseInput& c);

// A section's capacity: 1..kMaxSectionSize.
Status CheckSectionCapacity(int64_t capacity, std::string_view field = "capacity");
// A section may not shrink below the seats already taken.
Status CheckCapacityCovers(int64_t capacity, int64_t taken);
// Adding n children to a section with `taken` of `capacity` (manual placement, import).
Status CheckRoom(int64_t taken, int64_t capacity, int64_t n = 1);

}  // namespace kehou::catalog
