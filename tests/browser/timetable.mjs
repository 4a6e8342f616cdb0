// Browser scenarios of the timetable (issue 12 §4).
// (tp1) The office opens 课表, runs the solver and watches the progress bar reach 100 %, drags a
// section onto a slot where its teacher already teaches and is refused with the rule named, drags
// it to a free slot (stored), and exports the view as XLSX. The move is undone through the API at
// the end, so the other scenarios see the demo timetable as it was.
// (tp2) A teacher signs in on a 390×844 phone, opens 我的本周课表 from the sessions page and sees
// their own sessions, the same as the API's my-week.
import { Steps, check, currentTermId, dragAndDrop } from './lib.mjs'
import { apiLogin } from './enroll.mjs'
import { accounts, asStaff } from './flows.mjs'

const PHONE_390 = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
}

export async function timetableGridScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'tp1')
  const { officeLogin } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const office = await apiLogin(request, officeLogin, password)
  const term = await currentTermId(office)
  const setup = {}
  try {
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('grid', page, async () => {
        await page.goto(`${base}/select/timetable`)
        await page.locator('[data-test=tt-card]').first().waitFor()
        check(await page.locator('[data-test=tt-cell]').count() > 0, 'the week grid has cells')
      })
      await steps.run('run-solver', page, async () => {
        await page.locator('[data-test=tt-run]').click()
        await page.locator('[data-test=tt-progress]').waitFor()
        // The demo term solves; after the other scenarios' courses it may not (a teacher with more
        // sessions than their two days hold): then the job names the hard rule instead.
        const state = page.locator('[data-test=tt-job-state]', { hasText: /已完成|未找到可行课表/ })
        await state.waitFor({ timeout: 30000 })
        if ((await state.textContent()).includes('已完成')) {
          const pct = await page.locator('[data-test=tt-progress]').getAttribute('aria-valuenow')
          check(pct === '100', `the progress bar reaches 100 %: ${pct}`)
        } else {
          const why = await page.locator('[data-test=tt-job] .tt-reason').first().textContent()
          check(/[\u4e00-\u9fff]/.test(why), `the reason is named in Chinese: ${why}`)
        }
        await page.locator('[data-test=tt-card]').first().waitFor()
      })
      // A section and a slot where its teacher already teaches; a free slot for it.
      await steps.run('find-slots', null, async () => {
        const grid = (await office('GET', `/timetable/terms/${term}`)).body
        // Each section with a teacher clash to try, until one also has a free slot (a teacher at
        // their two-day limit can only move within their days).
        const pairs = []
        for (const a of grid.items)
          for (const b of grid.items)
            if (a !== b && a.kind !== 'basic' && b.kind !== 'basic' && a.teacher_staff_id && a.teacher_staff_id === b.teacher_staff_id && (a.day !== b.day || a.hour !== b.hour) && !pairs.some((p) => p.a === a))
              pairs.push({ a, clash: { day: grid.days[b.day], band: grid.bands[b.hour] } })
        check(pairs.length, 'a teacher with two sessions in the demo term')
        for (const pair of pairs) {
          const { a } = pair
          for (const d of grid.days) for (const band of grid.bands) {
            if (setup.free || (d.index === a.day && band.index === a.hour)) continue
            const c = await office('POST', `/timetable/terms/${term}/check`, { section_id: a.section_id, session_no: a.session_no, weekday: d.weekday, band: band.code })
            if (c.body?.ok) setup.free = { day: d, band, soft: c.body.soft_only }
          }
          if (setup.free) { Object.assign(setup, pair); break }
        }
        check(setup.free, 'a free slot for the section')
        const { a } = setup
        setup.home = { day: grid.days[a.day], band: grid.bands[a.hour], room: a.room_id }
      })
      const card = () => page.locator(`[data-test=tt-card][data-section-id="${setup.a.section_id}"][data-session-no="${setup.a.session_no}"]`)
      const drag = (src, dst) => dragAndDrop(page, src, dst)
      const cellAt = (s) => page.locator(`[data-test=tt-cell][data-weekday="${s.day.weekday}"][data-band="${s.band.code}"]`)
      await steps.run('drag-into-clash-refused', page, async () => {
        await drag(card(), cellAt(setup.clash))
        await page.locator('[data-test=tt-hint]', { hasText: '教师冲突' }).waitFor()
        const hint = await page.locator('[data-test=tt-hint]').textContent()
        check(hint.includes('不能移动到此处'), `refused: ${hint}`)
        const now = (await office('GET', `/timetable/terms/${term}`)).body.items.find((x) => x.section_id === setup.a.section_id && x.session_no === setup.a.session_no)
        check(now.day === setup.a.day && now.hour === setup.a.hour, 'nothing moved')
      })
      await steps.run('drag-to-free-slot', page, async () => {
        await drag(card(), cellAt(setup.free))
        if (setup.free.soft) await page.locator('.el-message-box').getByRole('button', { name: '仍然安排' }).click()
        await page.locator('[data-test=tt-hint]', { hasText: '已将' }).waitFor()
        await cellAt(setup.free).locator(`[data-test=tt-card][data-section-id="${setup.a.section_id}"]`).first().waitFor()
        const now = (await office('GET', `/timetable/terms/${term}`)).body.items.find((x) => x.section_id === setup.a.section_id && x.session_no === setup.a.session_no)
        check(now.day === setup.free.day.index && now.hour === setup.free.band.index, `stored at the free slot: ${JSON.stringify(now)}`)
        setup.moved = true
      })
      await steps.run('export-xlsx', page, async () => {
        const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-test=tt-export-xlsx]').click()])
        const name = download.suggestedFilename()
        check(/\.xlsx$/.test(name), `an XLSX file: ${name}`)
      })
    })
  } finally {
    if (setup.moved) {  // back where the demo had it
      const { a, home } = setup
      await office('PUT', `/timetable/terms/${term}/placement`, { section_id: a.section_id, session_no: a.session_no, weekday: home.day.weekday, band: home.band.code, room_id: home.room, override_soft: true })
    }
    await request.dispose()
  }
}

export async function teacherWeekScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'tp2')
  const teacherLogin = process.env.KEHOU_DEMO_TEACHER || 'teacher'
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext(PHONE_390)
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  try {
    const teacher = await apiLogin(request, teacherLogin, password)
    const week = (await teacher('GET', '/timetable/my-week')).body
    check(week.items && week.items.length > 0, `the demo teacher has sessions this term: ${JSON.stringify(week).slice(0, 200)}`)
    await steps.run('sign-in', page, async () => {
      await page.goto(`${base}/m/teach`)
      await page.waitForURL((u) => u.pathname.startsWith('/login'))
      await page.locator('input[name=login]').fill(teacherLogin)
      await page.locator('input[name=password]').fill(password)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/m/teach'))
      await page.locator('[data-test=a-week]', { hasText: '我的本周课表' }).waitFor()
    })
    await steps.run('my-week', page, async () => {
      await page.locator('[data-test=a-week]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/m/teach/week'))
      await page.locator('[data-test=w-item]').first().waitFor()
      const n = await page.locator('[data-test=w-item]').count()
      check(n === week.items.length, `the page shows the teacher's ${week.items.length} sessions: ${n}`)
      const text = await page.locator('body').textContent()
      check(!/mtt\./.test(text) && text.includes('我的课表'), `Chinese labels, no message keys: ${text.slice(0, 120)}`)
      for (const it of week.items) check(text.includes(it.course), `shows ${it.course}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      check(width <= 390, `fits the phone's width: ${width}`)
    })
  } finally {
    await ctx.close()
    await request.dispose()
  }
}
