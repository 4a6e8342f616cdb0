#include "workbench/rules.h"

namespace kehou::workbench {
namespace {
using auth::Role;

int64_t RoundsToAllocate(const Figures& f) {
  int64_t n = 0;
  for (const auto& r : f.rounds) n += r.phase == "to_allocate" ? 1 : 0;
  return n;
}
Todo ToApprove(const Figures& f) {
  return {"applications_to_approve", f.term.class_approved, "review", "待校长审定的报名申请",
          "applications waiting for the principal"};
}
Todo ClassReview(const Figures& f, bool own_class) {
  return {"applications_to_review", f.term.submitted, "review",
          own_class ? "本班待审核的报名申请" : "待班级审核的报名申请",
          own_class ? "applications of your class to review" : "applications waiting for the class review"};
}
Todo Allocate(const Figures& f) {
  return {"rounds_to_allocate", RoundsToAllocate(f), "rounds", "已截止待分配的选课轮次",
          "closed rounds waiting for the allocation"};
}
}  // namespace

std::vector<Todo> TodosFor(Role role, const Figures& f) {
  switch (role) {
    case Role::kPrincipal:
    case Role::kVicePrincipal:
      return {ToApprove(f),
              {"proposals_to_decide", f.proposals.reviewed, "proposals", "待领导审定的课程申报",
               "course proposals waiting for the leadership"},
              Allocate(f)};
    case Role::kOfficeDirector:
    case Role::kOfficeStaff: return {ClassReview(f, false), ToApprove(f), Allocate(f)};
    case Role::kCourseGroup:
      return {{"proposals_to_review", f.proposals.submitted, "proposals", "待课程组评审的课程申报",
               "course proposals waiting for the course group"}};
    case Role::kClassTeacher: return {ClassReview(f, true)};
    default: return {};
  }
}

int64_t EnrolmentPermille(const enroll::TermCounts& t) {
  if (t.students <= 0) return 0;
  return t.approved * 1000 / t.students;
}

}  // namespace kehou::workbench
