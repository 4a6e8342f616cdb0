#include "timetable/http_substitution.h"

#include "access/grants.h"
#include "core/body.h"
#include "core/text.h"
#include "core/time.h"
#include "http/bind.h"
#include "timetable/service.h"

namespace kehou::timetable {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;
using Json = nlohmann::json;

Result<Json> Groups(db::Db& db, Request& req, std::optional<int64_t> school) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "term_id", "weekday", "band", "q", "page", "page_size"}));
  KEHOU_ASSIGN_OR_RETURN(http::Page pg, http::PageOf(req));
  KEHOU_ASSIGN_OR_RETURN(auto term, req.OptIdQuery("term_id"));
  KEHOU_ASSIGN_OR_RETURN(auto weekday, req.OptIntQuery("weekday", 1, 5));
  const std::string band = Trim(req.Query("band").value_or(""));
  if (!band.empty() && band != "morning" && band != "noon" && band != "after_school" && band != "evening")
    return Error::Invalid("时段无效", "unknown band", "band");
  Json f{{"weekday", weekday.value_or(0)},
         {"band", band},
         {"q", Trim(req.Query("q").value_or(""))},
         {"page", pg.page},
         {"page_size", pg.size}};
  return ListGroups(db, req.Me(), school, term, f);
}

Result<Json> Substitutions(db::Db& db, Request& req, std::optional<int64_t> school) {
  KEHOU_TRY(req.OnlyQuery({"school_id", "date", "status"}));
  const std::string date = Trim(req.Query("date").value_or(""));
  if (!date.empty() && !ParseDate(date)) return Error::Invalid("日期格式应为 YYYY-MM-DD", "date is YYYY-MM-DD", "date");
  const std::string status = Trim(req.Query("status").value_or(""));
  if (!status.empty() && status != "open" && status != "assigned" && status != "cancelled")
    return Error::Invalid("状态无效", "unknown status", "status");
  return ListSubstitutions(db, req.Me(), school, Json{{"date", date}, {"status", status}});
}

}  // namespace

void RegisterSubstitutionRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  const std::string api = "/api/v1";
  // --- basic-service groups and substitutions (src/timetable/http_substitution.cpp) — issue 12 §3, §5.
  // A teacher reports and sees only their own absences (and where they substitute).
  r.Get(api + "/timetable/groups", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return Groups(db, in.req, in.school); }));
  r.Post(api + "/timetable/groups/generate", http::Allow{managers, admin},
         Bind({.body = true}, [&db](const In& in) -> Result<Json> {
           BodyReader b(in.body);
           const auto term = b.Id("term_id", {.label = "学期"});
           KEHOU_TRY(b.Finish(UnknownFields::kRefuse));
           return GenerateGroups(db, in.me(), in.school, term, NowMs());
         }));
  r.Put(api + "/timetable/settings", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
          return SaveGroupSettings(db, in.me(), in.school, in.body, NowMs());
        }));
  r.Get(api + "/substitutions", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({}, [&db](const In& in) { return Substitutions(db, in.req, in.school); }));
  r.Post(api + "/substitutions/absences", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
         Bind({.body = true, .status = 201},
              [&db](const In& in) { return ReportAbsence(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get(api + "/substitutions/:id/candidates", http::Allow{managers, admin},
        Bind({}, [&db](const In& in) { return SubstituteCandidates(db, in.me(), in.school, in.id); }));
  r.Post(api + "/substitutions/:id/assign", http::Allow{managers, admin}, Bind({.body = true}, [&db](const In& in) {
           return AssignSubstitute(db, in.me(), in.school, in.id, in.body, NowMs());
         }));
}

}  // namespace kehou::timetable
