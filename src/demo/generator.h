// generator.h: the demo data as plain values, made by a pure, deterministic function.
//
// Generate(seed) builds a whole county for the demo: a city and a county, one nine-year school
// of ~2,350 students in 48 classes with ~4,000 guardians and ~150 staff, three smaller schools,
// terms with holidays and service bands, rooms, one login account per role, and registration
// (R-REG) as the enroll module records it: each current term's service agreement (托管协议) and
// the children's applications (线上报名) with their signatures and review steps. Nothing here
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

#include "access/principal.h"
#include "core/ids.h"
#include "enroll/rules.h"

namespace kehou::demo {

inline constexpr uint64_t kDemoSeed = 20260901;
inline constexpr const char* kDemoPassword = "Kehou@2026";  // every demo account, printed by `make demo`
inline constexpr const char* kCityName = "临江市";
inline constexpr const char* kCountyName = "青山县";
inline constexpr const char* kMainSchoolName = "青山县实验学校";
inline constexpr const char* kInstitutionName = "青山青少年科技培训中心";
inline constexpr int kMaxClassSize = 50;      // administrative classes of the demo stay <= 50
inline constexpr int kMainClassSizeMin = 48;  // so the main school has 2,304..2,400 students

// Registration of the current term, in basis points of each school's active children (Rng::Chance).
// Most families have applied and been approved; a few wait for the class teacher or the principal,
// so both review queues have work; the rest (~6%) have not applied.
inline constexpr int kApprovedShareBp = 8800;      // approved and signed: enrolled
inline constexpr int kSubmittedShareBp = 400;      // signed, waiting for the class teacher
inline constexpr int kClassApprovedShareBp = 200;  // waiting for the principal
// The class teacher account's class has at least this many in its review queue, and its first
// children (by student number, the ones the API tests pick) are approved.
inline constexpr int kClassTeacherQueueMin = 3;
inline constexpr int kClassTeacherFirstApproved = 3;

// ---- small deterministic PRNG ---------------------------------------------------------------
uint64_t SplitMix64(uint64_t& state);

class Rng {
 public:
  explicit Rng(uint64_t seed);
  uint64_t Next();                // xoshiro256**
  uint64_t Below(uint64_t n);     // uniform in [0, n), n > 0 (rejection, no modulo bias)
  int Range(int lo, int hi);      // uniform in [lo, hi], inclusive
  bool Chance(int basis_points);  // true with probability basis_points / 10000

 private:
  uint64_t s_[4];
};

// ---- GB 11643 citizen ID numbers and mobiles -------------------------------------------------
// The shared checks (core/ids.h): the generator's numbers pass the server's own validators.
using kehou::IdNumberCheckChar;
using kehou::ValidIdNumber;
using kehou::ValidMobile;

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

// 托管协议: version 1 of one term's agreement, current, published by the office.
struct GenAgreement {
  Index term = 0;  // into terms (and so the school)
  std::string title, body;
  std::optional<Index> account;  // into accounts: who published it (only the main school has logins)
  int64_t ago_s = 0;             // published this many seconds before the demo is written
};

// One step of the review chain, as enroll's service records it (application_decisions).
struct GenDecision {
  enroll::Step step = enroll::Step::kSubmit;
  enroll::AppStatus from = enroll::AppStatus::kDraft, to = enroll::AppStatus::kSubmitted;
  std::string user_name;  // the guardian, class teacher or principal
  auth::Role role = auth::Role::kGuardian;
  std::optional<Index> account;  // into accounts, when the person has a login
  int64_t ago_s = 0;
};

// 线上报名: a child's application for the current term (version 1, never edited), signed once by
// the guardian who submitted it, with the review steps up to its status.
struct GenApplication {
  Index student = 0;
  Index agreement = 0;  // into agreements: the version signed (the school's current one)
  enroll::AppStatus status = enroll::AppStatus::kApproved;
  std::vector<int> days;            // ISO weekdays, ascending
  std::vector<enroll::Band> bands;  // in enroll::AllBands() order
  enroll::PickupMode pickup = enroll::PickupMode::kGuardian;
  std::optional<Index> pickup_guardian;  // kGuardian: into guardians, one of the child's
  std::string proxy_name, proxy_mobile;  // kProxy
  std::string note;
  Index signer = 0;                     // into guardians: signed and submitted
  std::optional<Index> signer_account;  // into accounts, when the signer has a login
  std::string device, client;           // the phone's User-Agent and address at signing
  int64_t created_ago_s = 0, signed_ago_s = 0;
  std::vector<GenDecision> decisions;  // submit, class_approve, approve: as far as status goes
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
  std::vector<GenAccount> accounts;          // one per role, in auth::AllRoles() order
  std::vector<GenAgreement> agreements;      // one per current term
  std::vector<GenApplication> applications;  // in student order
};

// The demo county. Same seed, same data.
DemoData Generate(uint64_t seed = kDemoSeed);

}  // namespace kehou::demo
