// (nt1) 通知发送 (issue 13 §6): the office opens the console's notification page, filters the failed
// deliveries (the demo's retired WeCom robot), sees status, attempts and the last error, and retries
// one: the row leaves the failed list and the server has it pending again (the worker then tries
// it on its schedule). (nt2) A guardian chooses SMS on the phone's Profile page and back.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin, openPhone } from './enroll.mjs'
import { accounts } from './flows.mjs'

export async function notifyRetryScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'nt1-')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      setup.office = await apiLogin(request, officeLogin, password)
      const r = await setup.office('GET', '/notify/outbox?status=failed&page_size=50')
      check((r.body?.items || []).length > 0, `the demo has failed deliveries: ${JSON.stringify(r.body).slice(0, 200)}`)
    })
    await steps.run('page', page, async () => {
      await consoleLogin(page, base, officeLogin, password)
      await page.goto(`${base}/daily/notify`)
      await page.locator('[data-test=ntf-table] .el-table__row').first().waitFor()
    })
    await steps.run('failed', page, async () => {
      await page.locator('[data-test=ntf-status]').getByText('发送失败').click()
      const rows = page.locator('[data-test=ntf-table] .el-table__row')
      await page.waitForFunction(() => {
        const tags = [...document.querySelectorAll('[data-test=ntf-table] [data-test=ntf-row-status]')]
        return tags.length > 0 && tags.every((x) => x.textContent.trim() === '发送失败')
      })
      // The demo's failed WeCom delivery: not necessarily the newest failure (an activation SMS
      // from the API tests may have used up its retries by now on a slow run).
      const first = rows.filter({ hasText: '企业微信' }).first()
      setup.id = Number((await first.locator('td').first().textContent()).trim())
      const text = await first.textContent()
      check(text.includes('企业微信') && text.includes('连接失败'), `channel and last error shown: ${text}`)
      setup.before = await rows.count()
    })
    await steps.run('retry', page, async () => {
      const row = page.locator('[data-test=ntf-table] .el-table__row').filter({ has: page.locator('td').first().getByText(String(setup.id), { exact: true }) })
      await row.locator('[data-test=ntf-retry]').click()
      await page.locator('.el-message--success').waitFor()
      await page.waitForFunction((id) => ![...document.querySelectorAll('[data-test=ntf-table] .el-table__row td:first-child')]
        .some((td) => td.textContent.trim() === String(id)), setup.id)
      const r = await setup.office('GET', '/notify/outbox?status=failed&page_size=200')
      check(!(r.body?.items || []).some((m) => m.id === setup.id), 'the row is no longer failed on the server')
    })
  } finally {
    await ctx.close()
    await request.dispose()
  }
}

export async function notifyChannelScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'nt2-')
  const { guardianMobile } = accounts()
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  try {
    const g = await apiLogin(request, guardianMobile, password)
    const was = (await g('GET', '/notify/preference')).body?.channel || 'in_app'
    await steps.run('profile', phone, async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('[data-test=m-mobile] input').fill(guardianMobile)
      await phone.locator('[data-test=m-password] input').fill(password)
      await phone.locator('[data-test=m-login-submit]').click()
      await phone.waitForURL((u) => !u.pathname.startsWith('/m/login'))
      await phone.goto(`${base}/m/profile`)
      await phone.locator('[data-test=m-channel]').waitFor()
    })
    await steps.run('choose-sms', phone, async () => {
      const other = was === 'sms' ? 'in_app' : 'sms'
      const saved = phone.waitForResponse((r) => r.url().includes('/notify/preference') && r.request().method() === 'PUT')
      await phone.locator(`[data-test=m-channel-${other}]`).click()
      check((await saved).ok(), 'the choice is saved')
      const now = (await g('GET', '/notify/preference')).body?.channel
      check(now === other, `the server has ${other} (${now})`)
      await g('PUT', '/notify/preference', { channel: was })
    })
  } finally {
    await phoneCtx.close()
    await request.dispose()
  }
}
