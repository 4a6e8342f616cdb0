// (n) The new-round dialog on 选课轮次: its window shows this year's dates (an hour from now to
// three days on) and its calendar opens at this year, not at 1799-1801 (the value was a string
// of milliseconds that the picker read as a year).
import { Steps, check } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { accounts, apiLogin, asStaff, enrolChild, freshChild, openPhone, phoneLogin } from './flows.mjs'

export async function newRoundDialogScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'n')
  const { officeLogin } = accounts()
  await asStaff(browser, base, officeLogin, password, async (page) => {
    const year = new Date().getFullYear()
    const dlg = page.locator('.el-dialog', { hasText: '新建选课轮次' })
    await steps.run('dialog-window-year', page, async () => {
      await page.goto(`${base}/select/rounds`)
      await page.locator('[data-test=rounds-table]').waitFor()
      await page.locator('[data-test=round-create]').click()
      await dlg.waitFor()
      const inputs = dlg.locator('.el-form-item', { hasText: '开放时间' }).locator('input')
      const values = await inputs.evaluateAll((els) => els.map((e) => e.value))
      check(values.length === 2, `the window has ${values.length} inputs`)
      for (const v of values) {
        const y = Number((v.match(/^(\d{4})-/) || [])[1])
        check(y === year || y === year + 1, `the window shows "${v}", not a date of ${year}`)
      }
      const from = new Date(values[0].replace(' ', 'T'))
      const hours = (from.getTime() - Date.now()) / 3600e3
      check(hours > 0.5 && hours < 1.5, `the window opens at ${values[0]}, not about an hour from now`)
    })
    await steps.run('calendar-year', page, async () => {
      await dlg.locator('.el-form-item', { hasText: '开放时间' }).locator('.el-range-editor').click()
      const header = page.locator('.el-date-range-picker:visible .el-date-range-picker__header div').first()
      await header.waitFor()
      const text = (await header.textContent()).trim()
      const y = Number((text.match(/(\d{4})/) || [])[1])
      check(y === year || y === year + 1, `the calendar opens at "${text}", not at ${year}`)
    })
  })
}

