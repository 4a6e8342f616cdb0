// (lg1) Ledger (issue 14 §3): the office reads the journal (balanced) and the budget against actual
// on the console's 账务与公示 page, previews the current month's disclosure and publishes it; the
// guardian opens 收支公示 from the phone's 缴费 page and reads that month, whose income, expense and
// surplus are the office's figures to the fen. Publishing is once per month: when an earlier run
// published it, the page shows 本月已公示 and the comparison uses the published figures.
import { Steps, check } from './lib.mjs'
import { accounts, asStaff, confirmBox, phoneLogin, settle } from './flows.mjs'

export async function ledgerScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'lg1-')
  const { officeLogin, guardianMobile } = accounts()
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
  const figures = {}
  await asStaff(browser, base, officeLogin, password, async (page) => {
    await steps.run('journal', page, async () => {
      await page.goto(`${base}/ledger`)
      await page.locator('h2', { hasText: '账务与公示' }).waitFor()
      await page.locator('[data-test=ledger-journal-table] .el-table__row').first().waitFor()
      const bal = await page.locator('[data-test=ledger-balance]').innerText()
      check(bal.includes('借贷平衡'), `the journal balances: ${bal}`)
    })
    await steps.run('budget', page, async () => {
      await page.locator('.el-tabs__item', { hasText: '预算执行与决算' }).click()
      await page.locator('[data-test=ledger-budget-table] .el-table__row', { hasText: '课后服务费收入' }).waitFor()
      const totals = await page.locator('[data-test=ledger-budget-totals]').innerText()
      check(totals.includes('实际收入'), `budget totals: ${totals}`)
    })
    await steps.run('publish', page, async () => {
      await page.locator('.el-tabs__item', { hasText: '收支公示' }).click()
      await page.locator('[data-test=ledger-preview]').waitFor()
      const publish = page.locator('[data-test=ledger-publish]')
      if (await publish.isEnabled()) {
        await publish.click()
        await confirmBox(page)
      }
      await page.locator('[data-test=ledger-published]').waitFor()
      const newest = page.locator('[data-test=ledger-disclosures-table] .el-table__row').first()
      await newest.waitFor()
      check((await newest.innerText()).trim().startsWith(month), `the published list starts with ${month}: ${await newest.innerText()}`)
      for (const k of ['income', 'expense', 'surplus'])
        figures[k] = (await page.locator(`[data-test=ledger-preview] [data-test=disclosure-${k}]`).innerText()).trim()
      check(/¥\d/.test(figures.income), `the month's figures: ${JSON.stringify(figures)}`)
    })
  })
  const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
  try {
    const phone = await phoneCtx.newPage()
    phone.setDefaultTimeout(20000)
    await steps.run('phone-disclosure', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.locator('[data-test=m-tab-bills]').click()
      await phone.locator('[data-test=m-disclosure-link]').click()
      await phone.waitForURL('**/m/disclosure')
      const card = phone.locator('[data-test=m-disclosure]')
      await card.waitFor()
      // The guardian's children may be in two schools: pick the demo school's current month.
      const tabs = phone.locator('.van-tab')
      for (let i = 0; i < await tabs.count(); i += 1) {
        const text = await card.innerText()
        if (text.includes('实验学校') && text.includes(month)) break
        await tabs.nth(i + 1).click()
        await phone.waitForTimeout(300)
      }
      const text = await card.innerText()
      check(text.includes('实验学校') && text.includes(month), `the school's month: ${text.slice(0, 120)}`)
      const read = async (k) => (await phone.locator(`[data-test=m-disclosure-${k}] .van-cell__value`).innerText()).trim()
      for (const k of ['income', 'expense', 'surplus'])
        check((await read(k)) === figures[k], `${k}: phone ${await read(k)}, console ${figures[k]}`)
      await settle(phone)
    })
  } finally {
    await phoneCtx.close()
  }
}
