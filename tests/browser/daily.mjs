// (dy1) 晚接提醒设置 (issue 13 §3, session 11): the office opens 放学接送 → 晚接提醒设置, sets the
// class teacher's step before the guardians' and sees the refusal on that field in Chinese, then
// saves 10/25/40 and the server has it (audited); the defaults are put back through the API so no
// other scenario sees a changed rule.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'
import { accounts } from './flows.mjs'

export async function lateSettingsScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'dy1-')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      setup.office = await apiLogin(request, officeLogin, password)
      const r = await setup.office('GET', '/pickup/settings')
      check(r.status === 200, `the settings: ${JSON.stringify(r.body)}`)
      setup.before = { late_guardian_minutes: r.body.late_guardian_minutes, late_office_minutes: r.body.late_office_minutes,
        late_leader_minutes: r.body.late_leader_minutes }
    })
    await steps.run('tab', page, async () => {
      await consoleLogin(page, base, officeLogin, password)
      await page.goto(`${base}/daily/pickup`)
      await page.getByRole('tab', { name: '晚接提醒设置' }).click()
      await page.locator('[data-test=pk-late-save]').waitFor()
      await page.waitForFunction(() => document.querySelector('[data-test=pk-late_guardian_minutes] input')?.value !== '')
    })
    const office = page.locator('[data-test=pk-late_office_minutes] input')
    await steps.run('refused', page, async () => {
      await office.fill('5')
      await office.blur()
      await page.locator('[data-test=pk-late-save]').click()
      const err = page.locator('[data-test=pk-late-settings] .el-form-item__error')
      await err.waitFor()
      check((await err.textContent()).includes('须晚于上一步'), `the refusal on the field: ${await err.textContent()}`)
    })
    await steps.run('saved', page, async () => {
      await page.locator('[data-test=pk-late_guardian_minutes] input').fill('10')
      await office.fill('25')
      await office.blur()
      await page.locator('[data-test=pk-late_leader_minutes] input').fill('40')
      await page.locator('[data-test=pk-late-save]').click()
      await page.locator('.el-message--success').waitFor()
      const r = await setup.office('GET', '/pickup/settings')
      check(r.body.late_office_minutes === 25 && r.body.late_leader_minutes === 40, `stored: ${JSON.stringify(r.body)}`)
    })
  } finally {
    if (setup.office && setup.before) await setup.office('PUT', '/pickup/settings', setup.before)
    await ctx.close()
    await request.dispose()
  }
}
