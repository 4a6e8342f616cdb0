// service.h: school setup use cases (R-SET) and what other modules need of a school.
//
// Use cases take the Db and the Principal of the request; each read runs in one db.Read, each
// write in ONE db.Write together with its auth::Audit row (before/after of the changed fields).
// The school of a request comes from auth::ResolveSchool(principal, ?school_id): school roles
// their own school, officers a school of their area (read-only), the system administrator any.
// Ids of another school answer not_found. Answers are the JSON shapes of docs/api-contract.md.
//
// For other modules (through this header only): ChargesServiceFee, ClassName and GradeName
// (from rules.h, re-exported here), CurrentTerm, TermOf, TermsOf, TermOverlapping, BandsOfTerm, SchoolChargesFee,
// CreateSchool and EnsureGrades (for the demo and the CLI).
//
// Thread-safety: stateless functions; safe from any thread (the Db is thread-safe).
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"
#include "school/rules.h"

namespace kehou::school {

using Json = nlohmann::json;

// ---- for other modules ---------------------------------------------------------------------------
// Re-exported from rules.h: bool ChargesServiceFee(SchoolType), ChargesServiceFee(string_view type),
// std::string ClassName(grade_number, class_number) ("三年级(2)班"), GradeName(grade_number).

struct Term {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string name;
  TermDates dates;  // start, end, winter_from, summer_from, excluded weekdays, holidays
  bool is_current = false;
  int teaching_weeks = 0;
};
// The school's current term: the one marked is_current, else the term containing today
// (China time), else nullopt.
std::optional<Term> CurrentTerm(db::Conn& c, int64_t school_id);
std::optional<Term> CurrentTerm(db::Db& db, int64_t school_id);
// A term of the school by id (nullopt if it is another school's).
std::optional<Term> TermOf(db::Conn& c, int64_t school_id, int64_t term_id);
// Every term of the school, newest first (by start date, then id).
std::vector<Term> TermsOf(db::Conn& c, int64_t school_id);
// The newest term of the school (by start date) with a day in from..to (a month's first and last
// day: the term the month falls in); nullopt if none.
std::optional<Term> TermOverlapping(db::Conn& c, int64_t school_id, const Date& from, const Date& to);
// The service bands of a term (all seasons); use BandsOn(term.dates, bands, date) for one day.
std::vector<Band> BandsOfTerm(db::Conn& c, int64_t school_id, int64_t term_id);
// Whether the school charges the after-school service fee (false for private boarding schools,
// and for an unknown school id).
bool SchoolChargesFee(db::Conn& c, int64_t school_id);

struct NewSchool {
  int64_t area_id = 0;
  std::string name;
  Level level = Level::kPrimary;
  SchoolType type = SchoolType::kPublic;
  std::string address;
};
// Creates a school and the grades of its level (一年级..). Runs on the caller's transaction and
// writes no audit row (the caller does, or it is the demo). Error not_found if the area is unknown.
Result<int64_t> CreateSchool(db::Conn& c, const NewSchool& s);
// Adds the grades of the level the school lacks. Returns how many it added.
int EnsureGrades(db::Conn& c, int64_t school_id, Level level);

// ---- inputs (parsed from JSON bodies; errors name the field) --------------------------------------

// Lists: page from 1; size 0 means every item (the default when the request names no paging).
struct Paging {
  int64_t page = 1;
  int64_t size = 0;
};

struct SchoolPatch {  // PUT /schools/:id; absent fields stay as they are
  std::optional<std::string> name, address;
  std::optional<Level> level;
  std::optional<SchoolType> type;
  std::optional<int> office_close_time;  // minutes; the school's own (the area's is the default)
};
Result<SchoolPatch> ParseSchoolPatch(const Json& body);

struct TermInput {  // POST /terms (name, start_date, end_date required), PUT /terms/:id (partial)
  std::optional<std::string> name;
  std::optional<Date> start, end;
  std::optional<std::optional<Date>> winter_from, summer_from;  // null clears
  std::optional<std::vector<int>> excluded_weekdays;
  std::optional<bool> is_current;
  std::optional<std::vector<Holiday>> holidays;  // replaces the whole list
};
Result<TermInput> ParseTermInput(const Json& body, bool create);

// PUT /terms/:id/bands: {bands:[{kind, season, name, start_time, end_time}]}
Result<std::vector<Band>> ParseBands(const Json& body);

struct ClassInput {  // POST /classes (grade_id, number required), PUT /classes/:id (partial)
  std::optional<int64_t> grade_id;
  std::optional<int> number;
  std::optional<std::string> name;                         // empty or absent: generated, e.g. 三年级(2)班
  std::optional<std::optional<int64_t>> class_teacher_id;  // null clears
  std::optional<std::optional<int64_t>> room_id;           // null clears
};
Result<ClassInput> ParseClassInput(const Json& body, bool create);

struct RoomInput {  // POST /rooms (name, kind, capacity required), PUT /rooms/:id (partial)
  std::optional<std::string> name, kind, equipment;
  std::optional<int64_t> capacity;
  std::optional<bool> active;
};
Result<RoomInput> ParseRoomInput(const Json& body, bool create);

struct RoomQuery {
  std::string q, kind;
  bool include_inactive = false;
  Paging paging;
};

// ---- use cases -------------------------------------------------------------------------------------

// GET /schools: school roles their own school; officers the schools of their area and sub-areas;
// the sysadmin all; a guardian the schools of their children. {items:[...], total}
Result<Json> ListSchools(db::Db& db, const auth::Principal& who);
// GET /schools/:id: the school with area, office_close_time, counts, current term.
Result<Json> GetSchool(db::Db& db, const auth::Principal& who, int64_t school_id);
// PUT /schools/:id. A level change adds the new level's grades and removes grades that no longer
// fit (rule_broken while such a grade still has classes). office_close_time is the school's own; it is
// refused when the school's current term's bands would break the after-school end rule.
Result<Json> UpdateSchool(db::Db& db, const auth::Principal& who, int64_t school_id, const SchoolPatch& p);
// GET /areas/:id/overview: officers their own area or a sub-area (else not_found); sysadmin any.
// {area, schools:[{id,name,level,type,area_id,area_name,students,classes,staff}], totals}
Result<Json> AreaOverview(db::Db& db, const auth::Principal& who, int64_t area_id);

// Terms. school_id is the request's ?school_id (officers, sysadmin).
Result<Json> ListTerms(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id);
Result<Json> CreateTerm(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, const TermInput& in);
Result<Json> UpdateTerm(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                        const TermInput& in);
// Bands: {items, office_close_time, deviations, limits, term}
Result<Json> GetBands(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t term_id);
// Replaces the whole set atomically after checking every rule on it.
Result<Json> PutBands(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t term_id,
                      const std::vector<Band>& bands);

// GET /grades: {items:[{id,number,name,class_count,student_count,leader_staff_id,leader_name}]}
Result<Json> ListGrades(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id);
// PUT /grades/:id {leader_staff_id: id | null}: names (or clears) the grade's leader (年级组长), an
// active staff member of the school; a grade leader's account sees the grades they lead. Audited.
Result<Json> SetGradeLeader(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t grade_id,
                            const Json& body);
// GET /classes (?grade_id): {items:[{id,grade_id,grade_name,grade_number,number,name,class_teacher_id,
// class_teacher_name,room_id,room_name,student_count}], total, page, page_size}
Result<Json> ListClasses(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id,
                         std::optional<int64_t> grade_id, Paging paging = {});
Result<Json> CreateClass(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id,
                         const ClassInput& in);
Result<Json> UpdateClass(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t class_id,
                         const ClassInput& in);

// Rooms: {items:[{id,name,kind,kind_label,capacity,equipment,active}], total, page, page_size}
Result<Json> ListRooms(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, const RoomQuery& q);
Result<Json> CreateRoom(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, const RoomInput& in);
Result<Json> UpdateRoom(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t room_id,
                        const RoomInput& in);
// Deletes the room, or deactivates it when something still refers to it.
// {id, deleted: bool, deactivated: bool}
Result<Json> DeleteRoom(db::Db& db, const auth::Principal& who, std::optional<int64_t> school_id, int64_t room_id);

}  // namespace kehou::school
