// service.h (staff): use cases of staff records (R-STF-2, R-STF-5) and external institutions
// (R-STF-3), and the gate other modules call before they assign a teacher. Each write runs in one
// db.Write with its audit row. School scope through auth::ResolveSchool (ids of another school
// answer not_found); the approved list of institutions belongs to the county (or city) officer.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "staff/rules.h"

namespace kehou::staff {

using Json = nlohmann::json;

// ---- the gate, for the catalog (inside its transaction) ----------------------------------------
// The staff member of the school may be assigned to teach in the term (its id, else the school's
// current term) on `on`: CanServe over their record. not_found when the id is not the school's.
Status CheckAssignable(db::Conn& c, int64_t school, int64_t staff_id, std::optional<int64_t> term_id, Date on);
// True when the person serves for an external institution (kind institution, or a record linked
// to an institution): such a person teaches non-subject courses only.
bool ServesForInstitution(db::Conn& c, int64_t school, int64_t staff_id);
// The person's name (for messages), "" when unknown.
std::string StaffName(db::Conn& c, int64_t school, int64_t staff_id);
// The weekdays (ISO 1..5) and band kinds the person is willing to serve (参与意愿), for the
// timetable; an empty list means no wish recorded on that axis (any).
struct Willingness {
  std::vector<int> weekdays;
  std::vector<std::string> bands;
};
Willingness WillingnessOf(db::Conn& c, int64_t school, int64_t staff_id);

// ---- who may serve, for the timetable (its standby duties: AB backups, basic-service groups) ----
struct ServingPerson {
  int64_t staff_id = 0;
  std::string name, kind, subjects;
  bool gate_ok = false;                 // CanServe for the term on the day
  std::string gate_reason;              // the refusal's message when not
  std::vector<int> will_weekdays;       // 参与意愿 (empty: not stated, any)
  std::vector<std::string> will_bands;  // (empty: not stated, any)
};
// Every active person of the school with the gate's answer for the term (its id, else the
// current term) on `on`, in name order. Empty when there is no such term.
std::vector<ServingPerson> ServingStaff(db::Conn& c, int64_t school, std::optional<int64_t> term_id, Date on);

// ---- records --------------------------------------------------------------------------------
// GET /staff-records?q&kind&blocked&page&page_size -> {items:[record with gate:{ok, reason}],
// total, term, training:{sessions_per_term, covered, people, percent, target_percent}}.
// `blocked` true: only those who cannot be assigned now (the blocked list).
Result<Json> ListRecords(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters);
// GET /staff-records/:id (a staff id) -> the record with its trainings; audited (personal data).
Result<Json> GetRecord(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id);
// PUT /staff-records/:id {qualifications, institution_id, check:{date, result: passed|failed,
// certificate_no, valid_until} | null, health_valid_until, contract:{start, end, hourly_rate_fen}
// | null, willingness:{weekdays:[1..5], bands:[...], content, max_hours}}: absent keys unchanged.
Result<Json> SaveRecord(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id,
                        const Json& body);
// POST /staff-records/:id/trainings {held_on, hours, topic}
Result<Json> AddTraining(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t staff_id,
                         const Json& body);

// ---- institutions -------------------------------------------------------------------------------
// GET /institutions: an officer sees their area's approved list; a school sees the lists of its
// county and city, each with the school's contracts.
Result<Json> ListInstitutions(db::Db& db, const auth::Principal& who, std::optional<int64_t> school);
// POST /institutions (officer) {name, licence_no, filing_no, categories:[non-subject], review_date}
Result<Json> CreateInstitution(db::Db& db, const auth::Principal& who, const Json& body);
// PUT /institutions/:id (officer of its area) {..., listed:false, removed_reason}: removal from the
// list answers the schools with an open contract (affected_schools); new contracts are refused.
Result<Json> UpdateInstitution(db::Db& db, const auth::Principal& who, int64_t id, const Json& body);
// POST /institution-contracts {institution_id, start_date, end_date, no_promotion, safety_duties,
// assistant_staff_id}: only with a listed institution of the school's county or city.
Result<Json> CreateContract(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);
// POST /institution-contracts/:id/exit {reason, on?}: after exit none of its staff can be assigned.
Result<Json> ExitContract(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body);

}  // namespace kehou::staff
