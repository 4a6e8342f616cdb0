// i18n.js: vue-i18n with zh-CN first and English second; the choice is kept in localStorage
// and also sent to the server as Accept-Language (so its error messages follow it).
// Each app brings its own messages: the console all of locales/*.js, the phone pages only their
// sections (virtual:kehou-phone-locale/*, vite.config.js). Only Chinese is in the first load;
// English is a chunk of its own, fetched when chosen (loadLanguage before mounting,
// switchLanguage later).
import { createI18n } from 'vue-i18n'
import { setApiLanguage } from './api.js'

const KEY = 'kehou.lang'

export function savedLanguage() {
  try {
    const v = window.localStorage.getItem(KEY)
    if (v === 'en' || v === 'zh-CN') return v
  } catch { /* private mode */ }
  return 'zh-CN'
}

// messages: the app's zh-CN messages; loaders: { en: () => import(...) } for the other languages.
export function makeI18n({ messages, loaders }) {
  const locale = savedLanguage()
  setApiLanguage(locale)
  document.documentElement.lang = locale
  const i18n = createI18n({
    legacy: false,
    globalInjection: true,
    locale,
    fallbackLocale: 'zh-CN',
    messages: { 'zh-CN': messages },
  })
  i18n.kehouLoaders = loaders
  return i18n
}

// Makes sure the messages of the i18n's current language are there (English on first use).
export async function loadLanguage(i18n, locale = i18n.global.locale.value) {
  const load = i18n.kehouLoaders && i18n.kehouLoaders[locale]
  if (i18n.global.availableLocales.includes(locale) || !load) return
  const m = await load()
  i18n.global.setLocaleMessage(locale, m.default)
}

export async function switchLanguage(i18n, locale) {
  await loadLanguage(i18n, locale)
  i18n.global.locale.value = locale
  setApiLanguage(locale)
  document.documentElement.lang = locale
  try { window.localStorage.setItem(KEY, locale) } catch { /* ignore */ }
}
