// (b) A guardian logs in on the phone pages and sees exactly their own children (the same as
// GET /api/v1/me/children); another family's child answers 404 on GET /api/v1/students/:id.
import { Steps, check } from './lib.mjs'

export async function guardianScenario({ browser, playwright, base, out, guardianLogin, password, principalLogin }) {
  const steps = new Steps(out, 'b')
  const context = await browser.newContext({
    viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
  })
  const page = await context.newPage()
  page.setDefaultTimeout(20000)
  // The principal's API session (Bearer token), to find a child of another family.
  const staff = await playwright.request.newContext({ baseURL: base })
  let shownIds = []

  try {
    let mobile = guardianLogin
    if (!mobile) {
      mobile = await steps.run('find-guardian', null, async () => {
        const login = await staff.post('/api/v1/auth/login', { data: { login: principalLogin, password } })
        check(login.ok(), `principal login answered ${login.status()}`)
        const token = (await login.json()).token
        const r = await staff.get('/api/v1/guardians?page_size=1', { headers: { Authorization: `Bearer ${token}` } })
        const g = ((await r.json()).items || [])[0]
        check(g && /^1\d{10}$/.test(g.mobile || ''), 'set KEHOU_DEMO_GUARDIAN to a demo guardian\'s mobile (none could be read)')
        return g.mobile
      })
    }

    await steps.run('phone-login', page, async () => {
      await page.goto(`${base}/m/login`)
      await page.locator('input[name=mobile]').fill(mobile)
      await page.locator('input[name=password]').fill(password)
      await page.locator('[data-test=m-login-submit]').click()
      await page.waitForURL('**/m/children', { timeout: 20000 }).catch(async () => {
        const err = await page.locator('[data-test=m-login-error]').textContent().catch(() => '')
        throw new Error(`guardian ${mobile} did not reach /m/children${err ? `: ${err.trim()}` : ` (at ${page.url()})`}`)
      })
    })

    await steps.run('my-children', page, async () => {
      await page.locator('[data-test=m-child], [data-test=m-no-children]').first().waitFor()
      const api = await page.evaluate(async () => {
        const r = await fetch('/api/v1/me/children', { credentials: 'same-origin' })
        return { status: r.status, body: await r.json().catch(() => null) }
      })
      check(api.status === 200, `GET /me/children answered ${api.status}`)
      const expected = (api.body.items || []).map((c) => ({ id: Number(c.id), name: c.name }))
      check(expected.length > 0, `guardian ${mobile} has no children in /me/children`)
      const cards = page.locator('[data-test=m-child]')
      await cards.nth(expected.length - 1).waitFor()
      const shown = await cards.evaluateAll((els) => els.map((e) => ({
        id: Number(e.getAttribute('data-child-id')),
        name: (e.querySelector('[data-test=m-child-name]') || {}).textContent || '',
      })))
      shownIds = shown.map((c) => c.id)
      const key = (l) => JSON.stringify(l.map((c) => `${c.id}:${c.name.trim()}`).sort())
      check(key(shown) === key(expected), `the page shows ${key(shown)} but /me/children has ${key(expected)}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      check(width <= 375, `the phone page is ${width}px wide (wider than the 375px screen)`)
    })

    await steps.run('other-child-404', page, async () => {
      const login = await staff.post('/api/v1/auth/login', { data: { login: principalLogin, password } })
      check(login.ok(), `principal login answered ${login.status()}`)
      const token = (await login.json()).token
      const r = await staff.get('/api/v1/students?page_size=50', { headers: { Authorization: `Bearer ${token}` } })
      check(r.ok(), `principal GET /students answered ${r.status()}`)
      const other = ((await r.json()).items || []).find((s) => !shownIds.includes(Number(s.id)))
      check(other, 'no student of another family found')
      const res = await page.evaluate(async ({ otherId, ownId }) => {
        const a = await fetch(`/api/v1/students/${otherId}`, { credentials: 'same-origin' })
        const b = await fetch(`/api/v1/students/${ownId}`, { credentials: 'same-origin' })
        const bodyA = await a.text()
        return { other: a.status, otherBody: bodyA, own: b.status }
      }, { otherId: other.id, ownId: shownIds[0] })
      check(res.other === 404, `GET /students/${other.id} (another family's child) answered ${res.other}: ${res.otherBody.slice(0, 200)}`)
      check(!res.otherBody.includes(other.name), 'the 404 answer leaks the other child\'s name')
      check(res.own === 200, `GET /students/${shownIds[0]} (own child) answered ${res.own}`)
      await page.goto(`${base}/m/profile`)
      await page.locator('[data-test=m-profile-name]').waitFor()
    })

    await steps.run('phone-logout', page, async () => {
      await page.locator('[data-test=m-logout]').click()
      await page.locator('.van-dialog__confirm').click()
      await page.waitForURL('**/m/login')
      const me = await page.evaluate(async () => (await fetch('/api/v1/auth/me', { credentials: 'same-origin' })).status)
      check(me === 401, `after logout /auth/me answered ${me}`)
    })
  } finally {
    await staff.dispose()
    await context.close()
  }
}
