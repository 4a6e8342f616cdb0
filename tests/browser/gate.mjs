// Browser scenario (k): the staff gate on the console (issue 12). The office opens 人员档案与准入,
// filters the blocked list and reads a teacher's reason; then, on the sections page, tries to give
// a section to that teacher (no background check on record) and the dialog names the missing
// record in Chinese; nothing is saved.
import { Steps, check } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { accounts, asStaff } from './flows.mjs'

export async function gateScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'k')
  const { officeLogin } = accounts()
  const runId = Date.now() % 1000000
  await asStaff(browser, base, officeLogin, password, async (page) => {
    const setup = {}
    await steps.run('blocked-list', page, async () => {
      await page.goto(`${base}/people/staff-records`)
      await page.getByText('只看不能安排的').click()
      const row = page.locator('.el-table__row', { hasText: '没有违法犯罪信息查询记录' }).first()
      await row.waitFor()
      setup.teacher = (await row.locator('td').first().textContent()).trim()
      check(setup.teacher.length > 0, 'a blocked teacher without a background check is listed with the reason')
    })
    await steps.run('section-refused', page, async () => {
      const made = await approvedCourse(null, password, { name: `准入检查${runId}`, category: 'arts', grades: [4], capacity: 45, slots: '2:after_school', institution: '少年宫' }, base)
      check(made.status === 201, `create course: ${made.status} ${JSON.stringify(made.body).slice(0, 200)}`)
      await page.goto(`${base}/select/sections?course_id=${made.body.id}`)
      await page.locator('[data-test=section-create]').click()
      const dlg = page.locator('.el-dialog', { hasText: '新建教学班' })
      await dlg.waitFor()
      await dlg.locator('input[data-test=section-name], [data-test=section-name] input').first().fill(`准入检查${runId}-A班`)
      await dlg.locator('[data-test=section-teacher]').click()
      await page.keyboard.type(setup.teacher)
      await page.locator('.el-select-dropdown__item:visible', { hasText: setup.teacher }).first().click()
      await dlg.locator('[data-test=section-save]').click()
      await dlg.getByText('没有违法犯罪信息查询记录').first().waitFor()
      check(await dlg.isVisible(), 'the dialog stays open with the reason')
      const api = await page.evaluate(async (cid) => (await (await fetch(`/api/v1/sections?course_id=${cid}`, { credentials: 'same-origin' })).json()), made.body.id)
      check((api.items || []).length === 0, `nothing was saved: ${JSON.stringify(api.items)}`)
    })
  })
}
