// The expected permission matrix: every endpoint x every role -> scope, written out by hand from
// src/access/permissions.cpp (the one declared table). The API test walks it against the running
// server, and checks it against the C++ table (parsed) and docs/openapi.yaml (x-roles), so the
// three cannot drift apart silently.
//
// Cells: S school, G grade, O own_class, T own_sections, C own_children, A area, * all,
//        s self, P public (no login), - forbidden (403).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROLES = [
  'principal', 'vice_principal', 'office_director', 'office_staff', 'course_group',
  'safety_officer', 'guard', 'school_doctor', 'liaison', 'parent_committee', 'grade_leader',
  'class_teacher', 'teacher', 'external_staff', 'guardian', 'county_officer', 'city_officer',
  'sysadmin',
];

export const SCOPE_OF_CELL = {
  S: 'school', G: 'grade', O: 'own_class', T: 'own_sections', C: 'own_children', A: 'area',
  '*': 'all', s: 'self', P: 'public', '-': null,
};

// Columns in ROLES order:
//  pri vic dir clk crs saf grd doc lia com  gl  ct tch ext gdn cty cit adm
const TABLE = `
GET    /api/v1/health                       P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
POST   /api/v1/auth/login                   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
POST   /api/v1/auth/logout                  s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s
POST   /api/v1/auth/logout-all              s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s
POST   /api/v1/auth/password                s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s
GET    /api/v1/auth/me                      s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s   s
POST   /api/v1/auth/reset-with-code         P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
POST   /api/v1/activation/request       P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
POST   /api/v1/activation/complete      P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
GET    /api/v1/activation/classes       S   S   S   S   -   -   -   -   -   -   -   O   -   -   -   -   -   *
GET    /api/v1/activation/classes/:id   S   S   S   S   -   -   -   -   -   -   -   O   -   -   -   -   -   *
GET    /api/v1/activation/classes/:id/letters S S S S -   -   -   -   -   -   -   O   -   -   -   -   -   -
POST   /api/v1/activation/classes/:id/remind  S S S S -   -   -   -   -   -   -   O   -   -   -   -   -   -
GET    /api/v1/schools                      S   S   S   S   S   S   S   S   S   S   S   S   S   S   C   A   A   *
GET    /api/v1/schools/:id                  S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
PUT    /api/v1/schools/:id                  S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/areas/:id/overview           -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   A   A   *
GET    /api/v1/workbench                    S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
GET    /api/v1/terms                        S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
POST   /api/v1/terms                        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/terms/:id                    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/terms/:id/bands              S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
PUT    /api/v1/terms/:id/bands              S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/grades                       S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
PUT    /api/v1/grades/:id                   S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/classes                      S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
POST   /api/v1/classes                      S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/classes/:id                  S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/rooms                        S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
POST   /api/v1/rooms                        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/rooms/:id                    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
DELETE /api/v1/rooms/:id                    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/students                     S   S   S   S   S   S   S   S   S   -   G   O   T   T   -   -   -   *
GET    /api/v1/students/:id                 S   S   S   S   -   -   -   S   -   -   -   O   -   -   C   -   -   *
POST   /api/v1/students                     S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/students/:id                 S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/classes/:id/students         S   S   S   S   S   S   S   S   S   -   G   O   -   -   -   -   -   *
GET    /api/v1/guardians                    S   S   S   S   -   -   -   -   S   -   -   O   -   -   -   -   -   *
GET    /api/v1/staff                        S   S   S   S   S   S   S   S   S   S   S   S   S   S   -   A   A   *
POST   /api/v1/staff                        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/staff/:id                    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/imports/:kind/template       S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/imports/:kind/preview        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/imports/:kind                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/exports/:list                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/me/children                  -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/me/courses                   -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/users                        S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   A   A   *
POST   /api/v1/users                        S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   A   A   *
PUT    /api/v1/users/:id                    S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   A   A   *
POST   /api/v1/users/:id/reset-password     S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   A   A   *
GET    /api/v1/audit                        S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/attendance/sessions          S   S   S   S   -   -   -   -   -   -   T   T   T   T   -   -   -   *
GET    /api/v1/attendance/devices           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/attendance/devices           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/attendance/cards             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/attendance/leaves            S   S   S   S   -   -   -   -   -   -   T   T   T   T   C   -   -   *
POST   /api/v1/attendance/leaves            -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/attendance/board             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/pickup/proxies               S   S   S   S   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/pickup/proxies               S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/pickup/restrictions          S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -
PUT    /api/v1/pickup/self-leave            -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
PUT    /api/v1/pickup/batch-choice          S   S   S   S   -   -   -   -   -   -   -   -   -   -   C   -   -   -
POST   /api/v1/pickup/cards                 S   S   S   S   -   -   -   -   -   -   -   -   -   -   C   -   -   -
POST   /api/v1/pickup/gate/lookup           S   S   S   S   -   -   S   -   -   -   S   S   S   S   -   -   -   -
POST   /api/v1/pickup/handovers             S   S   S   S   -   -   S   -   -   -   S   S   S   S   -   -   -   -
GET    /api/v1/pickup/gate                  S   S   S   S   -   -   S   -   -   -   S   S   S   S   -   -   -   *
GET    /api/v1/pickup/queue                 S   S   S   S   -   -   S   -   -   -   S   S   S   S   -   -   -   *
POST   /api/v1/pickup/arrivals              -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
POST   /api/v1/pickup/arrivals/card         P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
GET    /api/v1/pickup/card                  P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P   P
GET    /api/v1/pickup/day                   S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/pickup/day/close             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -
GET    /api/v1/pickup/my-children           -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/pickup/settings              S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/pickup/settings              S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -
GET    /api/v1/notify/outbox                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/timetable/groups             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/timetable/groups/generate    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/timetable/settings           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/substitutions                S   S   S   S   -   -   -   -   -   -   T   T   T   T   -   -   -   *
POST   /api/v1/substitutions/absences       S   S   S   S   -   -   -   -   -   -   T   T   T   T   -   -   -   *
GET    /api/v1/substitutions/:id/candidates S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/substitutions/:id/assign     S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/staff-records                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/staff-records/blocked        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/staff-records/export         S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/staff-records/import         S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/staff-records/:id            S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/staff-records/:id            S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/staff-records/:id/trainings  S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/institutions                 S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   A   A   *
POST   /api/v1/institutions                 -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   A   A   -
PUT    /api/v1/institutions/:id             -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   A   A   -
POST   /api/v1/institution-contracts        S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/institution-contracts/:id/exit S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/timetable/terms/:term_id/solve S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/timetable/jobs/:id           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/timetable/jobs/:id/cancel    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/timetable/terms/:term_id     S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/timetable/terms/:term_id/check S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/timetable/terms/:term_id/placement S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/timetable/terms/:term_id/lock S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/timetable/terms/:term_id/export S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/timetable/my-week            -   -   -   -   -   -   -   -   -   -   T   T   T   T   -   -   -   -
GET    /api/v1/fees/settings                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/fees/settings                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/standards               S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/fees/standards               S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/fees/late-windows            S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/fees/bills/issue             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/bills                   S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/my-bills                -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
GET    /api/v1/fees/exceptions              S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/fees/test-provider/notifications S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/refunds                 S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/refund-payouts          S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/accounts              S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/entries               S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/ledger/documents             S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/budget                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/ledger/budget                S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/ledger/final-accounts        S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/ledger/final-accounts/approve S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/disclosures           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/disclosure-preview    S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/ledger/disclosures           S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/ledger/my-disclosures        -   -   -   -   -   -   -   -   -   -   -   -   -   -   C   -   -   -
POST   /api/v1/fees/reminders               S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/fees/reconciliations         S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/fees/reconciliations         S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/pay/settings                 S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/pay/settings                 S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
PUT    /api/v1/pay/scores                   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/pay/runs                     S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
POST   /api/v1/pay/runs                     S   S   S   S   -   -   -   -   -   -   -   -   -   -   -   -   -   *
GET    /api/v1/pay/my-slips                 s   s   s   s   s   s   s   s   s   s   s   s   s   s   -   -   -   -
`;

