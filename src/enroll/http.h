// http.h (enroll): the registration routes (R-REG): surveys, dismissal batches, agreements,
// applications and their review chain, the roster, exits and looked-after children. Handlers are
// thin: parse the request, call service.h, answer. The lead calls RegisterRoutes from
// src/app/routes.cpp. Thread-safety: the handlers capture only the Db, which is thread-safe.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::enroll {
// Registers exactly the "registration" routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::enroll
