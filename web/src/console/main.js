// The desk-sized console (Element Plus).
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import ElementPlus from 'element-plus'
import 'element-plus/dist/index.css'
import * as Icons from '@element-plus/icons-vue'
import App from './App.vue'
import { makeRouter } from './router.js'
import { makeI18n } from '../shared/i18n.js'
import { onUnauthorized } from '../shared/api.js'
import { useAuth } from './auth.js'
import './console.css'

export function start(selector) {
  const app = createApp(App)
  const pinia = createPinia()
  const i18n = makeI18n()
  app.use(pinia)
  app.use(i18n)
  app.use(ElementPlus)
  for (const [name, comp] of Object.entries(Icons)) app.component(name, comp)
  const router = makeRouter()
  app.use(router)
  onUnauthorized(() => {
    const auth = useAuth(pinia)
    auth.clear()
    const here = router.currentRoute.value
    if (here.name !== 'login') router.replace({ name: 'login', query: { next: here.fullPath } })
  })
  app.config.globalProperties.$i18nInstance = i18n
  app.provide('i18n', i18n)
  app.mount(selector)
}
