// http.h (safety): routes of the safety module (three concerns, unwell reports, handovers, health
// notes, insurance, site checks, patrols, incidents, plans, drills, visitors, exports). Thin
// handlers over service.h. Thread-safety: handlers capture only the Db (thread-safe).
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::safety {
// Registers exactly the safety routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::safety
