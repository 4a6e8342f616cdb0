// store.h (app): the SQL of the command line's set-up (`kehou create-school`: the city and county
// it names, found or created) and the health check's probe (portable: SQLite 3.40 and PostgreSQL 15).
// Thread-safety: stateless; the Conn belongs to the caller's Read/Write callback.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "db/db.h"

namespace kehou::app::store {

std::optional<int64_t> CityId(db::Conn& c, const std::string& name);
int64_t InsertCity(db::Conn& c, const std::string& name);
std::optional<int64_t> CountyId(db::Conn& c, const std::string& name);
int64_t InsertCounty(db::Conn& c, const std::string& name, std::optional<int64_t> city_id,
                     const std::string& office_close);
// Whether the county already has a school of that name.
bool SchoolNamed(db::Conn& c, int64_t county_id, const std::string& name);

// GET /api/v1/health: one trivial statement, so the answer says the database answers.
void Probe(db::Conn& c);

}  // namespace kehou::app::store
