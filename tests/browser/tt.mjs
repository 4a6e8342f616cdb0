// Browser scenario of the timetable's basic-service groups (issue 12 §3/§4, session 11).
// (tt1) The office opens 课表: the basic-service groups ("1" of 1+X) show on the grid apart from the
// extension sections (a dashed green card marked 基础托管, not draggable) with their supervising
// teacher; each section card names its AB backup (or says it has none); the class view of a
// group's class holds the group too. Read only: the demo timetable is left as it was.
import { Steps, check, currentTermId } from './lib.mjs'
import { apiLogin } from './enroll.mjs'
import { accounts, asStaff } from './flows.mjs'

export async function ttGroupsScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'tt1')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  try {
    const office = await apiLogin(request, officeLogin, password)
    const term = await currentTermId(office)
    const grid = (await office('GET', `/timetable/terms/${term}`)).body
    const basic = grid.items.filter((x) => x.kind === 'basic')
    check(basic.length > 0, 'the demo term has basic-service groups')
    const g = basic.find((x) => x.class_id) || basic[0]
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('grid-groups', page, async () => {
        await page.goto(`${base}/select/timetable`)
        await page.locator('[data-test=tt-basic]').first().waitFor()
        const n = await page.locator('[data-test=tt-basic]').count()
        check(n === basic.length, `every group on the school view: ${n} of ${basic.length}`)
        const card = page.locator(`[data-test=tt-basic][data-group-id="${g.group_id}"]`)
        const text = await card.textContent()
        check(text.includes('基础托管') && text.includes('看管') && text.includes(g.teacher), `the group card names its supervisor: ${text}`)
        check(await card.getAttribute('draggable') === 'false', 'a group card is not draggable')
        const sec = await page.locator('[data-test=tt-card] [data-test=tt-backup]').first().textContent()
        check(/AB岗：|无 AB 岗/.test(sec), `a section card names its AB backup: ${sec}`)
        await page.locator('[data-test=tt-legend]').waitFor()
      })
      if (g.class_id) {
        await steps.run('class-view', page, async () => {
          await page.locator('[data-test=tt-view]').getByText('班级').click()
          await page.locator('[data-test=tt-view-id]').click()
          await page.locator('.el-select-dropdown__item:visible', { hasText: g.class_name }).first().click()
          await page.locator(`[data-test=tt-basic][data-group-id="${g.group_id}"]`).waitFor()
        })
      }
    })
  } finally {
    await request.dispose()
  }
}
