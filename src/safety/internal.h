// internal.h (safety): helpers the use-case files share. Not for other modules.
// Thread-safety: stateless.
#pragma once
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "access/principal.h"
#include "core/body.h"
#include "core/file_out.h"
#include "core/result.h"
#include "core/time.h"
#include "db/db.h"
#include "safety/rules.h"
#include "safety/service.h"

namespace kehou::safety::internal {

// The office and leadership (and the system administrator): every record of the school.
bool IsOffice(const auth::Principal& who);
// A row as a JSON object keyed by its column names (integers stay integers, NULL is null).
Json RowJson(const db::Row& r);
Json RowsJson(const db::Rows& rows);
// "YYYY-MM-DD" of the day asked for, else of now.
std::string DayText(const std::optional<Date>& day, int64_t now_ms);
// The session (attendance's roster, with the principal's visibility) as {session, items}.
Result<Json> SessionRoster(db::Db& db, const auth::Principal& who, SchoolArg school, int64_t section_id,
                           std::optional<Date> day, const std::string& band, int64_t now_ms);
// Reads a list of {student_id, note} objects of the body (field `key`).
std::vector<std::pair<int64_t, std::string>> ReadChildNotes(BodyReader& r, const char* key);
// A date range filter's SQL values: from and to ("0000-01-01"/"9999-12-31" when open); a single
// day sets both.
std::pair<std::string, std::string> Range(const ListQuery& q);
// The XLSX of `items` with the columns {key, label}.
Result<FileOut> Sheet(const std::string& name, const std::vector<std::pair<std::string, std::string>>& cols,
                      const Json& items);
Error NotFound(const char* what_zh, const char* what_en);

}  // namespace kehou::safety::internal
