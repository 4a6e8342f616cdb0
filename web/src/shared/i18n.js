// i18n.js: vue-i18n with zh-CN first and English second; the choice is kept in localStorage
// and also sent to the server as Accept-Language (so its error messages follow it).
// Only Chinese is in the first load; English messages are a chunk of their own, fetched when
// chosen (loadLanguage before mounting, switchLanguage later).
import { createI18n } from 'vue-i18n'
import zhCN from './locales/zh-CN.js'
import { setApiLanguage } from './api.js'

const LOADERS = { en: () => import('./locales/en.js') }

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
    messages: { 'zh-CN': zhCN },
  })
}

// Makes sure the messages of the i18n's current language are there (English on first use).
export async function loadLanguage(i18n, locale = i18n.global.locale.value) {
  if (i18n.global.availableLocales.includes(locale) || !LOADERS[locale]) return
  const m = await LOADERS[locale]()
  i18n.global.setLocaleMessage(locale, m.default)
}

export async function switchLanguage(i18n, locale) {
  await loadLanguage(i18n, locale)
  i18n.global.locale.value = locale
  setApiLanguage(locale)
  document.documentElement.lang = locale
  try { window.localStorage.setItem(KEY, locale) } catch { /* ignore */ }
}
