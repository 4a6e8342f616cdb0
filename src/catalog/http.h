// http.h (catalog): routes of courses and sections. Thin handlers over service.h.
// Thread-safety: handlers capture only the Db, which is thread-safe.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::catalog {
// Registers exactly the catalog routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::catalog
