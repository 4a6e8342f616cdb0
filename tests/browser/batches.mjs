// (z) Dismissal batches and looked-after children (issue 11): pages for what only the API did.
// The office sees the demo's batches in leaving-time order, adds one and retires it; sees the demo's
// looked-after children, records one more for a child with no application, and is told in Chinese
// when it tries an enrolled child.
import { Steps, check } from './lib.mjs'
import { accounts, apiLogin, asStaff } from './flows.mjs'

export async function batchesScenario({ browser, playwright, base, out, password }) {
  const steps = new Steps(out, 'z')
  const { officeLogin } = accounts()
  const runId = Date.now() % 100000
  const request = await playwright.request.newContext({ baseURL: base })
  const pick = {}
  try {
    await steps.run('setup-api', null, async () => {
      const office = await apiLogin(request, officeLogin, password)
      const looked = await office('GET', '/looked-after')
      const taken = new Set((looked.body.items || []).map((x) => x.student.id))
      // An enrolled child: approved, not exited (other tests record exits), not looked after.
      const exits = await office('GET', '/exits')
      const exited = new Set((exits.body.items || []).map((e) => e.student?.id ?? e.student_id))
      const enrolled = await office('GET', '/applications?status=approved&page_size=100')
      pick.enrolled = enrolled.body.items.map((a) => a.student).find((st) => !exited.has(st.id) && !taken.has(st.id))
      check(pick.enrolled, 'an enrolled child who has not exited')
      // A child with no application at all, not yet looked after.
      for (let page = 1; page <= 20 && !pick.free; page++) {
        const list = await office('GET', `/students?page=${page}&page_size=200`)
        for (const s of list.body.items) {
          if (taken.has(s.id)) continue
          const apps = await office('GET', `/applications?student_id=${s.id}`)
          if (apps.status === 200 && apps.body.total === 0) { pick.free = s; break }
        }
      }
      check(pick.free, 'a child with no application exists in the demo')
    })
    await asStaff(browser, base, officeLogin, password, async (page) => {
      await steps.run('batches-page', page, async () => {
        await page.goto(`${base}/enroll/batches`)
        const rows = page.locator('[data-test=batches-table] .el-table__row')
        await rows.first().waitFor()
        check(await rows.count() >= 3, 'the demo batches are listed')
        const first = await rows.first().innerText()
        check(first.includes('16:50'), `the earliest batch first: ${first}`)
      })
      await steps.run('batch-create', page, async () => {
        await page.locator('[data-test=batch-create]').click()
        const dlg = page.locator('.el-dialog', { hasText: '新建批次' })
        await dlg.locator('.el-form-item', { hasText: '批次名称' }).locator('input').fill(`测试批次${runId}`)
        await dlg.locator('.el-form-item', { hasText: '放学时间' }).locator('.el-select').click()
        await page.locator('.el-select-dropdown__item:visible', { hasText: '18:30' }).click()
        await dlg.locator('[data-test=batch-save]').click()
        await dlg.waitFor({ state: 'hidden' })
        const row = page.locator('[data-test=batches-table] .el-table__row', { hasText: `测试批次${runId}` })
        await row.waitFor()
        check((await row.innerText()).includes('18:30'), 'the new batch shows its time')
      })
      await steps.run('batch-retire', page, async () => {
        const row = page.locator('[data-test=batches-table] .el-table__row', { hasText: `测试批次${runId}` })
        await row.getByText('编辑').click()
        const dlg = page.locator('.el-dialog', { hasText: '编辑批次' })
        await dlg.locator('.el-switch').click()
        await dlg.locator('[data-test=batch-save]').click()
        await dlg.waitFor({ state: 'hidden' })
        await page.locator('[data-test=batches-table] .el-table__row', { hasText: `测试批次${runId}` }).filter({ hasText: '停用' }).waitFor()
      })
      await steps.run('looked-after-page', page, async () => {
        await page.goto(`${base}/enroll/looked-after`)
        const rows = page.locator('[data-test=looked-table] .el-table__row')
        await rows.first().waitFor()
        check(await rows.count() >= 3, 'the demo looked-after children are listed')
      })
      const record = async (child, reason) => {
        await page.locator('[data-test=looked-create]').click()
        const dlg = page.locator('.el-dialog', { hasText: '登记在校看护' })
        const sel = dlg.locator('.el-form-item', { hasText: '学生' }).locator('.el-select')
        await sel.click()
        await sel.locator('input').fill(child.student_no)
        await page.locator('.el-select-dropdown__item:visible', { hasText: child.student_no }).click()
        await dlg.locator('.el-form-item', { hasText: '原因' }).locator('textarea').fill(reason)
        await dlg.locator('[data-test=looked-save]').click()
        return dlg
      }
      await steps.run('looked-after-refuses-enrolled', page, async () => {
        const dlg = await record(pick.enrolled, `测试${runId}：已报名的孩子`)
        await dlg.locator('text=已报名托管服务').waitFor()
        await dlg.getByRole('button', { name: '取消' }).click()
        await dlg.waitFor({ state: 'hidden' })
      })
      await steps.run('looked-after-create', page, async () => {
        const dlg = await record(pick.free, `测试${runId}：家长临时出差`)
        await dlg.waitFor({ state: 'hidden' })
        const row = page.locator('[data-test=looked-table] .el-table__row', { hasText: pick.free.student_no })
        await row.waitFor()
        check((await row.innerText()).includes('看护中'), 'the new record is current')
      })
    })
  } finally {
    await request.dispose()
  }
}
