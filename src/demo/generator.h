// generator.h: the demo data as plain values, made by a pure, deterministic function.
//
// Generate(seed) builds a whole county for the demo: a city and a county, one nine-year school
// of ~2,350 students in 48 classes with ~4,000 guardians and ~150 staff, three smaller schools,
// terms with holidays and service bands, rooms, and one login account per role. Nothing here
// touches a database; demo.cpp writes the result. References between records are indices into
// the vectors of DemoData (not database ids).
//
// Determinism: only our own PRNG (splitmix64 seeding xoshiro256**) and integer arithmetic are
// used, never <random>'s distributions, so the same seed gives the same data on every platform.
// Thread-safety: pure functions on values.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/principal.h"

namespace kehou::demo {

inline constexpr uint64_t kDemoSeed = 20260901;
inline constexpr const char* kDemoPassword = "Kehou@2026";  // every demo account, printed by `make demo`
inline constexpr const char* kCityName = "临江市";
inline constexpr const char* kCountyName = "青山县";
inline constexpr const char* kMainSchoolName = "青山县实验学校";
inline constexpr const char* kInstitutionName = "青山青少年科技培训中心";
inline constexpr int kMaxClassSize = 50;       // administrative classes of the demo stay <= 50
inline constexpr int kMainClassSizeMin = 48;   // so the main school has 2,304..2,400 students

// ---- small deterministic PRNG ---------------------------------------------------------------
uint64_t SplitMix64(uint64_t& state);

class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();                 // xoshiro256**
  uint64_t Below(uint64_t n);      // uniform in [0, n), n > 0 (rejection, no modulo bias)
  int Range(int lo, int hi);       // uniform in [lo, hi], inclusive
  bool Chance(int basis_points);   // true with probability basis_points / 10000

 private:
  uint64_t s_[4];
};

// ---- GB 11643 citizen ID numbers and mobiles -------------------------------------------------
// Check character ('0'..'9' or 'X') of the first 17 digits; '?' if they are not 17 digits.
char IdCheckChar(std::string_view first17);
// 18 characters, 17 digits + the right check character, a real birth date.
bool ValidIdNumber(std::string_view id);
// 11 digits, 1[3-9]xxxxxxxxx.
bool ValidMobile(std::string_view mobile);

// ---- the data ----------------------------------------------------------------------------------
using Index = size_t;  // into the matching vector of DemoData

struct GenArea {
  std::string kind;  // city | county
  std::string name;
  std::optional<Index> parent;
  std::string office_close_time;
};

struct GenSchool {
  Index area = 0;
  std::string name, short_name, level, type, address;
};

struct GenHoliday {
  std::string name, start_date, end_date;
};

struct GenBand {
  std::string kind, season, name, start_time, end_time;
};

struct GenTerm {
  Index school = 0;
  std::string name, start_date, end_date;
  std::optional<std::string> winter_from, summer_from;
  std::string excluded_weekdays;
  bool is_current = false;
  std::vector<GenHoliday> holidays;
  std::vector<GenBand> bands;
};

struct GenGrade {
  Index school = 0;
  int number = 1;
  std::string name;
};

struct GenStaff {
  Index school = 0;
  std::string name, gender, kind, subjects, mobile, institution;
  std::string position;  // 校长, 保安, 语文教师 ... (not stored: roles live in users)
};

struct GenRoom {
  Index school = 0;
  std::string name, kind;
  int capacity = 0;
  std::string equipment;
};

struct GenClass {
  Index school = 0;
  Index grade = 0;  // into grades
  int grade_number = 1;
  int number = 1;
  std::string name;  // 三年级(2)班
  std::optional<Index> class_teacher;
  std::optional<Index> room;
  int size = 0;  // students planned
};

struct GenStudent {
  Index school = 0;
  Index klass = 0;
  std::string student_no, name, gender, id_number, birth_date, health_notes;
  bool left_behind = false, low_income = false, disability = false;
};

struct GenGuardian {
  std::string name, mobile;
};

struct GenLink {
  Index student = 0, guardian = 0;
  std::string relation;
  bool is_primary = false;
};

struct GenAccount {
  auth::Role role = auth::Role::kGuardian;
  std::string login, display_name;
  std::optional<Index> school, area, staff, guardian;
  std::string note;  // what the account shows, e.g. 三年级(2)班班主任
};

struct DemoData {
  std::vector<GenArea> areas;
  std::vector<GenSchool> schools;  // [0] is the main (nine-year) school
  std::vector<GenTerm> terms;
  std::vector<GenGrade> grades;
  std::vector<GenStaff> staff;
  std::vector<GenRoom> rooms;
  std::vector<GenClass> classes;
  std::vector<GenStudent> students;
  std::vector<GenGuardian> guardians;
  std::vector<GenLink> links;
  std::vector<GenAccount> accounts;  // one per role, in auth::AllRoles() order
};

// The demo county. Same seed, same data.
DemoData Generate(uint64_t seed = kDemoSeed);

}  // namespace kehou::demo
