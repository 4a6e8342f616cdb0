// The guardian phone pages (Vant 4), under /m/.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { Button, Cell, CellGroup, Empty, Field, Form, Icon, Loading, NavBar, PullRefresh, Tabbar, TabbarItem, Tag, Locale, Dialog, Toast, ConfigProvider, Checkbox, CheckboxGroup, Radio, RadioGroup, Steps, Step, Tabs, Tab, Stepper } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
import 'vant/lib/index.css'
import App from './App.vue'
import { makeRouter } from './router.js'
import { makeI18n } from '../shared/i18n.js'
import { onUnauthorized } from '../shared/api.js'
import { useGuardian } from './store.js'
import './phone.css'

export function start(selector) {
  const app = createApp(App)
  const pinia = createPinia()
  const i18n = makeI18n()
  Locale.use(i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN', i18n.global.locale.value === 'en' ? enUS : zhCN)
  app.use(pinia)
  app.use(i18n)
  for (const c of [Button, Cell, CellGroup, Empty, Field, Form, Icon, Loading, NavBar, PullRefresh, Tabbar, TabbarItem, Tag, Dialog, Toast, ConfigProvider, Checkbox, CheckboxGroup, Radio, RadioGroup, Steps, Step, Tabs, Tab, Stepper]) app.use(c)
  const router = makeRouter()
  app.use(router)
  app.provide('i18n', i18n)
  onUnauthorized(() => {
    useGuardian(pinia).clear()
    if (router.currentRoute.value.name !== 'm-login') router.replace({ name: 'm-login' })
  })
  app.mount(selector)
}
