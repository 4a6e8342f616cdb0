// (sf1) Safety on the teacher's phone and the doctor's console (issue 13 §2): the demo teacher
// (390×844 phone) opens 三个关注与交接 from the sessions page on a past day of the week, picks the
// session, reports an unwell child (symptom, rest + guardian called) and hands three children over
// to the class teacher with something to watch; the class teacher acknowledges on their phone;
// the school doctor signs in on the console and sees the report on 校医工作台, confirms it with a
// note. Screenshots of each page, plus the office's safety records (site check, insurance gaps).
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'

const PHONE_390 = {
  viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
}
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10)

async function phoneLogin(page, base, path, login, password) {
  await page.goto(`${base}${path}`)
  await page.waitForURL((u) => u.pathname.startsWith('/login'))
  await page.locator('input[name=login]').fill(login)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => u.pathname.startsWith('/m/'))
}

export async function safetyScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'sf1-')
  const symptom = `发烧 38.1℃（浏览器测试 ${Date.now() % 100000}）`
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  await steps.run('setup-api', null, async () => {
    const teacher = await apiLogin(request, 'teacher', password)
    for (let i = 1; i <= 7 && !setup.date; i++) {
      const d = localDate(Date.now() - i * 86400000)
      const r = await teacher('GET', `/attendance/sessions?date=${d}`)
      const s = (r.body?.items || []).find((x) => x.ended)
      if (s) Object.assign(setup, { date: d, section: s.section_id })
    }
    check(setup.date, 'the demo teacher has a session in the past week')
  })
  const ctx = await browser.newContext(PHONE_390)
  const page = await ctx.newPage()
  page.setDefaultTimeout(20000)
  try {
    await steps.run('sessions', page, async () => {
      await phoneLogin(page, base, `/m/teach?date=${setup.date}`, 'teacher', password)
      await page.locator('[data-test=a-session]').first().waitFor()
      await page.locator('[data-test=a-safety]').click()
      await page.waitForURL((u) => u.pathname === '/m/teach/safety')
      await page.locator('[data-test=s-session]').first().click()
      await page.locator('[data-test=s-unwell]').waitFor()
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      check(width <= 390, `the page fits 390 px (scrollWidth ${width})`)
    })
    await steps.run('unwell', page, async () => {
      const select = page.locator('[data-test=s-unwell-child]')
      const value = await select.locator('option:not([disabled])').first().getAttribute('value')
      await select.selectOption(value)
      setup.child = await select.locator(`option[value="${value}"]`).innerText()
      await page.locator('[data-test=s-symptom] input').fill(symptom)
      await page.locator('[data-test=s-act-rest]').click()
      await page.locator('[data-test=s-act-guardian_called]').click()
      await page.locator('[data-test=s-report]').click()
      await page.locator('.van-toast', { hasText: '已报告' }).waitFor()
      await page.locator('[data-test=s-unwell-row]', { hasText: symptom }).waitFor()
    })
    await steps.run('concerns', page, async () => {
      // Each child the roll marks absent without leave needs a follow-up; the rest were on time.
      const follows = page.locator('[data-test=s-follow] input')
      for (let i = 0; i < await follows.count(); i++) await follows.nth(i).fill('已电话联系家长：在家休息')
      await page.locator('[data-test=s-save-concerns]').click()
      await page.locator('.van-toast', { hasText: '已保存' }).waitFor()
    })
    await steps.run('handover', page, async () => {
      await page.locator('[data-test=s-to]').selectOption({ label: /（班主任）/ }).catch(async () => {
        const opts = await page.locator('[data-test=s-to] option:not([disabled])').allInnerTexts()
        const ct = opts.find((o) => o.includes('班主任'))
        check(ct, `a class teacher among the recipients: ${opts.join(',')}`)
        await page.locator('[data-test=s-to]').selectOption({ label: ct })
      })
      await page.locator('[data-test=s-place] input').fill('一楼多功能教室')
      const boxes = page.locator('[data-test=s-handover] .van-checkbox')
      for (let i = 0; i < 3; i++) await boxes.nth(i).click()
      await page.locator('[data-test=s-watch] textarea').fill(`${setup.child.split('（')[0]} 发烧，家长 17:30 来接`)
      await page.locator('[data-test=s-sign]').click()
      await page.locator('.van-toast', { hasText: '已交班' }).waitFor()
      await page.locator('[data-test=s-mine] .van-cell', { hasText: '一楼多功能教室' }).first().waitFor()
    })
  } finally {
    await ctx.close()
  }
  const cctx = await browser.newContext(PHONE_390)
  try {
    const p = await cctx.newPage()
    p.setDefaultTimeout(20000)
    await steps.run('receiver-ack', p, async () => {
      await phoneLogin(p, base, '/m/teach/safety', 'classteacher', password)
      const item = p.locator('[data-test=s-for-me] .van-cell', { hasText: '一楼多功能教室' }).first()
      await item.waitFor()
      await item.locator('[data-test=s-ack]').click()
      await p.locator('.van-toast', { hasText: '已确认接班' }).waitFor()
    })
  } finally {
    await cctx.close()
  }
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
  try {
    const d = await desk.newPage()
    d.setDefaultTimeout(20000)
    await steps.run('doctor-sees', d, async () => {
      await consoleLogin(d, base, 'doctor', password)
      await d.goto(`${base}/daily/health`)
      await d.locator('h2', { hasText: '校医工作台' }).waitFor()
      const row = d.locator('[data-test=sf-unwell] .el-table__row', { hasText: symptom })
      await row.waitFor()
      check((await row.innerText()).includes('待处理'), 'the new report is open')
    })
    await steps.run('doctor-confirms', d, async () => {
      const row = d.locator('[data-test=sf-unwell] .el-table__row', { hasText: symptom })
      await row.locator('[data-test=sf-see]').click()
      await d.locator('[data-test=sf-see-note] textarea, textarea[data-test=sf-see-note]').first().fill('测体温 37.9℃，物理降温')
      await d.locator('[data-test=sf-see-save]').click()
      await d.locator('[data-test=sf-unwell] .el-table__row', { hasText: symptom }).filter({ hasText: '已确认' }).waitFor()
    })
    await steps.run('doctor-notes', d, async () => {
      await d.locator('.el-tabs__item', { hasText: '健康信息' }).click()
      await d.locator('[data-test=sf-notes] .el-table__row').first().waitFor()
    })
    await steps.run('office-records', d, async () => {
      await d.context().clearCookies()
      await consoleLogin(d, base, 'office', password)
      await d.goto(`${base}/daily/attendance`)
      await d.locator('[data-test=board-safety]').waitFor()
      await d.goto(`${base}/daily/safety`)
      await d.locator('[data-test=sf-table-handovers] .el-table__row').first().waitFor()
      await d.locator('.el-tabs__item', { hasText: '场地检查' }).click()
      await d.locator('[data-test=sf-site-state]').waitFor()
      await steps.shot(d, 'sf1-site')
      await d.locator('.el-tabs__item', { hasText: '保险' }).click()
      await d.locator('[data-test=sf-coverage] .el-alert').first().waitFor()
      await steps.shot(d, 'sf1-insurance')
      await d.locator('.el-tabs__item', { hasText: '应急演练' }).click()
      await d.locator('[data-test=sf-drill-terms]').waitFor()
    })
  } finally {
    await desk.close()
    await request.dispose()
  }
}
