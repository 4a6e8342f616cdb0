// store.h: the SQL of school setup (areas, schools, terms, holidays, service bands, grades,
// classes, rooms) and the functions that run it on a caller's connection. No decisions here:
// service.cpp decides with rules.h and calls these inside its own Read/Write.
// All statements are portable (SQLite 3.40 and PostgreSQL 15); every query on a school's rows
// names school_id first.
// Thread-safety: stateless functions; the Conn belongs to the caller.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"
#include "school/rules.h"

namespace kehou::school::store {

struct AreaRow {
  int64_t id = 0;
  std::string kind;  // city | county
  std::string name;
  std::optional<int64_t> parent_id;
  std::string office_close_time;  // HH:MM, the school's own, else the area's
};
std::optional<AreaRow> LoadArea(db::Conn& c, int64_t area_id);
// The school's own office closing time (schools.office_close_time; the area's is the default).
void UpdateOfficeClose(db::Conn& c, int64_t school_id, const std::string& hhmm);

struct SchoolRow {
  int64_t id = 0;
  int64_t area_id = 0;
  std::string area_name;
  std::string name;
  std::string level;
  std::string type;
  std::string address;
  std::string office_close_time;  // the area's
  int64_t students = 0, classes = 0, staff = 0;
};
std::optional<SchoolRow> LoadSchool(db::Conn& c, int64_t school_id);
// Lists with counts. ByArea: schools of the area and of its sub-areas.
std::vector<SchoolRow> SchoolsAll(db::Conn& c);
std::vector<SchoolRow> SchoolsByArea(db::Conn& c, int64_t area_id);
std::vector<SchoolRow> SchoolsOfGuardian(db::Conn& c, int64_t guardian_id);
int64_t InsertSchool(db::Conn& c, int64_t area_id, const std::string& name, const std::string& level,
                     const std::string& type, const std::string& address);
void UpdateSchool(db::Conn& c, const SchoolRow& s);  // name, level, type, address

struct TermRow {
  int64_t id = 0;
  int64_t school_id = 0;
  std::string name;
  TermDates dates;  // holidays with ids in holiday_ids (same order)
  std::vector<int64_t> holiday_ids;
  bool is_current = false;
};
std::vector<TermRow> LoadTerms(db::Conn& c, int64_t school_id);  // newest first, with holidays
std::optional<TermRow> LoadTerm(db::Conn& c, int64_t school_id, int64_t term_id);
std::optional<TermRow> LoadCurrentTerm(db::Conn& c, int64_t school_id);            // is_current = 1
std::optional<TermRow> LoadTermOn(db::Conn& c, int64_t school_id, const Date& d);  // containing d
// The newest (by start date) that overlaps the days from..to.
std::optional<TermRow> LoadTermOverlapping(db::Conn& c, int64_t school_id, const Date& from, const Date& to);
std::optional<int64_t> TermIdByName(db::Conn& c, int64_t school_id, const std::string& name);
int64_t InsertTerm(db::Conn& c, int64_t school_id, const TermRow& t);
void UpdateTerm(db::Conn& c, const TermRow& t);
// Clears is_current on the school's other terms; returns their ids.
std::vector<int64_t> ClearOtherCurrent(db::Conn& c, int64_t school_id, int64_t keep_term_id);
void ReplaceHolidays(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<Holiday>& hs);

struct BandRow {
  int64_t id = 0;
  Band band;
};
std::vector<BandRow> LoadBands(db::Conn& c, int64_t school_id, int64_t term_id);  // by season, start
// LoadCurrentTerm, else LoadTermOn(today), with LoadBands of it, in ONE statement (a roll call's
// session lookup runs on every save: three round trips were one).
struct TermBands {
  TermRow term;
  std::vector<BandRow> bands;
};
std::optional<TermBands> LoadCurrentTermBands(db::Conn& c, int64_t school_id, const Date& today);
// The same read, to share a round trip with others (db::FetchAll).
db::Fetch<std::optional<TermBands>> CurrentTermBandsFetch(int64_t school_id, const Date& today);
void ReplaceBands(db::Conn& c, int64_t school_id, int64_t term_id, const std::vector<Band>& bands);

struct GradeRow {
  int64_t id = 0;
  int number = 0;
  std::string name;
  int64_t classes = 0, students = 0;
  std::optional<int64_t> leader_staff_id;  // 年级组长
  std::string leader_name;
};
std::vector<GradeRow> LoadGrades(db::Conn& c, int64_t school_id);  // by number, with counts
std::optional<GradeRow> LoadGrade(db::Conn& c, int64_t school_id, int64_t grade_id);
void InsertGrade(db::Conn& c, int64_t school_id, int number, const std::string& name);
void SetGradeLeader(db::Conn& c, int64_t school_id, int64_t grade_id, std::optional<int64_t> staff_id);
void DeleteGrade(db::Conn& c, int64_t school_id, int64_t grade_id);

struct ClassRow {
  int64_t id = 0;
  int64_t grade_id = 0;
  int grade_number = 0;
  std::string grade_name;
  int number = 0;
  std::string name;
  std::optional<int64_t> class_teacher_id;
  std::string class_teacher_name;
  std::optional<int64_t> room_id;
  std::string room_name;
  int64_t students = 0;
};
std::vector<ClassRow> LoadClasses(db::Conn& c, int64_t school_id, std::optional<int64_t> grade_id);
std::optional<ClassRow> LoadClass(db::Conn& c, int64_t school_id, int64_t class_id);
std::optional<int64_t> ClassIdByNumber(db::Conn& c, int64_t school_id, int64_t grade_id, int number);
int64_t InsertClass(db::Conn& c, int64_t school_id, const ClassRow& k);
void UpdateClass(db::Conn& c, int64_t school_id, const ClassRow& k);
// An active staff member of the school: their name.
std::optional<std::string> StaffName(db::Conn& c, int64_t school_id, int64_t staff_id);

struct RoomRow {
  int64_t id = 0;
  std::string name;
  std::string kind;
  int64_t capacity = 0;
  std::string equipment;
  bool active = true;
};
struct RoomFilter {
  std::string q;     // part of the name
  std::string kind;  // empty: all kinds
  bool include_inactive = false;
};
std::vector<RoomRow> LoadRooms(db::Conn& c, int64_t school_id, const RoomFilter& f);
std::optional<RoomRow> LoadRoom(db::Conn& c, int64_t school_id, int64_t room_id);
std::optional<int64_t> RoomIdByName(db::Conn& c, int64_t school_id, const std::string& name);
int64_t InsertRoom(db::Conn& c, int64_t school_id, const RoomRow& r);
void UpdateRoom(db::Conn& c, int64_t school_id, const RoomRow& r);
int64_t ClassesUsingRoom(db::Conn& c, int64_t school_id, int64_t room_id);
// Deletes the room; false (and nothing changed) when another table still refers to it.
bool TryDeleteRoom(db::Conn& c, int64_t school_id, int64_t room_id);

// The school's type (rules.h ChargesServiceFee).
inline constexpr const char* kSchoolType = "SELECT type FROM schools WHERE id = $1";

}  // namespace kehou::school::store