// (x) A guardian's result names the real reason a choice was not given: two sections of one
// course at the same time, both with room; the child gets choice 1 and choice 2 clashes. The
// phone shows "未录取 · 时间冲突" and does not put the cut-off "未满额，全部录取" beside it as if
// it explained the refusal. Setup through the API (a fresh enrolled child of the demo guardian).
export async function clashReasonScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'x')
  const { guardianMobile, teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      Object.assign(setup, await freshChild({ office, teacher, guardianMobile, runId, surname: '钱冲', prefix: 'X', region: '520113' }))
      await enrolChild({ request, password, child: setup.child, office, teacher })
      const course = await approvedCourse(request, password, {
        name: `冲突说明${runId}`, category: 'arts', grades: [setup.klass.grade], capacity: 20, venue_kind: 'classroom',
        sessions_per_week: 1, slots: [{ weekday: 3, band: 'after_school' }], fee_fen: 0, institution: '青山青少年艺术培训中心',
        description: '同一时间的两个班', status: 'approved',
      })
      check(course.status === 201 || course.status === 200, `create course: ${course.status} ${JSON.stringify(course.body).slice(0, 200)}`)
      setup.sections = []
      for (const name of [`冲突说明${runId}-1班`, `冲突说明${runId}-2班`]) {
        const s = await office('POST', `/courses/${course.body.id}/sections`, { name, capacity: 5, formation: 'mixed' })
        check(s.status === 201 || s.status === 200, `create section: ${s.status} ${JSON.stringify(s.body).slice(0, 200)}`)
        setup.sections.push(s.body)
      }
      const now = Date.now()
      const round = await office('POST', '/rounds', {
        name: `冲突说明-${runId}`, mode: 'preference', grades: [setup.klass.grade], section_ids: setup.sections.map((s) => s.id),
        opens_at: now - 60000, closes_at: now + 600000, max_per_child: 2, max_ranks: 2,
      })
      check(round.status === 201, `create round: ${round.status} ${JSON.stringify(round.body).slice(0, 200)}`)
      setup.roundId = round.body.id
      const guardian = await apiLogin(request, guardianMobile, password)
      const ranked = await guardian('PUT', `/rounds/${setup.roundId}/preferences`, { student_id: setup.child.id, section_ids: setup.sections.map((s) => s.id) })
      check(ranked.status === 200, `rank: ${ranked.status} ${JSON.stringify(ranked.body).slice(0, 200)}`)
      const closed = await office('PUT', `/rounds/${setup.roundId}`, { closes_at: Date.now() - 1000 })
      check(closed.status === 200, `close: ${closed.status}`)
      const alloc = await office('POST', `/rounds/${setup.roundId}/allocate`)
      check(alloc.status === 200, `allocate: ${alloc.status} ${JSON.stringify(alloc.body).slice(0, 200)}`)
    })

    await steps.run('guardian-sees-the-clash', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.goto(`${base}/m/rounds/${setup.roundId}`)
      const tab = phone.locator('.van-tab', { hasText: setup.child.name })
      if (await tab.count()) await tab.first().click()
      await phone.locator(`[data-test=m-round-child][data-child-id="${setup.child.id}"]`).waitFor()
      const results = phone.locator('[data-test=m-result]')
      await results.first().waitFor()
      check(await results.count() === 2, `${await results.count()} results shown, expected 2`)
      check(await results.nth(0).getAttribute('data-placed') === 'true', 'choice 1 is not placed')
      const two = results.nth(1)
      check(await two.getAttribute('data-placed') === 'false', 'choice 2 is placed as well')
      const tag = (await two.locator('[data-test=m-result-tag]').textContent()).trim()
      check(tag.includes('未录取') && tag.includes('时间冲突'), `choice 2's tag is "${tag}"`)
      const cutoff = (await two.locator('[data-test=m-result-cutoff]').textContent()).trim()
      check(!cutoff.includes('全部录取'), `choice 2's cut-off says "${cutoff}" beside 未录取`)
      check(cutoff.includes('时间冲突'), `choice 2's cut-off line does not name the reason: "${cutoff}"`)
      await two.scrollIntoViewIfNeeded()
    })
  } finally {
    if (office && setup.child) {
      try { await office('PUT', `/students/${setup.child.id}`, { active: false }) } catch { /* best effort */ }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}

// (q) The demo's selection as a new user finds it: 选课轮次 lists the allocated preference round
// and the open first-come round; the preference round's report counts who took part, pages the
// children who took part and were not placed (20 a page), and exports them as XLSX.
export async function demoRoundsReportScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'q')
  const { officeLogin } = accounts()
  await asStaff(browser, base, officeLogin, password, async (page) => {
    const prefRow = page.locator('.el-table__row', { hasText: '志愿填报' }).filter({ hasText: '第一轮选课' }).first()
    await steps.run('rounds-list', page, async () => {
      await page.goto(`${base}/select/rounds`)
      await page.locator('[data-test=rounds-table]').waitFor()
      await prefRow.waitFor()
      const fcfs = page.locator('.el-table__row', { hasText: '第二轮选课' }).first()
      await fcfs.waitFor()
      const text = await fcfs.textContent()
      check(text.includes('先到先得') && text.includes('进行中'), `the first-come round's row reads "${text}"`)
    })
    await steps.run('report-paged', page, async () => {
      await prefRow.locator('[data-test=round-report]').click()
      await page.locator('[data-test=round-report-stats]').waitFor()
      const api = await page.evaluate(async () => {
        const rounds = await (await fetch('/api/v1/rounds', { credentials: 'same-origin' })).json()
        const r = rounds.items.find((x) => x.mode === 'preference' && x.allocated_at && x.name.startsWith('第一轮选课'))
        return (await fetch(`/api/v1/rounds/${r.id}/report?page_size=20`, { credentials: 'same-origin' })).json()
      })
      check(api.took_part > 0 && api.unplaced_total > 20 && api.unplaced_total < api.took_part,
        `report: took part ${api.took_part}, unplaced ${api.unplaced_total}`)
      check(api.unplaced_total + api.absent_total < api.eligible_children,
        `unplaced ${api.unplaced_total} + absent ${api.absent_total} should leave the placed out of ${api.eligible_children}`)
      const shown = (await page.locator('[data-test=round-report-unplaced]').textContent()).replace(/\s/g, '')
      check(shown.includes(String(api.unplaced_total)), `the drawer shows "${shown}" as unplaced, the API ${api.unplaced_total}`)
      const rows = page.locator('[data-test=round-report-unplaced-table] .el-table__body tr')
      check(await rows.count() === 20, `${await rows.count()} rows on page 1`)
      const first = await rows.first().textContent()
      await page.locator('[data-test=round-report-pager] .btn-next').click()
      await page.waitForFunction((f) => {
        const r = document.querySelector('[data-test=round-report-unplaced-table] .el-table__body tr')
        return r && r.textContent !== f
      }, first)
      const active = (await page.locator('[data-test=round-report-pager] .el-pager li.is-active').textContent()).trim()
      check(active === '2', `the pager is at page ${active}`)
    })
    await steps.run('report-export', page, async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.locator('[data-test=round-report-export]').click(),
      ])
      check(/未录取名单\.xlsx$/.test(download.suggestedFilename()), `file name ${download.suggestedFilename()}`)
      const file = `${out}/q-unplaced.xlsx`
      await download.saveAs(file)
      const { readFileSync } = await import('node:fs')
      const bytes = readFileSync(file)
      check(bytes.length > 2000 && bytes[0] === 0x50 && bytes[1] === 0x4b, `the download is not an XLSX (${bytes.length} bytes)`)
    })
  })
}

