// http.h (attendance): routes of attendance (sessions, roster, roll call, swipes, devices, cards,
// leave, the live board) and the notification outbox list. Thin handlers over service.h.
// Thread-safety: handlers capture only the Db (thread-safe).
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::attendance {
// Registers exactly the attendance routes of the permission table (access/permissions.cpp).
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::attendance
