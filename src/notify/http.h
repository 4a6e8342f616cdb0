// http.h (notify): the routes of delivery: the office's retry, export and channel settings, a
// user's inbox and read receipts, a guardian's channel choice. (GET /notify/outbox is registered
// with attendance's routes, where it was first.) Thread-safety: as the router.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::notify {
void RegisterRoutes(http::Router& r, db::Db& db);
}
