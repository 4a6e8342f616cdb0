#pragma once
// What waits for whom: the workbench's to-do list per role, from the figures of registration,
// course proposals and selection rounds. Pure functions; thread-safe.
#include <cstdint>
#include <string>
#include <vector>

#include "access/principal.h"
#include "catalog/counts.h"
#include "enroll/counts.h"
#include "select/counts.h"

namespace kehou::workbench {

struct Figures {
  bool has_term = false;
  enroll::TermCounts term;  // of the class teacher's classes for a class teacher
  catalog::ProposalCounts proposals;
  std::vector<select::RoundFigures> rounds;
};

struct Todo {
  std::string key;    // stable name, e.g. "applications_to_approve"
  int64_t count = 0;  // 0 = nothing waits (shown as done)
  std::string page;   // the console page that handles it (route name)
  std::string zh, en;
};

// The to-do items of a role, in the order the role works them. Roles with nothing to approve get
// an empty list.
std::vector<Todo> TodosFor(auth::Role role, const Figures& f);

// Enrolment rate in tenths of a percent (approved applications over students; 0 when no students).
int64_t EnrolmentPermille(const enroll::TermCounts& t);

}  // namespace kehou::workbench
