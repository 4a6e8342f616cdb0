// (mn2) Money, received basis (issue 14 §3, session 12): a callback held in suspense shows in the
// office's journal as 待查明收款 with its transaction id; the office's disclosure preview shows the
// receivable (应收未缴) beside the lines, equal to the ledger's 1122; the guardian reads the bill
// and the published disclosure on the phone, whose income lines add up to its total and whose
// receivable is shown apart from income. Setup through the API (its own exception), so it relies on
// no other scenario.
import { Steps, check } from './lib.mjs'
import { apiLogin } from './enroll.mjs'
import { accounts, asStaff, phoneLogin, settle } from './flows.mjs'

const yuan = (fen) => `${fen < 0 ? '-' : ''}¥${(Math.abs(fen) / 100).toFixed(2)}`
const fen = (text) => Math.round(Number(text.replace(/[¥,\s]/g, '')) * 100)

export async function money12Scenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'mn2-')
  const { officeLogin, guardianMobile } = accounts()
  const month = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 7)
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const office = await apiLogin(request, 'office', password)
      const me = await office('GET', '/auth/me')
      const school = me.body?.school_id ?? me.body?.user?.school_id
      const unpaid = (await office('GET', '/fees/bills?status=unpaid&page_size=200')).body.items.filter((b) => b.outstanding_fen > 100)
      check(unpaid.length >= 3, 'unpaid bills')
      const bill = unpaid[Math.floor(unpaid.length / 3)]
      const n = (await office('POST', '/fees/test-provider/notifications', { bill_id: bill.id, amount_fen: bill.outstanding_fen + 3 })).body
      const r = await request.post(`/api/v1/fees/callback/wechatpay/${school}`, { headers: { ...n.headers, 'Content-Type': 'application/json' }, data: n.body })
      check((await r.json()).outcome === 'exception', 'an amount that differs is an exception')
      setup.txn = n.transaction_id
      const acc = (await office('GET', '/ledger/accounts')).body.items.find((a) => a.code === '1122')
      setup.receivable = acc.debit_fen - acc.credit_fen
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-journal-suspense', page, async () => {
        await page.goto(`${base}/ledger`)
        await page.locator('h2', { hasText: '账务与公示' }).waitFor()
        const search = page.getByPlaceholder('单据号或摘要')
        await search.fill(setup.txn)
        await search.press('Enter')
        const row = page.locator('[data-test=ledger-journal-table] .el-table__row', { hasText: '待查明收款' })
        await row.first().waitFor()
        const text = await row.first().innerText()
        check(text.includes(setup.txn), `the entry names the callback's transaction: ${text}`)
        check((await page.locator('[data-test=ledger-balance]').innerText()).includes('借贷平衡'), 'balanced')
      })
      await steps.run('office-disclosure-receivable', page, async () => {
        await page.locator('.el-tabs__item', { hasText: '收支公示' }).click()
        const rec = page.locator('[data-test=ledger-preview] [data-test=disclosure-receivable]')
        await rec.waitFor()
        const text = await rec.innerText()
        check(text.includes('应收未缴') && text.includes(yuan(setup.receivable)), `the receivable is the ledger's 1122 ${yuan(setup.receivable)}: ${text}`)
      })
    })
    const phoneCtx = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true })
    try {
      const phone = await phoneCtx.newPage()
      phone.setDefaultTimeout(20000)
      await steps.run('guardian-bills', phone, async () => {
        await phoneLogin(phone, base, guardianMobile, password)
        await phone.locator('[data-test=m-tab-bills]').click()
        await phone.locator('[data-test=m-bill]').first().waitFor()
        await settle(phone)
      })
      await steps.run('guardian-disclosure', phone, async () => {
        await phone.locator('[data-test=m-disclosure-link]').click()
        await phone.waitForURL('**/m/disclosure')
        const card = phone.locator('[data-test=m-disclosure]')
        await card.waitFor()
        const text = await card.innerText()
        check(text.includes(month) || /\d{4}-\d{2}/.test(text), `a published month: ${text.slice(0, 80)}`)
        // The income lines add up to the income total, and the surplus is income - expense, to the fen.
        const incomeCells = card.locator('.van-cell-group').nth(0).locator('.van-cell .van-cell__value')
        const values = await incomeCells.allInnerTexts()
        const total = fen(values[values.length - 1])
        const sum = values.slice(0, -1).reduce((s, v) => s + fen(v), 0)
        check(sum === total, `income lines ${sum} add up to the total ${total}`)
        const read = async (k) => fen(await phone.locator(`[data-test=m-disclosure-${k}] .van-cell__value`).innerText())
        check((await read('income')) - (await read('expense')) === (await read('surplus')), 'surplus = income - expense')
        const rec = phone.locator('[data-test=m-disclosure-receivable]')
        check((await rec.count()) === 1 && (await rec.innerText()).includes('不计入收入'), 'the receivable is shown apart from income')
        await settle(phone)
      })
    } finally {
      await phoneCtx.close()
    }
  } finally {
    await request.dispose()
  }
}
