// (f) The needs survey (需求征询): the office creates a survey for the child's grade on the console
// page; the guardian finds it on the children page and answers it on the phone; the office
// sees the answer in the list, the response rate (one family of the grade's children), the
// counts by band and interest, the comment, and exports the summary as XLSX.
//
// Setup through the API as the office: a fresh child of the demo guardian in the class teacher's
// class, deactivated at the end. Each run creates its own survey (titles carry the run id).
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff, freshChild, openPhone, phoneLogin, settle } from './flows.mjs'

export async function surveyScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'f')
  const { guardianMobile, teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const title = `课后服务需求征询${runId}`
  const comment = `希望增加围棋社团（${runId}）`
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = {}

  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      Object.assign(setup, await freshChild({ office, teacher, guardianMobile, runId, surname: '孙询', prefix: 'F', region: '520112' }))
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-creates-survey', page, async () => {
        await page.goto(`${base}/enroll/surveys`)
        await page.locator('[data-test=surveys-table]').waitFor()
        await page.locator('[data-test=survey-create]').click()
        await page.locator('[data-test=survey-form-title]').fill(title)
        await page.locator('[data-test=survey-form-grades] .el-checkbox').nth(setup.klass.grade - 1).click()
        await page.locator('.el-dialog textarea').fill('请在截止日期前填写，结果用于安排下学期的课后服务。')
        await page.locator('[data-test=survey-save]').click()
        await page.locator('.el-message--success').waitFor()
        const row = page.locator('.el-table__row', { has: page.locator('[data-test=survey-title]', { hasText: title }) })
        await row.waitFor()
        setup.surveyId = Number(await row.locator('[data-test=survey-title]').getAttribute('data-survey-id'))
        check(setup.surveyId > 0, 'the new survey has no id')
        check((await row.textContent()).includes('进行中'), 'the new survey is not open')
        check((await row.locator('[data-test=survey-answered]').textContent()).trim() === '0', 'a fresh survey has answers')
      })
    })

    await steps.run('guardian-finds-survey', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      const entry = phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-survey][data-survey-id="${setup.surveyId}"]`)
      await entry.waitFor()
      check((await entry.textContent()).includes('待填写'), 'the survey is not marked 待填写')
    })

    await steps.run('guardian-answers', phone, async () => {
      await phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-survey][data-survey-id="${setup.surveyId}"]`).click()
      await phone.waitForURL(`**/m/survey/${setup.surveyId}/${setup.child.id}`)
      await phone.locator('[data-test=m-survey-submit]').waitFor()
      // Not Wednesday; after-school (ticked by default) and noon; science and sports; a comment.
      await phone.locator('[data-test=m-survey-days] .van-checkbox', { hasText: '周三' }).click()
      await phone.locator('[data-test=m-survey-bands] .van-checkbox', { hasText: '午间' }).click()
      await phone.locator('[data-test=m-survey-interests] .van-checkbox', { hasText: '科技' }).click()
      await phone.locator('[data-test=m-survey-interests] .van-checkbox', { hasText: '体育' }).click()
      await phone.locator('[data-test=m-survey-text] textarea').fill(comment)
      await phone.locator('[data-test=m-survey-submit]').click()
      await phone.locator('[data-test=m-survey-answered]').waitFor()
      await settle(phone)
      const a = await phone.evaluate(async ({ sv, st }) => (await (await fetch(`/api/v1/surveys/${sv}/answers/${st}`, { credentials: 'same-origin' })).json()),
        { sv: setup.surveyId, st: setup.child.id })
      check(a.answer && a.answer.days.join() === '1,2,4,5', `saved days ${JSON.stringify(a.answer && a.answer.days)}`)
      check(a.answer.bands.slice().sort().join() === 'after_school,noon', `saved bands ${JSON.stringify(a.answer.bands)}`)
      check(a.answer.interests.slice().sort().join() === 'science,sports', `saved interests ${JSON.stringify(a.answer.interests)}`)
    })

    await steps.run('guardian-sees-answered', phone, async () => {
      await phone.locator('.van-nav-bar__left').click()
      const entry = phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-survey][data-survey-id="${setup.surveyId}"]`)
      await entry.waitFor()
      await phone.waitForFunction((sel) => (document.querySelector(sel)?.textContent || '').includes('已填写'),
        `[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-survey][data-survey-id="${setup.surveyId}"]`)
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-sees-response-rate', page, async () => {
        await page.goto(`${base}/enroll/surveys`)
        const row = page.locator('.el-table__row', { has: page.locator(`[data-test=survey-title][data-survey-id="${setup.surveyId}"]`) })
        await row.waitFor()
        check((await row.locator('[data-test=survey-answered]').textContent()).trim() === '1', 'the list does not count the answer')
        await row.locator('[data-test=survey-results]').click()
        const rate = page.locator('[data-test=survey-rate]')
        await rate.waitFor()
        const res = await page.evaluate(async (id) => (await (await fetch(`/api/v1/surveys/${id}/results`, { credentials: 'same-origin' })).json()), setup.surveyId)
        check(res.total.answered === 1 && res.total.children > 1, `results total ${JSON.stringify(res.total)}`)
        const expected = Math.round((1 / res.total.children) * 1000) / 10
        const shown = Number(await rate.getAttribute('data-rate'))
        check(Math.abs(shown - expected) < 1e-9, `response rate shows ${shown}, expected ${expected} (1 of ${res.total.children})`)
        const statText = await rate.textContent()
        check(statText.includes(expected.toFixed(1)), `the rate card reads "${statText}", expected ${expected.toFixed(1)}%`)
        // The child's class answered once: its row in the class table shows it.
        const mine = (res.classes || []).find((c) => c.class_id === setup.klass.id)
        check(mine && mine.answered === 1, `class results ${JSON.stringify(mine)}`)
        const classRow = page.locator('[data-test=survey-by-class] .el-table__row', { hasText: mine.class_name }).first()
        const cells = await classRow.locator('td').allTextContents()
        check(cells[0].trim() === mine.class_name && cells[2].trim() === '1', `the class row reads ${JSON.stringify(cells)}`)
        const drawer = await page.locator('[data-test=survey-results-panel]').textContent()
        check(drawer.includes(comment), 'the comment is not shown')
        check(res.total.bands.noon === 1 && res.total.interests.science === 1 && res.total.days['3'] === 0,
          `counts ${JSON.stringify(res.total)}`)
      })
      await steps.run('office-exports-xlsx', page, async () => {
        const [download] = await Promise.all([
          page.waitForEvent('download', { timeout: 20000 }),
          page.locator('[data-test=survey-export]').click(),
        ])
        const name = download.suggestedFilename()
        check(name.endsWith('.xlsx') && name.includes(title), `downloaded "${name}"`)
        const path = await download.path()
        const { readFileSync } = await import('node:fs')
        const bytes = readFileSync(path)
        check(bytes.length > 1000 && bytes[0] === 0x50 && bytes[1] === 0x4b, `the XLSX is ${bytes.length} bytes and not a zip`)
      })
    })
  } finally {
    if (office && setup.child) {
      try { await office('PUT', `/students/${setup.child.id}`, { active: false }) } catch { /* best effort */ }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}
