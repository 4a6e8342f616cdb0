// (h) Guardian activation (issue 11): the office sees each class's activation rate on 家长激活 and
// prints a class's letters (a PDF download); a guardian of an imported student opens the phone's
// activation page from the login page, asks for an SMS code (read here from the school's outbox,
// as the local sender delivers it), sets a password, lands on their children, and the office's
// class view shows them activated.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff } from './flows.mjs'
import { openPhone } from './enroll.mjs'

export async function activationScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'h')
  const { officeLogin } = accounts()
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      setup.office = await apiLogin(request, officeLogin, password)
      const classes = await setup.office('GET', '/activation/classes')
      check(classes.status === 200 && classes.body.items.length > 0, `classes: ${classes.status}`)
      for (const k of classes.body.items.slice().reverse()) {
        const list = await setup.office('GET', `/activation/classes/${k.class_id}`)
        const g = list.body.items.find((x) => !x.activated && !x.last_code_at)
        if (g) { setup.g = g; setup.klass = k; break }
      }
      check(setup.g, 'a guardian without an account')
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-page', page, async () => {
        await page.goto(`${base}/people/activation`)
        const row = page.locator('[data-test=activation-table] .el-table__row', { hasText: setup.klass.class_name })
        await row.waitFor()
        await row.locator('[data-test=activation-open]').click()
        await page.locator('[data-test=activation-guardians] .el-table__row', { hasText: setup.g.guardian_name }).first().waitFor()
        await page.keyboard.press('Escape')
      })
      await steps.run('office-letters', page, async () => {
        const other = page.locator('[data-test=activation-table] .el-table__row').first()
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          (async () => {
            await other.locator('[data-test=activation-letters]').click()
            await page.locator('.el-message-box__btns .el-button--primary').click()
          })(),
        ])
        check(download.suggestedFilename().endsWith('.pdf'), `file ${download.suggestedFilename()}`)
      })
    })
    await steps.run('phone-activate', phone, async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-test=m-activate-link]').click()
      await phone.waitForURL('**/m/activate')
      await phone.locator('input[name=mobile]').fill(setup.g.mobile)
      await phone.locator('[data-test=a-send]').click()
      await phone.locator('[data-test=a-notice]').waitFor()
      const outbox = await setup.office('GET', '/notify/outbox?page_size=50')
      const sms = outbox.body.items.find((m) => m.recipient_id === setup.g.guardian_id && m.event_key.startsWith('activation:'))
      check(sms, 'the SMS is in the school\'s outbox')
      const code = /验证码是 (\d{6})/.exec(sms.body)[1]
      await phone.locator('input[name=code]').fill(code)
      await phone.locator('input[name=password]').fill('Qingshan#2026')
      await phone.locator('[data-test=a-submit]').click()
      await phone.waitForURL('**/m/children')
      await phone.getByText(setup.g.student_name).first().waitFor()
    })
    await steps.run('office-sees-activated', null, async () => {
      const list = await setup.office('GET', `/activation/classes/${setup.klass.class_id}`)
      check(list.body.items.find((x) => x.guardian_id === setup.g.guardian_id).activated, 'the class view shows the activation')
    })
  } finally {
    await request.dispose()
    await phoneCtx.close()
  }
}
