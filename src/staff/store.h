// store.h (staff): the SQL of staff records, trainings, institutions and their contracts
// (portable: SQLite 3.40 and PostgreSQL 15, $1..$n), and row loaders.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "db/db.h"
#include "staff/rules.h"

namespace kehou::staff::store {

// One person with their record (NULL record columns when none yet) and the state of their
// institution's contract with the school. $1 school.
inline constexpr const char* kRecordSelect =
    "SELECT s.id AS staff_id, s.name, s.kind, s.subjects, s.mobile, s.institution AS institution_text, s.active,"
    " r.qualifications, r.institution_id, i.name AS institution_name, r.check_date, r.check_result,"
    " r.check_certificate, r.check_valid_until, r.health_valid_until, r.contract_start, r.contract_end,"
    " COALESCE(r.hourly_rate_fen, 0) AS hourly_rate_fen, COALESCE(r.will_weekdays, '') AS will_weekdays,"
    " COALESCE(r.will_bands, '') AS will_bands, COALESCE(r.will_content, '') AS will_content,"
    " COALESCE(r.will_max_hours, 0) AS will_max_hours,"
    " (SELECT COUNT(*) FROM institution_contracts ic WHERE ic.school_id = s.school_id"
    "   AND ic.institution_id = r.institution_id) AS contracts,"
    " (SELECT COUNT(*) FROM institution_contracts ic WHERE ic.school_id = s.school_id"
    "   AND ic.institution_id = r.institution_id AND ic.exited_on IS NULL) AS open_contracts"
    " FROM staff s LEFT JOIN staff_records r ON r.staff_id = s.id AND r.school_id = s.school_id"
    " LEFT JOIN institutions i ON i.id = r.institution_id"
    " WHERE s.school_id = $1";

// The gate's view of a loaded row (kRecordSelect).
StaffRecord GateRecordOf(const db::Row& r);
std::optional<db::Row> FindRecord(db::Conn& c, int64_t school, int64_t staff_id);
// Every person of the school matching q (name, subjects) and kind, in name order.
std::vector<db::Row> ListRecords(db::Conn& c, int64_t school, const std::string& q, const std::string& kind);

// The term by id, or the school's current one (school::TermOf / CurrentTerm); with its id.
struct Term {
  int64_t id = 0;
  std::string name;
  TermSpan span;
};
std::optional<Term> FindTerm(db::Conn& c, int64_t school, std::optional<int64_t> term_id);

inline constexpr const char* kFindRecordId = "SELECT id FROM staff_records WHERE school_id = $1 AND staff_id = $2";
inline constexpr const char* kInsertRecord =
    "INSERT INTO staff_records (school_id, staff_id, qualifications, institution_id, check_date, check_result,"
    " check_certificate, check_valid_until, health_valid_until, contract_start, contract_end, hourly_rate_fen,"
    " will_weekdays, will_bands, will_content, will_max_hours, updated_at)"
    " VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15,$16,$17) RETURNING id";
inline constexpr const char* kUpdateRecord =
    "UPDATE staff_records SET qualifications = $3, institution_id = $4, check_date = $5, check_result = $6,"
    " check_certificate = $7, check_valid_until = $8, health_valid_until = $9, contract_start = $10,"
    " contract_end = $11, hourly_rate_fen = $12, will_weekdays = $13, will_bands = $14, will_content = $15,"
    " will_max_hours = $16, updated_at = $17 WHERE school_id = $1 AND staff_id = $2";

// The stored fields of one record (what SaveRecord writes).
struct RecordFields {
  std::string qualifications;
  std::optional<int64_t> institution_id;
  std::optional<std::string> check_date, check_result, check_valid_until, health_valid_until, contract_start,
      contract_end;
  std::string check_certificate;
  int64_t hourly_rate_fen = 0;
  std::string will_weekdays, will_bands, will_content;
  int64_t will_max_hours = 0;
};
RecordFields FieldsOf(const db::Row& r);
// Inserts or updates the record of (school, staff).
void SaveRecord(db::Conn& c, int64_t school, int64_t staff_id, const RecordFields& f, int64_t now);

inline constexpr const char* kInsertTraining =
    "INSERT INTO staff_trainings (school_id, staff_id, held_on, hours, topic, created_at)"
    " VALUES ($1,$2,$3,$4,$5,$6) RETURNING id";
inline constexpr const char* kListTrainings =
    "SELECT id, held_on, hours, topic FROM staff_trainings WHERE school_id = $1 AND staff_id = $2"
    " ORDER BY held_on DESC, id DESC";
// Sessions per person within a term's dates: $1 school, $2 start, $3 end.
inline constexpr const char* kTrainingCounts =
    "SELECT staff_id, COUNT(*) AS n FROM staff_trainings WHERE school_id = $1 AND held_on >= $2 AND held_on <= $3"
    " GROUP BY staff_id";

inline constexpr const char* kStaffName = "SELECT name FROM staff WHERE id = $1 AND school_id = $2";
// The school's staff by mobile (the records import).
inline constexpr const char* kStaffMobiles = "SELECT mobile, id FROM staff WHERE school_id = $1";
// An in-school teacher of the school ($1 staff, $2 school): a contract's assistant.
inline constexpr const char* kInSchoolTeacher =
    "SELECT 1 FROM staff WHERE id = $1 AND school_id = $2 AND kind = 'in_school'";

// ---- institutions ------------------------------------------------------------------------------
#define KEHOU_INSTITUTION_SELECT                                                                      \
  "SELECT i.id, i.area_id, i.name, i.licence_no, i.filing_no, i.categories, i.listed, i.review_date," \
  " i.removed_reason FROM institutions i"
// An area's list ($1), listed first.
inline constexpr const char* kInstitutionsOfArea =
    KEHOU_INSTITUTION_SELECT " WHERE i.area_id = $1 ORDER BY i.listed DESC, i.name";
// A school's: its county's ($1) and its city's ($2).
inline constexpr const char* kInstitutionsOfAreas =
    KEHOU_INSTITUTION_SELECT " WHERE i.area_id = $1 OR i.area_id = $2 ORDER BY i.listed DESC, i.name";
inline constexpr const char* kInstitutionById = KEHOU_INSTITUTION_SELECT " WHERE i.id = $1";
// One of an officer's area ($2) or of an area below it.
inline constexpr const char* kInstitutionOfOfficer = KEHOU_INSTITUTION_SELECT
    " WHERE i.id = $1 AND (i.area_id = $2 OR i.area_id IN"
    " (SELECT a.id FROM areas a WHERE a.parent_id = $2))";
#undef KEHOU_INSTITUTION_SELECT
inline constexpr const char* kInstitutionNamed = "SELECT 1 FROM institutions WHERE area_id = $1 AND name = $2";
// One a school sees ($1 institution; $2, $3 its county and city).
inline constexpr const char* kInstitutionSeen =
    "SELECT 1 FROM institutions WHERE id = $1 AND (area_id = $2 OR area_id = $3)";
inline constexpr const char* kInstitutionListing =
    "SELECT listed, name FROM institutions WHERE id = $1 AND (area_id = $2 OR area_id = $3)";
inline constexpr const char* kInsertInstitution =
    "INSERT INTO institutions (area_id, name, licence_no, filing_no, categories, listed, review_date, created_at,"
    " updated_at) VALUES ($1,$2,$3,$4,$5,1,$6,$7,$7) RETURNING id";
inline constexpr const char* kUpdateInstitution =
    "UPDATE institutions SET name = $2, licence_no = $3, filing_no = $4, categories = $5, listed = $6,"
    " review_date = $7, removed_reason = $8, updated_at = $9 WHERE id = $1";
// The institutions a school sees: its county's and its city's. $1 school.
inline constexpr const char* kSchoolAreas =
    "SELECT a.id, a.parent_id FROM schools s JOIN areas a ON a.id = s.area_id WHERE s.id = $1";
// Schools with an open contract with the institution ($1).
inline constexpr const char* kAffectedSchools =
    "SELECT DISTINCT s.id, s.name FROM institution_contracts ic JOIN schools s ON s.id = ic.school_id"
    " WHERE ic.institution_id = $1 AND ic.exited_on IS NULL ORDER BY s.name";
#define KEHOU_CONTRACT_SELECT                                                                              \
  "SELECT ic.id, ic.school_id, ic.institution_id, i.name AS institution_name, ic.start_date, ic.end_date," \
  " ic.no_promotion, ic.safety_duties, ic.assistant_staff_id,"                                             \
  " (SELECT st.name FROM staff st WHERE st.id = ic.assistant_staff_id) AS assistant_name, ic.exited_on,"   \
  " ic.exit_reason, i.listed"
// A school's ($1) contracts with an institution ($2).
inline constexpr const char* kContractsOf = KEHOU_CONTRACT_SELECT
    " FROM institution_contracts ic JOIN institutions i ON i.id = ic.institution_id"
    " WHERE ic.school_id = $1 AND ic.institution_id = $2 ORDER BY ic.id";
inline constexpr const char* kContractById = KEHOU_CONTRACT_SELECT
    " FROM institution_contracts ic JOIN institutions i ON"
    " i.id = ic.institution_id WHERE ic.id = $1";
inline constexpr const char* kContractOfSchool = KEHOU_CONTRACT_SELECT
    " FROM institution_contracts ic JOIN institutions i ON i.id = ic.institution_id"
    " WHERE ic.id = $1 AND ic.school_id = $2";
#undef KEHOU_CONTRACT_SELECT
inline constexpr const char* kInsertContract =
    "INSERT INTO institution_contracts (school_id, institution_id, start_date, end_date, no_promotion,"
    " safety_duties, assistant_staff_id, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) RETURNING id";
inline constexpr const char* kExitContract =
    "UPDATE institution_contracts SET exited_on = $3, exit_reason = $4 WHERE id = $1 AND school_id = $2"
    " AND exited_on IS NULL";

}  // namespace kehou::staff::store
