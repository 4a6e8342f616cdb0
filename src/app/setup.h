// setup.h: `kehou school create`: a real school (and its city/county areas if new) without the
// demo. Everything else about the school is then set up in the console by its principal.
#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "access/principal.h"
#include "core/result.h"
#include "db/db.h"

namespace kehou::app {

struct NewSchool {
  std::string city;          // 临江市
  std::string county;        // 青山县
  std::string office_close;  // the county's office closing time, 'HH:MM'
  std::string name;          // 青山县第三小学
  std::string level;         // primary | junior | nine_year
  std::string type;          // public | private | private_boarding
};
struct CreatedSchool {
  int64_t city_id = 0, county_id = 0, school_id = 0;
};

// Creates the areas if missing (by name) and the school with its grades; one transaction,
// audited. Conflict if a school of that name exists in the county.
Result<CreatedSchool> CreateSchool(db::Db& db, const NewSchool& s);

// Who the command line acts as (`kehou import students FILE --school N`): the system
// administrator with the scope a request of that role gets from the permission table (all
// schools), pointed at the school given. Without the scope every school write refused it
// ("无权修改"). Audited as login "cli".
auth::Principal CliPrincipal(std::optional<int64_t> school, std::string display_name);

}  // namespace kehou::app
