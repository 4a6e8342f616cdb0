// store.js: the signed-in guardian (pinia); the session is the HttpOnly cookie.
import { defineStore } from 'pinia'
import { get, post, setCsrfToken, splitSession } from '../shared/api.js'

export const useGuardian = defineStore('guardian', {
  state: () => ({ user: null, loaded: false, children: null }),
  actions: {
    apply(data) {
      const { user, csrf } = splitSession(data)
      this.user = user
      setCsrfToken(csrf)
      this.loaded = true
    },
    clear() {
      this.user = null
      this.children = null
      setCsrfToken('')
      this.loaded = true
    },
    async load() {
      if (this.loaded) return this.user
      try { this.apply(await get('/auth/me')) } catch { this.clear() }
      return this.user
    },
    async login(mobile, password) {
      this.apply(await post('/auth/login', { login: mobile, password }))
      return this.user
    },
    async logout() {
      try { await post('/auth/logout') } catch { /* already gone */ }
      this.clear()
    },
    async changePassword(oldPassword, newPassword) {
      await post('/auth/password', { old_password: oldPassword, new_password: newPassword })
      if (this.user) this.user = { ...this.user, must_change_password: false }
      try { this.apply(await get('/auth/me')) } catch { /* keep */ }
    },
    async loadChildren() {
      const data = await get('/me/children')
      this.children = data.items || []
      return this.children
    },
  },
})
