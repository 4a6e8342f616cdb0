// menu.js: the console's side menu. Each entry names its page (pages.js: the server route it
// uses); visibleMenu(user) keeps the entries whose route GET /auth/me grants the user, so the menu
// follows the server's one permission table. Plain data: the browser tests read it too.
import { userMay } from './pages.js'

export const MENU = [
  { name: 'home', path: '/', icon: 'HomeFilled', title: 'menu.home', perm: 'dashboard' },
  { name: 'overview', path: '/overview', icon: 'DataBoard', title: 'menu.overview', perm: 'overview' },
  {
    group: 'menu.setup', icon: 'School', children: [
      { name: 'terms', path: '/setup/terms', title: 'menu.terms', perm: 'setupView' },
      { name: 'hours', path: '/setup/hours', title: 'menu.hours', perm: 'setupView' },
      { name: 'classes', path: '/setup/classes', title: 'menu.classes', perm: 'setupView' },
      { name: 'rooms', path: '/setup/rooms', title: 'menu.rooms', perm: 'setupView' },
    ],
  },
  {
    group: 'menu.people', icon: 'User', children: [
      { name: 'students', path: '/people/students', title: 'menu.students', perm: 'students' },
      { name: 'guardians', path: '/people/guardians', title: 'menu.guardians', perm: 'guardians' },
      { name: 'staff', path: '/people/staff', title: 'menu.staff', perm: 'staff' },
      { name: 'staffRecords', path: '/people/staff-records', title: 'menu.staffRecords', perm: 'staffRecords' },
      { name: 'institutions', path: '/people/institutions', title: 'menu.institutions', perm: 'institutions' },
      { name: 'import', path: '/people/import', title: 'menu.import', perm: 'import' },
      { name: 'activation', path: '/people/activation', title: 'menu.activation', perm: 'activation' },
    ],
  },
  {
    group: 'menu.enroll', icon: 'Tickets', children: [
      { name: 'surveys', path: '/enroll/surveys', title: 'menu.surveys', perm: 'surveys' },
      { name: 'agreements', path: '/enroll/agreements', title: 'menu.agreements', perm: 'agreements' },
      { name: 'review', path: '/enroll/review', title: 'menu.review', perm: 'review' },
      { name: 'catalog', path: '/select/catalog', title: 'menu.catalog', perm: 'catalog' },
      { name: 'proposals', path: '/select/proposals', title: 'menu.proposals', perm: 'proposals' },
      { name: 'rounds', path: '/select/rounds', title: 'menu.rounds', perm: 'rounds' },
      { name: 'sections', path: '/select/sections', title: 'menu.sections', perm: 'sections' },
      { name: 'timetable', path: '/select/timetable', title: 'menu.timetable', perm: 'timetable' },
      { name: 'exits', path: '/enroll/exits', title: 'menu.exits', perm: 'exits' },
      { name: 'batches', path: '/enroll/batches', title: 'menu.batches', perm: 'batches' },
      { name: 'looked-after', path: '/enroll/looked-after', title: 'menu.lookedAfter', perm: 'lookedAfter' },
    ],
  },
  { name: 'attendance', path: '/daily/attendance', icon: 'Clock', title: 'menu.attendance', perm: 'attendanceBoard' },
  { name: 'safetyHealth', path: '/daily/health', icon: 'Document', title: 'sf.menuHealth', perm: 'safetyHealth' },
  { name: 'safetyRecords', path: '/daily/safety', icon: 'WarningFilled', title: 'sf.menuSafety', perm: 'safetyRecords' },
  { name: 'pickup', path: '/daily/pickup', icon: 'School', title: 'menu.pickup', perm: 'pickupBoard' },
  { name: 'notify', path: '/daily/notify', icon: 'ChatDotRound', title: 'ntf.menu', perm: 'notifyOutbox' },
  { name: 'substitutions', path: '/daily/substitutions', icon: 'Clock', title: 'menu.substitutions', perm: 'substitutions' },
  { name: 'fees', path: '/fees', icon: 'Tickets', title: 'menu.fees', perm: 'fees' },
  { name: 'ledger', path: '/ledger', icon: 'DataBoard', title: 'menu.ledger', perm: 'ledger' },
  { name: 'pay', path: '/pay', icon: 'Document', title: 'menu.pay', perm: 'pay' },
  {
    group: 'menu.system', icon: 'Setting', children: [
      { name: 'users', path: '/system/users', title: 'menu.users', perm: 'users' },
      { name: 'audit', path: '/system/audit', title: 'menu.audit', perm: 'audit' },
    ],
  },
]

// The menu `user` (the /auth/me answer) sees: granted entries, groups with at least one.
export function visibleMenu(user) {
  return MENU.map((item) => {
    if (item.children) {
      const children = item.children.filter((c) => userMay(user, c.perm))
      return children.length ? { ...item, children } : null
    }
    return userMay(user, item.perm) ? item : null
  }).filter(Boolean)
}
