// service.h (catalog): use cases of the 1+X extension catalog: courses and their sections
// (at most kMaxSectionSize children each), rosters. Each write runs in one db.Write with its
// audit row. School scope through auth::ResolveSchool; ids of another school answer not_found.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "catalog/store.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"

namespace kehou::catalog {

using Json = nlohmann::json;

// {items:[course], total, target: kExtensionCourseTarget, extension_count (approved, not subject
// Q&A, whole school), target_met}. Filters: category, q (name), status; page + page_size (both
// > 0) return one page of the filtered list (total counts the whole list).
Result<Json> ListCourses(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters);
Result<Json> GetCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);
// body: {name, category, description, grades:[3,4], capacity, venue_kind, teacher_staff_id,
// institution, sessions_per_week, slots:[{weekday, band}] or "2:after_school", fee_fen,
// subject_qa, subject, new_lessons, term_id, status, plan: {filename, content_base64}, reason}.
// Every course is reviewed with its lesson plan (issue 11; proposals.cpp): a leader (principal,
// vice principal) posting with the plan approves it there (decision recorded); otherwise the course
// is a proposal (submitted with a plan, draft without) the course group reviews and leadership
// decides. The answer carries proposal_id and proposal_state.
Result<Json> CreateCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);
Result<Json> UpdateCourse(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                          const Json& body);

// {items:[section]}; filter course_id.
Result<Json> ListSections(db::Db& db, const auth::Principal& who, std::optional<int64_t> school,
                          std::optional<int64_t> course_id);
// body: {name, capacity (<= 45), formation: class|mixed|school, class_id, room_id, teacher_staff_id}
Result<Json> CreateSection(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t course_id,
                           const Json& body);
Result<Json> UpdateSection(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                           const Json& body);
// {section, items:[{student_id, student_no, name, class_name, source}]}
// Children with an exit effective on `day` (default: today, school-local) are left out (issue 11).
Result<Json> SectionRoster(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                           std::optional<Date> day = std::nullopt);

using kehou::FileOut;  // core/file_out.h
// The XLSX roster (序号, 学号, 姓名, 班级); leaves an "export" audit row (catalog/roster.h).
Result<FileOut> SectionRosterXlsx(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);

// For other modules (attendance): the section's confirmed children on `day` (exits effective by
// then left out, as SectionRoster), by class and student number. Runs on the caller's Conn; no
// scope check (the caller has checked the section is the principal's) and no read log.
struct RosterChild {
  int64_t student_id = 0, class_id = 0;
  std::string student_no, name, class_name;
};
std::vector<RosterChild> RosterOn(db::Conn& c, int64_t school_id, int64_t section_id, const Date& day);
// The same read, to share a round trip with another module's reads (db::FetchAll).
db::Fetch<std::vector<RosterChild>> RosterOnFetch(int64_t school_id, int64_t section_id, const Date& day);

// Creates a section without a principal (demo, benchmark setup). Checks the 45 limit.
Result<int64_t> CreateSectionDirect(db::Conn& c, int64_t school_id, int64_t course_id, const std::string& name,
                                    int64_t capacity);

}  // namespace kehou::catalog
