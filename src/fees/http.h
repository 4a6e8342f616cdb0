// http.h (fees): routes of fee standards, bills, exemptions, payments, the WeChat Pay callback and
// the exceptions queue. Thin handlers over service.h. Thread-safety: handlers capture only the Db.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::fees {
// Registers exactly the fees routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::fees
