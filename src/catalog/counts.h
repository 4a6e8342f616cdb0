#pragma once
// Figures of the catalog for the workbench (home pages): course proposals waiting at each step.
// Plain reads; thread-safe as Db is.
#include <cstdint>

#include "db/db.h"

namespace kehou::catalog {

struct ProposalCounts {
  int64_t submitted = 0;  // waiting for the course group's review
  int64_t reviewed = 0;   // waiting for the leadership's decision
  int64_t returned = 0;   // back with the proposer
};
ProposalCounts CountProposals(db::Conn& c, int64_t school_id);

}  // namespace kehou::catalog
