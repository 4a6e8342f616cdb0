// enrolled.cpp (fees): who a bill run bills, read through enroll's door (service.h). The one fees
// file that reaches enroll, kept apart so the dependency stays one arrow, fees -> enroll.
#include <set>

#include "enroll/rules.h"
#include "enroll/service.h"
#include "fees/internal.h"

namespace kehou::fees::internal {

std::set<int64_t> ChildrenToBill(db::Conn& c, int64_t sid, const school::Term& t, const Date& today) {
  Date day = today < t.dates.start ? t.dates.start : (t.dates.end < today ? t.dates.end : today);
  std::set<int64_t> children;
  for (const auto& e : enroll::ApprovedOf(c, sid, t.id, std::nullopt))
    if (enroll::EnrolledOn(enroll::AppStatus::kApproved, e.signed_current_version, e.exit_effective, t.dates.start,
                           t.dates.end, day))
      children.insert(e.student_id);
  return children;
}

}  // namespace kehou::fees::internal
