// (v) Manual placement and removal, and the staff's view of a waiting list (issue 11): on the
// sections page the office opens a section's roster, places a child by name, sees them listed,
// removes them again (with a confirmation), and sees the waiting-list tab.
//
// Setup through the API: a fresh enrolled child of the demo guardian in the class teacher's class
// and a new course with one section for the child's grade.
import { Steps, check } from './lib.mjs'
import { accounts, asStaff, confirmBox, enrolledChildAndSection } from './flows.mjs'

export async function placementScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'v')
  const { officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const request = await playwright.request.newContext({ baseURL: base })
  let setup = {}
  let office = null
  try {
    await steps.run('setup-api', null, async () => {
      setup = await enrolledChildAndSection({
        request, password, runId, surname: '安置', prefix: 'V', region: '520115',
        course: { name: `安排${runId}`, category: 'arts', weekday: 2, description: '手动安排测试' },
      })
      office = setup.office
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      const openRoster = async () => {
        await page.goto(`${base}/select/sections`)
        await page.locator('.toolbar input').first().fill(`安排${runId}`)
        const row = page.locator('.el-table__row', { hasText: `安排${runId}-1班` })
        await row.locator('[data-test=section-roster]').click()
        await page.locator('[data-test=section-roster-table]').waitFor()
      }
      await steps.run('place-by-name', page, async () => {
        await openRoster()
        const pick = page.locator('[data-test=section-place-pick]').locator('xpath=ancestor-or-self::div[contains(@class,"el-select")][1]')
        await pick.click()
        await pick.locator('input').fill(setup.child.student_no)
        await page.locator('.el-select-dropdown__item:visible', { hasText: setup.child.student_no }).click()
        await page.locator('[data-test=section-place]').click()
        await page.locator('[data-test=section-roster-table] .el-table__row', { hasText: setup.child.name }).waitFor()
        const roster = await office('GET', `/sections/${setup.section.id}/roster`)
        check(roster.body.items.some((i) => i.student_id === setup.child.id), 'the server has the child on the roster')
        check(roster.body.section.taken === 1, `taken ${roster.body.section.taken}`)
      })
      await steps.run('waitlist-tab', page, async () => {
        await page.locator('.el-tabs__item', { hasText: '候补' }).click()
        await page.locator('[data-test=section-waitlist-table]').getByText('暂无候补').waitFor()
        await page.locator('.el-tabs__item', { hasText: '名单' }).click()
      })
      await steps.run('remove', page, async () => {
        const row = page.locator('[data-test=section-roster-table] .el-table__row', { hasText: setup.child.name })
        await row.locator('[data-test=section-remove]').click()
        await confirmBox(page)
        await row.waitFor({ state: 'detached' })
        const roster = await office('GET', `/sections/${setup.section.id}/roster`)
        check(!roster.body.items.some((i) => i.student_id === setup.child.id), 'the server removed the child')
        check(roster.body.section.taken === 0, `taken ${roster.body.section.taken} after the removal`)
      })
    })
  } finally {
    await request.dispose()
  }
}
