// (t) Exits (准出, issue 11): the office records an exit for a child on the console's exits page;
// the list shows child, class, effective date, reason and status, and from the effective date
// (today, the page's default) the child's seat is released (section taken drops) and the
// section roster no longer lists the child.
//
// Setup through the API: a fresh child of the demo guardian in the class teacher's class,
// enrolled (application approved), and placed in a new section of a new course.
import { Steps, check } from './lib.mjs'
import { accounts, asStaff, enrolledChildAndSection } from './flows.mjs'

export async function exitsScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 't')
  const { officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const request = await playwright.request.newContext({ baseURL: base })
  let setup = {}
  let office = null
  try {
    await steps.run('setup-api', null, async () => {
      setup = await enrolledChildAndSection({
        request, password, runId, surname: '周退', prefix: 'T', region: '520114',
        course: { name: `退出${runId}`, category: 'sports', weekday: 3, description: '准出释放名额测试' },
      })
      office = setup.office
      const section = { body: setup.section }
      const placed = await office('POST', `/sections/${section.body.id}/place`, { student_id: setup.child.id })
      check(placed.status === 200, `place: ${placed.status} ${JSON.stringify(placed.body).slice(0, 200)}`)
      const roster = await office('GET', `/sections/${section.body.id}/roster`)
      check(roster.status === 200 && roster.body.items.some((i) => i.student_id === setup.child.id), 'the child is on the roster')
      check(roster.body.section.taken === 1, `taken ${roster.body.section.taken} before the exit`)
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('exits-page', page, async () => {
        await page.goto(`${base}/enroll/exits`)
        await page.locator('h2', { hasText: '退出（准出）' }).waitFor()
        await page.locator('[data-test=exits-table]').waitFor()
      })
      await steps.run('record-exit', page, async () => {
        await page.locator('[data-test=exit-create]').click()
        const dlg = page.locator('.el-dialog', { hasText: '办理退出' })
        await dlg.waitFor()
        const pick = dlg.locator('.el-form-item', { hasText: '学生' }).locator('.el-select')
        await pick.click()
        await pick.locator('input').fill(setup.child.name)
        await page.locator('.el-select-dropdown__item:visible', { hasText: setup.child.student_no }).click()
        await dlg.locator('.el-form-item', { hasText: '退出原因' }).locator('textarea').fill(`转学（测试 ${runId}）`)
        await dlg.locator('[data-test=exit-save]').click()
        await dlg.waitFor({ state: 'hidden' })
        const row = page.locator('[data-test=exits-table] .el-table__row', { hasText: setup.child.name })
        await row.waitFor()
        const text = await row.innerText()
        check(text.includes(setup.child.student_no), `row shows the student number: ${text}`)
        check(text.includes(`转学（测试 ${runId}）`), `row shows the reason: ${text}`)
        // The default effective date is the school's today (Beijing time), whatever the browser's zone.
        const schoolToday = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10)  // UTC+8, no DST
        check(text.includes(schoolToday), `row shows the effective date ${schoolToday}: ${text}`)
        check(text.includes('已生效'), `row shows the exit in effect: ${text}`)
      })
    })

    await steps.run('seat-released', null, async () => {
      const exits = await office('GET', '/exits')
      const mine = (exits.body.items || []).find((e) => e.application_id === setup.app.id)
      check(exits.status === 200 && mine, `GET /exits lists the exit (${exits.status})`)
      const roster = await office('GET', `/sections/${setup.section.id}/roster`)
      check(roster.status === 200, `roster ${roster.status}`)
      check(!roster.body.items.some((i) => i.student_id === setup.child.id), 'the exited child is off the roster')
      check(roster.body.section.taken === 0, `taken ${roster.body.section.taken} after the exit (seat not released)`)
    })
  } finally {
    await request.dispose()
  }
}
