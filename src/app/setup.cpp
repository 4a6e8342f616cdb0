#include "app/setup.h"

#include <nlohmann/json.hpp>

#include "app/store.h"
#include "auth/audit.h"
#include "core/text.h"
#include "core/time.h"
#include "school/rules.h"
#include "school/service.h"

namespace kehou::app {

auth::Principal CliPrincipal(std::optional<int64_t> school, std::string display_name) {
  auth::Principal p;
  p.role = auth::Role::kSysAdmin;
  p.scope = auth::Scope::kAll;
  p.school_id = school;
  p.login = "cli";
  p.display_name = std::move(display_name);
  return p;
}

Result<CreatedSchool> CreateSchool(db::Db& db, const NewSchool& in) {
  NewSchool s = in;
  s.city = Trim(s.city);
  s.county = Trim(s.county);
  s.name = Trim(s.name);
  if (s.county.empty()) return MakeError(kInvalid, "请填写县区名称", "county is required", "county");
  if (s.name.empty()) return MakeError(kInvalid, "请填写学校名称", "school name is required", "name");
  if (!ParseTimeOfDay(s.office_close))
    return MakeError(kInvalid, "下班时间格式应为 HH:MM", "office closing time must be HH:MM", "office_close");
  auto level = school::ParseLevel(s.level);
  if (!level)
    return MakeError(kInvalid, "学段应为 primary、junior 或 nine_year", "level must be primary, junior or nine_year",
                     "level");
  auto type = school::ParseSchoolType(s.type);
  if (!type)
    return MakeError(kInvalid, "办学类型应为 public、private 或 private_boarding",
                     "type must be public, private or private_boarding", "type");
  return db.Write([&](db::Conn& c) -> Result<CreatedSchool> {
    CreatedSchool out;
    if (!s.city.empty()) {
      auto city = store::CityId(c, s.city);
      out.city_id = city ? *city : store::InsertCity(c, s.city);
    }
    auto county = store::CountyId(c, s.county);
    out.county_id =
        county ? *county
               : store::InsertCounty(c, s.county, out.city_id ? std::optional<int64_t>(out.city_id) : std::nullopt,
                                     s.office_close);
    if (store::SchoolNamed(c, out.county_id, s.name))
      return MakeError(kConflict, "该县区已有同名学校", "a school of that name exists in the county", "name");
    auto id = school::CreateSchool(c, school::NewSchool{out.county_id, s.name, *level, *type, ""});
    if (!id.ok()) return id.error();
    out.school_id = id.value();
    auth::Principal cli;
    cli.login = "cli";
    cli.display_name = "命令行";
    nlohmann::json after = {{"name", s.name}, {"level", s.level}, {"type", s.type}, {"county", s.county}};
    auth::Audit(c, cli, auth::AuditEntry{"create", "school", out.school_id, nullptr, &after, out.school_id});
    return out;
  });
}

}  // namespace kehou::app
