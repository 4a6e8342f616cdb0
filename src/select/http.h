// http.h (select): routes of selection rounds, seats, preferences, allocation, waiting lists.
// Thin handlers over service.h. Thread-safety: handlers capture only the Db (thread-safe).
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::select {
// Registers exactly the selection routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::select
