// The guardian phone pages (Vant 4), under /m/.
import { createApp } from 'vue'
import { createPinia } from 'pinia'
import { Button, Cell, CellGroup, Empty, Field, Form, Icon, Loading, NavBar, NoticeBar, PullRefresh, Tabbar, TabbarItem, Tag, Locale, Dialog, Toast, ConfigProvider, Checkbox, CheckboxGroup, Radio, RadioGroup, Steps, Step, Tabs, Tab, Stepper } from 'vant'
import enUS from 'vant/es/locale/lang/en-US'
import zhCN from 'vant/es/locale/lang/zh-CN'
// Each component's own styles (the whole of vant/lib/index.css is four times as much).
import 'vant/es/button/style/index'
import 'vant/es/cell/style/index'
import 'vant/es/cell-group/style/index'
import 'vant/es/empty/style/index'
import 'vant/es/field/style/index'
import 'vant/es/form/style/index'
import 'vant/es/icon/style/index'
import 'vant/es/loading/style/index'
import 'vant/es/nav-bar/style/index'
import 'vant/es/notice-bar/style/index'
import 'vant/es/pull-refresh/style/index'
import 'vant/es/tabbar/style/index'
import 'vant/es/tabbar-item/style/index'
import 'vant/es/tag/style/index'
import 'vant/es/dialog/style/index'
import 'vant/es/toast/style/index'
import 'vant/es/config-provider/style/index'
import 'vant/es/checkbox/style/index'
import 'vant/es/checkbox-group/style/index'
import 'vant/es/radio/style/index'
import 'vant/es/radio-group/style/index'
import 'vant/es/steps/style/index'
import 'vant/es/step/style/index'
import 'vant/es/tabs/style/index'
import 'vant/es/tab/style/index'
import 'vant/es/stepper/style/index'
import 'vant/es/switch/style/index'
import App from './App.vue'
import { makeRouter } from './router.js'
import { loadLanguage, makeI18n } from '../shared/i18n.js'
// Only the message sections the phone pages use (vite.config.js PHONE_LOCALE_SECTIONS).
import zhCNMessages from 'virtual:kehou-phone-locale/zh-CN'
import { onUnauthorized } from '../shared/api.js'
import { useGuardian } from './store.js'
import './phone.css'

export async function start(selector) {
  const app = createApp(App)
  const pinia = createPinia()
  const i18n = makeI18n({ messages: zhCNMessages, loaders: { en: () => import('virtual:kehou-phone-locale/en') } })
  await loadLanguage(i18n)
  Locale.use(i18n.global.locale.value === 'en' ? 'en-US' : 'zh-CN', i18n.global.locale.value === 'en' ? enUS : zhCN)
  app.use(pinia)
  app.use(i18n)
  for (const c of [Button, Cell, CellGroup, Empty, Field, Form, Icon, Loading, NavBar, NoticeBar, PullRefresh, Tabbar, TabbarItem, Tag, Dialog, Toast, ConfigProvider, Checkbox, CheckboxGroup, Radio, RadioGroup, Steps, Step, Tabs, Tab, Stepper]) app.use(c)
  const router = makeRouter()
  app.use(router)
  app.provide('i18n', i18n)
  onUnauthorized(() => {
    useGuardian(pinia).clear()
    const here = router.currentRoute.value
    // Staff pages (the roll call) sign in on the console's login and come back.
    if (here.meta.staff) window.location.assign(`/login?next=${encodeURIComponent(`/m${here.fullPath}`)}`)
    else if (here.name !== 'm-login' && here.matched.length) router.replace({ name: 'm-login' })  // (before the first navigation the guard decides)
  })
  app.mount(selector)
}
