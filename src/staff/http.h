// http.h (staff): routes of staff records, the blocked list and external institutions. Thin
// handlers over service.h. Thread-safety: handlers capture only the Db, which is thread-safe.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::staff {
// Registers exactly the staff routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::staff
