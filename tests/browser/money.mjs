// (mn1) Money desk (issue 14 §2-3, session 11): a callback whose amount differs lands in the
// exceptions queue with its money held in suspense (待查明款项); the office opens 收费管理 → 异常收款,
// resolves it by refunding the payer, and sees it under 已处理; then 退费发放: an approved refund
// waits, the office makes a batch (the bank file), and marks it paid with the bank's reference.
// Setup through the API (its own exception and refund), so it relies on no other scenario.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'

export async function moneyScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'mn1')
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const office = await apiLogin(request, 'office', password)
      const principal = await apiLogin(request, 'principal', password)
      const me = await office('GET', '/auth/me')
      const school = me.body?.school_id ?? me.body?.user?.school_id
      const unpaid = (await office('GET', '/fees/bills?status=unpaid&page_size=200')).body.items.filter((b) => b.outstanding_fen > 100)
      check(unpaid.length >= 2, 'two unpaid bills')
      const deliver = async (bill, amount) => {
        const n = (await office('POST', '/fees/test-provider/notifications', { bill_id: bill, amount_fen: amount })).body
        const r = await request.post(`/api/v1/fees/callback/wechatpay/${school}`, { headers: { ...n.headers, 'Content-Type': 'application/json' }, data: n.body })
        return { n, outcome: (await r.json()).outcome }
      }
      const wrong = unpaid[unpaid.length - 1], paid = unpaid[unpaid.length - 2]
      const ex = await deliver(wrong.id, wrong.outstanding_fen - 7)
      check(ex.outcome === 'exception', `an amount that differs is an exception: ${ex.outcome}`)
      setup.txn = ex.n.transaction_id
      check((await deliver(paid.id, paid.outstanding_fen)).outcome === 'paid', 'a bill paid for the refund')
      const rq = await office('POST', `/fees/bills/${paid.id}/refunds`, { kind: 'full', reason: '缴费后未参加课后服务' })
      check(rq.status === 201, `refund requested: ${rq.status}`)
      const ok = await principal('POST', `/fees/refunds/${rq.body.refunds[0].id}/approve`)
      check(ok.status === 200, `refund approved: ${ok.status}`)
    })
    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
    try {
      const page = await desk.newPage()
      page.setDefaultTimeout(20000)
      await steps.run('exceptions-suspense', page, async () => {
        await consoleLogin(page, base, 'office', password)
        await page.goto(`${base}/fees`)
        await page.locator('.el-tabs__item', { hasText: '异常收款' }).click()
        const row = page.locator('[data-test=fees-exceptions-table] .el-table__row', { hasText: setup.txn })
        await row.waitFor()
        check((await row.innerText()).includes('待查明'), `the money is held in suspense: ${await row.innerText()}`)
        check((await page.locator('[data-test=mn-suspense-total]').innerText()).includes('待查明款项余额'), 'the suspense balance is shown')
      })
      await steps.run('exceptions-resolve-refund', page, async () => {
        const row = page.locator('[data-test=fees-exceptions-table] .el-table__row', { hasText: setup.txn })
        await row.locator('[data-test=fees-exception-resolve]').click()
        const dlg = page.locator('[data-test=mn-resolve-dialog]')
        await dlg.locator('.el-radio', { hasText: '退回付款人' }).click()
        await dlg.locator('textarea').fill('金额与账单不符，已原路退回付款人')
        await dlg.locator('[data-test=mn-resolve-submit]').click()
        await page.locator('.el-message--success').first().waitFor()
        await row.waitFor({ state: 'detached' })
        await page.locator('[data-test=mn-exc-state] .el-radio-button', { hasText: '已处理' }).click()
        const done = page.locator('[data-test=fees-exceptions-table] .el-table__row', { hasText: setup.txn })
        await done.waitFor()
        check((await done.innerText()).includes('退回付款人'), `resolved by a refund to the payer: ${await done.innerText()}`)
      })
      await steps.run('payouts-batch', page, async () => {
        await page.locator('.el-tabs__item', { hasText: '退费发放' }).click()
        const waiting = page.locator('[data-test=mn-payout-waiting]')
        await waiting.waitFor()  // shown once the server answered
        check(!(await waiting.innerText()).includes('待发放退费 0 笔'), `an approved refund waits: ${await waiting.innerText()}`)
        await page.locator('[data-test=mn-payout-create]').click()
        await page.locator('.el-message--success', { hasText: '已生成批次' }).waitFor()
        const row = page.locator('[data-test=mn-payout-table] .el-table__row', { hasText: '已导出待发放' }).first()
        await row.waitFor()
        const dl = page.waitForEvent('download')
        await row.locator('[data-test=mn-payout-file]').click()
        check((await dl).suggestedFilename().endsWith('.xlsx'), 'the bank file is an XLSX')
        setup.batch = (await row.locator('td').first().innerText()).trim()
      })
      await steps.run('payouts-paid', page, async () => {
        const row = page.locator('[data-test=mn-payout-table] .el-table__row', { hasText: setup.batch })
        await row.locator('[data-test=mn-payout-paid]').click()
        await page.locator('.el-message-box input').fill('HD-BROWSER-1')
        await page.locator('.el-message-box__btns .el-button--primary').click()
        await page.locator('.el-message--success', { hasText: '已标记发放' }).waitFor()
        // The button's own label (标记已发放) contains 已发放: wait for the reloaded row, which shows
        // the bank's reference and no longer offers the button.
        await row.locator('text=HD-BROWSER-1').waitFor()
        check(await row.locator('[data-test=mn-payout-paid]').count() === 0, 'a paid batch cannot be marked again')
        check((await row.innerText()).includes('已发放'), `the batch reads paid: ${await row.innerText()}`)
      })
    } finally {
      await desk.close()
    }
  } finally {
    await request.dispose()
  }
}
