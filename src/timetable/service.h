// service.h (timetable): the weekly timetable of a term from the database. Loads the term's
// sections (catalog), rooms and bands (school) through their service.h, builds the solver's
// Problem (one activity per session of a section), and stores a solved timetable (sql/0060) with
// its audit row. Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "timetable/model.h"

namespace kehou::timetable {

inline constexpr int kTeacherMaxDaysPerWeek = 2;  // policy 004: a teacher serves on at most 2 days a week
inline constexpr int kSectionSpreadWeight = 95;   // sessions of one section on different days (soft, %)
inline constexpr int kFirstEveningGrade = 7;      // evening bands only for junior-middle grades (7-9)

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
    int64_t group_id = 0;  // a basic-service group (section_id 0)
  };
  std::vector<Session> sessions;  // per activity
  Assignment previous;            // the stored timetable, where it still fits (empty: none stored)
  Staffing previous_staff;        // its supervisors and AB backups (empty: none stored)
  int64_t sections = 0;
};

// not_found for a term of another school; invalid when the term has no service bands.
Result<TermProblem> LoadTermProblem(db::Db& db, const auth::Principal& who, int64_t school_id, int64_t term_id);

// Replaces the term's stored timetable with `a`, one "solve" audit row; {term_id, sessions, groups}.
// The supervisors and AB backups are chosen for `a` (AssignStaff, keeping the stored ones where
// they still may serve) and stored with it.
Result<nlohmann::json> SaveTermTimetable(db::Db& db, const auth::Principal& who, const TermProblem& tp,
                                         const Assignment& a);
// The same with the staffing a Solve answered (SolveResult::staff).
Result<nlohmann::json> SaveTermTimetable(db::Db& db, const auth::Principal& who, const TermProblem& tp,
                                         const Assignment& a, const Staffing& staff);

// ---- basic-service groups (the "1" of 1+X, R-CRS-1/R-CRS-4; http_substitution.cpp) ----------------
// Standby duties (AB backups, supervisors) go to gated staff of kind in_school or retired with a
// teaching subject, in the weekdays and bands of their willingness (参与意愿; none stated: any).
// GET /timetable/groups?term_id&weekday&band&page&page_size: {term_id, settings:{noon_care,
// evening_study}, items:[{id, weekday, band, name, grade, class_id, size, play_reading, room_id,
// room, supervisor_staff_id, supervisor}], total, children}.
Result<nlohmann::json> ListGroups(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                  std::optional<int64_t> term_id, const nlohmann::json& filters);
// POST /timetable/groups/generate {term_id?}: the groups of every weekday and band the enrolled
// children attend (their applications' days and bands: after-school, and noon / evening when the
// school offers them), at most kMaxGroupSize each. Idempotent: the same children give the same
// groups and write nothing ({changed:false}); else, in one transaction with one audit row, a
// group of the same weekday, band, class (or mixed group of the grade) and name keeps its
// supervisor and its room (the room while its capacity still holds the group) and takes its new
// children; groups no longer made go; new ones come without room or supervisor until the next
// solve. {term_id, groups, children, changed, unchanged, updated, added, removed, rooms_cleared}.
Result<nlohmann::json> GenerateGroups(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                      std::optional<int64_t> term_id, int64_t now_ms);
// PUT /timetable/settings {noon_care, evening_study}: the school's basic-service bands, audited.
Result<nlohmann::json> SaveGroupSettings(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                         const nlohmann::json& body, int64_t now_ms);

// ---- substitutions (R-STF-4; substitution.cpp, http_substitution.cpp) ------------------------------
inline constexpr int kMaxAbsenceSections = 20;  // sections in one absence report
inline constexpr int kAbsenceDaysAhead = 30;    // a report names a day at most this far ahead
// POST /substitutions/absences {date, section_ids:[..], reason?, staff_id? (the office only)}: the
// absent teacher's sessions of those sections on that date (their weekly slots on that weekday).
// A teacher reports only their own absence (another's section: forbidden), from today on; the
// office for anyone, any day of the term. Each session gets the section's AB backup when the
// backup is still free then and within their day limit (status assigned, source backup), else
// waits for the office (status open). The absent teacher and the substitute are told (notify
// outbox, same transaction); one audit row. {items:[substitution]}.
Result<nlohmann::json> ReportAbsence(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                     const nlohmann::json& body, int64_t now_ms);
// GET /substitutions?date&status: the office sees all; a teacher those where they are absent or substitute.
Result<nlohmann::json> ListSubstitutions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                         const nlohmann::json& filters);
// GET /substitutions/:id/candidates: gated teachers free then, ranked: within their day limit first,
// then fewest weekly duties; the first is the suggestion. {substitution, items:[{staff_id, name,
// within_day_limit, days, duties, willing, suggested}]}.
Result<nlohmann::json> SubstituteCandidates(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                            int64_t id);
// POST /substitutions/:id/assign {staff_id}: the office's pick; must be gated, free then and within
// the day limit (422 naming the rule otherwise). Told via the outbox; audited.
Result<nlohmann::json> AssignSubstitute(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                                        int64_t id, const nlohmann::json& body, int64_t now_ms);
// Who taught a session (section, day, band) when it was not its scheduled teacher: the substitute
// assigned (pay follows them). nullopt: the scheduled teacher.
std::optional<int64_t> WhoTaught(db::Conn& c, int64_t school, int64_t section_id, const Date& day,
                                 const std::string& band);
// The assigned substitutes of a day, for the attendance sessions ("who teaches").
struct SubstituteOn {
  int64_t section_id = 0;
  std::string band;
  int64_t staff_id = 0;
  std::string name;
};
std::vector<SubstituteOn> SubstitutesOn(db::Conn& c, int64_t school, const Date& day);
// The same read, to share a round trip with another module's reads (db::FetchAll).
db::Fetch<std::vector<SubstituteOn>> SubstitutesOnFetch(int64_t school, const Date& day);

}  // namespace kehou::timetable
