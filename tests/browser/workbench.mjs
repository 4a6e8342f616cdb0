// (y) Workbench (issue 11): each role's home is what waits for them. The principal's home counts
// the applications waiting for the principal as the API does and opens the review page from the
// card; the class teacher's counts only their class; the county's lists every school of the area
// with its enrolment rate.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff } from './flows.mjs'

async function todoCount(page, key) {
  const card = page.locator(`[data-todo=${key}]`)
  await card.waitFor()
  return Number((await card.locator('.todo-count').innerText()).trim())
}

export async function workbenchScenario({ browser, playwright, base, out, password, principalLogin }) {
  const steps = new Steps(out, 'y')
  const { teacherLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const expected = {}
  try {
    await steps.run('api-figures', null, async () => {
      for (const [who, login] of [['principal', principalLogin], ['teacher', teacherLogin], ['county', 'county']]) {
        const call = await apiLogin(request, login, password)
        const r = await call('GET', '/workbench')
        check(r.status === 200, `${who} workbench: ${r.status}`)
        expected[who] = r.body
      }
      check(expected.principal.view === 'school' && expected.county.view === 'area', 'school and area views')
      check(expected.teacher.scope === 'own_classes', 'the class teacher counts their own classes')
    })
    const wantApprove = expected.principal.todo.find((x) => x.key === 'applications_to_approve').count
    await asStaff(browser, base, principalLogin, password, async (page) => {
      await steps.run('principal-home', page, async () => {
        await page.goto(`${base}/`)
        const n = await todoCount(page, 'applications_to_approve')
        check(n === wantApprove, `card shows ${n}, the API ${wantApprove}`)
        check(wantApprove > 0, 'the demo school has applications waiting for the principal')
        const rate = (await page.locator('.page', { hasText: '本学期报名' }).innerText()).replace(/,/g, '')
        check(rate.includes('报名率') && rate.includes(String(expected.principal.enrolment.approved)), `enrolment figures: ${rate}`)
        await page.locator('.page', { hasText: '进行中的选课' }).locator('.el-table__row').first().waitFor()
      })
      await steps.run('principal-opens-review', page, async () => {
        await page.locator('[data-todo=applications_to_approve]').click()
        await page.waitForURL('**/enroll/review')
      })
    })
    await asStaff(browser, base, teacherLogin, password, async (page) => {
      await steps.run('class-teacher-home', page, async () => {
        await page.goto(`${base}/`)
        const n = await todoCount(page, 'applications_to_review')
        const want = expected.teacher.todo.find((x) => x.key === 'applications_to_review').count
        check(n === want, `class teacher card ${n}, API ${want}`)
        check(want < expected.principal.enrolment.submitted, 'only the class, not the school')
        check(await page.locator('[data-todo=applications_to_approve]').count() === 0, 'no principal card for a class teacher')
        await page.locator('text=本班待审核的报名申请').waitFor()
      })
    })
    await asStaff(browser, base, 'county', password, async (page) => {
      await steps.run('county-home', page, async () => {
        await page.goto(`${base}/`)
        const table = page.locator('.area-schools')
        await table.locator('.el-table__row').first().waitFor()
        const rows = await table.locator('.el-table__row').count()
        check(rows === expected.county.schools.length && rows > 1, `${rows} schools listed`)
        const first = await table.locator('.el-table__row').first().innerText()
        check(first.includes(expected.county.schools[0].name), `first row: ${first}`)
        check(first.includes(`${expected.county.schools[0].rate_permille / 10}%`), `rate shown: ${first}`)
      })
    })
  } finally {
    await request.dispose()
  }
}
