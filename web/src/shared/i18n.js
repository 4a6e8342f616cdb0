// i18n.js: vue-i18n with zh-CN first and English second; the choice is kept in localStorage
// and also sent to the server as Accept-Language (so its error messages follow it).
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.js'
import en from './locales/en.js'
import { setApiLanguage } from './api.js'

const KEY = 'kehou.lang'

export function savedLanguage() {
  try {
    const v = window.localStorage.getItem(KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch { /* private mode */ }
  return 'zh-CN'
}

export function makeI18n() {
  const locale = savedLanguage()
  setApiLanguage(locale)
  document.documentElement.lang = locale
  return createI18n({
    legacy: false,
    globalInjection: true,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': zhCN, en },
  })
}

export function switchLanguage(i18n, locale) {
  i18n.global.locale.value = locale
  setApiLanguage(locale)
  document.documentElement.lang = locale
  try { window.localStorage.setItem(KEY, locale) } catch { /* ignore */ }
}
