// (m) Fees (issue 14): the guardian opens 缴费 on the phone, sees the child's bill (items, what is
// due) and pays through the school's local test provider (a signed and encrypted WeChat Pay v3
// notification the server verifies); the bill shows 已缴清, and the office finds it paid, with the
// WeChat Pay transaction, on the console's 收费管理 page.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff, phoneLogin, settle } from './flows.mjs'

export async function feesScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'm')
  const { officeLogin, guardianMobile } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const office = await apiLogin(request, officeLogin, password)
      // Children enrolled by earlier scenarios get their bills too (issuing is idempotent).
      const issued = await office('POST', '/fees/bills/issue', { term_id: (await office('GET', '/fees/standards')).body.term.id })
      check(issued.status === 200, `issue bills: ${issued.status} ${JSON.stringify(issued.body).slice(0, 200)}`)
    })
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    try {
      const phone = await phoneCtx.newPage()
      phone.setDefaultTimeout(20000)
      await steps.run('phone-bills', phone, async () => {
        await phoneLogin(phone, base, guardianMobile, password)
        await phone.locator('[data-test=m-tab-bills]').click()
        await phone.waitForURL('**/m/bills')
        await phone.locator('[data-test=m-bill]').first().waitFor()
        const payable = phone.locator('[data-test=m-bill]', { has: phone.locator('[data-test=m-bill-pay]:not([disabled])') })
        check(await payable.count() > 0, 'the guardian has a bill to pay')
        setup.bill = await payable.first().getAttribute('data-bill-id')
        const text = await payable.first().innerText()
        check(text.includes('基本服务费') && text.includes('应缴'), `the bill shows its items and what is due: ${text}`)
        setup.child = text.split('·')[0].trim()
      })
      await steps.run('phone-pay', phone, async () => {
        const card = phone.locator(`[data-test=m-bill][data-bill-id="${setup.bill}"]`)
        await card.locator('[data-test=m-bill-pay]').click()
        await card.locator('[data-test=m-bill-status]', { hasText: '已缴清' }).waitFor()
        check(await card.locator('[data-test=m-bill-pay]').count() === 0, 'no pay button on a paid bill')
        await settle(phone)
      })
    } finally {
      await phoneCtx.close()
    }
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('console-bill-paid', page, async () => {
        await page.goto(`${base}/fees`)
        await page.locator('h2', { hasText: '收费管理' }).waitFor()
        await page.locator('.el-tabs__item', { hasText: '账单' }).click()
        await page.locator('input[data-test=fees-bills-search], [data-test=fees-bills-search] input').first().fill(setup.child)
        await page.locator('input[data-test=fees-bills-search], [data-test=fees-bills-search] input').first().press('Enter')
        const row = page.locator('[data-test=fees-bills-table] .el-table__row', { hasText: setup.child })
        await row.first().waitFor()
        check((await row.first().innerText()).includes('已缴'), `the office sees the bill paid: ${await row.first().innerText()}`)
        await row.first().locator('[data-test=fees-bill-open]').click()
        const drawer = page.locator('[data-test=fees-bill-drawer]')
        await drawer.locator('text=微信支付').first().waitFor()
      })
    })
  } finally {
    await request.dispose()
  }
}
