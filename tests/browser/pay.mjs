// (py1) Teacher pay (issue 14 §4): on a 390×844 phone the demo teacher signs in, opens 我的工资条
// from the sessions page and reads the approved month's slip (sessions, rate, score, factor and
// the rule in words, the sessions taught); at the desk the principal opens 课酬与对账, sees last
// month's run awaiting approval with its slips, approves it (frozen: the button goes), and the
// reconciliation tab shows the demo's one amount that differs. Screenshots of every step.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'

const PHONE_390 = { viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true }
const monthsAgo = (n) => {
  const d = new Date(Date.now() + 8 * 3600e3)
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)).toISOString().slice(0, 7)
}

export async function payScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'py1')
  const teacherLogin = process.env.KEHOU_DEMO_TEACHER || 'teacher'
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const teacher = await apiLogin(request, teacherLogin, password)
      const mine = await teacher('GET', '/pay/my-slips')
      check(mine.status === 200 && mine.body.items.length > 0, `the demo teacher has an approved slip: ${JSON.stringify(mine.body).slice(0, 200)}`)
      setup.slip = mine.body.items[0]
    })
    const ctx = await browser.newContext(PHONE_390)
    try {
      const page = await ctx.newPage()
      page.setDefaultTimeout(20000)
      await steps.run('phone-slips', page, async () => {
        await page.goto(`${base}/m/teach`)
        await page.waitForURL((u) => u.pathname.startsWith('/login'))
        await page.locator('input[name=login]').fill(teacherLogin)
        await page.locator('input[name=password]').fill(password)
        await page.locator('[data-test=login-submit]').click()
        await page.waitForURL((u) => u.pathname.startsWith('/m/teach'))
        await page.locator('[data-test=a-slips]').click()
        await page.waitForURL((u) => u.pathname.startsWith('/m/slips'))
        await page.locator('[data-test=p-slip]').first().waitFor()
      })
      await steps.run('phone-slip-open', page, async () => {
        const card = page.locator(`[data-test=p-slip][data-slip-id="${setup.slip.id}"]`)
        await card.locator('[data-test=p-slip-head]').click()
        await card.locator('[data-test=p-slip-lines] .van-cell').first().waitFor()
        const text = await card.innerText()
        check(text.includes(setup.slip.month) && text.includes((setup.slip.amount_fen / 100).toFixed(2)), `the slip shows its month and pay: ${text}`)
        check(text.includes('分档系数') && text.includes(setup.slip.factor), `the factor and its rule in words: ${text}`)
        check(await card.locator('[data-test=p-slip-lines] .van-cell').count() === setup.slip.sessions, 'one line per session taught')
      })
    } finally {
      await ctx.close()
    }
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    try {
      const page = await desk.newPage()
      page.setDefaultTimeout(20000)
      await steps.run('console-run', page, async () => {
        await consoleLogin(page, base, 'principal', password)
        await page.goto(`${base}/pay`)
        await page.locator('h2', { hasText: '课酬与对账' }).waitFor()
        const row = page.locator('[data-test=pay-runs-table] .el-table__row', { hasText: monthsAgo(1) })
        await row.first().waitFor()
        check((await row.first().innerText()).includes('待审批'), `last month awaits approval: ${await row.first().innerText()}`)
        await row.first().click()
        await page.locator('[data-test=pay-run-detail] h3', { hasText: monthsAgo(1) }).waitFor()
        await page.locator('[data-test=pay-slips-table] .el-table__row').first().waitFor()
      })
      await steps.run('console-approve', page, async () => {
        await page.locator('[data-test=pay-approve]').click()
        await page.locator('.el-message-box__btns .el-button--primary').click()
        await page.locator('[data-test=pay-run-status]', { hasText: '已审批' }).waitFor()
        check(await page.locator('[data-test=pay-approve]').count() === 0, 'an approved run has no approve button')
        const row = page.locator('[data-test=pay-runs-table] .el-table__row', { hasText: monthsAgo(1) })
        await row.first().locator('text=已审批').waitFor()
      })
      await steps.run('console-reconcile', page, async () => {
        await page.locator('.el-tabs__item', { hasText: '对账与缴费提醒' }).click()
        await page.locator('[data-test=rec-items] .el-table__row').first().waitFor()
        const text = await page.locator('[data-test=rec-items]').innerText()
        check(text.includes('金额不符'), `the demo's mismatch is listed: ${text}`)
      })
    } finally {
      await desk.close()
    }
  } finally {
    await request.dispose()
  }
}

// (py2) Receipts (issue 14 §5): the demo guardian's paid bill (paid here through the test provider
// when scenario m has not run) shows 下载收据 on the phone's 缴费 page; the link answers the PDF.
export async function receiptScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'py2')
  const guardianMobile = process.env.KEHOU_DEMO_GUARDIAN || '18874037771'
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const guardian = await apiLogin(request, guardianMobile, password)
      const bills = (await guardian('GET', '/fees/my-bills')).body.items || []
      check(bills.length > 0, 'the demo guardian has a bill')
      let bill = bills.find((b) => b.status === 'paid')
      if (!bill) {
        const paid = await guardian('POST', `/fees/bills/${bills[0].id}/pay`)
        check(paid.status === 200 && paid.body.status === 'paid', `pay through the test provider: ${JSON.stringify(paid.body).slice(0, 200)}`)
        bill = paid.body
      }
      setup.bill = bill.id
    })
    const ctx = await browser.newContext(PHONE_390)
    try {
      const page = await ctx.newPage()
      page.setDefaultTimeout(20000)
      await steps.run('phone-receipt', page, async () => {
        await page.goto(`${base}/m/login`)
        await page.locator('input[name=mobile]').fill(guardianMobile)
        await page.locator('input[name=password]').fill(password)
        await page.locator('[data-test=m-login-submit]').click()
        await page.waitForURL('**/m/children')
        await page.locator('[data-test=m-tab-bills]').click()
        await page.waitForURL('**/m/bills')
        const link = page.locator(`[data-test=m-bill][data-bill-id="${setup.bill}"] [data-test=m-bill-receipt]`)
        await link.waitFor()
        const href = await link.getAttribute('href')
        const r = await page.request.get(`${base}${href}`)
        check(r.status() === 200 && r.headers()['content-type'] === 'application/pdf', `the receipt: ${r.status()} ${r.headers()['content-type']}`)
        check((await r.body()).subarray(0, 5).toString() === '%PDF-', 'a PDF')
      })
    } finally {
      await ctx.close()
    }
  } finally {
    await request.dispose()
  }
}
