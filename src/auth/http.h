// http.h (auth): routes for sessions, own account, accounts and the audit log.
#pragma once
#include "auth/service.h"
#include "http/http.h"

namespace kehou::auth {
void RegisterRoutes(http::Router& r, AuthService& auth);
}  // namespace kehou::auth
