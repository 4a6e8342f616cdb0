// http.h (people): the routes of students, guardians, staff, imports, exports and /me/children.
// Handlers are thin: parse the request, call service.h, answer. Thread-safety: the handlers
// capture only the Db, which is thread-safe.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::people {
// Registers exactly the people routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::people
