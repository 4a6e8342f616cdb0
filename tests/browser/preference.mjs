// (e) A preference round: the office creates it on the 选课轮次 page (mode 志愿填报, the child's
// grade, two sections) and opens it at once; the guardian ranks both sections on the phone and
// saves; the office closes the round and runs the allocation, and reads the report; the guardian
// sees the placement and, for each choice, the explanation: rank, lottery number, cut-off and rule.
//
// The server's clock is the only clock: the round is opened and closed with the page's
// 立即开始 / 立即结束 buttons (PUT /rounds/:id with opens_at / closes_at = now).
// Setup through the API as the office: a fresh child of the demo guardian in the class teacher's
// class, one approved course with two sections (capacity 1 and 5). The child is deactivated at
// the end.
import { readFileSync } from 'node:fs'
import { Steps, check } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { accounts, apiLogin, asStaff, confirmBox, enrolChild, freshChild, openPhone, phoneLogin, settle } from './flows.mjs'

export async function preferenceScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'e')
  const { guardianMobile, teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const roundName = `志愿测试${runId}`
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = {}

  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      Object.assign(setup, await freshChild({ office, teacher, guardianMobile, runId, surname: '赵志', prefix: 'E', region: '520111' }))
      // Only enrolled children rank (src/select/enrolment.h): apply, sign, approve by API.
      await enrolChild({ request, password, child: setup.child, office, teacher })
      const course = await approvedCourse(request, password, {
        name: `创意美术${runId}`, category: 'arts', grades: [setup.klass.grade], capacity: 20, venue_kind: 'classroom',
        sessions_per_week: 1, slots: [{ weekday: 2, band: 'after_school' }], fee_fen: 0, institution: '青山青少年艺术培训中心',
        description: '水彩与拼贴', status: 'approved',
      })
      check(course.status === 201 || course.status === 200, `create course: ${course.status} ${JSON.stringify(course.body).slice(0, 200)}`)
      setup.course = course.body
      setup.sections = []
      for (const [name, capacity] of [[`创意美术${runId}-1班`, 1], [`创意美术${runId}-2班`, 5]]) {
        const s = await office('POST', `/courses/${course.body.id}/sections`, { name, capacity, formation: 'mixed' })
        check(s.status === 201 || s.status === 200, `create section: ${s.status} ${JSON.stringify(s.body).slice(0, 200)}`)
        setup.sections.push(s.body)
      }
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-creates-round', page, async () => {
        await page.goto(`${base}/select/rounds`)
        await page.locator('[data-test=rounds-table]').waitFor()
        await page.locator('[data-test=round-create]').click()
        const dlg = page.locator('.el-dialog', { hasText: '新建选课轮次' })
        await dlg.locator('.el-form-item', { hasText: '名称' }).locator('input').fill(roundName)
        await dlg.locator('.el-radio', { hasText: '志愿填报' }).click()
        await dlg.locator('.el-form-item', { hasText: '年级' }).locator('.el-checkbox').nth(setup.klass.grade - 1).click()
        await dlg.locator('.el-form-item', { hasText: '志愿数' }).locator('input').fill('2')
        // The rule ranks count by, chosen here and shown to families before they rank.
        await dlg.locator('[data-test=round-rank-rule]').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: '按志愿线性计分' }).click()
        const ruleText = await dlg.locator('[data-test=round-rank-rule-text]').textContent()
        check(ruleText.includes('5 分'), `the dialog explains the rule: "${ruleText}"`)
        await dlg.locator('.el-form-item', { hasText: '教学班' }).locator('.el-select').click()
        for (const s of setup.sections) {
          await page.locator('.el-select-dropdown__item:visible', { hasText: s.name }).click()
        }
        await page.keyboard.press('Escape').catch(() => {})
        await dlg.locator('.el-dialog__footer .el-button--primary').click()
        await page.locator('.el-message--success').waitFor()
        await dlg.waitFor({ state: 'hidden' })
        setup.roundRow = page.locator('.el-table__row', { has: page.locator('[data-test=round-name]', { hasText: roundName }) })
        await setup.roundRow.first().waitFor()
        setup.roundId = Number(await setup.roundRow.first().locator('[data-test=round-name]').getAttribute('data-round-id'))
        check(setup.roundId > 0, 'the new round has no id in the table')
        // The default window starts in an hour: open it now.
        await setup.roundRow.first().locator('[data-test=round-open-now]').click()
        await confirmBox(page)
        await setup.roundRow.first().locator('[data-test=round-close-now]').waitFor()
        const text = await setup.roundRow.first().textContent()
        check(text.includes('进行中') && text.includes('志愿填报'), `the round row shows "${text}"`)
      })
    })

    await steps.run('guardian-ranks', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.goto(`${base}/m/rounds`)
      await phone.locator(`[data-test=m-round][data-round-id="${setup.roundId}"]`).click()
      await phone.waitForURL(`**/m/rounds/${setup.roundId}`)
      const tab = phone.locator('.van-tab', { hasText: setup.child.name })
      if (await tab.count()) await tab.first().click()
      await phone.locator(`[data-test=m-round-child][data-child-id="${setup.child.id}"]`).waitFor()
      const rule = phone.locator('[data-test=m-rank-rule]')
      check(await rule.getAttribute('data-rule') === 'linear' && (await rule.textContent()).includes('按志愿线性计分'),
        `the round states its rule before ranking: "${await rule.textContent()}"`)
      check(await phone.locator('[data-test=m-child-limit-stepper]').count() === 1, 'no per-child limit control')
      // Second section first, then the first; then swap them so the small section is choice 1.
      await phone.locator(`[data-test=m-rank-${setup.sections[1].id}]`).click()
      await phone.locator(`[data-test=m-rank-${setup.sections[0].id}]`).click()
      await phone.locator('[data-test=m-rank]').nth(1).locator('.van-button', { hasText: '上移' }).click()
      const first = await phone.locator('[data-test=m-rank]').first().textContent()
      check(first.includes(setup.sections[0].name), `choice 1 is "${first}"`)
      await phone.locator('[data-test=m-save-ranks]').click()
      await phone.locator('.van-toast', { hasText: '志愿已保存' }).waitFor()
      await settle(phone)
      const mine = await phone.evaluate(async (rid) => (await (await fetch(`/api/v1/rounds/${rid}/mine`, { credentials: 'same-origin' })).json()), setup.roundId)
      const c = (mine.children || []).find((x) => x.student_id === setup.child.id)
      check(c && c.preferences.map((p) => p.section_id).join() === [setup.sections[0].id, setup.sections[1].id].join(),
        `saved preferences are ${JSON.stringify(c && c.preferences)}`)
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-closes-allocates', page, async () => {
        await page.goto(`${base}/select/rounds`)
        const r = page.locator('.el-table__row', { has: page.locator(`[data-test=round-name][data-round-id="${setup.roundId}"]`) }).first()
        await r.locator('[data-test=round-close-now]').click()
        await confirmBox(page)
        await r.locator('[data-test=round-allocate]').click()
        await confirmBox(page)
        const stats = page.locator('[data-test=round-report-stats]')
        await stats.waitFor()
        await page.locator('.el-drawer .el-alert--success').waitFor()
        const summary = await page.locator('.el-drawer .el-alert--success').textContent()
        check(/\d+ 名学生中 \d+ 名录取/.test(summary), `allocation summary "${summary}"`)
        const drawer = await page.locator('.el-drawer').textContent()
        check(drawer.includes(setup.sections[0].name), 'the report does not list the sections')
      })
      // The anonymised record anyone can re-run (kehou allocate --verify --input FILE).
      await steps.run('office-downloads-verification', page, async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.locator('[data-test=round-verification]').click(),
        ])
        check(download.suggestedFilename() === `allocation-round-${setup.roundId}.json`, `file name ${download.suggestedFilename()}`)
        const file = `${out}/e-verification.json`
        await download.saveAs(file)
        const rec = JSON.parse(readFileSync(file, 'utf8'))
        check(rec.format === 'kehou-allocation/v1' && rec.round_id === setup.roundId, `record: ${JSON.stringify(rec).slice(0, 200)}`)
        check(/^[0-9a-f]{64}$/.test(rec.seed) && /^[0-9a-f]{64}$/.test(rec.seed_hash), 'the seed is revealed beside its hash')
        check(!JSON.stringify(rec).includes(setup.child.name), 'the record names no child')
      })
    })

    await steps.run('guardian-sees-result-and-why', phone, async () => {
      await phone.reload()
      const tab = phone.locator('.van-tab', { hasText: setup.child.name })
      if (await tab.count()) await tab.first().click()
      await phone.locator(`[data-test=m-round-child][data-child-id="${setup.child.id}"]`).waitFor()
      await phone.locator('[data-test=m-round-phase][data-phase=allocated]').waitFor()
      const results = phone.locator('[data-test=m-result]')
      await results.first().waitFor()
      check(await results.count() === 2, `${await results.count()} results shown, expected 2`)
      const one = results.nth(0)
      check(await one.getAttribute('data-placed') === 'true', 'choice 1 (capacity 1, one applicant) is not placed')
      const t1 = await one.textContent()
      check(t1.includes('第 1 志愿') && t1.includes('已录取') && t1.includes('抽签号') && t1.includes('录取线') && t1.includes('规则'),
        `choice 1 explanation is "${t1}"`)
      const lot = (await one.locator('[data-test=m-result-lottery]').textContent()).trim()
      check(/^\d+$/.test(lot), `lottery number shows "${lot}"`)
      check((await one.locator('[data-test=m-result-rank-rule]').textContent()).includes('按志愿线性计分'), 'the explanation names the rule')
      const two = results.nth(1)
      check(await two.getAttribute('data-placed') === 'false', 'choice 2 is placed as well')
      const t2 = await two.textContent()
      // Both sections meet at the course's one slot: choice 2 clashes with the seat of choice 1.
      check(t2.includes('未录取') && t2.includes('时间冲突'), `choice 2 explanation is "${t2}"`)
      const seat = phone.locator(`[data-test=m-seat][data-section-id="${setup.sections[0].id}"]`)
      await seat.waitFor()
    })
  } finally {
    if (office && setup.child) {
      try { await office('PUT', `/students/${setup.child.id}`, { active: false }) } catch { /* best effort */ }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}
