// flows.mjs: steps the scenarios d, e and f share: a fresh child of the demo guardian in the
// class teacher's class (created through the API as the office), the guardian's phone login and
// a console session of one staff member in a desktop context of its own.
import { check, idNumber } from './lib.mjs'
import { PHONE, apiLogin, consoleLogin } from './enroll.mjs'

export { PHONE, apiLogin, consoleLogin }

export function accounts() {
  return {
    guardianMobile: process.env.KEHOU_DEMO_GUARDIAN || '18874037771',
    teacherLogin: process.env.KEHOU_DEMO_CLASSTEACHER || 'classteacher',
    officeLogin: process.env.KEHOU_DEMO_OFFICE || 'office',
  }
}

const GIVEN_A = '甲乙丙丁戊己庚辛壬癸'
const GIVEN_B = '子丑寅卯辰巳午未申酉'

// A new child of the demo guardian in the class teacher's class: { child, klass }. region keeps
// the ID numbers of different scenarios apart; surname and prefix make the child easy to spot.
export async function freshChild({ office, teacher, guardianMobile, runId, surname, prefix, region }) {
  const st = await teacher('GET', '/students?page_size=1')
  check(st.status === 200 && st.body.items.length, `the class teacher sees no student (${st.status})`)
  const klass = { id: st.body.items[0].class_id, grade: st.body.items[0].grade_number }
  const birth = new Date(Date.UTC(2017, 0, 1) + (runId % 360) * 86400000)
  const child = await office('POST', '/students', {
    student_no: `${prefix}${runId}`,
    name: `${surname}${GIVEN_A[runId % 10]}${GIVEN_B[Math.floor(runId / 10) % 10]}`,
    gender: 'M',
    class_id: klass.id,
    id_number: idNumber(region, birth, runId % 1000, true),
    guardians: [{ name: '曹秋菊', relation: '母亲', mobile: guardianMobile }],
  })
  check(child.status === 201 || child.status === 200, `create child: ${child.status} ${JSON.stringify(child.body).slice(0, 200)}`)
  return { child: child.body, klass }
}

export async function phoneLogin(phone, base, mobile, password) {
  await phone.goto(`${base}/m/login`)
  await phone.locator('input[name=mobile]').fill(mobile)
  await phone.locator('input[name=password]').fill(password)
  await phone.locator('[data-test=m-login-submit]').click()
  await phone.waitForURL('**/m/children')
}

// Runs fn(page) in a desktop context signed in as login; the context is closed afterwards.
export async function asStaff(browser, base, login, password, fn) {
  const desk = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'zh-CN', acceptDownloads: true })
  try {
    const page = await desk.newPage()
    page.setDefaultTimeout(20000)
    await consoleLogin(page, base, login, password)
    return await fn(page)
  } finally {
    await desk.close()
  }
}

// Waits for the toasts and dialogs of the phone pages to go before a screenshot.
export async function settle(page) {
  await page.locator('.van-toast').first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {})
}

// Confirms the open Element Plus message box and waits for it to close.
export async function confirmBox(page) {
  await page.locator('.el-message-box__btns .el-button--primary').click()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => {})
}
