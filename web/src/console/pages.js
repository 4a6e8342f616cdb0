// pages.js: which server route each page or action of the console uses. Who may call a route is
// the server's one permission table (routes declared with http::Allow beside their handlers);
// GET /auth/me answers the routes the signed-in user is granted (`routes`), and auth.can(key) is
// "is this page's route among them". No role list is kept here: a grant changed on the server
// changes the menu with it.
export const PAGE_ROUTES = {
  dashboard: 'GET /api/v1/workbench',
  overview: 'GET /api/v1/areas/:id/overview',
  // daily operation
  attendanceBoard: 'GET /api/v1/attendance/board',
  rollCall: 'PUT /api/v1/attendance/sessions/:id/roll',
  notifyOutbox: 'GET /api/v1/notify/outbox',
  substitutions: 'GET /api/v1/substitutions/:id/candidates',
  safetyHealth: 'POST /api/v1/safety/health-notes',
  safetyRecords: 'GET /api/v1/safety/export',
  pickupBoard: 'GET /api/v1/pickup/day',
  pickupSettingsEdit: 'PUT /api/v1/pickup/settings',
  // school setup
  setupView: 'GET /api/v1/terms',
  setupEdit: 'POST /api/v1/terms',
  schoolEdit: 'PUT /api/v1/schools/:id',
  // people
  students: 'GET /api/v1/students',
  studentRecord: 'GET /api/v1/students/:id',
  studentEdit: 'POST /api/v1/students',
  guardians: 'GET /api/v1/guardians',
  staff: 'GET /api/v1/staff',
  staffEdit: 'POST /api/v1/staff',
  staffRecords: 'GET /api/v1/staff-records',
  institutions: 'GET /api/v1/institutions',
  institutionContract: 'POST /api/v1/institution-contracts',
  import: 'POST /api/v1/imports/:kind',
  activation: 'GET /api/v1/activation/classes',
  activationAct: 'POST /api/v1/activation/classes/:id/remind',
  export: 'GET /api/v1/exports/:list',
  // system
  users: 'GET /api/v1/users',
  audit: 'GET /api/v1/audit',
  // registration and course selection
  surveys: 'GET /api/v1/surveys/:id/results',
  surveysEdit: 'POST /api/v1/surveys',
  agreements: 'GET /api/v1/agreements',
  agreementsEdit: 'POST /api/v1/agreements',
  review: 'GET /api/v1/applications',
  reviewClass: 'POST /api/v1/applications/class-review',
  reviewPrincipal: 'POST /api/v1/applications/principal-review',
  rounds: 'POST /api/v1/rounds/:id/allocate',
  roundsEdit: 'POST /api/v1/rounds',
  sections: 'GET /api/v1/sections',
  roster: 'GET /api/v1/sections/:id/roster',
  place: 'POST /api/v1/sections/:id/place',
  waitlistStaff: 'GET /api/v1/sections/:id/waitlist',
  timetable: 'GET /api/v1/timetable/terms/:term_id',
  exits: 'GET /api/v1/exits',
  exitsEdit: 'POST /api/v1/exits',
  batches: 'GET /api/v1/dismissal-batches',
  batchesEdit: 'POST /api/v1/dismissal-batches',
  lookedAfter: 'GET /api/v1/looked-after',
  lookedAfterEdit: 'POST /api/v1/looked-after',
  catalog: 'GET /api/v1/courses',
  catalogEdit: 'POST /api/v1/courses',
  proposals: 'GET /api/v1/proposals',
  proposalSubmit: 'POST /api/v1/proposals',
  proposalReview: 'POST /api/v1/proposals/:id/review',
  proposalDecide: 'POST /api/v1/proposals/:id/decide',
  // money
  fees: 'GET /api/v1/fees/bills',
  feesExempt: 'POST /api/v1/fees/bills/:id/exemptions',
  feesCash: 'POST /api/v1/fees/bills/:id/cash',
  ledger: 'GET /api/v1/ledger/entries',
  ledgerApprove: 'POST /api/v1/ledger/final-accounts/approve',
  pay: 'GET /api/v1/pay/runs',
  payApprove: 'POST /api/v1/pay/runs/:id/approve',
}

// Whether `user` (the /auth/me answer) may use `what`: a key of PAGE_ROUTES or a route itself
// ("GET /api/v1/safety/patrols"). An unknown key is refused.
export function userMay(user, what) {
  const route = PAGE_ROUTES[what] || (what && what.includes(' ') ? what : null)
  return !!(route && user && Array.isArray(user.routes) && user.routes.includes(route))
}
