// internal.h (ledger): helpers the use-case files share. Not for other modules.
#pragma once
#include <optional>
#include <string>

#include "db/db.h"
#include "ledger/service.h"
#include "school/service.h"

namespace kehou::ledger::internal {

// The request's term: term_id of the school, else its current term; not_found otherwise.
Result<school::Term> TermArg(db::Conn& c, int64_t school_id, std::optional<int64_t> term_id);
Json TermJson(const school::Term& t);
// "¥1234.56" (negative "-¥…").
std::string Yuan(int64_t fen);
// The id of the user, or nullopt (a db::Value helper).
db::Value UserOf(const Principal& who);
std::string NameOf(const Principal& who);

}  // namespace kehou::ledger::internal