// [{method, pattern, key, cells:{role: scope|null}, isPublic}]
export const ENDPOINTS = TABLE.trim().split('\n').map((line) => {
  const parts = line.trim().split(/\s+/);
  const [method, pattern, ...cells] = parts;
  if (cells.length !== ROLES.length) throw new Error(`matrix row has ${cells.length} cells: ${line}`);
  const scopes = {};
  ROLES.forEach((r, i) => {
    if (!(cells[i] in SCOPE_OF_CELL)) throw new Error(`bad cell ${cells[i]} in ${line}`);
    scopes[r] = SCOPE_OF_CELL[cells[i]];
  });
  return { method, pattern, key: `${method} ${pattern}`, scopes, isPublic: cells.every((c) => c === 'P') };
});

// ---------------------------------------------------------------------------------------------
// The C++ table, parsed: src/access/permissions.cpp. Understands the file's constructs: RoleMask
// constants built from Bit(Role::kX), other constants and `|`, ~RoleMask{0}; named Grant
// constants; rows Public("M", "/p") and P("M", "/p", {grant, {mask, Scope::kX}, ...}).
// The first grant naming a role decides its scope (auth::ScopeFor).

const ROLE_ENUM = {
  kPrincipal: 'principal', kVicePrincipal: 'vice_principal', kOfficeDirector: 'office_director',
  kOfficeStaff: 'office_staff', kCourseGroup: 'course_group', kSafetyOfficer: 'safety_officer',
  kGuard: 'guard', kSchoolDoctor: 'school_doctor', kLiaison: 'liaison',
  kParentCommittee: 'parent_committee', kGradeLeader: 'grade_leader', kClassTeacher: 'class_teacher',
  kTeacher: 'teacher', kExternalStaff: 'external_staff', kGuardian: 'guardian',
  kCountyOfficer: 'county_officer', kCityOfficer: 'city_officer', kSysAdmin: 'sysadmin',
};
const SCOPE_ENUM = {
  kPublic: 'public', kSelf: 'self', kSchool: 'school', kGrade: 'grade', kOwnClass: 'own_class',
  kOwnSections: 'own_sections', kOwnChildren: 'own_children', kArea: 'area', kAll: 'all',
};

