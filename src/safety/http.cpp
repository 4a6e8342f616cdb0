#include "safety/http.h"

#include "access/grants.h"
#include "http/bind.h"
#include "safety/service.h"

namespace kehou::safety {
namespace {

using http::Bind;
using http::In;
using http::Request;
using http::Response;

Result<ListQuery> QueryOf(const Request& req) {
  ListQuery q;
  KEHOU_ASSIGN_OR_RETURN(q.day, req.OptDateQuery("date"));
  KEHOU_ASSIGN_OR_RETURN(q.from, req.OptDateQuery("from"));
  KEHOU_ASSIGN_OR_RETURN(q.to, req.OptDateQuery("to"));
  KEHOU_ASSIGN_OR_RETURN(q.student_id, req.OptIdQuery("student_id"));
  KEHOU_ASSIGN_OR_RETURN(q.term_id, req.OptIdQuery("term_id"));
  if (auto s = req.Query("status"); s && !s->empty()) q.status = *s;
  if (req.Query("page") || req.Query("page_size")) {
    KEHOU_ASSIGN_OR_RETURN(auto page, http::PageOf(req));
    q.page = page.page;
    q.size = page.size;
  }
  return q;
}

}  // namespace

void RegisterRoutes(http::Router& r, db::Db& db) {
  using namespace auth;          // NOLINT: Bit, Role, Scope, the masks: routes read as a table
  using namespace auth::grants;  // NOLINT
  // The list routes: ?school_id and the list filters (QueryOf).
  const http::Spec lists{.query = {"school_id", "date", "from", "to", "status", "student_id", "term_id", "page",
                                   "page_size", "band", "list"}};
  const http::Spec school_only{.query = {"school_id"}};
  const http::Spec school_body{.body = true, .query = {"school_id"}};
  // ---- the three concerns and unwell reports
  // --- safety (src/safety) — issue 13 §2, §4: the three concerns (the session's teacher), unwell
  // reports (the school doctor), handovers (staff; the service limits non-office staff to their own),
  // health notes (the child's teachers, the doctor and the office only: the service checks the child),
  // safety records (the safety officer; site checks, patrols and visitors also the guard).
  r.Get("/api/v1/safety/sessions/:id/concerns", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
        Bind({.query = {"school_id", "date", "band"}, .date = true}, [&db](const In& in) {
          return SessionConcerns(db, in.me(), in.school, in.id, in.date, in.req.Query("band").value_or(""), NowMs());
        }));
  r.Put(
      "/api/v1/safety/sessions/:id/concerns", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
      Bind(school_body, [&db](const In& in) { return SaveConcerns(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  r.Post(
      "/api/v1/safety/sessions/:id/unwell", http::Allow{managers, {kTeachers, Scope::kOwnSections}, admin},
      Bind(school_body, [&db](const In& in) { return ReportUnwell(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  r.Get("/api/v1/safety/unwell", http::Allow{managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListUnwell(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/unwell/:id/seen", http::Allow{managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return SeeUnwell(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  r.Get("/api/v1/safety/summary", http::Allow{managers, admin},
        Bind({.query = {"school_id", "date"}, .date = true},
             [&db](const In& in) { return Summary(db, in.me(), in.school, in.date, NowMs()); }));
  // ---- handovers
  r.Get("/api/v1/safety/handovers",
        http::Allow{managers,
                    {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool},
                    {kTeachers, Scope::kOwnSections},
                    admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListHandovers(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/handovers",
         http::Allow{managers,
                     {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool},
                     {kTeachers, Scope::kOwnSections},
                     admin},
         Bind(school_body, [&db](const In& in) { return CreateHandover(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post("/api/v1/safety/handovers/:id/ack",
         http::Allow{managers,
                     {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool},
                     {kTeachers, Scope::kOwnSections},
                     admin},
         Bind(school_body,
              [&db](const In& in) { return AcknowledgeHandover(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  // ---- health notes
  r.Get("/api/v1/safety/health-notes",
        http::Allow{managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, {kTeachers, Scope::kOwnSections}},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListHealthNotes(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/health-notes", http::Allow{managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}},
         Bind(school_body, [&db](const In& in) { return CreateHealthNote(db, in.me(), in.school, in.body, NowMs()); }));
  r.Put("/api/v1/safety/health-notes/:id", http::Allow{managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}},
        Bind(school_body,
             [&db](const In& in) { return UpdateHealthNote(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  // ---- records
  r.Get("/api/v1/safety/insurance", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListInsurance(db, in.me(), in.school, q, LocalDate(NowMs()));
        }));
  r.Post("/api/v1/safety/insurance", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreateInsurance(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/safety/site-checks",
        http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListSiteChecks(db, in.me(), in.school, q, NowMs());
        }));
  r.Post("/api/v1/safety/site-checks",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return SaveSiteCheck(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/safety/patrols",
        http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListPatrols(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/patrols",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreatePatrol(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post("/api/v1/safety/patrols/:id/follow-up",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
         Bind(school_body,
              [&db](const In& in) { return FollowUpPatrol(db, in.me(), in.school, in.id, in.body, NowMs()); }));
  r.Get("/api/v1/safety/incidents",
        http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListIncidents(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/incidents",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreateIncident(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/safety/plans", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
        Bind(school_only, [&db](const In& in) { return ListPlans(db, in.me(), in.school); }));
  r.Post("/api/v1/safety/plans", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreatePlan(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/safety/drills", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
        Bind(school_only, [&db](const In& in) { return ListDrills(db, in.me(), in.school, LocalDate(NowMs())); }));
  r.Post("/api/v1/safety/drills", http::Allow{managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreateDrill(db, in.me(), in.school, in.body, NowMs()); }));
  r.Get("/api/v1/safety/visitors",
        http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
        Bind(lists, [&db](const In& in) -> Result<Json> {
          KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
          return ListVisitors(db, in.me(), in.school, q);
        }));
  r.Post("/api/v1/safety/visitors",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
         Bind(school_body, [&db](const In& in) { return CreateVisitor(db, in.me(), in.school, in.body, NowMs()); }));
  r.Post("/api/v1/safety/visitors/:id/out",
         http::Allow{managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin},
         Bind(school_only, [&db](const In& in) { return VisitorOut(db, in.me(), in.school, in.id, NowMs()); }));
  r.Get(
      "/api/v1/safety/export",
      http::Allow{
          managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin},
      Bind(lists, [&db](const In& in) -> Result<FileOut> {
        KEHOU_ASSIGN_OR_RETURN(ListQuery q, QueryOf(in.req));
        return Export(db, in.me(), in.school, in.req.Query("list").value_or(""), q, NowMs());
      }));
}

}  // namespace kehou::safety
