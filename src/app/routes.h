// routes.h: every module's routes in one router (the server and the route tests use this).
#pragma once
#include "auth/service.h"
#include "db/db.h"
#include "http/http.h"

namespace kehou::app {
void RegisterAllRoutes(http::Router& r, db::Db& db, auth::AuthService& auth);
}  // namespace kehou::app
