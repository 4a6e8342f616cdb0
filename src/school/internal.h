// internal.h (school): helpers the use-case files of school share (schools.cpp, terms.cpp,
// classes.cpp, rooms.cpp): write permission, errors, audit diffs, shared loads; the JSON codecs
// are in json.cpp. Not for other modules: they use service.h.
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/audit.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "school/service.h"
#include "school/store.h"

namespace kehou::school::internal {

using auth::Principal;

// Officers read only; the permission table already says so, this keeps the service honest.
Status WriteAllowed(const Principal& who);
// A rule error on data that already exists, raised by a change elsewhere.
Error Because(const Error& e, std::string_view zh, std::string_view en, std::string field);
Error TermNotFound();
Error ClassNotFound();
Error RoomNotFound();
// Only the fields that differ, for the audit row.
std::pair<Json, Json> Diff(const Json& before, const Json& after);
// An "update" audit row with the fields that differ (none: no row).
void LogChange(db::Conn& c, const Principal& who, std::string_view entity, int64_t id, const Json& before,
               const Json& after, int64_t school_id);

// ---- shared loads --------------------------------------------------------------------------------
Term ToTerm(const store::TermRow& r);
std::vector<Band> Bands(const std::vector<store::BandRow>& rows);
BandContext ContextOf(const store::SchoolRow& s, const TermDates& t);
Json BandsAnswer(db::Conn& c, const store::SchoolRow& s, const store::TermRow& t);
Result<store::SchoolRow> SchoolFor(db::Conn& c, const Principal& who, std::optional<int64_t> requested);

// ---- JSON codecs (json.cpp; the body parsers Parse* are in service.h) ----------------------------
Json DateJson(const std::optional<Date>& d);
Json DeviationJson(const Deviation& d);
Json DeviationsJson(const std::vector<Band>& bands, const TermDates& t);
Json HolidaysJson(const store::TermRow& t, bool with_ids);
// The term as the audit sees it: its own fields only.
Json TermAuditJson(const store::TermRow& t);
Json TermJson(db::Conn& c, const store::TermRow& t);
Json BandJson(const Band& b);
Json BandsAuditJson(const std::vector<Band>& bands);
Json SchoolJson(const store::SchoolRow& s);
Json SchoolAuditJson(const store::SchoolRow& s);
Json GradeJson(const store::GradeRow& g);
Json OptId(const std::optional<int64_t>& v);
Json ClassJson(const store::ClassRow& k);
Json ClassAuditJson(const store::ClassRow& k);
Json RoomJson(const store::RoomRow& r);
Json RoomAuditJson(const store::RoomRow& r);
Json ListJson(Json items, Paging p);

}  // namespace kehou::school::internal
