// (o) Second round (补选, issue 11): on the rounds page the office opens a second round from the
// demo's allocated preference round; the dialog names the previous round and fills its grades; the
// new round is saved with previous_round_id and offers only the previous round's sections that
// still have seats (the setup frees one; a second round with no seat left is refused).
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff } from './flows.mjs'

export async function secondRoundScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'o')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      setup.office = await apiLogin(request, officeLogin, password)
      const rounds = await setup.office('GET', '/rounds')
      setup.first = rounds.body.items.find((r) => r.mode === 'preference' && r.allocated_at)
      check(setup.first, 'the demo has an allocated preference round')
      // The demo's first round filled every seat: free one, so the second round has a seat to offer.
      const detail = await setup.office('GET', `/rounds/${setup.first.id}`)
      setup.freed = detail.body.sections.find((x) => x.taken > 0)
      const roster = await setup.office('GET', `/sections/${setup.freed.id}/roster`)
      const child = roster.body.items[0]
      const removed = await setup.office('POST', `/sections/${setup.freed.id}/remove`, { student_id: child.student_id })
      check(removed.status === 200, `remove: ${removed.status}`)
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('open-second', page, async () => {
        await page.goto(`${base}/select/rounds`)
        const row = page.locator('.el-table__row', { hasText: setup.first.name }).filter({ hasNotText: '补选' }).first()
        await row.locator('[data-test=round-second]').click()
        const dlg = page.locator('.el-dialog', { hasText: '新建选课轮次' })
        await dlg.locator('[data-test=round-previous]', { hasText: setup.first.name }).waitFor()
        const name = await dlg.locator('.el-form-item', { hasText: '名称' }).locator('input').inputValue()
        check(name.includes('补选'), `the name says second round: ${name}`)
        for (const g of setup.first.grades) {
          const box = dlg.locator('.el-checkbox', { hasText: String(g) }).first()
          check((await box.getAttribute('class')).includes('is-checked'), `grade ${g} is checked`)
        }
      })
      await steps.run('save-second', page, async () => {
        const dlg = page.locator('.el-dialog', { hasText: '新建选课轮次' })
        await dlg.getByRole('button', { name: '保存' }).click()
        await dlg.waitFor({ state: 'hidden' })
        const rounds = await setup.office('GET', '/rounds')
        const second = rounds.body.items.filter((r) => r.previous_round_id === setup.first.id).sort((a, b) => b.id - a.id)[0]
        check(second, 'a round with previous_round_id was saved')
        const detail = await setup.office('GET', `/rounds/${second.id}`)
        const prev = await setup.office('GET', `/rounds/${setup.first.id}`)
        const prevIds = new Set((prev.body.sections || []).map((x) => x.id))
        const ids = (detail.body.sections || []).map((x) => x.id)
        check(ids.length > 0 && ids.every((id) => prevIds.has(id)), `only the previous round's sections: ${ids}`)
        check(ids.includes(setup.freed.id), `the section with the freed seat is offered: ${ids}`)
        check((detail.body.sections || []).every((x) => x.remaining > 0), 'only sections with seats left')
      })
    })
  } finally {
    await request.dispose()
  }
}
