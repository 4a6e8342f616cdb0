// (sc1) A round's rank rule from the console (issue 10 §2, session 14): the office edits an
// upcoming preference round on the 选课轮次 page, picks 按志愿线性计分 (the dialog explains each
// rule in one line), saves, and the round's row names the rule; the guardian's phone page states
// it before the family ranks. The round is made upcoming through the API (opens in an hour), so
// no other scenario sees it open.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff, openPhone, phoneLogin } from './flows.mjs'

export async function roundRuleScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'sc1')
  const { officeLogin, guardianMobile } = accounts()
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  const setup = { name: `计分规则${Date.now() % 1000000}` }
  try {
    await steps.run('setup-api', null, async () => {
      const office = await apiLogin(request, officeLogin, password)
      const now = Date.now()
      const r = await office('POST', '/rounds', {
        name: setup.name, mode: 'preference', grades: [1, 2, 3, 4, 5, 6], opens_at: now + 3600e3, closes_at: now + 3 * 86400e3,
        max_per_child: 1, max_ranks: 3,
      })
      check(r.status === 201, `create the round: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
      check(r.body.rank_rule?.name === 'equity', `the default rule: ${JSON.stringify(r.body.rank_rule)}`)
      setup.id = r.body.id
      setup.office = office
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('edit-rule', page, async () => {
        await page.goto(`${base}/select/rounds`)
        const row = page.locator('.el-table__row', { has: page.locator(`[data-test=round-name][data-round-id="${setup.id}"]`) }).first()
        await row.waitFor()
        check(await row.locator('[data-test=round-rule]').getAttribute('data-rule') === 'equity', 'the row names the default rule')
        await row.locator('[data-test=round-edit]').click()
        const dlg = page.locator('.el-dialog', { hasText: '编辑选课轮次' })
        await dlg.waitFor()
        const before = await dlg.locator('[data-test=round-rank-rule-text]').textContent()
        await dlg.locator('[data-test=round-rank-rule]').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: '按志愿线性计分' }).click()
        const after = await dlg.locator('[data-test=round-rank-rule-text]').textContent()
        check(after !== before && /[\u4e00-\u9fff]/.test(after), `the dialog explains the chosen rule: "${after}"`)
        check((await dlg.textContent()).includes('家长填报志愿前会在手机上看到'), 'the dialog says families see the rule')
        await dlg.getByRole('button', { name: '保存' }).click()
        await page.locator('.el-message--success').waitFor()
        await dlg.waitFor({ state: 'hidden' })
        const rule = row.locator('[data-test=round-rule]')
        await page.waitForFunction((id) => document.querySelector(`[data-round-id="${id}"]`)?.closest('tr')?.querySelector('[data-test=round-rule]')?.dataset.rule === 'linear', setup.id)
        check((await rule.textContent()).includes('按志愿线性计分'), `the row: "${await rule.textContent()}"`)
        const saved = await setup.office('GET', `/rounds/${setup.id}`)
        check(saved.body.rank_rule?.name === 'linear', `the round's rule is saved: ${JSON.stringify(saved.body.rank_rule)}`)
      })
    })
    await steps.run('guardian-sees-rule', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.goto(`${base}/m/rounds/${setup.id}`)
      const rule = phone.locator('[data-test=m-rank-rule]')
      await rule.waitFor()
      check(await rule.getAttribute('data-rule') === 'linear' && (await rule.textContent()).includes('按志愿线性计分'),
        `the guardian's page states the rule: "${await rule.textContent()}"`)
    })
  } finally {
    await phoneCtx.close()
    await request.dispose()
  }
}
