// (p) Course proposals (课程申报) and the catalog: a teacher proposes a course in the console with
// a PDF lesson plan; the course group approves it; the principal approves it; the catalog then
// lists the course as open and its extension-course count (against the target of 30) has grown
// by one. The teacher, the course group and the principal each use their own demo account.
// Re-runnable: every run proposes a new course named with the run id.
import { Steps, check } from './lib.mjs'
import { apiLogin, consoleLogin } from './enroll.mjs'

// A small, valid one-page PDF (what a teacher would upload), built with correct xref offsets.
export function lessonPlanPdf(title) {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  const text = `BT /F1 18 Tf 72 760 Td (Lesson plan: ${title.replace(/[()\\]/g, '')}) Tj ET`
  objs[3] = `<< /Length ${text.length} >>\nstream\n${text}\nendstream`
  let pdf = '%PDF-1.4\n'
  const offsets = []
  objs.forEach((o, i) => {
    offsets.push(pdf.length)
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`
  pdf += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

async function logout(page) {
  await page.locator('[data-test=user-menu]').click()
  await page.locator('[data-test=logout]').click()
  await page.waitForURL('**/login')
}

// Element Plus puts attributes of <el-input> on the <input> itself, of other components on their
// root: this finds the text box either way.
const box = (name) => `input[data-test=${name}], textarea[data-test=${name}], [data-test=${name}] input, [data-test=${name}] textarea`

function rowOf(page, id) {
  return page.locator('.el-table__row', { has: page.locator(`[data-test=proposal-course][data-proposal-id="${id}"]`) })
}

export async function proposalScenario({ browser, playwright, base, out, password, principalLogin }) {
  const steps = new Steps(out, 'p')
  const teacherLogin = process.env.KEHOU_DEMO_TEACHER || 'teacher'
  const groupLogin = process.env.KEHOU_DEMO_COURSE || 'course'
  const runId = Date.now().toString(36).slice(-5).toUpperCase()
  const courseName = `创客编程${runId}`
  const request = await playwright.request.newContext({ baseURL: base })
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  const page = await desk.newPage()
  page.setDefaultTimeout(20000)
  const pdf = lessonPlanPdf(courseName)
  let before = 0
  let proposalId = 0

  try {
    await steps.run('count-before', null, async () => {
      const office = await apiLogin(request, principalLogin, password)
      const r = await office('GET', '/courses')
      check(r.status === 200 && r.body.target === 30, `GET /courses answered ${r.status}, target ${r.body && r.body.target}`)
      before = r.body.extension_count
    })

    await steps.run('teacher-opens-proposals', page, async () => {
      await consoleLogin(page, base, teacherLogin, password)
      await page.goto(`${base}/select/proposals`)
      await page.locator('[data-test=proposal-table]').waitFor()
      await page.locator('[data-test=proposal-new]').waitFor()
    })

    await steps.run('teacher-fills-form', page, async () => {
      await page.locator('[data-test=proposal-new]').click()
      const dialog = page.locator('[data-test=proposal-dialog]')
      await dialog.locator(box('course-name')).fill(courseName)
      await dialog.locator('[data-test=course-category]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '科技' }).click()
      await dialog.locator('[data-test=course-grades] .el-checkbox', { hasText: '3 年级' }).click()
      await dialog.locator('[data-test=course-grades] .el-checkbox', { hasText: '4 年级' }).click()
      await dialog.locator('[data-test=course-slots]').click()
      await page.locator('.el-select-dropdown__item:visible', { hasText: '周二 课后服务' }).click()
      await dialog.locator(box('course-name')).click() // close the dropdown
      await dialog.locator(box('course-description')).fill('用图形化编程和传感器做小作品，每次课 1 小时。')
      await dialog.locator('[data-test=proposal-upload] input[type=file]').setInputFiles({ name: `${courseName}教案.pdf`, mimeType: 'application/pdf', buffer: pdf })
      await dialog.locator('.el-upload-list__item', { hasText: '教案.pdf' }).waitFor()
    })

    await steps.run('teacher-submits', page, async () => {
      const created = page.waitForResponse((r) => r.url().endsWith('/api/v1/proposals') && r.request().method() === 'POST')
      await page.locator('[data-test=proposal-submit]').click()
      const res = await created
      check(res.status() === 201, `POST /proposals answered ${res.status()}: ${await res.text()}`)
      proposalId = (await res.json()).id
      await page.locator('[data-test=proposal-dialog]').waitFor({ state: 'hidden' })
      await rowOf(page, proposalId).locator('[data-test=proposal-state][data-state=submitted]').waitFor()
    })

    await steps.run('course-group-approves', page, async () => {
      await logout(page)
      await consoleLogin(page, base, groupLogin, password)
      await page.goto(`${base}/select/proposals`)
      await page.locator('[data-test=proposal-filter] [data-state=submitted]').click()
      const row = rowOf(page, proposalId)
      await row.waitFor()
      // The course group reads the lesson plan before deciding.
      const dl = page.waitForEvent('download')
      await row.locator('[data-test=proposal-plan]').click()
      const file = await dl
      check(file.suggestedFilename().endsWith('.pdf'), `downloaded ${file.suggestedFilename()}`)
      await row.locator('[data-test=proposal-review-approve]').click()
      await page.locator('.el-message-box textarea').fill('教案完整，安全措施到位')
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('.el-message--success').waitFor()
      await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => {})
      await page.locator('[data-test=proposal-filter] .el-radio-button').first().click()
      await rowOf(page, proposalId).locator('[data-test=proposal-state][data-state=reviewed]').waitFor()
    })

    await steps.run('principal-approves', page, async () => {
      await logout(page)
      await consoleLogin(page, base, principalLogin, password)
      await page.goto(`${base}/select/proposals`)
      const row = rowOf(page, proposalId)
      await row.waitFor()
      await row.locator('[data-test=proposal-decide-approve]').click()
      await page.locator('.el-message-box__btns .el-button--primary').click()
      await page.locator('.el-message--success').waitFor()
      await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => {})
      await rowOf(page, proposalId).locator('[data-test=proposal-state][data-state=approved]').waitFor()
    })

    await steps.run('principal-sees-history', page, async () => {
      await rowOf(page, proposalId).locator('[data-test=proposal-course]').click()
      const drawer = page.locator('.el-drawer', { hasText: courseName })
      await drawer.locator('.el-timeline-item').nth(2).waitFor()
      const text = await drawer.textContent()
      check(text.includes('教案完整，安全措施到位'), 'the course group\'s remark is in the history')
      check(text.includes(`${courseName}教案.pdf`), 'the lesson plan is listed')
    })

    await steps.run('catalog-shows-course-and-count', page, async () => {
      await page.goto(`${base}/select/catalog`)
      const target = page.locator('[data-test=catalog-target]')
      await target.waitFor()
      await page.waitForFunction((n) => document.querySelector('[data-test=catalog-target]')?.getAttribute('data-count') === String(n), before + 1)
      check((await target.getAttribute('data-target')) === '30', 'the target is 30')
      await page.locator(box('catalog-search')).fill(courseName)
      await page.locator(box('catalog-search')).press('Enter')
      const row = page.locator('.el-table__row', { hasText: courseName })
      await row.waitFor()
      await row.locator('[data-test=catalog-status][data-status=approved]').waitFor()
      const shown = (await page.locator('[data-test=catalog-extension-count]').textContent()).trim()
      check(shown === String(before + 1), `the page shows ${shown} extension courses, expected ${before + 1}`)
    })
  } finally {
    await request.dispose()
    await desk.close()
  }
}
