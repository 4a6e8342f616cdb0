// (tc1) Substitution (issue 12 §5, R-STF-4): on a 390×844 phone the demo teacher reports an
// absence for one of their sessions 15-21 days ahead (the console's login brings them back to
// /m/absence); then the office opens 代课与基础托管, sees the absence, opens the ranked candidates
// and assigns the suggested substitute; the row shows it assigned. The groups tab is shot too.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'
import { accounts } from './flows.mjs'

const PHONE_390 = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
}
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10)

export async function substitutionScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'tc1')
  const teacherLogin = process.env.KEHOU_DEMO_TEACHER || 'teacher'
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext(PHONE_390)
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const office = await desk.newPage()
  office.setDefaultTimeout(20000)
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const teacher = await apiLogin(request, teacherLogin, password)
      for (let i = 15; i <= 21 && !setup.date; i++) {
        const d = localDate(Date.now() + i * 86400000)
        const r = await teacher('GET', `/attendance/sessions?date=${d}`)
        const s = (r.body?.items || [])[0]
        if (s) Object.assign(setup, { date: d, section: s.section_id })
      }
      check(setup.date, 'the demo teacher has a session 15-21 days ahead')
    })
    await steps.run('phone-report', page, async () => {
      await page.goto(`${base}/m/absence?date=${setup.date}`)
      await page.waitForURL((u) => u.pathname.startsWith('/login'))
      await page.locator('input[name=login]').fill(teacherLogin)
      await page.locator('input[name=password]').fill(password)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/m/absence'))
      await page.locator(`[data-test=b-session][data-section-id="${setup.section}"]`).click()
      await page.locator('[data-test=b-reason] input').fill('参加区教研活动')
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      check(width <= 390, `the page fits 390 px (scrollWidth ${width})`)
    })
    await steps.run('phone-reported', page, async () => {
      const answer = page.waitForResponse((r) => r.url().includes('/substitutions/absences') && r.request().method() === 'POST')
      await page.locator('[data-test=b-submit]').click()
      const r = await answer
      check(r.status() === 201, `the report answered ${r.status()}`)
      setup.sub = (await r.json()).items[0]
      await page.locator('[data-test=b-mine-row]').first().waitFor()
    })
    await steps.run('office-list', office, async () => {
      await consoleLogin(office, base, officeLogin, password)
      await office.goto(`${base}/daily/substitutions`)
      await office.locator(`[data-test=sub-pick][data-id="${setup.sub.id}"]`).waitFor()
    })
    await steps.run('office-candidates', office, async () => {
      await office.locator(`[data-test=sub-pick][data-id="${setup.sub.id}"]`).click()
      await office.locator('[data-test=sub-suggested]').first().waitFor()
      setup.suggested = (await office.locator('[data-test=sub-candidates] .el-table__row').first().locator('td').first().innerText()).split(/\s/)[0]
      check(setup.suggested, 'a suggested substitute is listed first')
    })
    await steps.run('office-assigned', office, async () => {
      const answer = office.waitForResponse((r) => r.url().includes(`/substitutions/${setup.sub.id}/assign`))
      await office.locator('[data-test=sub-assign]').click()
      const r = await answer
      check(r.status() === 200, `assign answered ${r.status()}`)
      const body = await r.json()
      check(body.status === 'assigned' && body.substitute === setup.suggested, `assigned to the suggested ${setup.suggested}: ${JSON.stringify(body)}`)
      await office.locator('[data-test=sub-table]').getByText(setup.suggested).first().waitFor()
    })
    await steps.run('office-groups', office, async () => {
      await office.locator('[data-test=sub-tabs]').getByText('基础托管分组').click()
      await office.locator('[data-test=grp-table] .el-table__row').first().waitFor()
    })
  } finally {
    await ctx.close()
    await desk.close()
    await request.dispose()
  }
}
