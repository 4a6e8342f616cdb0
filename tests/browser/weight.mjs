// (w) Page weight on a slow phone network: the pages' first load, cold cache, on a throttled
// profile (Chrome DevTools Network.emulateNetworkConditions: 1.6 Mbps down, 750 kbps up,
// 150 ms latency). Bytes are what crossed the wire (Network.loadingFinished encodedDataLength:
// headers and compressed bodies).
//   guardian: /m/login until the form can be used, then login and the children page: under
//             WEIGHT_GUARDIAN_BYTES in all, the login form usable within WEIGHT_GUARDIAN_MS;
//   console:  /login, then login and the home page: under WEIGHT_CONSOLE_BYTES in all.
// The scripts must come compressed (Content-Encoding br: the server sends the build's .br copy).
import { Steps, check } from './lib.mjs'
import { PHONE, accounts } from './flows.mjs'

export const WEIGHT_GUARDIAN_BYTES = 300 * 1024
export const WEIGHT_GUARDIAN_MS = 2000
export const WEIGHT_CONSOLE_BYTES = 600 * 1024
const SLOW_PHONE = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 }

// Records every response of the page through CDP: url, encoded bytes, content encoding.
async function meter(context, page) {
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: false })
  await cdp.send('Network.emulateNetworkConditions', SLOW_PHONE)
  const byId = new Map()
  const done = []
  cdp.on('Network.responseReceived', (e) => {
    const h = Object.fromEntries(Object.entries(e.response.headers || {}).map(([k, v]) => [k.toLowerCase(), v]))
    byId.set(e.requestId, { url: e.response.url, encoding: h['content-encoding'] || '', type: h['content-type'] || '' })
  })
  cdp.on('Network.loadingFinished', (e) => {
    const r = byId.get(e.requestId) || { url: '?' }
    // data: URLs (the icon font inside a stylesheet) are counted in their stylesheet already.
    if (!/^https?:/.test(r.url)) return
    done.push({ ...r, bytes: e.encodedDataLength, at: Date.now() })
  })
  return {
    take() { const out = done.splice(0); return out },
  }
}

function total(list) { return list.reduce((s, r) => s + r.bytes, 0) }
function kb(n) { return `${(n / 1024).toFixed(1)} KB` }
function describe(list) {
  return list.filter((r) => r.bytes > 2048).sort((a, b) => b.bytes - a.bytes)
    .map((r) => `${new URL(r.url, 'http://x').pathname} ${kb(r.bytes)}${r.encoding ? ` ${r.encoding}` : ''}`).join(', ')
}

export async function weightScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'w')
  const { guardianMobile, officeLogin } = accounts()
  const figures = {}

  const phoneCtx = await browser.newContext(PHONE)
  const phone = await phoneCtx.newPage()
  phone.setDefaultTimeout(30000)
  // The phone bundle carries only its own message sections (vite.config.js): a key it lacks
  // would show on the page as the key itself ("sel.rounds").
  const rawKeys = async () => (await phone.locator('body').innerText()).match(/\b[a-z]+\.[a-z][a-zA-Z]+\b/g) || []
  try {
    const m = await meter(phoneCtx, phone)
    await steps.run('guardian-first-load', phone, async () => {
      const t0 = Date.now()
      await phone.goto(`${base}/m/login`, { waitUntil: 'commit' })
      await phone.locator('[data-test=m-login-submit]').waitFor({ state: 'visible' })
      const ms = Date.now() - t0
      await phone.locator('input[name=mobile]').fill(guardianMobile)
      await phone.waitForLoadState('networkidle')
      const first = m.take()
      const js = first.filter((r) => /\.js$/.test(new URL(r.url).pathname))
      check(js.length > 0, 'no script loaded')
      for (const r of js) {
        // Files under 1 KB are not compressed by the build (vite.config.js COMPRESS_MIN_BYTES).
        if (r.bytes > 1600) check(r.encoding === 'br', `${r.url} (${r.bytes} bytes) came with Content-Encoding "${r.encoding}", not br`)
        check(/javascript/.test(r.type), `${r.url} came as ${r.type}`)
      }
      if (process.env.KEHOU_WEIGHT_TIMELINE) for (const r of first) console.log(`         ${r.at - t0} ms ${new URL(r.url).pathname} ${r.bytes}`)
      const keys = await rawKeys()
      check(keys.length === 0, `message keys shown instead of text on /m/login: ${keys.join(', ')}`)
      figures.guardianLoginBytes = total(first)
      figures.guardianLoginMs = ms
      console.log(`       guardian /m/login: ${kb(total(first))} in ${first.length} responses, usable after ${ms} ms (${describe(first)})`)
      check(ms < WEIGHT_GUARDIAN_MS, `the login form was usable after ${ms} ms (limit ${WEIGHT_GUARDIAN_MS})`)
    })
    await steps.run('guardian-children', phone, async () => {
      await phone.locator('input[name=password]').fill(password)
      await phone.locator('[data-test=m-login-submit]').click()
      await phone.waitForURL('**/m/children')
      await phone.locator('[data-test=m-child], [data-test=m-no-children]').first().waitFor()
      await phone.waitForLoadState('networkidle')
      const after = m.take()
      const sum = figures.guardianLoginBytes + total(after)
      figures.guardianBytes = sum
      console.log(`       guardian login + children: ${kb(sum)} in all (${describe(after)})`)
      check(sum < WEIGHT_GUARDIAN_BYTES, `the guardian's first load took ${kb(sum)} (limit ${kb(WEIGHT_GUARDIAN_BYTES)})`)
      const keys = await rawKeys()
      check(keys.length === 0, `message keys shown instead of text on /m/children: ${keys.join(', ')}`)
    })
  } finally {
    await phoneCtx.close()
  }

  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await desk.newPage()
  page.setDefaultTimeout(30000)
  try {
    const m = await meter(desk, page)
    await steps.run('console-first-load', page, async () => {
      const t0 = Date.now()
      await page.goto(`${base}/login`, { waitUntil: 'commit' })
      await page.locator('[data-test=login-submit]').waitFor({ state: 'visible' })
      const ms = Date.now() - t0
      await page.locator('input[name=login]').fill(officeLogin)
      await page.locator('input[name=password]').fill(password)
      await page.waitForLoadState('networkidle')
      const first = m.take()
      figures.consoleLoginBytes = total(first)
      figures.consoleLoginMs = ms
      console.log(`       console /login: ${kb(total(first))}, usable after ${ms} ms (${describe(first)})`)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'))
      await page.locator('.el-menu').first().waitFor()
      await page.waitForLoadState('networkidle')
      const after = m.take()
      const sum = figures.consoleLoginBytes + total(after)
      figures.consoleBytes = sum
      console.log(`       console login + home: ${kb(sum)} in all (${describe(after)})`)
      check(sum < WEIGHT_CONSOLE_BYTES, `the console's first load took ${kb(sum)} (limit ${kb(WEIGHT_CONSOLE_BYTES)})`)
    })
  } finally {
    await desk.close()
  }
  console.log(`       figures ${JSON.stringify(figures)}`)
}
