// router.js: phone routes, all under /m/.
import { createRouter, createWebHistory } from 'vue-router'
import { useGuardian } from './store.js'
// The two pages a guardian opens first come with the phone bundle (no extra round trip on a slow
// network); the others load when visited.
import Login from './views/Login.vue'
import Children from './views/Children.vue'

// Staff who call rolls on the phone (the others belong in the console).
const PHONE_STAFF = new Set(['teacher', 'class_teacher', 'grade_leader', 'external_staff', 'principal', 'vice_principal',
  'office_director', 'office_staff'])

export function makeRouter() {
  const router = createRouter({
    history: createWebHistory('/m/'),
    routes: [
      { path: '/', redirect: { name: 'm-children' } },
      { path: '/login', name: 'm-login', component: Login, meta: { public: true, title: 'phone.login' } },
      { path: '/activate', name: 'm-activate', component: () => import('./views/Activate.vue'), meta: { public: true, title: 'phone.activateTitle' } },
      { path: '/reset', name: 'm-reset', component: () => import('./views/Reset.vue'), meta: { public: true, title: 'phone.resetTitle' } },
      { path: '/children', name: 'm-children', component: Children, meta: { title: 'phone.children', tab: true } },
      { path: '/profile', name: 'm-profile', component: () => import('./views/Profile.vue'), meta: { title: 'phone.profile', tab: true } },
      { path: '/apply/:studentId(\\d+)', name: 'm-apply', component: () => import('./views/Apply.vue'), meta: { title: 'apply.title' } },
      { path: '/survey/:id(\\d+)/:studentId(\\d+)', name: 'm-survey', component: () => import('./views/Survey.vue'), meta: { title: 'survey.title' } },
      { path: '/rounds', name: 'm-rounds', component: () => import('./views/Rounds.vue'), meta: { title: 'sel.rounds', tab: true } },
      { path: '/rounds/:id(\\d+)', name: 'm-round', component: () => import('./views/Round.vue'), meta: { title: 'sel.rounds' } },
      { path: '/leave', name: 'm-leave', component: () => import('./views/Leave.vue'), meta: { title: 'att.leaveTitle', tab: true } },
      // The teacher's phone pages (roll call): staff sessions, signed in through the console's login.
      { path: '/teach', name: 'm-teach', component: () => import('./views/TeachSessions.vue'), meta: { title: 'att.sessions', staff: true } },
      { path: '/teach/week', name: 'm-week', component: () => import('./views/TeachWeek.vue'), meta: { title: 'mtt.title', staff: true } },
      { path: '/teach/:sectionId(\\d+)', name: 'm-roll', component: () => import('./views/RollCall.vue'), meta: { title: 'att.roll', staff: true } },
      // Safety (issue 13 §2, §4): the teacher's three concerns and handover; the guard's visitor register.
      { path: '/teach/safety', name: 'm-safety', component: () => import('./views/TeachSafety.vue'), meta: { title: 'sf.mTitle', staff: true } },
      { path: '/visitors', name: 'm-visitors', component: () => import('./views/Visitors.vue'), meta: { title: 'sf.mVisitors', staff: true } },
      { path: '/pickup', name: 'm-pickup', component: () => import('./views/Pickup.vue'), meta: { title: 'pk.title', tab: true } },
      { path: '/card', name: 'm-card', component: () => import('./views/PickupCard.vue'), meta: { public: true, title: 'pk.cardPage' } },
      // The gate (guard, teachers, office): scan or search, hand over, the arrival queue.
      { path: '/gate', name: 'm-gate', component: () => import('./views/Gate.vue'), meta: { title: 'pk.gate', staff: true } },
      { path: '/slips', name: 'm-slips', component: () => import('./views/Slips.vue'), meta: { title: 'mpay.slips', staff: true } },
      { path: '/absence', name: 'm-absence', component: () => import('./views/Absence.vue'), meta: { title: 'msub.reportTitle', staff: true } },
      { path: '/bills', name: 'm-bills', component: () => import('./views/Bills.vue'), meta: { title: 'mfees.title', tab: true } },
      { path: '/disclosure', name: 'm-disclosure', component: () => import('./views/Disclosure.vue'), meta: { title: 'mledger.title' } },
      { path: '/password', name: 'm-password', component: () => import('./views/Password.vue'), meta: { title: 'phone.password' } },
      { path: '/:rest(.*)*', redirect: { name: 'm-children' } },
    ],
  })
  router.beforeEach(async (to) => {
    const g = useGuardian()
    await g.load()
    if (to.meta.public) return g.user && to.name === 'm-login' ? { name: g.user.role === 'guardian' ? 'm-children' : 'm-teach' } : true
    if (to.meta.staff) {
      // Staff sign in on the console's login (usernames, not mobiles) and come back here.
      if (!g.user) {
        window.location.assign(`/login?next=${encodeURIComponent(`/m${to.fullPath}`)}`)
        return false
      }
      return g.user.role === 'guardian' ? { name: 'm-children' } : true
    }
    if (!g.user) return { name: 'm-login' }
    if (g.user.role !== 'guardian' && PHONE_STAFF.has(g.user.role)) return { name: 'm-teach' }
    if (g.user.role !== 'guardian') {
      // Staff belong in the console.
      window.location.assign('/')
      return false
    }
    if (g.user.must_change_password && to.name !== 'm-password') return { name: 'm-password' }
    return true
  })
  return router
}
