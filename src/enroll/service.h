// service.h (enroll): the use cases of registration (R-REG), one function each. Each loads what it
// needs, decides with rules.h, and writes in ONE Db::Write transaction together with its audit row.
// Bodies are the JSON of docs/api-registration.md; answers are the JSON the pages get.
//
// Scope (from the permission table, Principal::scope): school roles see their own school; a class
// teacher (kOwnClass) sees the children of the classes whose class_teacher_id is their staff_id; a
// guardian (kOwnChildren) sees their own children only; everything else answers not_found.
// `school` is the ?school_id of the request (needed only by the system administrator).
// `today` is the school-local date the rules use (the HTTP layer passes TodayLocal()).
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "enroll/rules.h"

namespace kehou::enroll {

using Json = nlohmann::json;
using auth::Principal;
using SchoolArg = std::optional<int64_t>;

// ---- surveys (需求征询) -----------------------------------------------------------------------------
// Staff: the school's surveys (?term_id). Guardian: surveys that concern their children, with
// each child's answered flag.
Result<Json> ListSurveys(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                         const Date& today);
// {term_id, title, note?, grades:[1..9], bands?:[...], interests?:[...], opens_on, closes_on}
Result<Json> CreateSurvey(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
Result<Json> GetSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today);
// Title, note and dates any time; grades, bands and interests only while nobody has answered.
Result<Json> UpdateSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body);
Result<Json> GetSurveyAnswer(db::Db& db, const Principal& who, SchoolArg school, int64_t survey_id, int64_t student_id);
// Guardian: {wants_service, days, bands, interests, free_text}; one per child, editable while open.
Result<Json> PutSurveyAnswer(db::Db& db, const Principal& who, int64_t survey_id, int64_t student_id, const Json& body,
                             const Date& today);
