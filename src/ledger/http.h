// http.h (ledger): routes of the ledger (journal, accounts, documents, reversals), the budget and
// final accounts, and the monthly disclosure. Thin handlers over service.h.
// Thread-safety: handlers capture only the Db.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::ledger {
// Registers exactly the ledger routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::ledger
