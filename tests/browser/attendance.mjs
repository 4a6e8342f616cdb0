// (k) Roll call on the teacher's phone (issue 13 §1): on a 390×844 phone the demo teacher signs in
// (the console's login brings them back to /m/teach), opens a coming morning care session, taps the
// exceptions (one absent, one late: one tap per child, everyone else starts present), and saves
// the whole roster in ONE request. The page fits the phone's width; the saved marks come back
// after a reload. The guardian's leave page and the office's board are shot for the record.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'
import { accounts } from './flows.mjs'

const PHONE_390 = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
}
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10)

export async function attendanceScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'k')
  const teacherLogin = process.env.KEHOU_DEMO_TEACHER || 'teacher'
  const { officeLogin, guardianMobile } = accounts()
  const request = await playwright.request.newContext({ baseURL: base })
  const ctx = await browser.newContext(PHONE_390)
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const teacher = await apiLogin(request, teacherLogin, password)
      for (let i = 1; i <= 7 && !setup.date; i++) {
        const d = localDate(Date.now() + i * 86400000)
        const r = await teacher('GET', `/attendance/sessions?date=${d}`)
        const s = (r.body?.items || []).find((x) => x.editable && x.band === 'morning')
        if (s) Object.assign(setup, { date: d, section: s.section_id })
      }
      check(setup.date, 'the demo teacher has a morning care session in the coming week')
      setup.teacher = teacher
    })
    await steps.run('sessions', page, async () => {
      await page.goto(`${base}/m/teach?date=${setup.date}`)
      await page.waitForURL((u) => u.pathname.startsWith('/login'))
      await page.locator('input[name=login]').fill(teacherLogin)
      await page.locator('input[name=password]').fill(password)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => u.pathname.startsWith('/m/teach'))
      await page.locator(`[data-test=a-session][data-section-id="${setup.section}"]`).waitFor()
    })
    let puts = 0
    page.on('request', (r) => { if (r.method() === 'PUT' && r.url().includes('/roll')) puts += 1 })
    await steps.run('roll-call', page, async () => {
      await page.locator(`[data-test=a-session][data-section-id="${setup.section}"]`).click()
      await page.locator('[data-test=r-line]').first().waitFor()
      const lines = page.locator('[data-test=r-line]')
      setup.count = await lines.count()
      check(setup.count >= 3, `a roster of ${setup.count}`)
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      check(width <= 390, `the roll call fits 390 px (scrollWidth ${width})`)
      // Children on leave start as leave; pick two others.
      const ids = []
      for (let i = 0; i < setup.count && ids.length < 2; i++) {
        const line = lines.nth(i)
        if (!(await line.locator('[data-test=r-leave].on').count())) ids.push(await line.getAttribute('data-student-id'))
      }
      setup.absent = ids[0]
      setup.late = ids[1]
      await page.locator(`[data-test=r-line][data-student-id="${setup.absent}"] [data-test=r-absent]`).tap()
      await page.locator(`[data-test=r-line][data-student-id="${setup.late}"] [data-test=r-late]`).tap()
      const box = await page.locator(`[data-test=r-line][data-student-id="${setup.absent}"] [data-test=r-absent]`).boundingBox()
      check(box && box.width >= 40 && box.height >= 40, `tap targets of 40 px or more: ${JSON.stringify(box)}`)
    })
    await steps.run('saved', page, async () => {
      await page.locator('[data-test=r-save]').click()
      await page.locator('.van-toast', { hasText: '点名已保存' }).waitFor()
      check(puts === 1, `the whole roster in one request (${puts} PUTs)`)
      const counts = await page.locator('[data-test=r-counts]').innerText()
      check(counts.includes('缺勤 1') && counts.includes('迟到 1'), `counts: ${counts}`)
      const r = await setup.teacher('GET', `/attendance/sessions/${setup.section}/roster?date=${setup.date}`)
      const marks = Object.fromEntries((r.body?.items || []).map((i) => [String(i.student_id), i.mark]))
      check(marks[setup.absent] === 'absent' && marks[setup.late] === 'late', `saved marks: ${JSON.stringify(marks).slice(0, 200)}`)
      check(Object.values(marks).every((m) => m), 'every child of the roster is marked')
    })
    await steps.run('reload', page, async () => {
      await page.reload()
      await page.locator(`[data-test=r-line][data-student-id="${setup.absent}"] [data-test=r-absent].on`).waitFor()
    })
  } finally {
    await ctx.close()
  }
  // The guardian's leave page and the office's board, for the record.
  const gctx = await browser.newContext(PHONE_390)
  try {
    const g = await gctx.newPage()
    g.setDefaultTimeout(20000)
    await steps.run('guardian-leave', g, async () => {
      await g.goto(`${base}/m/login`)
      await g.locator('[data-test=m-mobile] input').fill(guardianMobile)
      await g.locator('[data-test=m-password] input').fill(password)
      await g.locator('[data-test=m-login-submit]').click()
      await g.waitForURL((u) => !u.pathname.startsWith('/m/login'))
      await g.goto(`${base}/m/leave`)
      await g.locator('[data-test=l-form]').waitFor()
      await g.locator('[data-test=l-reason] textarea').fill('看牙医（浏览器测试）')
      await g.locator('[data-test=l-submit]').click()
      await g.locator('.van-toast', { hasText: '请假已提交' }).waitFor()
      await g.locator('[data-test=l-item]', { hasText: '看牙医（浏览器测试）' }).first().waitFor()
    })
  } finally {
    await gctx.close()
  }
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  try {
    const d = await desk.newPage()
    d.setDefaultTimeout(20000)
    await steps.run('office-board', d, async () => {
      await consoleLogin(d, base, officeLogin, password)
      await d.goto(`${base}/daily/attendance`)
      await d.locator('h2', { hasText: '考勤看板' }).waitFor()
      await d.locator('[data-test=board-alerts] .el-table__row').first().waitFor()
    })
    await steps.run('office-card', d, async () => {
      // The office binds a campus card on the board page; a device's swipe of it is then a child's.
      const roster = await setup.teacher('GET', `/attendance/sessions/${setup.section}/roster?date=${setup.date}`)
      const kid = roster.body.items[0]
      const cardNo = `K-${Date.now()}`
      await d.locator('[data-test=card-open]').click()
      const dlg = d.locator('.el-dialog', { hasText: '绑定校园卡' })
      await dlg.waitFor()
      await dlg.locator('[data-test=card-no] input, input[data-test=card-no]').first().fill(cardNo)
      await dlg.locator('.el-select input').fill(kid.name)
      await d.locator('.el-select-dropdown__item:visible', { hasText: kid.student_no }).click()
      await dlg.locator('[data-test=card-save]').click()
      await dlg.waitFor({ state: 'hidden' })
      const office = await apiLogin(request, officeLogin, password)
      const dev = await office('POST', '/attendance/devices', { name: `浏览器测试 ${cardNo}` })
      check(dev.status === 200, `device: ${dev.status}`)
      const r = await request.post('/api/v1/attendance/swipes', {
        headers: { Authorization: `Device ${dev.body.key}` },
        data: { swipes: [{ uid: cardNo, card_no: cardNo, at_ms: Date.now() - 1000 }] },
      })
      const body = await r.json()
      check(body.accepted === 1 && body.unknown_card === 0, `the bound card's swipe is the child's: ${JSON.stringify(body)}`)
    })
  } finally {
    await desk.close()
    await request.dispose()
  }
}
