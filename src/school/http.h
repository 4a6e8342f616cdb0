// http.h (school): the school setup routes of the permission table's "school setup" section.
// Handlers are thin: parse the request, call school/service.h, answer.
// Thread-safety: RegisterRoutes runs once at start-up; the handlers are safe to run
// concurrently (they hold only a reference to the Db, which is thread-safe).
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::school {

// Registers GET /schools, GET/PUT /schools/:id, GET /areas/:id/overview, GET/POST /terms,
// PUT /terms/:id, GET/PUT /terms/:id/bands, GET /grades, GET/POST /classes, PUT /classes/:id,
// GET/POST /rooms, PUT/DELETE /rooms/:id (all under /api/v1). db must outlive the router.
void RegisterRoutes(http::Router& r, db::Db& db);

}  // namespace kehou::school
