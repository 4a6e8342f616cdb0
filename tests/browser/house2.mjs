// (hs2) The house (issue 9 §5): the setup and account pages' create/edit dialogs run on the one
// useEditDialog + EditDialog pair. The principal opens each dialog, meets the page's own rules
// (必填, a bad mobile) before anything is sent, sees the server's refusal beside the field it names
// (a login already taken), and saves: the toast, the dialog closes, the list shows the new row;
// the county officer's institution dialog shows the server's refusal above its buttons.
// New rows only (a room and an account with this run's id): nothing other scenarios read changes.
import { Steps, check } from './lib.mjs'
import { asStaff } from './flows.mjs'

const dialog = (page, title) => page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
const item = (dlg, label) => dlg.locator('.el-form-item', { has: dlg.page().locator('.el-form-item__label', { hasText: label }) })

async function requiredShown(page, url, button, title, labels) {
  await page.goto(url)
  await page.getByRole('button', { name: button }).click()
  const dlg = dialog(page, title)
  await dlg.waitFor()
  await dlg.getByRole('button', { name: '保存' }).click()
  for (const label of labels) {
    await item(dlg, label).locator('.el-form-item__error', { hasText: '必填' }).waitFor()
  }
  await dlg.getByRole('button', { name: '取消' }).click()
  await dlg.waitFor({ state: 'hidden' })
}

export async function house2Scenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'hs2')
  const runId = Date.now() % 1000000
  await asStaff(browser, base, 'principal', password, async (page) => {
    await steps.run('terms-required', page, () => requiredShown(page, `${base}/setup/terms`, '新建学期', '新建学期', ['学期名称', '起止日期']))
    await steps.run('classes-required', page, () => requiredShown(page, `${base}/setup/classes`, '新建班级', '新建班级', ['班级名称']))
    await steps.run('staff-mobile', page, async () => {
      await page.goto(`${base}/people/staff`)
      await page.getByRole('button', { name: '新增人员' }).click()
      const dlg = dialog(page, '新增人员')
      await dlg.waitFor()
      await item(dlg, '姓名').locator('input').fill(`测试${runId}`)
      await item(dlg, '手机').locator('input').fill('12345678901')
      await dlg.getByRole('button', { name: '保存' }).click()
      await item(dlg, '手机').locator('.el-form-item__error', { hasText: '手机号格式不正确' }).waitFor()
      await dlg.getByRole('button', { name: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })
    })
    await steps.run('room-created', page, async () => {
      await page.goto(`${base}/setup/rooms`)
      await page.getByRole('button', { name: '新建场地' }).click()
      const dlg = dialog(page, '新建场地')
      await dlg.waitFor()
      await dlg.getByRole('button', { name: '保存' }).click()
      await item(dlg, '名称').locator('.el-form-item__error', { hasText: '必填' }).waitFor()
      const name = `测试功能室${runId}`
      await item(dlg, '名称').locator('input').fill(name)
      await dlg.getByRole('button', { name: '保存' }).click()
      await dlg.waitFor({ state: 'hidden' })
      await page.locator('.el-message--success', { hasText: '已保存' }).first().waitFor()
      await page.locator('.el-table__row', { hasText: name }).waitFor()
    })
    await steps.run('user-login-taken', page, async () => {
      await page.goto(`${base}/system/users`)
      await page.locator('[data-test=user-create]').click()
      const dlg = dialog(page, '新建账号')
      await dlg.waitFor()
      await item(dlg, '账号').locator('input').fill('principal')
      await item(dlg, '姓名').locator('input').fill(`测试${runId}`)
      await dlg.getByRole('button', { name: '保存' }).click()
      // The server's 409 names the field: shown beside it, the dialog stays open.
      await item(dlg, '账号').locator('.el-form-item__error', { hasText: '登录名已被使用' }).waitFor()
      check(await dlg.isVisible(), 'the dialog stays open on a refusal')
      await item(dlg, '账号').locator('input').fill(`hs2u${runId}`)
      await dlg.getByRole('button', { name: '保存' }).click()
      await dlg.waitFor({ state: 'hidden' })
      const temp = await page.locator('[data-test=temporary-password]').innerText()
      check(temp.trim().length >= 8, `a temporary password is shown: ${temp}`)
    })
  })
  // The county's list of institutions: the server's refusal shows above the buttons (that page
  // names no field beside its inputs), no toast, and the dialog stays open.
  await asStaff(browser, base, 'county', password, async (page) => {
    await steps.run('institution-refused', page, async () => {
      await page.goto(`${base}/people/institutions`)
      await page.getByRole('button', { name: '列入名单' }).click()
      const dlg = dialog(page, '列入遴选名单')
      await dlg.waitFor()
      await dlg.getByRole('button', { name: '保存' }).click()
      const alert = dlg.locator('.el-alert--error')
      await alert.waitFor()
      check((await alert.innerText()).trim().length > 0, 'the refusal is named')
      check(await dlg.isVisible(), 'the dialog stays open on a refusal')
      await dlg.getByRole('button', { name: '取消' }).click()
      await dlg.waitFor({ state: 'hidden' })
    })
  })
}
