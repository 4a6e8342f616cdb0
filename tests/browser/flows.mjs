// flows.mjs: steps the scenarios d, e and f share: a fresh child of the demo guardian in the
// class teacher's class (created through the API as the office), the child's enrolment through
// the API (application, signature, review chain), the guardian's phone login and a console
// session of one staff member in a desktop context of its own.
import { check, idNumber } from './lib.mjs'
import { approvedCourse } from './lib.mjs'
import { PHONE, apiLogin, consoleLogin, openPhone } from './enroll.mjs'

export { PHONE, apiLogin, consoleLogin, openPhone }

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

// The agreement text enrolChild publishes when the school has no current one (the demo has one).
const AGREEMENT = {
  title: '课后服务托管协议',
  body: '一、服务内容：学校在放学后提供课后服务（作业辅导、兴趣活动），家长自愿参加。\n'
    + '二、服务时间：周一至周五放学后至 17:30，节假日不提供。\n'
    + '三、安全责任：学生在服务期间由学校负责看护；离校按家长选择的放学方式办理。\n'
    + '四、退出：家长可随时申请退出，自退出生效日起停止服务。',
}

// Enrols child (a fresh child with no application yet) in its school's current term through the
// API, with the bodies the pages send: the guardian applies (POST /applications), signs the
// current agreement (POST /applications/:id/sign; the office publishes version 1 first only when
// none is current) and submits; the class teacher approves (POST /applications/:id/class-review);
// the principal approves (POST /applications/principal-review). Each answer is checked, and the
// first unexpected one throws with its status and body. Returns the approved application.
//
// office, teacher, principal, guardian: an apiLogin caller or a login (then signed in with
// password on request); they default to the demo accounts. teacher is the class teacher of the
// child's class (pass the office when the class has none). days must avoid the weekdays the
// school excludes this term.
export async function enrolChild({
  request, password, child, office, teacher, principal, guardian,
  days = [1, 2, 3, 4, 5], bands = ['after_school'],
}) {
  const a = accounts()
  const as = async (who, login) => (typeof who === 'function' ? who : apiLogin(request, who || login, password))
  const parent = await as(guardian, a.guardianMobile)
  const expect = (step, r, ok, cond = () => true) => {
    const statuses = Array.isArray(ok) ? ok : [ok]
    check(statuses.includes(r.status) && cond(r.body),
      `enrol ${child.name || child.id}: ${step} answered ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`)
    return r.body
  }

  // The agreement the guardian will sign: the current one, published now if there is none.
  let agreement = await parent('GET', `/agreements/current?student_id=${child.id}`)
  if (agreement.status === 404) {
    const off = await as(office, a.officeLogin)
    const terms = expect('GET /terms', await off('GET', '/terms?page_size=50'), 200)
    const term = (terms.items || []).find((t) => t.is_current)
    check(term, `enrol ${child.name || child.id}: the school has no current term`)
    expect('POST /agreements', await off('POST', '/agreements', { term_id: term.id, ...AGREEMENT }), [200, 201])
    agreement = await parent('GET', `/agreements/current?student_id=${child.id}`)
  }
  agreement = expect('GET /agreements/current', agreement, 200, (b) => b.id && b.body_hash)

  // The form as the phone page fills it: the primary guardian picks up; a dismissal batch when the
  // school has set some up (the service then requires one for after-school bands).
  const student = expect(`GET /students/${child.id}`, await parent('GET', `/students/${child.id}`), 200)
  const guardians = student.guardians || []
  const pickup = guardians.find((g) => g.is_primary) || guardians[0]
  check(pickup, `enrol ${child.name || child.id}: the child has no guardian`)
  const body = { student_id: child.id, days, bands, pickup: { mode: 'guardian', guardian_id: pickup.id }, note: '' }
  const batches = await parent('GET', `/dismissal-batches?student_id=${child.id}`)
  if (batches.status === 200 && (batches.body.items || []).length) body.dismissal_batch_id = batches.body.items[0].id

  const draft = expect('POST /applications', await parent('POST', '/applications', body), [200, 201],
    (b) => b.status === 'draft')
  const id = draft.id
  expect('sign', await parent('POST', `/applications/${id}/sign`, { agreement_id: agreement.id, agreement_hash: agreement.body_hash }),
    200, (b) => b.signed_current_version === true && b.signature && b.signature.agreement_id === agreement.id)
  expect('submit', await parent('POST', `/applications/${id}/submit`), 200, (b) => b.status === 'submitted')
  const ct = await as(teacher, a.teacherLogin)
  expect('class review', await ct('POST', `/applications/${id}/class-review`, { decision: 'approve', reason: '' }),
    200, (b) => b.status === 'class_approved')
  const head = await as(principal, process.env.KEHOU_DEMO_PRINCIPAL || 'principal')
  expect('principal review', await head('POST', '/applications/principal-review', { ids: [id], decision: 'approve', reason: '' }),
    200, (b) => b.decided === 1 && b.items && b.items[0] && b.items[0].status === 'approved')
  return expect(`GET /applications/${id}`, await parent('GET', `/applications/${id}`), 200,
    (b) => b.status === 'approved' && b.signed_current_version === true)
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

// A fresh enrolled child of the demo guardian in the class teacher's class, and a new course of the
// child's grade with one section: { office, child, klass, app, section }. course: name, category,
// weekday, description (the rest follows the child).
export async function enrolledChildAndSection({ request, password, runId, surname, prefix, region, course }) {
  const { teacherLogin, officeLogin, guardianMobile } = accounts()
  const office = await apiLogin(request, officeLogin, password)
  const teacher = await apiLogin(request, teacherLogin, password)
  const made = await freshChild({ office, teacher, guardianMobile, runId, surname, prefix, region })
  const app = await enrolChild({ request, password, child: made.child, office, teacher })
  const c = await approvedCourse(request, password, {
    name: course.name, category: course.category, grades: [made.klass.grade], capacity: 30,
    slots: [{ weekday: course.weekday, band: 'after_school' }], description: course.description, institution: '青山县少年宫',
  })
  check(c.status === 201, `create course: ${c.status} ${JSON.stringify(c.body).slice(0, 200)}`)
  const section = await office('POST', `/courses/${c.body.id}/sections`, { name: `${course.name}-1班`, capacity: 30 })
  check(section.status === 201, `create section: ${section.status} ${JSON.stringify(section.body).slice(0, 200)}`)
  return { office, ...made, app, section: section.body }
}