// Per class, per grade and in total: children in scope, answered, response rate, counts by day,
// band and interest. A class teacher gets their own classes only.
Result<Json> SurveyResults(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// XLSX bytes: kind "summary" (per class and grade) or "answers" (one row per child).
using kehou::FileOut;  // core/file_out.h
Result<FileOut> ExportSurvey(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const std::string& kind);

// ---- dismissal batches (放学批次) -------------------------------------------------------------------
// Staff: the school's batches. Guardian: the batches of the school of ?student_id.
Result<Json> ListBatches(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> student_id,
                         bool include_inactive);
Result<Json> CreateBatch(db::Db& db, const Principal& who, SchoolArg school, const Json& body);  // {name, leave_time}
Result<Json> UpdateBatch(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body);
// For other modules (pickup, demo): the school's batches, the retired ones too when include_inactive.
std::vector<DismissalBatch> BatchesOf(db::Conn& c, int64_t school_id, bool include_inactive);

// ---- agreements (托管协议) --------------------------------------------------------------------------
Result<Json> ListAgreements(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);
// {term_id, title, body}: a new version, which becomes the one current version for the term.
Result<Json> CreateAgreement(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
Result<Json> GetAgreement(db::Db& db, const Principal& who, SchoolArg school, int64_t id);
// The current version for ?term_id (default: current term); a guardian names ?student_id.
Result<Json> CurrentAgreement(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                              std::optional<int64_t> student_id);

// ---- applications (线上报名) and the review chain -----------------------------------------------------
struct ApplicationQuery {
  std::optional<int64_t> term_id, class_id, student_id;
  std::string status;  // "" = any
  std::string q;
  int64_t page = 1, page_size = 20;
};
Result<Json> ListApplications(db::Db& db, const Principal& who, SchoolArg school, const ApplicationQuery& q);
// Guardian: {student_id, term_id?, days, bands, pickup:{mode, guardian_id?, proxy_name?, proxy_mobile?},
// dismissal_batch_id?, note?} -> a draft (409 when the child already has one for the term).
Result<Json> CreateApplication(db::Db& db, const Principal& who, const Json& body, const Date& today);
Result<Json> GetApplication(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Date& today);
// Guardian: the same fields (absent ones kept) and optional "version" (409 when stale). Only a
// draft or a returned application; every edit is a new version that needs a new signature.
Result<Json> UpdateApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const Date& today);
// Where a signature came from.
struct SignContext {
  std::string device;  // User-Agent
  std::string client;  // client address
};
// Guardian: {agreement_id, agreement_hash?}: signs the current agreement for the current version.
Result<Json> SignApplication(db::Db& db, const Principal& who, int64_t id, const Json& body, const SignContext& ctx,
                             const Date& today);
// Guardian: draft/returned -> submitted; needs a signature of the current version and the
// current agreement.
Result<Json> SubmitApplication(db::Db& db, const Principal& who, int64_t id, const Date& today);
// Class teacher of the child's class (the office when the class has none):
// {decision:"approve"|"return", reason}.
Result<Json> ClassReview(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body,
                         const Date& today);
// Principal / vice principal: {ids:[...], decision:"approve"|"return"|"reject", reason}. All or
// nothing: every id must be class_approved, else nothing changes.
// POST /applications/class-review {ids, decision: approve|return, reason}: the class teacher's review
// of several applications of their class at once, all or nothing (the first refusal names its id).
Result<Json> ClassReviewBatch(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
Result<Json> PrincipalReview(db::Db& db, const Principal& who, SchoolArg school, const Json& body);
// Who is in service on ?date (default today): enrolled children and looked-after children, side by
// side in class order, with a neutral label.
Result<Json> Roster(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                    std::optional<int64_t> class_id, std::optional<Date> date, const Date& today);

// For other modules (selection, daily, finance): is the child enrolled in the term's service on
// day? Only an approved application with a signature of its current version enrols, until its
// exit's effective date.
bool IsEnrolled(db::Conn& c, int64_t school_id, int64_t student_id, int64_t term_id, const Date& day);
// For other modules that read many children at once: the approved applications of a term (one
// child's when student_id is given), each with EnrolledOn's inputs (rules.h) and the days, bands
// and dismissal batch applied for. This header is enroll's door: never include enroll/store.h.
std::vector<Enrolment> ApprovedOf(db::Conn& c, int64_t school_id, int64_t term_id, std::optional<int64_t> student_id);

// ---- exits (准出) -----------------------------------------------------------------------------------
Result<Json> ListExits(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id);
// {application_id, effective_date, reason?}: guardian (not before today) or office. The exit hook
// (below) runs in the same transaction, after the exit row is written.
Result<Json> CreateExit(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);

// What an exit does to other modules' data (issue 11: the child's seats of the term are released
// from the effective date). Selection depends on enroll, so enroll cannot call it; the app
// installs select::OnExitRecorded here once at start-up (and tests that need it do the same).
// Without a hook CreateExit records the exit only.
struct ExitEvent {
  int64_t exit_id = 0, school_id = 0, term_id = 0, student_id = 0;
  Date effective_date;
  Date today;
};
using ExitHook = void (*)(db::Conn& c, const Principal& who, const ExitEvent& e);
void SetExitHook(ExitHook hook);
Result<Json> GetExit(db::Db& db, const Principal& who, SchoolArg school, int64_t id);

// ---- looked-after children (R-REG-5) ----------------------------------------------------------------
Result<Json> ListLookedAfter(db::Db& db, const Principal& who, SchoolArg school, std::optional<int64_t> term_id,
                             std::optional<int64_t> class_id);
// {student_id, term_id?, reason, start_date, end_date?}; refused for an enrolled child.
Result<Json> CreateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, const Json& body, const Date& today);
// {reason?, start_date?, end_date? (null = open-ended)}
Result<Json> UpdateLookedAfter(db::Db& db, const Principal& who, SchoolArg school, int64_t id, const Json& body);

}  // namespace kehou::enroll
