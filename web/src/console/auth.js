// auth.js: the signed-in user (pinia). The session itself is the HttpOnly cookie; we keep the
// user and the CSRF token the server gave us at login or /auth/me.
import { defineStore } from 'pinia'
import { get, post, setCsrfToken, splitSession } from '../shared/api.js'
import { userMay } from './pages.js'

export const useAuth = defineStore('auth', {
  state: () => ({
    user: null,
    loaded: false,
    // For officers and the system administrator, who are not in one school: the school the
    // school-scoped pages show (sent as school_id).
    schoolId: null,
    schools: [],
  }),
  getters: {
    loggedIn: (s) => !!s.user,
    role: (s) => (s.user ? s.user.role : ''),
    inSchool: (s) => !!(s.user && s.user.school_id),
  },
  actions: {
    apply(data) {
      const { user, csrf } = splitSession(data)
      this.user = user
      setCsrfToken(csrf)
      this.loaded = true
    },
    clear() {
      this.user = null
      setCsrfToken('')
      this.loaded = true
    },
    async load() {
      if (this.loaded) return this.user
      try {
        this.apply(await get('/auth/me'))
      } catch {
        this.clear()
      }
      return this.user
    },
    async login(login, password) {
      const data = await post('/auth/login', { login, password })
      this.apply(data)
      return this.user
    },
    async logout() {
      try { await post('/auth/logout') } catch { /* already gone */ }
      this.clear()
    },
    async changePassword(oldPassword, newPassword) {
      await post('/auth/password', { old_password: oldPassword, new_password: newPassword })
      if (this.user) this.user = { ...this.user, must_change_password: false }
      // The server may rotate the session on a password change; pick up the new CSRF token.
      try { this.apply(await get('/auth/me')) } catch { /* keep what we have */ }
    },
    // What the server's permission table grants this user (routes from /auth/me; pages.js).
    can(what) {
      return userMay(this.user, what)
    },
    // Query parameters every school-scoped list sends.
    scope() {
      if (this.user && !this.user.school_id && this.schoolId) return { school_id: this.schoolId }
      return {}
    },
  },
})
