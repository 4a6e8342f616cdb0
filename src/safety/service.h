// service.h (safety): use cases of the safety module (issue 13 §2 and §4, R-DAY-3/4/7/8).
//  - the three concerns (三个关注) of a session, recorded by its teacher: absent without reason
//    (linked to the roll call: every child the roll marks absent without leave is followed up),
//    unwell (symptom and what was done; the guardians are told through the outbox; the school
//    doctor sees the reports as they come), picked up on time;
//  - shift handover (交接班): a record signed by the giver (their session), acknowledged by the
//    receiver (their own authenticated confirmation, with the time);
//  - health notes (allergies, special constitution): read only by the office, the school doctor
//    and the teachers of the child's sessions (rules.h MaySeeHealthNotes), checked here;
//  - safety records: insurance per term with coverage and gaps, the daily site check, patrols,
//    incidents (guardian notice through the outbox), emergency plans and drills per term, the
//    visitor register; every list exports to XLSX.
// Every write runs in one db.Write with its audit row (and its outbox rows). Another school's ids
// answer not_found; a teacher's other sessions too.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::safety {

using Json = nlohmann::json;
using SchoolArg = std::optional<int64_t>;

// Filters of the lists: a day (default today) or a range, a status, a page.
struct ListQuery {
  std::optional<Date> day, from, to;
  std::optional<std::string> status;
  std::optional<int64_t> student_id, term_id;
  int64_t page = 1, size = 50;
};

// ---- the three concerns (concerns.cpp) ---------------------------------------------------------
// GET /safety/sessions/:id/concerns?date=&band=: {session, roster:[{student_id, name, class_name,
// status, unexcused}], concerns:{all_on_time, note, absent, late_pickup, by, updated_at}|null,
// unwell:[...]}. The session's teacher or the office.
Result<Json> SessionConcerns(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                             std::optional<Date> day, const std::string& band, int64_t now_ms);
// PUT /safety/sessions/:id/concerns: {date, band?, absent:[{student_id, note}], late_pickup:[...],
// all_on_time, note}. Answers SessionConcerns.
Result<Json> SaveConcerns(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                          const Json& body, int64_t now_ms);
// POST /safety/sessions/:id/unwell: {date, band?, student_id, symptom, actions:[rest|doctor|
// guardian_called], note}. Queues a message to each guardian. Answers the report.
Result<Json> ReportUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                          const Json& body, int64_t now_ms);
// GET /safety/unwell?date=&status=: the doctor's and the office's list, newest first, with
// {open} (every day's unseen reports).
Result<Json> ListUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
// POST /safety/unwell/:id/seen: {note}: the doctor has seen the child.
Result<Json> SeeUnwell(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                       int64_t now_ms);
// GET /safety/summary?date=: the office board's safety figures {unwell_open, unwell_today,
// handovers_pending, incidents_today, site_check, patrols_today, visitors_in, drill, insurance_gaps}.
Result<Json> Summary(db::Db& db, const auth::Principal& who, SchoolArg school, std::optional<Date> day, int64_t now_ms);

// ---- handover (handover.cpp) --------------------------------------------------------------------
// GET /safety/handovers?date=: office: every handover of the day; other staff: those they gave or
// received (any day still pending too), with {recipients:[{user_id, name, role}]}.
Result<Json> ListHandovers(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
// POST /safety/handovers: {to_user_id, date?, section_id?, place, student_ids, watch}.
Result<Json> CreateHandover(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// POST /safety/handovers/:id/ack: {note?}: the receiver confirms (only them, once).
Result<Json> AcknowledgeHandover(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                                 int64_t now_ms);

// ---- health notes (health.cpp) -----------------------------------------------------------------
// GET /safety/health-notes?student_id=: the notes the principal may see (a teacher: children of
// their sessions; naming another child answers forbidden). Logged as a list read.
Result<Json> ListHealthNotes(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
// POST /safety/health-notes {student_id, kind, detail, care}; PUT /safety/health-notes/:id
// {kind?, detail?, care?, active?}. The office and the doctor.
Result<Json> CreateHealthNote(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                              int64_t now_ms);
Result<Json> UpdateHealthNote(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                              int64_t now_ms);

// ---- records (records.cpp, register.cpp) ---------------------------------------------------------
// Insurance: GET ?term_id= {term, items, coverage:{liability_gaps, accident_gaps, enrolled,
// uncovered:[{student_id, name, class_name}]}}; POST {term_id?, kind, policy_no, insurer,
// from_date, to_date, covers_all, student_ids?, note}.
Result<Json> ListInsurance(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q,
                           const Date& today);
Result<Json> CreateInsurance(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body,
                             int64_t now_ms);
// Site checks: GET ?from=&to= {items, today:{state, first_start}}; POST {date?, doors, windows,
// equipment, wiring, note, photo?} (one a day; a second replaces the first, audited).
Result<Json> ListSiteChecks(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q,
                            int64_t now_ms);
Result<Json> SaveSiteCheck(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// Patrols: GET ?date= ; POST {area, ok, findings, follow_up}; POST :id/follow-up {follow_up}.
Result<Json> ListPatrols(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
Result<Json> CreatePatrol(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
Result<Json> FollowUpPatrol(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, const Json& body,
                            int64_t now_ms);
// Incidents: GET ?from=&to= ; POST {level, student_id?, place, description, actions, at?,
// notify_guardian}. A named child's guardians get a message (outbox) when notify_guardian.
Result<Json> ListIncidents(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
Result<Json> CreateIncident(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// Plans and drills: GET /plans; POST /plans {title, kind, body}; GET /drills {terms:[{term, drills,
// state}], items}; POST /drills {term_id?, plan_id?, date, kind, participants, minutes, record}.
Result<Json> ListPlans(db::Db& db, const auth::Principal& who, SchoolArg school);
Result<Json> CreatePlan(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
Result<Json> ListDrills(db::Db& db, const auth::Principal& who, SchoolArg school, const Date& today);
Result<Json> CreateDrill(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
// Visitors: GET ?date= ; POST {name, id_last4, mobile, purpose, host}; POST :id/out.
Result<Json> ListVisitors(db::Db& db, const auth::Principal& who, SchoolArg school, const ListQuery& q);
Result<Json> CreateVisitor(db::Db& db, const auth::Principal& who, SchoolArg school, const Json& body, int64_t now_ms);
Result<Json> VisitorOut(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t id, int64_t now_ms);

// GET /safety/export?list=unwell|handovers|health_notes|insurance|site_checks|patrols|incidents|
// drills|visitors&from=&to=: the list as XLSX (each list for the roles that may read it).
Result<FileOut> Export(db::Db& db, const auth::Principal& who, SchoolArg school, const std::string& list,
                       const ListQuery& q, int64_t now_ms);

}  // namespace kehou::safety
