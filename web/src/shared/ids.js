// ids.js: the mobile-number rule of the server (src/core/ids.h ValidMobile: 11 digits, 1[3-9]...),
// for forms that check before they send. One copy for the web; the server decides in the end.
export const MOBILE_RE = /^1[3-9]\d{9}$/

export const isMobile = (s) => MOBILE_RE.test(String(s ?? ''))
