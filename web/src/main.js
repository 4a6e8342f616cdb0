// Entry: paths under /m/ are the guardian phone pages (Vant); everything else is the console
// (Element Plus). Each is a separate chunk so a phone never downloads the console.
const path = window.location.pathname
if (path === '/m' || path.startsWith('/m/')) {
  import('./phone/main.js').then((m) => m.start('#app'))
} else {
  import('./console/main.js').then((m) => m.start('#app'))
}
