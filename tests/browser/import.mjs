// (a) The principal imports a 50-row student CSV with 2 bad rows: sees both errors with their row
// numbers and that nothing was imported (also checked through the student search), fixes the
// two rows, imports, and finds all 50 students by search.
import { Steps, breakCheckChar, check, makeStudents, toCsv } from './lib.mjs'

const ROWS = 50
const BAD_ID_INDEX = 16 // data row 17 -> sheet row 18 (the header is row 1)
const BAD_CLASS_INDEX = 33 // data row 34 -> sheet row 35

export async function importScenario({ browser, base, out, login, password }) {
  const steps = new Steps(out, 'a')
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  const page = await context.newPage()
  page.setDefaultTimeout(20000)
  const runId = Math.floor(Date.now() / 1000) % 1000000000
  const { prefix, rows } = makeStudents(runId, ROWS)
  const bad = rows.map((r) => ({ ...r }))
  bad[BAD_ID_INDEX].身份证号 = breakCheckChar(bad[BAD_ID_INDEX].身份证号)
  bad[BAD_CLASS_INDEX].班级 = '99'
  const expectedRows = [BAD_ID_INDEX + 2, BAD_CLASS_INDEX + 2]
  const badCsv = Buffer.from(toCsv(bad), 'utf8')
  const goodCsv = Buffer.from(toCsv(rows), 'utf8')

  const apiStudents = async (q) => page.evaluate(async (q) => {
    const r = await fetch(`/api/v1/students?q=${encodeURIComponent(q)}&page_size=200`, { credentials: 'same-origin' })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, q)

  const searchStudents = async (q) => {
    await page.goto(`${base}/people/students`)
    const box = page.locator('[data-test=student-search] input, input[data-test=student-search]').first()
    await box.waitFor()
    await box.fill(q)
    const listed = page.waitForResponse((r) => r.url().includes('/api/v1/students?') && r.url().includes(encodeURIComponent(q)) && r.request().method() === 'GET')
    listed.catch(() => {})
    await page.locator('[data-test=student-search-button]').click()
    const resp = await listed
    check(resp.ok(), `student search answered ${resp.status()}`)
    await page.locator('[data-test=students-table] .el-loading-mask').waitFor({ state: 'hidden' }).catch(() => {})
    return resp.json()
  }

  const upload = async (name, buffer) => {
    const preview = page.waitForResponse((r) => r.url().includes('/api/v1/imports/students/preview'), { timeout: 60000 })
    preview.catch(() => {}) // awaited below; do not let it reject unhandled if the upload fails
    await page.locator('.import-page input[type=file]').setInputFiles({ name, mimeType: 'text/csv', buffer })
    return preview
  }

  try {
    await steps.run('login', page, async () => {
      await page.goto(`${base}/login`)
      await page.locator('input[name=login]').fill(login)
      await page.locator('input[name=password]').fill(password)
      await page.locator('[data-test=login-submit]').click()
      await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 20000 }).catch(async () => {
        const err = await page.locator('[data-test=login-error]').textContent().catch(() => '')
        throw new Error(`still on the login page${err ? `: ${err.trim()}` : ''}`)
      })
      check(!page.url().includes('/password'), 'the principal is asked to change the password (demo account must not be)')
      await page.locator('[data-test=user-menu]').waitFor()
      const who = await page.locator('[data-test=user-menu]').innerText()
      check(/校长/.test(who), `the header does not show the principal's role: ${who}`)
      await page.locator('.el-statistic').first().waitFor()
    })

    await steps.run('import-wizard', page, async () => {
      await page.getByRole('button', { name: '批量导入' }).first().click()
      await page.waitForURL('**/people/import')
      await page.locator('[data-test=import-upload]').waitFor()
      await page.locator('[data-test=import-kind]').getByText('学生', { exact: true }).click()
    })

    await steps.run('bad-file-errors', page, async () => {
      const resp = await upload(`学生导入-${prefix}-有错.csv`, badCsv)
      const body = await resp.json()
      check(Array.isArray(body.errors), `the preview answered ${resp.status()} without an errors list`)
      await page.locator('[data-test=import-errors]').waitFor()
      await page.locator('[data-test=import-nothing]').waitFor()
      const notice = await page.locator('[data-test=import-nothing]').innerText()
      check(notice.includes('未导入任何数据'), `no "nothing was imported" notice: ${notice}`)
      const shown = (await page.locator('[data-test=import-errors] [data-test=error-row]').allInnerTexts())
        .map((s) => Number((/\d+/.exec(s) || [])[0]))
      const uniq = [...new Set(shown)].sort((a, b) => a - b)
      check(JSON.stringify(uniq) === JSON.stringify(expectedRows),
        `error rows shown ${JSON.stringify(uniq)}, expected ${JSON.stringify(expectedRows)}`)
      const table = await page.locator('[data-test=import-errors]').innerText()
      check(table.includes('身份证号'), 'the ID number error does not name the 身份证号 column')
      check(table.includes('班级'), 'the unknown class error does not name the 班级 column')
      const serverRows = [...new Set((body.errors || []).map((e) => e.row))].sort((a, b) => a - b)
      check(JSON.stringify(serverRows) === JSON.stringify(expectedRows), `server error rows ${JSON.stringify(serverRows)}`)
      check(await page.locator('[data-test=import-confirm]').count() === 0, 'an import button is offered although rows are bad')
    })

    await steps.run('nothing-imported', page, async () => {
      const listed = await searchStudents(prefix)
      check(listed.total === 0, `the student search for ${prefix} finds ${listed.total} students after a failed import`)
      await page.locator('[data-test=students-empty]').waitFor()
      const api = await apiStudents(prefix)
      check(api.status === 200 && api.body.total === 0, `GET /students?q=${prefix} answered ${api.status} total ${api.body && api.body.total}`)
    })

    await steps.run('fixed-file-preview', page, async () => {
      await page.goto(`${base}/people/import`)
      await page.locator('[data-test=import-upload]').waitFor()
      const resp = await upload(`学生导入-${prefix}.csv`, goodCsv)
      check(resp.ok(), `preview answered ${resp.status()}`)
      const body = await resp.json()
      check(body.ok === true && (body.errors || []).length === 0, `the fixed file still has errors: ${JSON.stringify(body.errors)}`)
      check(body.creates === ROWS, `the preview plans ${body.creates} creates, expected ${ROWS}`)
      await page.locator('[data-test=import-ok]').waitFor()
      const ok = await page.locator('[data-test=import-ok]').innerText()
      check(ok.includes(String(ROWS)), `the preview does not say ${ROWS} rows: ${ok}`)
    })

    await steps.run('imported', page, async () => {
      const done = page.waitForResponse((r) => /\/api\/v1\/imports\/students(\?|$)/.test(r.url()) && r.request().method() === 'POST', { timeout: 60000 })
      done.catch(() => {})
      await page.locator('[data-test=import-confirm]').click()
      const resp = await done
      check(resp.ok(), `import answered ${resp.status()}`)
      const body = await resp.json()
      check(body.created === ROWS, `import created ${body.created}, expected ${ROWS}`)
      await page.locator('[data-test=import-result]').waitFor()
      const counts = await page.locator('[data-test=import-counts]').innerText()
      check(counts.includes(`新增 ${ROWS} 条`), `the result does not say ${ROWS} created: ${counts}`)
    })

    await steps.run('students-found', page, async () => {
      const listed = await searchStudents(prefix)
      check(listed.total === ROWS, `the search finds ${listed.total} students, expected ${ROWS}`)
      const api = await apiStudents(prefix)
      const nos = new Set((api.body.items || []).map((s) => s.student_no))
      const missing = rows.filter((r) => !nos.has(r.学号.toUpperCase())).map((r) => r.学号)
      check(missing.length === 0, `not found: ${missing.slice(0, 5).join(', ')}`)
      const pager = await page.locator('[data-test=students-pager]').innerText()
      check(pager.includes(String(ROWS)), `the pager does not show ${ROWS}: ${pager}`)
    })

    await steps.run('fixed-rows-found', page, async () => {
      for (const i of [BAD_ID_INDEX, BAD_CLASS_INDEX]) {
        const no = rows[i].学号.toUpperCase()
        const listed = await searchStudents(no)
        check(listed.total === 1, `searching ${no} finds ${listed.total} students`)
        await page.locator('[data-test=students-table]').getByText(no, { exact: true }).waitFor()
        await page.locator('[data-test=students-table]').getByText(rows[i].姓名, { exact: true }).waitFor()
      }
    })
  } finally {
    await context.close()
  }
}