function stripComments(src) {
  return src.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/[^\n]*/g, ' ');
}

export function parseCppTable(src) {
  src = stripComments(src);
  const masks = {};
  const evalMask = (expr) => {
    const out = new Set();
    for (let term of expr.split('|')) {
      term = term.trim();
      while (term.startsWith('(') && term.endsWith(')')) term = term.slice(1, -1).trim();
      if (!term) continue;
      let m;
      if ((m = term.match(/^Bit\(Role::(k\w+)\)$/))) {
        if (!ROLE_ENUM[m[1]]) throw new Error(`unknown role ${m[1]}`);
        out.add(ROLE_ENUM[m[1]]);
      } else if (/^~RoleMask\{0\}$/.test(term)) {
        ROLES.forEach((r) => out.add(r));
      } else if (masks[term]) {
        masks[term].forEach((r) => out.add(r));
      } else {
        throw new Error(`cannot evaluate role mask term '${term}'`);
      }
    }
    return out;
  };
  for (const m of src.matchAll(/constexpr\s+RoleMask\s+(\w+)\s*=\s*([^;]+);/g)) masks[m[1]] = evalMask(m[2]);

  const grants = {};
  const parseGrant = (text) => {
    const m = text.match(/^\{\s*([\s\S]+?)\s*,\s*Scope::(k\w+)\s*\}$/);
    if (!m) throw new Error(`cannot parse grant '${text}'`);
    return { roles: evalMask(m[1]), scope: SCOPE_ENUM[m[2]] };
  };
  for (const m of src.matchAll(/(?:const|constexpr)\s+Grant\s+(\w+)\s*(\{[^;]*\})\s*;/g)) grants[m[1]] = parseGrant(m[2]);

  // Split a brace list "{a, {b, c}, d}" into top-level items.
  const splitTop = (s) => {
    const items = [];
    let depth = 0, cur = '';
    for (const ch of s) {
      if (ch === '{' || ch === '(') depth++;
      if (ch === '}' || ch === ')') depth--;
      if (ch === ',' && depth === 0) { items.push(cur.trim()); cur = ''; continue; }
      cur += ch;
    }
    if (cur.trim()) items.push(cur.trim());
    return items;
  };

  const rows = [];
  const re = /\b(Public|P)\(\s*"([A-Z]+)"\s*,\s*"([^"]+)"\s*(?:,\s*)?/g;
  let m;
  while ((m = re.exec(src))) {
    const [, kind, method, pattern] = m;
    const scopes = Object.fromEntries(ROLES.map((r) => [r, null]));
    if (kind === 'Public') {
      ROLES.forEach((r) => (scopes[r] = 'public'));
    } else {
      // the grant list: from the next '{' to its matching '}'
      let i = src.indexOf('{', re.lastIndex - 1);
      let depth = 0, j = i;
      for (; j < src.length; j++) {
        if (src[j] === '{') depth++;
        else if (src[j] === '}' && --depth === 0) break;
      }
      const list = splitTop(src.slice(i + 1, j));
      for (const item of list) {
        const g = item.startsWith('{') ? parseGrant(item) : grants[item];
        if (!g) throw new Error(`unknown grant '${item}' in ${method} ${pattern}`);
        for (const r of g.roles) if (scopes[r] === null) scopes[r] = g.scope;
      }
      re.lastIndex = j;
    }
    rows.push({ method, pattern, key: `${method} ${pattern}`, scopes });
  }
  return rows;
}

