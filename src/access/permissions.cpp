// The permission table. Every route the server registers has exactly one row: listed here for the
// modules whose routes are not declared with their grants yet, or declared beside the handler
// (http::Router::Get(path, Allow{...}, handler) -> DeclarePermission). app/routes_test.cpp and
// tests/api walk every route with every role against it.
#include "access/permissions.h"

#include <mutex>
#include <stdexcept>

#include "access/grants.h"

namespace kehou::auth {
namespace {

Permission Public(std::string m, std::string p, bool csrf_exempt = false) {
  return Permission{std::move(m), std::move(p), {}, true, csrf_exempt};
}
Permission P(std::string m, std::string p, std::vector<Grant> g) {
  return Permission{std::move(m), std::move(p), std::move(g), false, false};
}

std::vector<Permission> Build() {
  using namespace grants;  // NOLINT: the table reads as a table
  return {
      // --- foundation: health, sessions, own account
      Public("GET", "/api/v1/health"),
      Public("POST", "/api/v1/auth/login", /*csrf_exempt=*/true),
      P("POST", "/api/v1/auth/logout", {self}),
      P("POST", "/api/v1/auth/logout-all", {self}),
      P("POST", "/api/v1/auth/password", {self}),
      P("GET", "/api/v1/auth/me", {self}),
      Public("POST", "/api/v1/auth/reset-with-code", /*csrf_exempt=*/true),  // a guardian's one-time code
      // Declared with their handlers, not listed here (src/<module>/http.cpp, r.Get(path, Allow{...},
      // handler)): activation, workbench, school setup, people, registration (enroll), catalog and
      // selection.

      // --- accounts and audit (src/auth)
      // Accounts: rank rules in auth::MayManageAccount; officers manage their area's principals
      // and the guardians of families in several schools (issue 10).
      P("GET", "/api/v1/users", {{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin}),
      P("POST", "/api/v1/users", {{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin}),
      P("PUT", "/api/v1/users/:id", {{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin}),
      P("POST", "/api/v1/users/:id/reset-password", {{kLeaders | Bit(Role::kOfficeDirector), Scope::kSchool}, officers, admin}),
      P("POST", "/api/v1/users/:id/reset-code", {managers, officers, admin}),  // printed for a guardian
      P("GET", "/api/v1/audit", {{kLeaders, Scope::kSchool}, admin}),


      // --- attendance (src/attendance) and the notification outbox (src/notify) — issue 13 §1, §6
      P("GET", "/api/v1/attendance/sessions", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("GET", "/api/v1/attendance/sessions/:id/roster", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("PUT", "/api/v1/attendance/sessions/:id/roll", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      Public("POST", "/api/v1/attendance/swipes", /*csrf_exempt=*/true),  // devices: their own key (Authorization: Device)
      P("GET", "/api/v1/attendance/devices", {managers, admin}),
      P("POST", "/api/v1/attendance/devices", {managers, admin}),
      P("POST", "/api/v1/attendance/devices/:id/disable", {managers, admin}),
      P("PUT", "/api/v1/attendance/cards", {managers, admin}),
      P("GET", "/api/v1/attendance/leaves", {managers, {kTeachers, Scope::kOwnSections}, guardian, admin}),
      P("POST", "/api/v1/attendance/leaves", {guardian}),
      P("GET", "/api/v1/attendance/board", {managers, admin}),
      P("POST", "/api/v1/attendance/alerts/:id/resolve", {managers, admin}),
      P("POST", "/api/v1/attendance/cancellations", {managers}),  // weather, epidemic, pollution (attendance/cancel.h)
      P("GET", "/api/v1/attendance/cancellations", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("GET", "/api/v1/notify/outbox", {managers, admin}),
      // --- safety (src/safety) — issue 13 §2, §4: the three concerns (the session's teacher), unwell
      // reports (the school doctor), handovers (staff; the service limits non-office staff to their own),
      // health notes (the child's teachers, the doctor and the office only: the service checks the child),
      // safety records (the safety officer; site checks, patrols and visitors also the guard).
      P("GET", "/api/v1/safety/sessions/:id/concerns", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("PUT", "/api/v1/safety/sessions/:id/concerns", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("POST", "/api/v1/safety/sessions/:id/unwell", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("GET", "/api/v1/safety/unwell", {managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/unwell/:id/seen", {managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/summary", {managers, admin}),
      P("GET", "/api/v1/safety/handovers", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool}, {kTeachers, Scope::kOwnSections}, admin}),
      P("POST", "/api/v1/safety/handovers", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool}, {kTeachers, Scope::kOwnSections}, admin}),
      P("POST", "/api/v1/safety/handovers/:id/ack", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool}, {kTeachers, Scope::kOwnSections}, admin}),
      P("GET", "/api/v1/safety/health-notes", {managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}, {kTeachers, Scope::kOwnSections}}),
      P("POST", "/api/v1/safety/health-notes", {managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}}),
      P("PUT", "/api/v1/safety/health-notes/:id", {managers, {Bit(Role::kSchoolDoctor), Scope::kSchool}}),
      P("GET", "/api/v1/safety/insurance", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/insurance", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/site-checks", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/site-checks", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/patrols", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/patrols", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/patrols/:id/follow-up", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/incidents", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/incidents", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/plans", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/plans", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/drills", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/drills", {managers, {Bit(Role::kSafetyOfficer), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/visitors", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/visitors", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("POST", "/api/v1/safety/visitors/:id/out", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard), Scope::kSchool}, admin}),
      P("GET", "/api/v1/safety/export", {managers, {Bit(Role::kSafetyOfficer) | Bit(Role::kGuard) | Bit(Role::kSchoolDoctor), Scope::kSchool}, admin}),
      // --- dismissal and pickup (src/pickup) — issue 13 §3: guardians manage their own children's
      // proxies and cards; the gate (guard, teachers, office) scans and hands over; the office closes the day.
      P("GET", "/api/v1/pickup/children/:id/adults", {managers, guardian, admin}),
      P("POST", "/api/v1/pickup/proxies", {managers, guardian}),
      P("GET", "/api/v1/pickup/proxies", {managers, admin}),
      P("POST", "/api/v1/pickup/proxies/:id/revoke", {managers, guardian}),
      P("GET", "/api/v1/pickup/proxies/:id/form", {managers, guardian, admin}),
      P("POST", "/api/v1/pickup/restrictions", {managers}),
      P("PUT", "/api/v1/pickup/self-leave", {guardian}),
      P("PUT", "/api/v1/pickup/batch-choice", {managers, guardian}),
      P("POST", "/api/v1/pickup/cards", {managers, guardian}),
      P("POST", "/api/v1/pickup/cards/:id/revoke", {managers, guardian}),
      P("GET", "/api/v1/pickup/cards/print", {managers, admin}),
      P("POST", "/api/v1/pickup/gate/lookup", {managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}}),
      P("POST", "/api/v1/pickup/handovers", {managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}}),
      P("GET", "/api/v1/pickup/gate", {managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}, admin}),
      P("GET", "/api/v1/pickup/queue", {managers, {Bit(Role::kGuard) | kTeachers, Scope::kSchool}, admin}),
      P("POST", "/api/v1/pickup/arrivals", {guardian}),
      Public("POST", "/api/v1/pickup/arrivals/card", /*csrf_exempt=*/true),  // a proxy's card token is the credential
      Public("GET", "/api/v1/pickup/card"),                                  // the card's phone page
      P("GET", "/api/v1/pickup/day", {managers, admin}),
      P("POST", "/api/v1/pickup/day/close", {managers}),
      P("GET", "/api/v1/pickup/my-children", {guardian}),
      P("GET", "/api/v1/pickup/settings", {managers, admin}),
      P("PUT", "/api/v1/pickup/settings", {managers}),
      P("GET", "/api/v1/notify/outbox/export", {managers, admin}),
      P("POST", "/api/v1/notify/outbox/:id/retry", {managers, admin}),
      P("GET", "/api/v1/notify/settings", {managers, admin}),
      P("PUT", "/api/v1/notify/settings", {managers, admin}),
      P("GET", "/api/v1/notify/inbox", {self}),  // the caller's own in-app messages (guardian or staff)
      P("POST", "/api/v1/notify/inbox/:id/read", {self}),
      P("GET", "/api/v1/notify/preference", {{Bit(Role::kGuardian), Scope::kSelf}}),
      P("PUT", "/api/v1/notify/preference", {{Bit(Role::kGuardian), Scope::kSelf}}),
      // --- staff records and external institutions (src/staff) — issue 12. Background checks are
      // personal data: the school's office and leadership only. The approved list of institutions
      // is the county's (or city's); a school's contract with one is the leadership's decision.
      P("GET", "/api/v1/staff-records", {managers, admin}),
      P("GET", "/api/v1/staff-records/blocked", {managers, admin}),
      P("GET", "/api/v1/staff-records/export", {managers, admin}),
      P("POST", "/api/v1/staff-records/import", {managers, admin}),
      P("GET", "/api/v1/staff-records/:id", {managers, admin}),
      P("PUT", "/api/v1/staff-records/:id", {managers, admin}),
      P("POST", "/api/v1/staff-records/:id/trainings", {managers, admin}),
      // --- basic-service groups and substitutions (src/timetable/http_substitution.cpp) — issue 12 §3, §5.
      // A teacher reports and sees only their own absences (and where they substitute).
      P("GET", "/api/v1/timetable/groups", {managers, admin}),
      P("POST", "/api/v1/timetable/groups/generate", {managers, admin}),
      P("PUT", "/api/v1/timetable/settings", {managers, admin}),
      P("GET", "/api/v1/substitutions", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("POST", "/api/v1/substitutions/absences", {managers, {kTeachers, Scope::kOwnSections}, admin}),
      P("GET", "/api/v1/substitutions/:id/candidates", {managers, admin}),
      P("POST", "/api/v1/substitutions/:id/assign", {managers, admin}),
      P("GET", "/api/v1/institutions", {managers, officers, admin}),
      P("POST", "/api/v1/institutions", {officers}),
      P("PUT", "/api/v1/institutions/:id", {officers}),
      P("POST", "/api/v1/institution-contracts", {{kLeaders, Scope::kSchool}, admin}),
      P("POST", "/api/v1/institution-contracts/:id/exit", {{kLeaders, Scope::kSchool}, admin}),
      // --- end staff
      // --- timetable grid (src/timetable/http.cpp) — issue 12 §4: the office runs and edits the
      // term's timetable; a teacher reads only their own week.
      P("POST", "/api/v1/timetable/terms/:term_id/solve", {managers, admin}),
      P("GET", "/api/v1/timetable/jobs/:id", {managers, admin}),
      P("POST", "/api/v1/timetable/jobs/:id/cancel", {managers, admin}),
      P("GET", "/api/v1/timetable/terms/:term_id", {managers, admin}),
      P("POST", "/api/v1/timetable/terms/:term_id/check", {managers, admin}),
      P("PUT", "/api/v1/timetable/terms/:term_id/placement", {managers, admin}),
      P("PUT", "/api/v1/timetable/terms/:term_id/lock", {managers, admin}),
      P("GET", "/api/v1/timetable/terms/:term_id/export", {managers, admin}),
      P("GET", "/api/v1/timetable/my-week", {{kTeachers, Scope::kOwnSections}}),
      // --- end timetable grid
      // --- fees (src/fees) — issue 14 §1-2: finance data for the office and leadership
      P("GET", "/api/v1/fees/settings", {managers, admin}),
      P("PUT", "/api/v1/fees/settings", {managers, admin}),
      P("GET", "/api/v1/fees/standards", {managers, admin}),
      P("POST", "/api/v1/fees/standards", {managers, admin}),
      P("PUT", "/api/v1/fees/standards/:id", {managers, admin}),
      P("DELETE", "/api/v1/fees/standards/:id", {managers, admin}),
      P("POST", "/api/v1/fees/late-windows", {managers, admin}),
      P("POST", "/api/v1/fees/bills/issue", {managers, admin}),
      P("GET", "/api/v1/fees/bills", {managers, admin}),
      P("GET", "/api/v1/fees/bills/:id", {managers, admin, guardian}),
      P("GET", "/api/v1/fees/my-bills", {guardian}),
      P("POST", "/api/v1/fees/bills/:id/exemptions", {{kLeaders, Scope::kSchool}, admin}),  // the leadership group
      P("POST", "/api/v1/fees/bills/:id/cash", {managers, admin}),
      P("POST", "/api/v1/fees/bills/:id/pay", {guardian}),
      P("POST", "/api/v1/fees/test-provider/notifications", {managers, admin}),
      P("GET", "/api/v1/fees/exceptions", {managers, admin}),
      P("POST", "/api/v1/fees/exceptions/:id/resolve", {managers, admin}),
      P("POST", "/api/v1/fees/bills/:id/refunds", {managers, admin}),
      P("POST", "/api/v1/fees/refunds/:id/approve", {{kLeaders, Scope::kSchool}, admin}),  // a leader approves
      P("GET", "/api/v1/fees/refunds", {managers, admin}),
      P("POST", "/api/v1/fees/refund-payouts", {managers, admin}),  // refund payouts (s11-money)
      P("GET", "/api/v1/fees/refund-payouts", {managers, admin}),
      P("GET", "/api/v1/fees/refund-payouts/:id/file", {managers, admin}),
      P("POST", "/api/v1/fees/refund-payouts/:id/paid", {managers, admin}),
      Public("POST", "/api/v1/fees/callback/wechatpay/:school_id", /*csrf_exempt=*/true),  // signature-checked
      P("POST", "/api/v1/fees/reminders", {managers, admin}),  // payment reminders (s10-pay)
      P("POST", "/api/v1/fees/reconciliations", {managers, admin}),
      P("GET", "/api/v1/fees/reconciliations", {managers, admin}),
      P("GET", "/api/v1/fees/reconciliations/:id", {managers, admin}),
      P("GET", "/api/v1/fees/bills/:id/receipt", {managers, admin, guardian}),
      // --- end fees
      // --- ledger (src/ledger) — issue 14 §3: the books for the office and leadership; guardians read
      // only published disclosures of their children's schools
      P("GET", "/api/v1/ledger/accounts", {managers, admin}),
      P("GET", "/api/v1/ledger/entries", {managers, admin}),
      P("POST", "/api/v1/ledger/entries/:id/reverse", {managers, admin}),
      P("POST", "/api/v1/ledger/documents", {managers, admin}),
      P("GET", "/api/v1/ledger/budget", {managers, admin}),
      P("PUT", "/api/v1/ledger/budget", {managers, admin}),
      P("POST", "/api/v1/ledger/final-accounts", {managers, admin}),
      P("POST", "/api/v1/ledger/final-accounts/approve", {{kLeaders, Scope::kSchool}, admin}),  // leadership approves
      P("GET", "/api/v1/ledger/disclosures", {managers, admin}),
      P("GET", "/api/v1/ledger/disclosure-preview", {managers, admin}),
      P("POST", "/api/v1/ledger/disclosures", {managers, admin}),
      P("GET", "/api/v1/ledger/disclosures/:id", {managers, admin, guardian}),
      P("GET", "/api/v1/ledger/my-disclosures", {guardian}),
      // --- end ledger
      // --- pay (src/pay) — issue 14 §4: pay runs for the office and leadership; a leader approves;
      // every staff account reads its own slips (others' answer not_found)
      P("GET", "/api/v1/pay/settings", {managers, admin}),
      P("PUT", "/api/v1/pay/settings", {{kLeaders, Scope::kSchool}, admin}),
      P("PUT", "/api/v1/pay/scores", {{kLeaders, Scope::kSchool}, admin}),
      P("GET", "/api/v1/pay/runs", {managers, admin}),
      P("POST", "/api/v1/pay/runs", {managers, admin}),
      P("GET", "/api/v1/pay/runs/:id", {managers, admin}),
      P("POST", "/api/v1/pay/runs/:id/approve", {{kLeaders, Scope::kSchool}, admin}),
      P("GET", "/api/v1/pay/runs/:id/export", {managers, admin}),
      P("GET", "/api/v1/pay/my-slips", {{kAllStaff, Scope::kSelf}}),
      P("GET", "/api/v1/pay/slips/:id", {managers, {kWorkingGroups | kTeachers, Scope::kSelf}, admin}),
      // --- end pay
  };
}

}  // namespace

std::string_view ScopeName(Scope s) {
  switch (s) {
    case Scope::kPublic: return "public";
    case Scope::kSelf: return "self";
    case Scope::kSchool: return "school";
    case Scope::kGrade: return "grade";
    case Scope::kOwnClass: return "own_class";
    case Scope::kOwnSections: return "own_sections";
    case Scope::kOwnChildren: return "own_children";
    case Scope::kArea: return "area";
    case Scope::kAll: return "all";
  }
  return "?";
}

namespace {
std::deque<Permission>& Table() {
  static std::deque<Permission> table = [] {
    auto rows = Build();
    return std::deque<Permission>(std::make_move_iterator(rows.begin()), std::make_move_iterator(rows.end()));
  }();
  return table;
}
std::mutex g_declare_mutex;  // start-up only; readers come after
}  // namespace

const std::deque<Permission>& PermissionTable() { return Table(); }

const Permission* FindPermission(std::string_view method, std::string_view pattern) {
  for (const auto& p : PermissionTable())
    if (p.method == method && p.pattern == pattern) return &p;
  return nullptr;
}

void DeclarePermission(Permission p) {
  std::lock_guard lock(g_declare_mutex);
  if (const Permission* old = FindPermission(p.method, p.pattern)) {
    if (old->grants == p.grants && old->is_public == p.is_public && old->csrf_exempt == p.csrf_exempt) return;
    throw std::logic_error("permission declared twice with other grants: " + p.method + " " + p.pattern);
  }
  if (!p.is_public && p.grants.empty())
    throw std::logic_error("a route with no grant (deny by default: declare it public or grant a role): " + p.method +
                           " " + p.pattern);
  Table().push_back(std::move(p));
}

std::optional<Scope> ScopeFor(const Permission& p, Role r) {
  if (p.is_public) return Scope::kPublic;
  for (const auto& g : p.grants)
    if (g.roles & Bit(r)) return g.scope;
  return std::nullopt;
}

}  // namespace kehou::auth
