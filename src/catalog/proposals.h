// proposals.h (catalog): course proposals (课程申报, R-CRS 3). A teacher or an institution's
// staff proposes a course with its lesson plan (教案: PDF, DOCX, PNG or JPEG, at most
// kMaxLessonPlanBytes, type from the bytes, kept in the database); the course group reviews it
// (approve, or return with a reason); the leadership (principal, vice principal) approves or
// rejects it. Only approved courses open sections or join rounds (CheckCourseOpen).
// Proposers (own scope) see their own proposals only; school-scope roles see the school's;
// ids of another school, or another proposer's for a teacher, answer not_found.
// Each write runs in one db.Write with its audit row.
// Thread-safety: stateless functions over a thread-safe Db.
#pragma once
#include <optional>

#include "access/principal.h"
#include "catalog/service.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::catalog {

// {items:[proposal], total, counts:{state: n}}; filters: state, q (course name).
Result<Json> ListProposals(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& filters);
// The proposal with its course, lesson plan (name, type, size, sha256) and every decision.
Result<Json> GetProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);
// body: the course's fields (as POST /courses), plan: {filename, content_base64} (a data: URL
// prefix is accepted), submit (default true; false keeps a draft, which needs no plan yet).
Result<Json> CreateProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, const Json& body);
// A draft or returned proposal goes (back) to the course group. The body may change course
// fields and carry a new plan; a proposal without a plan cannot be submitted.
Result<Json> SubmitProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body);
// Course group: {decision: "approve" | "return", reason (required to return)}.
Result<Json> ReviewProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body);
// Leadership: {decision: "approve" | "reject", reason (required to reject)}. Approve opens the course.
Result<Json> DecideProposal(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id,
                            const Json& body);
// A body's plan field {filename, content_base64} for these bytes (demo, tests, tools).
Json LessonPlanBody(std::string_view filename, std::string_view bytes);

// The current lesson plan's bytes, stored content type and file name.
Result<FileOut> LessonPlanFile(db::Db& db, const auth::Principal& who, std::optional<int64_t> school, int64_t id);

}  // namespace kehou::catalog
