// router.js: console routes. meta.perm names a page of pages.js (its server route, granted or not
// by /auth/me's `routes`); meta.public pages need no session. A guardian who reaches the console
// is sent to the phone pages (/m/).
import { createRouter, createWebHistory } from 'vue-router'
import { useAuth } from './auth.js'
import Layout from './Layout.vue'

export { MENU } from './menu.js'

export function makeRouter() {
  const routes = [
    { path: '/login', name: 'login', component: () => import('./views/Login.vue'), meta: { public: true, title: 'login.title' } },
    { path: '/password', name: 'password', component: () => import('./views/ChangePassword.vue'), meta: { title: 'password.title' } },
    {
      path: '/',
      component: Layout,
      children: [
        { path: '', name: 'home', component: () => import('./views/Home.vue'), meta: { perm: 'dashboard', title: 'menu.home' } },
        { path: 'overview', name: 'overview', component: () => import('./views/Overview.vue'), meta: { perm: 'overview', title: 'menu.overview' } },
        { path: 'setup/terms', name: 'terms', component: () => import('./views/Terms.vue'), meta: { perm: 'setupView', title: 'menu.terms', school: true } },
        { path: 'setup/hours', name: 'hours', component: () => import('./views/Hours.vue'), meta: { perm: 'setupView', title: 'menu.hours', school: true } },
        { path: 'setup/classes', name: 'classes', component: () => import('./views/Classes.vue'), meta: { perm: 'setupView', title: 'menu.classes', school: true } },
        { path: 'setup/rooms', name: 'rooms', component: () => import('./views/Rooms.vue'), meta: { perm: 'setupView', title: 'menu.rooms', school: true } },
        { path: 'people/students', name: 'students', component: () => import('./views/Students.vue'), meta: { perm: 'students', title: 'menu.students', school: true } },
        { path: 'people/guardians', name: 'guardians', component: () => import('./views/Guardians.vue'), meta: { perm: 'guardians', title: 'menu.guardians', school: true } },
        { path: 'people/staff', name: 'staff', component: () => import('./views/Staff.vue'), meta: { perm: 'staff', title: 'menu.staff', school: true } },
        { path: 'people/staff-records', name: 'staffRecords', component: () => import('./views/StaffRecords.vue'), meta: { perm: 'staffRecords', title: 'menu.staffRecords', school: true } },
        { path: 'select/timetable', name: 'timetable', component: () => import('./views/Timetable.vue'), meta: { perm: 'timetable', title: 'menu.timetable', school: true } },
        { path: 'people/institutions', name: 'institutions', component: () => import('./views/Institutions.vue'), meta: { perm: 'institutions', title: 'menu.institutions' } },
        { path: 'people/import', name: 'import', component: () => import('./views/Import.vue'), meta: { perm: 'import', title: 'menu.import', school: true } },
        { path: 'people/activation', name: 'activation', component: () => import('./views/Activation.vue'), meta: { perm: 'activation', title: 'menu.activation', school: true } },
        { path: 'enroll/surveys', name: 'surveys', component: () => import('./views/Surveys.vue'), meta: { perm: 'surveys', title: 'menu.surveys', school: true } },
        { path: 'enroll/agreements', name: 'agreements', component: () => import('./views/Agreements.vue'), meta: { perm: 'agreements', title: 'menu.agreements', school: true } },
        { path: 'enroll/review', name: 'review', component: () => import('./views/Review.vue'), meta: { perm: 'review', title: 'menu.review', school: true } },
        { path: 'select/catalog', name: 'catalog', component: () => import('./views/Catalog.vue'), meta: { perm: 'catalog', title: 'menu.catalog', school: true } },
        { path: 'select/proposals', name: 'proposals', component: () => import('./views/Proposals.vue'), meta: { perm: 'proposals', title: 'menu.proposals', school: true } },
        { path: 'select/rounds', name: 'rounds', component: () => import('./views/Rounds.vue'), meta: { perm: 'rounds', title: 'menu.rounds', school: true } },
        { path: 'select/sections', name: 'sections', component: () => import('./views/Sections.vue'), meta: { perm: 'sections', title: 'menu.sections', school: true } },
        { path: 'enroll/exits', name: 'exits', component: () => import('./views/Exits.vue'), meta: { perm: 'exits', title: 'menu.exits', school: true } },
        { path: 'daily/pickup', name: 'pickup', component: () => import('./views/Pickup.vue'), meta: { perm: 'pickupBoard', title: 'menu.pickup', school: true } },
        { path: 'daily/substitutions', name: 'substitutions', component: () => import('./views/Substitutions.vue'), meta: { perm: 'substitutions', title: 'menu.substitutions', school: true } },
        { path: 'daily/attendance', name: 'attendance', component: () => import('./views/AttendanceBoard.vue'), meta: { perm: 'attendanceBoard', title: 'menu.attendance', school: true } },
        { path: 'daily/health', name: 'safetyHealth', component: () => import('./views/SafetyHealth.vue'), meta: { perm: 'safetyHealth', title: 'sf.menuHealth', school: true } },
        { path: 'daily/safety', name: 'safetyRecords', component: () => import('./views/SafetyRecords.vue'), meta: { perm: 'safetyRecords', title: 'sf.menuSafety', school: true } },
        { path: 'daily/notify', name: 'notify', component: () => import('./views/Notify.vue'), meta: { perm: 'notifyOutbox', title: 'ntf.menu', school: true } },
        { path: 'enroll/batches', name: 'batches', component: () => import('./views/Batches.vue'), meta: { perm: 'batches', title: 'menu.batches', school: true } },
        { path: 'enroll/looked-after', name: 'looked-after', component: () => import('./views/LookedAfter.vue'), meta: { perm: 'lookedAfter', title: 'menu.lookedAfter', school: true } },
        { path: 'fees', name: 'fees', component: () => import('./views/Fees.vue'), meta: { perm: 'fees', title: 'menu.fees', school: true } },
        { path: 'ledger', name: 'ledger', component: () => import('./views/Ledger.vue'), meta: { perm: 'ledger', title: 'menu.ledger', school: true } },
        { path: 'pay', name: 'pay', component: () => import('./views/Pay.vue'), meta: { perm: 'pay', title: 'menu.pay', school: true } },
        { path: 'system/users', name: 'users', component: () => import('./views/Users.vue'), meta: { perm: 'users', title: 'menu.users', school: true } },
        { path: 'system/audit', name: 'audit', component: () => import('./views/Audit.vue'), meta: { perm: 'audit', title: 'menu.audit', school: true } },
        { path: 'forbidden', name: 'forbidden', component: () => import('./views/Forbidden.vue'), meta: { title: 'forbidden.title' } },
        { path: ':rest(.*)*', name: 'notfound', component: () => import('./views/NotFound.vue'), meta: { title: 'notFound.title' } },
      ],
    },
  ]
  const router = createRouter({ history: createWebHistory('/'), routes })

  router.beforeEach(async (to) => {
    const auth = useAuth()
    await auth.load()
    if (to.meta.public) {
      if (auth.loggedIn && to.name === 'login') return landing(auth)
      return true
    }
    if (!auth.loggedIn) return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} }
    if (auth.role === 'guardian') {
      window.location.assign('/m/')
      return false
    }
    if (auth.user.must_change_password && to.name !== 'password') return { name: 'password', query: { next: to.fullPath } }
    if (to.meta.perm && !auth.can(to.meta.perm)) {
      if (to.name === 'home' && auth.can('overview')) return { name: 'overview' }
      return { name: 'forbidden' }
    }
    return true
  })
  return router
}

export function landing(auth) {
  if (auth.user && auth.user.must_change_password) return { name: 'password' }
  if (auth.can('dashboard')) return { name: 'home' }
  return { name: 'forbidden' }
}
