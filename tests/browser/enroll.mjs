// (c) The guardian's path from application to a confirmed seat, with the review chain:
// the guardian fills in the application on the phone, reads and signs the agreement, submits;
// the class teacher approves in the console; the principal approves (batch approval); the
// guardian sees 已通过 with the review history, opens the FCFS round, takes a seat and sees it
// confirmed.
//
// Setup through the API as the office (re-runnable on the same database): the current
// agreement (published once), a fresh child in the class teacher's class linked to the demo
// guardian (a new child each run, since a child has one application per term), a course with
// one section and an open FCFS round for that grade. The child is deactivated at the end.
import { Steps, check, idNumber } from './lib.mjs'
import { approvedCourse } from './lib.mjs'

export const PHONE = {
  viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN',
  userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Kehou-Test',
}

// The API request context and a phone page (20 s default timeout) a scenario runs with; the
// scenario disposes of the request context and closes phoneCtx at its end.
export async function openPhone({ browser, playwright, base }) {
  const request = await playwright.request.newContext({ baseURL: base })
  const phoneCtx = await browser.newContext(PHONE)
  const phone = await phoneCtx.newPage()
  phone.setDefaultTimeout(20000)
  return { request, phoneCtx, phone }
}

export async function apiLogin(request, login, password) {
  const r = await request.post('/api/v1/auth/login', { data: { login, password } })
  check(r.ok(), `${login} login answered ${r.status()}`)
  const token = (await r.json()).token
  const h = { Authorization: `Bearer ${token}` }
  const call = async (method, path, data) => {
    const res = await request.fetch(`/api/v1${path}`, { method, headers: h, data })
    let body = null
    try { body = await res.json() } catch { /* not JSON */ }
    return { status: res.status(), body }
  }
  return call
}

export async function consoleLogin(page, base, login, password) {
  await page.goto(`${base}/login`)
  await page.locator('input[name=login]').fill(login)
  await page.locator('input[name=password]').fill(password)
  await page.locator('[data-test=login-submit]').click()
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20000 })
}

