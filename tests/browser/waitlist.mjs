// (g) Waiting-list offers on the phone: in an FCFS round the guardian's first child takes the one
// seat of a section; the second child finds it full and joins the waiting list (候补第 1 位); the
// office moves the first child out of the section, and the seat is offered to the second child
// with its time window (请在 … 前确认); the guardian accepts and the seat is confirmed.
//
// Setup through the API as the office: two fresh children of the demo guardian in the class
// teacher's class, a course with one section of capacity 1 and an open FCFS round. Both children
// are deactivated at the end.
import { Steps, check } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { accounts, apiLogin, enrolChild, freshChild, openPhone, phoneLogin, settle } from './flows.mjs'

export async function waitlistScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'g')
  const { guardianMobile, teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = { children: [] }
  const card = () => phone.locator(`[data-test=m-section][data-section-id="${setup.section.id}"]`)
  async function pick(child) {
    await phone.locator('.van-tab', { hasText: child.name }).first().click()
    await phone.locator(`[data-test=m-round-child][data-child-id="${child.id}"]`).waitFor()
  }

  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      for (const [i, surname] of [[0, '钱候'], [1, '周候']]) {
        const r = await freshChild({ office, teacher, guardianMobile, runId: runId + i * 7, surname, prefix: `G${i}`, region: '520113' })
        setup.children.push(r.child)
        setup.klass = r.klass
        // Only enrolled children choose (src/select/enrolment.h): apply, sign, approve by API.
        await enrolChild({ request, password, child: r.child, office, teacher })
      }
      const course = await approvedCourse(request, password, {
        name: `书法${runId}`, category: 'arts', grades: [setup.klass.grade], capacity: 20, venue_kind: 'classroom',
        sessions_per_week: 1, slots: [{ weekday: 4, band: 'after_school' }], fee_fen: 0, institution: '青山青少年艺术培训中心',
        description: '硬笔与毛笔书法', status: 'approved',
      })
      check(course.status === 201 || course.status === 200, `create course: ${course.status} ${JSON.stringify(course.body).slice(0, 200)}`)
      const section = await office('POST', `/courses/${course.body.id}/sections`, { name: `书法${runId}-1班`, capacity: 1, formation: 'mixed' })
      check(section.status === 201 || section.status === 200, `create section: ${section.status} ${JSON.stringify(section.body).slice(0, 200)}`)
      setup.section = section.body
      const now = Date.now()
      const round = await office('POST', '/rounds', {
        name: `候补测试${runId}`, mode: 'fcfs', grades: [setup.klass.grade], opens_at: now - 60000, closes_at: now + 3600000,
        max_per_child: 2, section_ids: [section.body.id],
      })
      check(round.status === 201 || round.status === 200, `create round: ${round.status} ${JSON.stringify(round.body).slice(0, 200)}`)
      setup.round = round.body
    })

    await steps.run('first-child-takes-last-seat', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.goto(`${base}/m/rounds/${setup.round.id}`)
      await pick(setup.children[0])
      await phone.locator(`[data-test=m-take-${setup.section.id}]`).click()
      await phone.locator(`[data-test=m-seat][data-section-id="${setup.section.id}"]`).waitFor()
      await phone.waitForFunction((sel) => (document.querySelector(sel)?.textContent || '').includes('已满'),
        `[data-test=m-section][data-section-id="${setup.section.id}"] [data-test=m-remaining]`)
      await settle(phone)
    })

    await steps.run('second-child-joins-waitlist', phone, async () => {
      await pick(setup.children[1])
      await card().locator(`[data-test=m-waitlist-${setup.section.id}]`).click()
      const pos = card().locator(`[data-test=m-waiting-${setup.section.id}]`)
      await pos.waitFor()
      check((await pos.textContent()).includes('候补第 1 位'), `waiting tag reads "${await pos.textContent()}"`)
      await settle(phone)
    })

    // The office moves the first child out of the section (调剂, POST /sections/:id/remove): the
    // freed seat is held for the first family on the waiting list. (A family's own drop during an
    // open round returns the seat to everyone instead.)
    await steps.run('office-removes-first-child', null, async () => {
      const r = await office('POST', `/sections/${setup.section.id}/remove`, { student_id: setup.children[0].id })
      check(r.status === 200, `remove: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`)
    })

    await steps.run('second-child-sees-offer-window', phone, async () => {
      await phone.reload()
      await pick(setup.children[1])
      const offer = phone.locator('[data-test=m-offer]')
      await offer.waitFor()
      const until = (await offer.locator('[data-test=m-offer-until]').textContent()).trim()
      check(/请在 \d+月\d+日 \d\d:\d\d 前确认/.test(until) && /剩余 \d+ 小时 \d+ 分/.test(until), `offer window reads "${until}"`)
      const mine = await phone.evaluate(async (rid) => (await (await fetch(`/api/v1/rounds/${rid}/mine`, { credentials: 'same-origin' })).json()), setup.round.id)
      const c = (mine.children || []).find((x) => x.student_id === setup.children[1].id)
      const w = c && c.waitlist.find((x) => x.status === 'offered')
      check(w && w.offer_expires_at > Date.now(), `GET /rounds/:id/mine has no open offer: ${JSON.stringify(c && c.waitlist)}`)
    })

    await steps.run('second-child-accepts', phone, async () => {
      await phone.locator('[data-test=m-offer-accept]').click()
      await phone.locator(`[data-test=m-seat][data-section-id="${setup.section.id}"]`).waitFor()
      await phone.locator('[data-test=m-offer]').waitFor({ state: 'detached' })
      await settle(phone)
    })
  } finally {
    if (office) {
      for (const c of setup.children) {
        try { await office('PUT', `/students/${c.id}`, { active: false }) } catch { /* best effort */ }
      }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}
