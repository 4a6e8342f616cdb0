// (r) Printable section roster: the office opens a section's roster on the sections page and
// downloads 打印名单 (PDF); the file is a PDF named "<section> 名单.pdf". The downloaded file is
// kept as roster-sample.pdf in the --out directory.
//
// Setup through the API as the office: a course with one section, and two children of the
// class teacher's class placed in it (they are removed again at the end).
import { readFileSync, copyFileSync } from 'node:fs'
import path from 'node:path'
import { Steps, check } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { accounts, apiLogin, asStaff } from './flows.mjs'

export async function rosterScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'r')
  const { teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const request = await playwright.request.newContext({ baseURL: base })
  let office = null
  const setup = { placed: [] }
  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      const st = await teacher('GET', '/students?page_size=2')
      check(st.status === 200 && st.body.items.length === 2, `the class teacher sees ${st.body.items?.length} students`)
      const course = await approvedCourse(request, password, {
        name: `名单${runId}`, category: 'science', grades: [st.body.items[0].grade_number], capacity: 30,
        slots: [{ weekday: 5, band: 'after_school' }], description: '打印名单测试', institution: '青山县少年宫',
      })
      check(course.status === 201, `create course: ${course.status} ${JSON.stringify(course.body).slice(0, 200)}`)
      const section = await office('POST', `/courses/${course.body.id}/sections`, { name: `名单${runId}-1班`, capacity: 30 })
      check(section.status === 201, `create section: ${section.status} ${JSON.stringify(section.body).slice(0, 200)}`)
      setup.section = section.body
      for (const s of st.body.items) {
        const r = await office('POST', `/sections/${section.body.id}/place`, { student_id: s.id })
        check(r.status === 200, `place ${s.id}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
        setup.placed.push(s)
      }
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('roster-drawer', page, async () => {
        await page.goto(`${base}/select/sections`)
        const row = page.locator('[data-test=sections-table] .el-table__row', { hasText: setup.section.name })
        await row.locator('[data-test=section-roster]').click()
        const table = page.locator('[data-test=section-roster-table]')
        for (const s of setup.placed) await table.locator('.el-table__row', { hasText: s.name }).waitFor()
        await page.locator('[data-test=section-roster-pdf]').waitFor()
        await page.waitForTimeout(500) // the drawer's slide-in, for the screenshot
      })
      await steps.run('download-pdf', page, async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('[data-test=section-roster-pdf]').click(),
        ])
        check(download.suggestedFilename() === `${setup.section.name} 名单.pdf`, `file name "${download.suggestedFilename()}"`)
        const file = await download.path()
        const bytes = readFileSync(file)
        check(bytes.subarray(0, 5).toString() === '%PDF-' && bytes.length > 5000, `not a PDF (${bytes.length} bytes)`)
        copyFileSync(file, path.join(out, 'roster-sample.pdf'))
      })
    })
  } finally {
    if (office && setup.section)
      for (const s of setup.placed) await office('POST', `/sections/${setup.section.id}/remove`, { student_id: s.id }).catch(() => {})
    await request.dispose()
  }
}
