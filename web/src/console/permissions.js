// permissions.js: which pages each role may open. Mirrors the server's one permission table
// (src/access/permissions.cpp); the server still decides every request, this only hides what a
// role cannot use.
const LEADERS = ['principal', 'vice_principal']
const OFFICE = ['office_director', 'office_staff']
const MANAGERS = [...LEADERS, ...OFFICE]
const WORKING_GROUPS = ['course_group', 'safety_officer', 'guard', 'school_doctor', 'liaison', 'parent_committee']
const TEACHERS = ['grade_leader', 'class_teacher', 'teacher', 'external_staff']
const ALL_STAFF = [...MANAGERS, ...WORKING_GROUPS, ...TEACHERS]
const OFFICERS = ['county_officer', 'city_officer']
// The server's RoleName for the system administrator; accept the likely spellings.
const ADMIN = ['sysadmin', 'system_admin', 'admin']

const STUDENT_LIST = [...MANAGERS, 'safety_officer', 'guard', 'school_doctor', 'liaison', 'course_group', ...TEACHERS]

export const PERMISSIONS = {
  console: [...ALL_STAFF, ...OFFICERS, ...ADMIN],
  // attendance (issue 13 §1): the office's live board; teachers call rolls on the phone (/m/teach)
  attendanceBoard: [...MANAGERS, ...ADMIN],
  notifyOutbox: [...MANAGERS, ...ADMIN],  // 通知发送 (src/notify): status, retry, export, channels
  substitutions: [...MANAGERS, ...ADMIN],
  rollCall: [...MANAGERS, ...TEACHERS],
  // safety (issue 13 §2, §4): the doctor's page (unwell reports, health notes); the safety records
  safetyHealth: [...MANAGERS, 'school_doctor'],
  safetyRecords: [...MANAGERS, 'safety_officer', 'guard', 'school_doctor', ...ADMIN],
  // pickup (issue 13 §3): the office's dismissal board; the gate scans on the phone (/m/gate)
  pickupBoard: [...MANAGERS, ...ADMIN],
  pickupSettingsEdit: MANAGERS,
  dashboard: [...ALL_STAFF, ...OFFICERS, ...ADMIN],
  setupView: [...ALL_STAFF, ...OFFICERS, ...ADMIN],
  setupEdit: [...MANAGERS, ...ADMIN],
  schoolEdit: [...LEADERS, ...ADMIN],
  students: [...STUDENT_LIST, ...ADMIN],
  studentRecord: [...MANAGERS, 'school_doctor', 'class_teacher', ...ADMIN],
  studentEdit: [...MANAGERS, ...ADMIN],
  guardians: [...MANAGERS, 'liaison', 'class_teacher', ...ADMIN],
  staff: [...ALL_STAFF, ...OFFICERS, ...ADMIN],
  staffEdit: [...MANAGERS, ...ADMIN],
  staffRecords: [...MANAGERS, ...ADMIN],
  timetable: [...MANAGERS, ...ADMIN], // 课表: run, edit, export (src/timetable/http.cpp)
  institutions: [...MANAGERS, ...OFFICERS, ...ADMIN],
  institutionContract: [...LEADERS, ...ADMIN],
  import: [...MANAGERS, ...ADMIN],
  // guardian activation: per class (class teacher: own class); letters and reminders not for the sysadmin
  activation: [...MANAGERS, 'class_teacher', ...ADMIN],
  activationAct: [...MANAGERS, 'class_teacher'],
  export: [...MANAGERS, ...ADMIN],
  users: [...LEADERS, 'office_director', ...ADMIN],
  audit: [...LEADERS, ...ADMIN],
  overview: [...OFFICERS, ...ADMIN],
  // registration and course selection (issue 4)
  surveys: ['class_teacher', ...MANAGERS, ...ADMIN],
  surveysEdit: [...MANAGERS],
  agreements: [...MANAGERS, ...ADMIN],
  agreementsEdit: [...MANAGERS],
  review: ['class_teacher', 'grade_leader', ...MANAGERS, ...ADMIN],
  reviewClass: ['class_teacher', 'grade_leader', ...OFFICE],  // a grade leader: their own class (server-checked)
  reviewPrincipal: [...LEADERS],
  rounds: [...MANAGERS, ...ADMIN],
  roundsEdit: [...MANAGERS, ...ADMIN],
  sections: [...MANAGERS, ...WORKING_GROUPS, 'grade_leader', 'class_teacher', 'teacher', ...ADMIN],
  // rosters: the office, leadership, the section's teachers, the class teacher (own class); others see counts
  roster: [...MANAGERS, 'class_teacher', 'teacher', 'external_staff', ...ADMIN],
  // manual placement and removal (POST /sections/:id/place|remove), the staff's waiting list view
  place: [...MANAGERS, ...ADMIN],
  waitlistStaff: [...MANAGERS, 'course_group', ...ADMIN],
  // exits (准出): GET /exits managers, class teacher, admin; POST /exits managers (and guardians, on the phone)
  exits: [...MANAGERS, 'class_teacher', ...ADMIN],
  exitsEdit: [...MANAGERS],
  // dismissal batches (弹性离校): GET all staff, admin; POST/PUT managers
  batches: [...ALL_STAFF, ...ADMIN],
  batchesEdit: [...MANAGERS],
  // looked-after children (在校看护, R-REG-5): managers and the class teacher (own class)
  lookedAfter: [...MANAGERS, 'class_teacher', ...ADMIN],
  lookedAfterEdit: [...MANAGERS, 'class_teacher'],
  // the course catalog and course proposals (课程申报)
  catalog: [...ALL_STAFF, ...OFFICERS, ...ADMIN],
  catalogEdit: [...MANAGERS, 'course_group', ...ADMIN],
  proposals: [...MANAGERS, 'course_group', ...TEACHERS, ...ADMIN],
  proposalSubmit: ['course_group', ...TEACHERS],
  proposalReview: ['course_group'],
  proposalDecide: [...LEADERS],
  // fees (issue 14): finance for the office and leadership; exemptions are the leadership group's
  fees: [...MANAGERS, ...ADMIN],
  feesExempt: [...LEADERS, ...ADMIN],
  feesCash: [...MANAGERS, ...ADMIN],
  // ledger (issue 14 §3): the books for the office and leadership; final accounts approved by a leader
  ledger: [...MANAGERS, ...ADMIN],
  ledgerApprove: [...LEADERS, ...ADMIN],
  // teacher pay and reconciliation (issue 14 §2, §4): the office runs, a leader approves
  pay: [...MANAGERS, ...ADMIN],
  payApprove: [...LEADERS, ...ADMIN],
}

export const ROLES = [...ALL_STAFF, 'guardian', ...OFFICERS, 'sysadmin']
export const SCHOOL_ROLES = [...ALL_STAFF]

export function allowed(role, what) {
  const list = PERMISSIONS[what]
  return !!(role && list && list.includes(role))
}

export function isOfficer(role) { return OFFICERS.includes(role) }
export function isAdmin(role) { return ADMIN.includes(role) }
