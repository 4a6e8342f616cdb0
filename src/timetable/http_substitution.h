// http_substitution.h (timetable): routes of basic-service groups and substitutions (issue 12
// §3, §5). Thin handlers over timetable/service.h. Thread-safety: handlers capture only the Db.
#pragma once
#include "db/db.h"
#include "http/http.h"

namespace kehou::timetable {
// Registers exactly these routes of the permission table (access/permissions.cpp):
// /timetable/groups, /timetable/groups/generate, /timetable/settings, /substitutions...
void RegisterSubstitutionRoutes(http::Router& r, db::Db& db);
}  // namespace kehou::timetable
