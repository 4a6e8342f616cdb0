// http.h (pay): routes of pay runs, slips, the factor rule and quality scores. Thin handlers over
// service.h. Thread-safety: handlers capture only the Db.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::pay {
// Registers exactly the pay routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::pay
