#include "catalog/counts.h"

namespace kehou::catalog {
namespace {
constexpr const char* kByState =
    "SELECT state, COUNT(*) FROM course_proposals WHERE school_id = $1"
    " AND state IN ('submitted', 'reviewed', 'returned') GROUP BY state";
}  // namespace

ProposalCounts CountProposals(db::Conn& c, int64_t school_id) {
  ProposalCounts p;
  for (const auto& r : c.Query(kByState, {school_id})) {
    const std::string s = r.Text(0);
    if (s == "submitted") p.submitted = r.Int(1);
    else if (s == "reviewed") p.reviewed = r.Int(1);
    else p.returned = r.Int(1);
  }
  return p;
}

}  // namespace kehou::catalog
