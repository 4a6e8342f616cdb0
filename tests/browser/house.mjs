// (hs1) The house (issue 9 §4): the console's menu and page guards come from GET /auth/me, which
// the server computes from its one route table. A guard, a teacher and the principal each see
// exactly the menu entries their granted routes allow (computed here from the same /auth/me
// answer and the console's menu.js, and spot-checked by name); a page the role may not open
// (typed into the address bar) lands on the refusal page, and a page it may open does not.
import { Steps, check } from './lib.mjs'
import { apiLogin } from './enroll.mjs'
import { asStaff } from './flows.mjs'
import { visibleMenu } from '../../web/src/console/menu.js'

const names = (menu) => menu.flatMap((item) => (item.children ? item.children.map((c) => c.name) : [item.name])).sort()

async function shownMenu(page) {
  const items = page.locator('.aside [data-menu]')
  await items.first().waitFor()
  return (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')))).sort()
}

const CASES = [
  // login, entries that must show, entries that must not, a page to refuse, a page to open
  { login: 'guard', shows: ['safetyRecords', 'staff'], hides: ['fees', 'users', 'import', 'audit'], refused: '/fees', opens: '/daily/safety' },
  { login: 'teacher', shows: ['proposals', 'catalog'], hides: ['fees', 'users', 'audit', 'import', 'pickup'], refused: '/system/users', opens: '/select/proposals' },
  { login: 'principal', shows: ['users', 'audit', 'fees', 'import', 'review'], hides: ['overview'], refused: '/overview', opens: '/system/audit' },
]

export async function houseScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'hs1')
  const request = await playwright.request.newContext({ baseURL: base })
  try {
    for (const c of CASES) {
      const me = await steps.run(`${c.login}-me`, null, async () => {
        const call = await apiLogin(request, c.login, password)
        const r = await call('GET', '/auth/me')
        check(r.status === 200 && Array.isArray(r.body.routes), `${c.login} /auth/me: ${r.status}`)
        return r.body
      })
      const want = names(visibleMenu(me))
      for (const n of c.shows) check(want.includes(n), `${c.login}: the table should grant ${n}`)
      for (const n of c.hides) check(!want.includes(n), `${c.login}: the table should not grant ${n}`)
      await asStaff(browser, base, c.login, password, async (page) => {
        await steps.run(`${c.login}-menu`, page, async () => {
          await page.goto(`${base}/`)
          const shown = await shownMenu(page)
          check(JSON.stringify(shown) === JSON.stringify(want), `${c.login} menu shows ${shown.join(',')}; /auth/me grants ${want.join(',')}`)
        })
        await steps.run(`${c.login}-refused`, page, async () => {
          await page.goto(`${base}${c.refused}`)
          await page.waitForURL('**/forbidden')
          await page.locator('.el-result', { hasText: '没有权限' }).waitFor()
        })
        await steps.run(`${c.login}-opens`, page, async () => {
          await page.goto(`${base}${c.opens}`)
          await page.waitForURL(`**${c.opens}`)
          await page.locator('.aside [data-menu]').first().waitFor()
          check(!page.url().includes('/forbidden'), `${c.login} may open ${c.opens}`)
        })
      })
    }
  } finally {
    await request.dispose()
  }
}