// (s) Sections from the course: the office follows a course's section count in the catalog to
// its sections, adds one with a teacher, a room and capacity 45 (46 cannot be entered: the
// field stops at the limit), then edits it to 30; the list shows the teacher, room and capacity.
export async function sectionEditorScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 's')
  const { officeLogin } = accounts()
  const runId = Date.now() % 1000000
  await asStaff(browser, base, officeLogin, password, async (page) => {
    const setup = {}
    await steps.run('from-catalog', page, async () => {
      const made = await approvedCourse(null, password, { name: `教学班编辑${runId}`, category: 'arts', grades: [4], capacity: 45, slots: '2:noon', institution: '少年宫' }, base)
      check(made.status === 201, `create course: ${made.status} ${JSON.stringify(made.body).slice(0, 200)}`)
      setup.course = made.body
      await page.goto(`${base}/select/catalog`)
      await page.locator('input[data-test=catalog-search], [data-test=catalog-search] input').first().fill(`教学班编辑${runId}`)
      await page.keyboard.press('Enter')
      const row = page.locator('.el-table__row', { has: page.locator(`[data-test=catalog-course][data-course-id="${setup.course.id}"]`) }).first()
      await row.locator('[data-test=catalog-sections]').click()
      await page.waitForURL(`**/select/sections?course_id=${setup.course.id}`)
      await page.locator('[data-test=section-course-filter]').waitFor()
    })
    await steps.run('create-section', page, async () => {
      await page.locator('[data-test=section-create]').click()
      const dlg = page.locator('.el-dialog', { hasText: '新建教学班' })
      await dlg.waitFor()
      const course = (await dlg.locator('[data-test=section-course]').textContent()).trim()
      check(course.includes(`教学班编辑${runId}`), `the course is preselected as "${course}"`)
      await dlg.locator('input[data-test=section-name], [data-test=section-name] input').first().fill(`教学班编辑${runId}-A班`)
      const pick = await page.evaluate(async () => {
        const staff = await (await fetch('/api/v1/staff?page_size=200', { credentials: 'same-origin' })).json()
        const rooms = await (await fetch('/api/v1/rooms?page_size=200', { credentials: 'same-origin' })).json()
        return { teacher: staff.items.find((x) => x.active !== false).name, room: rooms.items.find((x) => x.active !== false).name }
      })
      Object.assign(setup, pick)
      await dlg.locator('[data-test=section-teacher]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: setup.teacher }).first().click()
      await dlg.locator('[data-test=section-room]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: setup.room }).first().click()
      const cap = dlg.locator('[data-test=section-capacity] input, input[data-test=section-capacity]').first()
      await cap.fill('46')
      await cap.blur()
      const v = await cap.inputValue()
      check(v === '45', `capacity 46 was kept as "${v}"`)
      await dlg.locator('[data-test=section-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      const line = page.locator('[data-test=sections-table] .el-table__row', { hasText: `教学班编辑${runId}-A班` }).first()
      await line.waitFor()
      const text = await line.textContent()
      check(text.includes(setup.teacher) && text.includes(setup.room) && text.includes('0/45'), `the new row reads "${text}"`)
    })
    await steps.run('edit-section', page, async () => {
      // The list is filtered to the course, whose only section this is.
      const id = await page.locator('[data-test=section-edit]').first().getAttribute('data-section-id')
      check(Number(id) > 0, 'the edit button has no section id')
      await page.locator(`[data-test=section-edit][data-section-id="${id}"]`).first().click()
      const dlg = page.locator('.el-dialog', { hasText: '编辑教学班' })
      await dlg.waitFor()
      const cap = dlg.locator('[data-test=section-capacity] input, input[data-test=section-capacity]').first()
      check(await cap.inputValue() === '45', `the editor shows capacity ${await cap.inputValue()}`)
      await cap.fill('30')
      await cap.blur()
      await dlg.locator('[data-test=section-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      await page.waitForFunction((name) => [...document.querySelectorAll('[data-test=sections-table] .el-table__row')]
        .some((r) => r.textContent.includes(name) && r.textContent.includes('0/30')), `教学班编辑${runId}-A班`)
      const api = await page.evaluate(async (cid) => (await (await fetch(`/api/v1/sections?course_id=${cid}`, { credentials: 'same-origin' })).json()), setup.course.id)
      const s = (api.items || []).find((x) => x.name === `教学班编辑${runId}-A班`)
      check(s && s.capacity === 30 && s.teacher_name === setup.teacher && s.room_name === setup.room, `saved section: ${JSON.stringify(s)}`)
    })
  })
}
