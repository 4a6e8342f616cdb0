#include "app/store.h"

namespace kehou::app::store {
namespace {

constexpr const char* kCityId = "SELECT id FROM areas WHERE kind = 'city' AND name = $1";
constexpr const char* kInsertCity = "INSERT INTO areas (kind, name) VALUES ('city', $1) RETURNING id";
constexpr const char* kCountyId = "SELECT id FROM areas WHERE kind = 'county' AND name = $1";
constexpr const char* kInsertCounty =
    "INSERT INTO areas (kind, name, parent_id, office_close_time) VALUES ('county', $1, $2, $3) RETURNING id";
constexpr const char* kSchoolNamed = "SELECT 1 FROM schools WHERE area_id = $1 AND name = $2";
constexpr const char* kProbe = "SELECT 1";

std::optional<int64_t> IdOf(db::Conn& c, const char* sql, const std::string& name) {
  auto r = c.QueryOne(sql, {name});
  if (!r) return std::nullopt;
  return r->Int(0);
}

}  // namespace

std::optional<int64_t> CityId(db::Conn& c, const std::string& name) { return IdOf(c, kCityId, name); }

int64_t InsertCity(db::Conn& c, const std::string& name) { return c.Insert(kInsertCity, {name}); }

std::optional<int64_t> CountyId(db::Conn& c, const std::string& name) { return IdOf(c, kCountyId, name); }

int64_t InsertCounty(db::Conn& c, const std::string& name, std::optional<int64_t> city_id,
                     const std::string& office_close) {
  return c.Insert(kInsertCounty, {name, db::Opt(city_id), office_close});
}

bool SchoolNamed(db::Conn& c, int64_t county_id, const std::string& name) {
  return c.QueryOne(kSchoolNamed, {county_id, name}).has_value();
}

void Probe(db::Conn& c) { c.Query(kProbe); }

}  // namespace kehou::app::store
