// http.h (pickup): routes of dismissal and pickup (adults, proxies, cards, the gate, arrivals, the
// end-of-day board). Thin handlers over service.h.
// Thread-safety: handlers capture only the Db (thread-safe).
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::pickup {
// Registers exactly the pickup routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::pickup
