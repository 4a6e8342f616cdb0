// service.h (timetable): the weekly timetable of a term from the database. Loads the term's
// sections (catalog), rooms and bands (school) through their service.h, builds the solver's
// Problem (one activity per session of a section), and stores a solved timetable (sql/0060) with
// its audit row. Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"
#include "timetable/model.h"

namespace kehou::timetable {

inline constexpr int kTeacherMaxDaysPerWeek = 2;   // policy 004: a teacher serves on at most 2 days a week
inline constexpr int kSectionSpreadWeight = 95;    // sessions of one section on different days (soft, %)
inline constexpr int kFirstEveningGrade = 7;       // evening bands only for junior-middle grades (7-9)

struct TermProblem {
  int64_t school_id = 0;
  int64_t term_id = 0;
  Problem problem;
  std::vector<int> weekdays;         // ISO weekday of each day index
  std::vector<std::string> bands;    // band code (after_school, ...) of each hour index
  std::vector<int64_t> room_ids;     // per room index
  std::vector<int64_t> teacher_ids;  // per teacher index
  struct Session {
    int64_t section_id = 0;
    int session_no = 0;
  };
  std::vector<Session> sessions;     // per activity
  Assignment previous;               // the stored timetable, where it still fits (empty: none stored)
  int64_t sections = 0;
};

// not_found for a term of another school; invalid when the term has no service bands.
Result<TermProblem> LoadTermProblem(db::Db& db, const auth::Principal& who, int64_t school_id, int64_t term_id);

// Replaces the term's stored timetable with `a`, one "solve" audit row; {term_id, sessions}.
Result<nlohmann::json> SaveTermTimetable(db::Db& db, const auth::Principal& who, const TermProblem& tp,
                                         const Assignment& a);

}  // namespace kehou::timetable
