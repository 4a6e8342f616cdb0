// Browser scenarios of pickup (issue 13 §3, §5):
// (pk1) the guard at the gate, on the phone, searches the demo guardian's child and taps the proxy
//       whose authorisation expired: the server refuses and the page turns red, full screen, with
//       the reason in Chinese; the refusal is in the audit log.
// (pk2) the office's end-of-day check on the console: the demo's last day has a child not
//       accounted for; closing is refused naming the child; the office records the departure
//       with the guardian, and the day closes.
import { Steps, check } from './lib.mjs'
import { PHONE, accounts, apiLogin, asStaff, consoleLogin } from './flows.mjs'

export async function proxyExpiredScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'pk1-')
  const { guardianMobile } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext(PHONE)
  try {
    const setup = {}
    await steps.run('fixture', null, async () => {
      const guardian = await apiLogin(request, guardianMobile, password)
      const kids = await guardian('GET', '/pickup/my-children')
      check(kids.status === 200, `my-children: ${kids.status}`)
      for (const k of kids.body.items) {
        const a = await guardian('GET', `/pickup/children/${k.child.id}/adults`)
        const p = (a.body.proxies || []).find((x) => x.status === 'expired')
        if (p) Object.assign(setup, { child: k.child, proxy: p })
      }
      check(setup.proxy, 'the demo guardian\'s child has an expired proxy')
    })
    const phone = await ctx.newPage()
    phone.setDefaultTimeout(20000)
    await steps.run('gate-search', phone, async () => {
      await consoleLogin(phone, base, 'guard', password)
      await phone.goto(`${base}/m/gate`)
      await phone.locator('[data-test=gate-q] input').fill(setup.child.name)
      await phone.locator('[data-test=gate-search]').click()
      const adult = phone.locator('[data-test=gate-adult]', { hasText: setup.proxy.name })
      await adult.first().waitFor()
      check(await adult.first().evaluate((el) => el.classList.contains('no')), 'the expired proxy is shown red before the tap')
    })
    await steps.run('refused-red', phone, async () => {
      await phone.locator('[data-test=gate-adult]', { hasText: setup.proxy.name }).first().click()
      const v = phone.locator('[data-test=gate-verdict]')
      await v.waitFor()
      check(await v.evaluate((el) => el.classList.contains('no')), 'the full-screen verdict is the red refusal')
      const reason = await phone.locator('[data-test=gate-reason]').textContent()
      check(/过期/.test(reason), `the reason in Chinese names the expiry: ${reason}`)
      check((await v.textContent()).includes('禁止接走'), 'the refusal says 禁止接走')
    })
    await steps.run('refusal-audited', null, async () => {
      const principal = await apiLogin(request, 'principal', password)
      const audit = await principal('GET', '/audit?action=pickup_refused&page_size=20')
      check(audit.status === 200 && (audit.body.items || []).length > 0, `the refusal is audited: ${audit.status}`)
      const office = await apiLogin(request, 'office', password)
      const board = await office('GET', `/pickup/day`)
      check(!(board.body.children || []).some((c) => c.id === setup.child.id && c.left?.adult_name === setup.proxy.name),
        'the child did not leave with the expired proxy')
    })
  } finally {
    await ctx.close()
    await request.dispose()
  }
}

export async function closeDayScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'pk2-')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  try {
    const setup = {}
    await steps.run('fixture', null, async () => {
      const office = await apiLogin(request, officeLogin, password)
      const board = await office('GET', '/pickup/day')
      // A past day: today's children are still at school (and other scenarios' children may be there).
      const today = new Date(Date.now() + 8 * 3600000).toISOString().slice(0, 10)
      const open = (board.body.days || []).find((d) => !d.closed && d.unaccounted > 0 && d.date < today)
      check(open, `a day with a child left: ${JSON.stringify(board.body.days)}`)
      const day = await office('GET', `/pickup/day?date=${open.date}`)
      // Everyone but the first child still at school leaves (other scenarios may have added some).
      const [left, ...rest] = day.body.unaccounted
      for (const c of rest) {
        const a = await office('GET', `/pickup/children/${c.id}/adults`)
        const r = await office('POST', '/pickup/handovers', { student_id: c.id, adult_kind: 'guardian', adult_id: a.body.guardians[0].id, date: open.date })
        check(r.status === 200, `handover of ${c.name}: ${r.status} ${JSON.stringify(r.body)}`)
      }
      Object.assign(setup, { date: open.date, child: left })
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('close-refused', page, async () => {
        await page.goto(`${base}/daily/pickup`)
        await page.getByRole('tab', { name: '日终核查' }).click()
        await page.locator('[data-test=pk-day]', { hasText: setup.date }).click()
        await page.locator('[data-test=pk-day-table] .el-table__row', { hasText: setup.child.name }).first().waitFor()
        await page.locator('[data-test=pk-close]').click()
        const err = page.locator('[data-test=pk-close-error]')
        await err.waitFor()
        const text = await err.textContent()
        check(text.includes(setup.child.name) && text.includes('不能关账'), `the refusal names the child: ${text}`)
      })
      await steps.run('record-departure', page, async () => {
        await page.locator('[data-test=pk-day-table] .el-table__row', { hasText: setup.child.name }).first()
          .locator('[data-test=pk-record]').click()
        const dlg = page.locator('.el-dialog', { hasText: setup.child.name })
        await dlg.waitFor()
        await dlg.locator('[data-test=pk-record-adult]').click()
        await page.locator('.el-select-dropdown__item:visible').first().click()
        await dlg.locator('[data-test=pk-record-save]').click()
        await dlg.waitFor({ state: 'hidden' })
        await page.locator('[data-test=pk-day-table] .el-table__row', { hasText: setup.child.name }).first()
          .getByText('已离校').waitFor()
      })
      await steps.run('closed', page, async () => {
        await page.locator('[data-test=pk-close]').click()
        await page.locator('[data-test=pk-closed]').waitFor()
        check(await page.locator('[data-test=pk-close]').isDisabled(), 'closed once: the button is off')
      })
    })
    await steps.run('close-audited', null, async () => {
      const principal = await apiLogin(request, 'principal', password)
      const audit = await principal('GET', '/audit?action=close_day&page_size=20')
      check(audit.status === 200 && (audit.body.items || []).length >= 2, `both closes are audited: ${JSON.stringify(audit.body).slice(0, 200)}`)
    })
  } finally {
    await request.dispose()
  }
}