// The whole table as the server builds it: the named masks and grants (src/access/grants.h), the
// rows listed in src/access/permissions.cpp, and the routes modules declare with their grants
// beside their handlers in src/<module>/http*.cpp:
//   r.Get(api + "/runs", Allow{managers, admin}, ...)   r.Post("/api/v1/x", Allow::Public(true), ...)
// (`api` / `kApi` is the file's "/api/v1..." string constant). Declarations become P()/Public()
// rows for parseCppTable.
export function readCppTable(repo) {
  const read = (p) => (existsSync(p) ? readFileSync(p, 'utf8') : '');
  let src = read(resolve(repo, 'src/access/grants.h')) + '\n' + read(resolve(repo, 'src/access/permissions.cpp'));
  const srcDir = resolve(repo, 'src');
  if (!existsSync(srcDir)) return [];
  for (const dir of readdirSync(srcDir).sort()) {
    const d = resolve(srcDir, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d).sort()) {
      if (!/^http.*\.cpp$/.test(f) || /_test\.cpp$/.test(f)) continue;
      src += '\n' + declaredRows(stripComments(readFileSync(resolve(d, f), 'utf8')));
    }
  }
  return parseCppTable(src);
}

function declaredRows(code) {
  const prefix = {};
  for (const m of code.matchAll(/\b(api|kApi)\s*=\s*"([^"]+)"/g)) prefix[m[1]] = m[2];
  if (!prefix.api && /\bapi\s*=\s*kApi\b/.test(code)) prefix.api = prefix.kApi;
  const out = [];
  const re = /\br\.(Get|Post|Put|Delete)\(\s*(?:(api|kApi)\s*\+\s*)?"([^"]+)"\s*,\s*(?:http::)?Allow\b/g;
  let m;
  while ((m = re.exec(code))) {
    const [, verb, base, path] = m;
    if (base && prefix[base] === undefined) throw new Error(`no "${base}" string constant for ${path}`);
    const method = verb.toUpperCase();
    const pattern = (base ? prefix[base] : '') + path;
    const rest = code.slice(re.lastIndex);
    if (/^\s*::\s*Public\b/.test(rest)) {
      out.push(`Public("${method}", "${pattern}")`);
      continue;
    }
    // Allow{...}: from its '{' to the matching '}'
    const i = code.indexOf('{', re.lastIndex);
    let depth = 0, j = i;
    for (; j < code.length; j++) {
      if (code[j] === '{') depth++;
      else if (code[j] === '}' && --depth === 0) break;
    }
    out.push(`P("${method}", "${pattern}", ${code.slice(i, j + 1)})`);
    re.lastIndex = j;
  }
  return out.join('\n');
}

// The OpenAPI document's paths, methods and x-roles, read the way the C++ check reads it:
// paths at two spaces, methods at four, `x-roles:` flow mapping at six.
export function parseOpenApi(text) {
  const ops = [];
  let inPaths = false, path = null, op = null;
  for (const line of text.split('\n')) {
    if (/^\S/.test(line)) { inPaths = line.startsWith('paths:'); path = null; op = null; continue; }
    if (!inPaths) continue;
    let m;
    if ((m = line.match(/^ {2}(\/\S*):\s*$/))) { path = m[1]; op = null; continue; }
    if (path && (m = line.match(/^ {4}(get|put|post|delete|patch|head|options):\s*$/))) {
      op = { method: m[1].toUpperCase(), path, roles: null };
      ops.push(op);
      continue;
    }
    if (op && (m = line.match(/^ {6}x-roles:\s*\{(.*)\}\s*$/))) {
      op.roles = {};
      for (const kv of m[1].split(',')) {
        const [k, v] = kv.split(':').map((s) => s.trim());
        if (k) op.roles[k] = v;
      }
    }
  }
  return ops;
}

// "/api/v1/classes/:id/students" -> "/api/v1/classes/{id}/students"
export const toOpenApiPath = (p) => p.replace(/:(\w+)/g, '{$1}');
