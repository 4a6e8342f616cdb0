// internal.h (catalog): helpers of service.cpp that proposals.cpp shares (JSON parsing of a
// course, its row and JSON). Not for other modules: they use service.h / proposals.h.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "catalog/rules.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::catalog::internal {

using Json = nlohmann::json;

// (Body fields are read with core/body.h's BodyReader.)
// A course from a JSON body, validated (ValidateCourse).
Result<CourseInput> CourseOf(const Json& b);
// A course row (kCourseById) as JSON.
Json CourseJson(const db::Row& r);
std::optional<db::Row> CourseRow(db::Conn& c, int64_t school, int64_t id);
// A staff id of the school, or not_found naming `field`.
Status CheckStaff(db::Conn& c, int64_t school, std::optional<int64_t> staff_id, const char* field);
// A new course's teacher and term (when given) are the school's; not_found naming the field.
Status CheckCourseRefs(db::Conn& c, int64_t school, const CourseInput& in, std::optional<int64_t> term);
// A private boarding school charges nothing (R-SET-4, 001 五(四)1): fee_fen > 0 is refused there.
Status CheckCourseFee(db::Conn& c, int64_t school, int64_t fee_fen);
// The stored course with the body's fields over it, validated.
Result<CourseInput> Merge(const db::Row& r, const Json& body);

// ---- staffing rules (issue 12; catalog/staffing.cpp) ----------------------------------------
// The term a course belongs to: its own, else the school's current one (nullopt: none).
std::optional<int64_t> CourseTerm(db::Conn& c, int64_t school, std::optional<int64_t> term_id);
// The course's slots against its term: no excluded weekday, evening only for grades 7-9.
Status CheckCourseSchedule(db::Conn& c, int64_t school, const CourseInput& in, std::optional<int64_t> term_id);
// Assigning `staff_id` to teach the slots in the term: the staff gate (staff::CheckAssignable:
// background check, contract, institution), institution staff teach non-subject courses only, and
// the weekly day limit (staff::CheckTeachingDays) over the teacher's approved courses of the term
// other than `except_course`.
struct Assignment {
  int64_t staff_id = 0;
  std::optional<int64_t> term_id;
  std::vector<Slot> slots;
  bool subject_qa = false;
  std::optional<int64_t> except_course;
};
Status CheckTeacherAssignment(db::Conn& c, int64_t school, const Assignment& a);

// Base64 (standard alphabet, padding; whitespace ignored when decoding), for lesson plans in JSON
// bodies and bytea through libpq's text protocol. Defined in store.cpp.
std::string EncodeBase64(std::string_view bytes);
std::optional<std::string> DecodeBase64(std::string_view text);

}  // namespace kehou::catalog::internal
