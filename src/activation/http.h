// http.h (activation): routes of guardian account activation (public request/complete; the
// office's and class teacher's class views, letters and reminders). Thin handlers over service.h.
#pragma once
#include "activation/service.h"
#include "http/http.h"

namespace kehou::activation {
void RegisterRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::activation
