// The desk-sized console (Element Plus).
import { createApp } from 'vue'
import { createPinia } from 'pinia'
// Element Plus components come on demand (vite.config.js); the base styles, the loading
// directive and the message functions (called from scripts) are imported here.
import 'element-plus/theme-chalk/base.css'
import { ElLoading } from 'element-plus'
import 'element-plus/es/components/loading/style/css'
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import { ICONS } from './icons.js'
import App from './App.vue'
import { makeRouter } from './router.js'
import { loadLanguage, makeI18n } from '../shared/i18n.js'
import zhCN from '../shared/locales/zh-CN.js'
import { onUnauthorized } from '../shared/api.js'
import { useAuth } from './auth.js'
import './console.css'

export async function start(selector) {
  const app = createApp(App)
  const pinia = createPinia()
  const i18n = makeI18n({ messages: zhCN, loaders: { en: () => import('../shared/locales/en.js') } })
  await loadLanguage(i18n)
  app.use(pinia)
  app.use(i18n)
  app.use(ElLoading)
  for (const [name, comp] of Object.entries(ICONS)) app.component(name, comp)
  const router = makeRouter()
  app.use(router)
  onUnauthorized(() => {
    const auth = useAuth(pinia)
    auth.clear()
    const here = router.currentRoute.value
    // Before the first navigation (the guard's own /auth/me) the guard sends to the login with the
    // page asked for as next; replacing here would make next "/".
    if (here.name !== 'login' && here.matched.length) router.replace({ name: 'login', query: { next: here.fullPath } })
  })
  app.config.globalProperties.$i18nInstance = i18n
  app.provide('i18n', i18n)
  app.mount(selector)
}
