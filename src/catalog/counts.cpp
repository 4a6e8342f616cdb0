#include "catalog/counts.h"

#include "catalog/store.h"

namespace kehou::catalog {
ProposalCounts CountProposals(db::Conn& c, int64_t school_id) {
  ProposalCounts p;
  for (const auto& r : c.Query(kOpenProposalStates, {school_id})) {
    const std::string s = r.Text("state");
    if (s == "submitted") p.submitted = r.Int("n");
    else if (s == "reviewed") p.reviewed = r.Int("n");
    else p.returned = r.Int("n");
  }
  return p;
}

}  // namespace kehou::catalog
