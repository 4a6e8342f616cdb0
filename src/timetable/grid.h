// grid.h (timetable): the console's 课表 and the teacher's week. A term as the pages see it:
// running the solver as a background job (progress, cancel, one job per term), the stored
// timetable by view (school, grade, class, teacher, room), moving one placement with the hard
// rules checked live (and a dry run the grid calls while dragging), locks, the teacher's own week,
// and XLSX/PDF exports. Every write runs in one db.Write with its audit row; a school's ids of
// another school answer not_found (auth::ResolveSchool).
// Thread-safety: stateless functions over a thread-safe Db; the job registry is internally locked.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "db/db.h"
#include "timetable/check.h"
#include "timetable/service.h"

namespace kehou::timetable {

using Json = nlohmann::json;

inline constexpr double kDefaultSolveSeconds = 10;  // a job's time limit when the office gives none
inline constexpr double kMaxSolveSeconds = 120;     // the most a job may run
inline constexpr double kMinSolveSeconds = 0.1;

// A term ready for the grid: the problem (LoadTermProblem, plus the teachers' willingness as
// unavailable slots and the locks as locked slot and room), and the stored timetable.
struct GridTerm {
  TermProblem tp;
  Assignment current;        // stored placements (slot -1: not placed); sized to the activities
  std::vector<char> locked;  // per activity
  bool stored = false;       // a timetable has been stored for the term
};
Result<GridTerm> LoadGridTerm(db::Db& db, const auth::Principal& who, int64_t school_id, int64_t term_id);

// One broken rule of a move: a stable name (teacher_clash, room_clash, class_clash, student_clash,
// teacher_days, willingness, band_not_allowed, room_fit, group_days, locked, soft_spread,
// soft_days, soft_room) and the Chinese and English messages.
struct Violation {
  std::string rule;
  std::string zh, en;
  bool soft = false;
};
struct MoveTarget {
  int64_t section_id = 0;
  int session_no = 1;
  int weekday = 0;
  std::string band;
  std::optional<int64_t> room_id;
  std::optional<int64_t> teacher_staff_id;
  bool override_soft = false;
};
// The rules a move of one placement breaks that the current timetable does not (pure, no I/O).
// not_found/invalid for an unknown session, weekday, band or room of the term.
Result<std::vector<Violation>> MoveViolations(const GridTerm& g, const MoveTarget& m);

// ---- solve jobs ------------------------------------------------------------------------------
// POST /timetable/terms/:term_id/solve {seconds?, seed?}: starts a background solve of the term
// and answers the job; one job per term at a time (a second start answers the running job,
// `already_running` true). The result is stored only when the search completes without a
// broken hard rule (one Tx with its "solve" audit row); locked placements stay.
Result<Json> StartSolve(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                        const Json& body);
// GET /timetable/jobs/:id -> {id, term_id, state: running|done|failed|cancelled, percent, phase,
// best_hard, best_soft, saved, reasons, error}
Result<Json> SolveJob(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t job_id);
// POST /timetable/jobs/:id/cancel: the search stops at its next check; nothing is stored.
Result<Json> CancelSolve(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t job_id);
// Waits until no job of the process is running (tests, shutdown).
void WaitForSolveJobs();

// ---- the grid ---------------------------------------------------------------------------------
struct GridView {
  std::string view = "school";  // school, grade, class, teacher, room
  std::optional<int64_t> id;    // the grade number or the class, teacher or room id
};
// GET /timetable/terms/:term_id?view&id -> {term_id, stored, days, bands, items, unplaced,
// options:{grades, classes, teachers, rooms}, report}
Result<Json> TermGrid(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                      const GridView& v);
// POST /timetable/terms/:term_id/check {section_id, session_no, weekday, band, room_id?,
// teacher_staff_id?} -> {ok, violations:[{rule, message, soft}]} (dry run, writes nothing).
Result<Json> CheckMove(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                       const Json& body);
// PUT /timetable/terms/:term_id/placement {..., override_soft?}: conflict (409, field = the rule)
// for a broken hard rule, or a soft goal made worse without override_soft; audited ("move").
Result<Json> MovePlacement(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                           const Json& body);
// PUT /timetable/terms/:term_id/lock {section_id, session_no, locked}: audited ("lock"/"unlock").
Result<Json> SetLock(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                     const Json& body);
// GET /timetable/my-week: the signed-in teacher's own placements in the current term.
Result<Json> MyWeek(db::Db& db, const auth::Principal& who);
// GET /timetable/terms/:term_id/export?format=xlsx|pdf&view&id: the view as a week table.
Result<FileOut> ExportGrid(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t term_id,
                           const GridView& v, const std::string& format);

}  // namespace kehou::timetable
