// internal.h (pay): helpers the use-case files share. Not for other modules.
#pragma once
#include <string>

#include "db/db.h"
#include "pay/service.h"

namespace kehou::pay::internal {

Error RunNotFound();
Error SlipNotFound();
// 12345 -> "123.45"
std::string Yuan(int64_t fen);
// A slip row (store::kSlipColumns) as JSON; with lines the sessions behind it.
Json SlipJson(db::Conn& c, const db::Row& r, bool lines);
// The run row as JSON (store::kRunColumns).
Json RunJson(const db::Row& r);
// The ledger posting of an approved run (ledger.cpp), on the approval's transaction.
Status PostRunToLedger(db::Conn& c, int64_t school_id, int64_t run_id);

}  // namespace kehou::pay::internal
