#pragma once
// Routes of the workbench: GET /api/v1/workbench.
#include "db/db.h"
#include "http/http.h"

namespace kehou::workbench {
void RegisterRoutes(http::Router& r, db::Db& db);
}