export async function enrollScenario({ browser, playwright, base, out, password, principalLogin }) {
  const steps = new Steps(out, 'c')
  const guardianMobile = process.env.KEHOU_DEMO_GUARDIAN || '18874037771'
  const teacherLogin = process.env.KEHOU_DEMO_CLASSTEACHER || 'classteacher'
  const officeLogin = process.env.KEHOU_DEMO_OFFICE || 'office'
  const runId = Date.now() % 1000000
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = {}

  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      // The class teacher's class.
      const st = await teacher('GET', '/students?page_size=1')
      check(st.status === 200 && st.body.items.length, `class teacher ${teacherLogin} sees no student (${st.status})`)
      const klass = { id: st.body.items[0].class_id, grade: st.body.items[0].grade_number }
      // The current agreement (published once per database).
      let ag = await office('GET', '/agreements/current')
      if (ag.status === 404) {
        const terms = await office('GET', '/terms?page_size=50')
        const term = (terms.body.items || []).find((x) => x.is_current) || (terms.body.items || [])[0]
        check(term, 'the school has no term')
        ag = await office('POST', '/agreements', {
          term_id: term.id,
          title: '课后服务托管协议',
          body: '一、服务内容：学校在放学后提供课后服务（作业辅导、兴趣活动），家长自愿参加。\n'
            + '二、服务时间：周一至周五放学后至 17:30，节假日不提供。\n'
            + '三、安全责任：学生在服务期间由学校负责看护；离校按家长选择的放学方式办理。\n'
            + '四、退出：家长可随时申请退出，自退出生效日起停止服务。',
        })
      }
      check(ag.status === 200 || ag.status === 201, `agreement: ${ag.status} ${JSON.stringify(ag.body).slice(0, 200)}`)
      setup.agreement = ag.body
      // A fresh child of the demo guardian in that class.
      const birth = new Date(Date.UTC(2017, 0, 1) + (runId % 360) * 86400000)
      const child = await office('POST', '/students', {
        student_no: `C${runId}`, name: `李测${'甲乙丙丁戊己庚辛壬癸'[runId % 10]}${'子丑寅卯辰巳午未申酉'[Math.floor(runId / 10) % 10]}`, gender: 'M', class_id: klass.id,
        id_number: idNumber('520102', birth, runId % 1000, true),
        guardians: [{ name: '曹秋菊', relation: '母亲', mobile: guardianMobile }],
      })
      check(child.status === 201 || child.status === 200, `create child: ${child.status} ${JSON.stringify(child.body).slice(0, 200)}`)
      setup.child = child.body
      // A course with one section and an open FCFS round for the child's grade.
      const course = await approvedCourse(request, password, {
        name: `趣味编程${runId}`, category: 'science', grades: [klass.grade], capacity: 20, venue_kind: 'classroom',
        sessions_per_week: 1, slots: [{ weekday: 3, band: 'after_school' }], fee_fen: 0, institution: '青山青少年科技培训中心',
        description: '用积木式编程做小游戏', status: 'approved',
      })
      check(course.status === 201 || course.status === 200, `create course: ${course.status} ${JSON.stringify(course.body).slice(0, 200)}`)
      const section = await office('POST', `/courses/${course.body.id}/sections`, { name: `趣味编程${runId}-1班`, capacity: 5, formation: 'mixed' })
      check(section.status === 201 || section.status === 200, `create section: ${section.status} ${JSON.stringify(section.body).slice(0, 200)}`)
      setup.section = section.body
      const now = Date.now()
      const round = await office('POST', '/rounds', {
        name: `选课测试${runId}`, mode: 'fcfs', grades: [klass.grade], opens_at: now - 60000, closes_at: now + 3600000,
        max_per_child: 2, section_ids: [section.body.id],
      })
      check(round.status === 201 || round.status === 200, `create round: ${round.status} ${JSON.stringify(round.body).slice(0, 200)}`)
      setup.round = round.body
    })

    await steps.run('phone-login', phone, async () => {
      await phone.goto(`${base}/m/login`)
      await phone.locator('input[name=mobile]').fill(guardianMobile)
      await phone.locator('input[name=password]').fill(password)
      await phone.locator('[data-test=m-login-submit]').click()
      await phone.waitForURL('**/m/children')
      await phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"]`).waitFor()
    })

    // Before applying, the round says why the child cannot choose yet and leads to the application.
    await steps.run('round-before-enrolment', phone, async () => {
      await phone.goto(`${base}/m/rounds/${setup.round.id}`)
      await phone.locator('[data-test=m-round-child]').waitFor()
      const tab = phone.locator('.van-tab', { hasText: setup.child.name })
      if (await tab.count()) await tab.first().click()
      await phone.locator(`[data-test=m-round-child][data-child-id="${setup.child.id}"]`).waitFor()
      const notice = phone.locator('[data-test=m-not-enrolled]')
      await notice.waitFor()
      const text = await notice.textContent()
      check(text.includes('尚未报名'), `the notice says "${text}"`)
      check(await phone.locator(`[data-test=m-take-${setup.section.id}]`).count() === 0, 'a take button shows for a child not enrolled')
      await phone.locator('[data-test=m-go-apply]').click()
      await phone.waitForURL(`**/m/apply/${setup.child.id}`)
      await phone.goto(`${base}/m/children`)
      await phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"]`).waitFor()
    })

    await steps.run('apply-form', phone, async () => {
      await phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-apply]`).click()
      await phone.waitForURL(`**/m/apply/${setup.child.id}`)
      await phone.locator('[data-test=m-apply-status][data-status=none]').waitFor()
      await phone.locator('[data-test=m-apply-save]').click()
      await phone.locator('[data-test=m-apply-status][data-status=draft]').waitFor()
      await phone.locator('[data-test=m-agreement-body]').waitFor()
      await phone.locator('.van-toast').first().waitFor({ state: 'hidden' }).catch(() => {})
    })

    await steps.run('sign', phone, async () => {
      await phone.locator('[data-test=m-apply-read]').click()
      await phone.locator('[data-test=m-apply-sign]').click()
      await phone.locator('.van-dialog__confirm').click()
      await phone.locator('[data-test=m-apply-signed]').waitFor()
      await phone.locator('.van-toast, .van-dialog').first().waitFor({ state: 'hidden' }).catch(() => {})
      const v = await phone.locator('[data-test=m-apply-signed-version]').textContent()
      check(v.includes(String(setup.agreement.version)), `signed version shows "${v}", expected ${setup.agreement.version}`)
      const at = (await phone.locator('[data-test=m-apply-signed-at]').textContent()).trim()
      check(/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(at), `signed time shows "${at}"`)
    })

    await steps.run('submit', phone, async () => {
      await phone.locator('[data-test=m-apply-submit]').click()
      await phone.locator('[data-test=m-apply-status][data-status=submitted]').waitFor()
      await phone.locator('[data-test=m-apply-history]').waitFor()
      await phone.locator('.van-toast').first().waitFor({ state: 'hidden' }).catch(() => {})
    })

    const appId = await phone.evaluate(async (sid) => {
      const r = await fetch(`/api/v1/applications?student_id=${sid}`, { credentials: 'same-origin' })
      return ((await r.json()).items || [])[0]?.id
    }, setup.child.id)
    check(appId, 'the application is not in GET /applications')

    const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN' })
    try {
      const page = await desk.newPage()
      page.setDefaultTimeout(20000)
      await steps.run('class-teacher-approves', page, async () => {
        await consoleLogin(page, base, teacherLogin, password)
        await page.goto(`${base}/enroll/review`)
        const row = page.locator('.el-table__row', { has: page.locator(`[data-test=review-student][data-app-id="${appId}"]`) })
        await row.waitFor()
        await row.locator('[data-test=review-approve]').click()
        await page.locator('.el-message-box__btns .el-button--primary').click()
        await page.locator('.el-message--success').waitFor()
        await row.waitFor({ state: 'detached' })
        await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => {})
      })
      await steps.run('principal-batch-approves', page, async () => {
        await page.locator('[data-test=user-menu]').click()
        await page.locator('[data-test=logout]').click()
        await page.waitForURL('**/login')
        await consoleLogin(page, base, principalLogin, password)
        await page.goto(`${base}/enroll/review`)
        const row = page.locator('.el-table__row', { has: page.locator(`[data-test=review-student][data-app-id="${appId}"]`) })
        await row.waitFor()
        await row.locator('.el-checkbox').first().click()
        await page.locator('[data-test=review-batch-approve]').click()
        await page.locator('.el-message-box__btns .el-button--primary').click()
        await page.locator('.el-message--success').waitFor()
        await row.waitFor({ state: 'detached' })
        await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => {})
      })
    } finally {
      await desk.close()
    }

    await steps.run('guardian-sees-approved', phone, async () => {
      await phone.reload()
      await phone.locator('[data-test=m-apply-status][data-status=approved]').waitFor()
      const n = await phone.locator('[data-test=m-apply-history] .van-step').count()
      check(n >= 3, `the review history shows ${n} entries (expected submit, class approval, approval)`)
    })

    await steps.run('course-list-live-seats', phone, async () => {
      await phone.goto(`${base}/m/rounds`)
      await phone.locator(`[data-test=m-round][data-round-id="${setup.round.id}"]`).click()
      await phone.waitForURL(`**/m/rounds/${setup.round.id}`)
      await phone.locator('[data-test=m-round-child]').waitFor()
      const tab = phone.locator('.van-tab', { hasText: setup.child.name })
      if (await tab.count()) await tab.first().click()
      await phone.locator(`[data-test=m-round-child][data-child-id="${setup.child.id}"]`).waitFor()
      const card = phone.locator(`[data-test=m-section][data-section-id="${setup.section.id}"]`)
      await card.waitFor()
      const rem = await card.locator('[data-test=m-remaining]').textContent()
      check(rem.includes('5/5'), `remaining shows "${rem}", expected 5/5`)
    })

    await steps.run('take-seat-confirmed', phone, async () => {
      await phone.locator(`[data-test=m-take-${setup.section.id}]`).click()
      await phone.locator(`[data-test=m-seat][data-section-id="${setup.section.id}"]`).waitFor()
      const card = phone.locator(`[data-test=m-section][data-section-id="${setup.section.id}"]`)
      await phone.waitForFunction((sel) => (document.querySelector(sel)?.textContent || '').includes('4/5'),
        `[data-test=m-section][data-section-id="${setup.section.id}"] [data-test=m-remaining]`)
      void card
      await phone.locator('.van-toast').first().waitFor({ state: 'hidden' }).catch(() => {})
      const mine = await phone.evaluate(async ({ rid }) => (await (await fetch(`/api/v1/rounds/${rid}/mine`, { credentials: 'same-origin' })).json()), { rid: setup.round.id })
      const c = (mine.children || []).find((x) => x.student_id === setup.child.id)
      check(c && c.seats.some((s) => s.section_id === setup.section.id), 'GET /rounds/:id/mine has no confirmed seat')
    })
  } finally {
    // Leave the database tidy for the next run: the test child leaves the guardian's list.
    if (office && setup.child) {
      try { await office('PUT', `/students/${setup.child.id}`, { active: false }) } catch { /* best effort */ }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}
