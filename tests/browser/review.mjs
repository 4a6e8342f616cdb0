// (d) The review chain with a return: the office publishes a new version of the service agreement
// on the 托管协议 page; the guardian applies on the phone and signs that version; the class
// teacher returns the application with a reason; the guardian sees the reason, changes the form,
// signs again and resubmits; the class teacher approves; the principal batch-approves; the
// guardian sees 已通过 and the whole history, the reason included.
//
// Setup through the API as the office (re-runnable on the same database): a fresh child of the
// demo guardian in the class teacher's class, deactivated at the end.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff, confirmBox, freshChild, openPhone, phoneLogin, settle } from './flows.mjs'

const AGREEMENT_BODY = '一、服务内容：学校在放学后提供课后服务（作业辅导、兴趣活动），家长自愿参加。\n'
  + '二、服务时间：周一至周五放学后至 17:30，节假日不提供。\n'
  + '三、安全责任：学生在服务期间由学校负责看护；离校按家长选择的放学方式办理。\n'
  + '四、退出：家长可随时申请退出，自退出生效日起停止服务。'

export async function reviewScenario({ browser, playwright, base, out, password, principalLogin }) {
  const steps = new Steps(out, 'd')
  const { guardianMobile, teacherLogin, officeLogin } = accounts()
  const runId = Date.now() % 1000000
  const reason = `请补充周五的接送安排（${runId}）`
  const { request, phoneCtx, phone } = await openPhone({ browser, playwright, base })
  let office = null
  const setup = {}
  const row = (page) => page.locator('.el-table__row', { has: page.locator(`[data-test=review-student][data-app-id="${setup.appId}"]`) })

  try {
    await steps.run('setup-api', null, async () => {
      office = await apiLogin(request, officeLogin, password)
      const teacher = await apiLogin(request, teacherLogin, password)
      Object.assign(setup, await freshChild({ office, teacher, guardianMobile, runId, surname: '王审', prefix: 'D', region: '520103' }))
      const cur = await office('GET', '/agreements/current')
      setup.before = cur.status === 200 ? cur.body.version : 0
    })

    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('office-publishes-agreement', page, async () => {
        await page.goto(`${base}/enroll/agreements`)
        await page.locator(`[data-test=agreement-current][data-version="${setup.before || ''}"]`).waitFor()
        await page.locator('[data-test=agreement-create]').click()
        const title = page.locator('[data-test=agreement-form-title]')
        await title.fill('课后服务托管协议')
        const body = page.locator('[data-test=agreement-form-body]')
        if (!(await body.inputValue()).trim()) await body.fill(AGREEMENT_BODY)
        await body.fill(`${(await body.inputValue()).replace(/\n（修订 \d+）$/, '')}\n（修订 ${runId}）`)
        await page.locator('[data-test=agreement-publish]').click()
        await confirmBox(page)
        await page.locator('.el-message--success').waitFor()
        setup.version = setup.before + 1
        await page.locator(`[data-test=agreement-current][data-version="${setup.version}"]`).waitFor()
        const text = await page.locator('[data-test=agreement-current]').textContent()
        check(text.includes(`修订 ${runId}`), 'the current agreement does not show the new text')
        const n = await page.locator('[data-test=agreement-version]').count()
        check(n >= setup.version, `the version list shows ${n} versions, expected at least ${setup.version}`)
        await page.locator('.el-message').first().waitFor({ state: 'hidden' }).catch(() => {})
      })
    })

    await steps.run('phone-apply-sign-submit', phone, async () => {
      await phoneLogin(phone, base, guardianMobile, password)
      await phone.locator(`[data-test=m-child][data-child-id="${setup.child.id}"] [data-test=m-child-apply]`).click()
      await phone.waitForURL(`**/m/apply/${setup.child.id}`)
      await phone.locator('[data-test=m-apply-save]').click()
      await phone.locator('[data-test=m-apply-status][data-status=draft]').waitFor()
      const text = await phone.locator('[data-test=m-agreement-body]').textContent()
      check(text.includes(`修订 ${runId}`), 'the phone shows an older agreement text')
      await phone.locator('[data-test=m-apply-read]').click()
      await phone.locator('[data-test=m-apply-sign]').click()
      await phone.locator('.van-dialog__confirm').click()
      await phone.locator('[data-test=m-apply-signed]').waitFor()
      const v = await phone.locator('[data-test=m-apply-signed-version]').textContent()
      check(v.includes(String(setup.version)), `signed version shows "${v}", expected ${setup.version}`)
      await settle(phone)
      await phone.locator('[data-test=m-apply-submit]').click()
      await phone.locator('[data-test=m-apply-status][data-status=submitted]').waitFor()
      await settle(phone)
      setup.appId = await phone.evaluate(async (sid) => {
        const r = await fetch(`/api/v1/applications?student_id=${sid}`, { credentials: 'same-origin' })
        return ((await r.json()).items || [])[0]?.id
      }, setup.child.id)
      check(setup.appId, 'the application is not in GET /applications')
    })

    await asStaff(browser, base, teacherLogin, password, async (page) => {
      await steps.run('class-teacher-returns', page, async () => {
        await page.goto(`${base}/enroll/review`)
        await row(page).waitFor()
        await row(page).locator('[data-test=review-return]').click()
        await page.locator('.el-message-box textarea').fill('退')
        await page.locator('.el-message-box__btns .el-button--primary').click()
        // A one-character reason is refused in the box itself.
        await page.locator('.el-message-box__errormsg').waitFor()
        await page.locator('.el-message-box textarea').fill(reason)
        await confirmBox(page)
        await page.locator('.el-message--success').waitFor()
        await row(page).waitFor({ state: 'detached' })
      })
    })

    await steps.run('guardian-sees-reason', phone, async () => {
      await phone.reload()
      await phone.locator('[data-test=m-apply-status][data-status=returned]').waitFor()
      const history = await phone.locator('[data-test=m-apply-history]').textContent()
      check(history.includes(reason), `the history does not show the reason "${reason}"`)
      check(history.includes('班主任退回'), 'the history does not name the return')
    })

    await steps.run('guardian-edits-resigns-resubmits', phone, async () => {
      await phone.locator('[data-test=m-apply-edit]').click()
      // Friday off, and a note answering the teacher.
      await phone.locator('[data-test=m-apply-days] .van-checkbox', { hasText: '周五' }).click()
      await phone.locator('textarea').last().fill('周五由外婆接送，电话已告知班主任。')
      await phone.locator('[data-test=m-apply-save]').click()
      await settle(phone)
      // The form changed, so the signature of the old form no longer counts.
      await phone.locator('[data-test=m-apply-sign]').waitFor()
      check(await phone.locator('[data-test=m-apply-submit]').isDisabled(), 'submit is enabled before signing the changed form')
      await phone.locator('[data-test=m-apply-read]').click()
      await phone.locator('[data-test=m-apply-sign]').click()
      await phone.locator('.van-dialog__confirm').click()
      await phone.locator('[data-test=m-apply-signed]').waitFor()
      await settle(phone)
      await phone.locator('[data-test=m-apply-submit]').click()
      await phone.locator('[data-test=m-apply-status][data-status=submitted]').waitFor()
      await settle(phone)
    })

    await asStaff(browser, base, teacherLogin, password, async (page) => {
      await steps.run('class-teacher-approves', page, async () => {
        await page.goto(`${base}/enroll/review`)
        await row(page).waitFor()
        const days = await row(page).textContent()
        check(!days.includes('周五'), `the queue still shows Friday: ${days}`)
        await row(page).locator('[data-test=review-approve]').click()
        await confirmBox(page)
        await page.locator('.el-message--success').waitFor()
        await row(page).waitFor({ state: 'detached' })
      })
    })

    await asStaff(browser, base, principalLogin, password, async (page) => {
      await steps.run('principal-batch-approves', page, async () => {
        await page.goto(`${base}/enroll/review`)
        await row(page).waitFor()
        await row(page).locator('.el-checkbox').first().click()
        await page.locator('[data-test=review-batch-approve]').click()
        await confirmBox(page)
        await page.locator('.el-message--success').waitFor()
        await row(page).waitFor({ state: 'detached' })
      })
    })

    await steps.run('guardian-sees-approved', phone, async () => {
      await phone.reload()
      await phone.locator('[data-test=m-apply-status][data-status=approved]').waitFor()
      const steps5 = await phone.locator('[data-test=m-apply-history] .van-step').count()
      check(steps5 >= 5, `the history shows ${steps5} entries (expected submit, return, submit, class approval, approval)`)
      const history = await phone.locator('[data-test=m-apply-history]').textContent()
      check(history.includes(reason) && history.includes('校长审定通过'), 'the history lacks the reason or the final approval')
    })
  } finally {
    if (office && setup.child) {
      try { await office('PUT', `/students/${setup.child.id}`, { active: false }) } catch { /* best effort */ }
    }
    await request.dispose()
    await phoneCtx.close()
  }
}
