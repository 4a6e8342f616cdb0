// (hs3) The house (issue 9 §5): the daily-operation and money dialogs run on useEditDialog too —
// the attendance board's alert, stop/adjust, device and campus-card dialogs, the safety records'
// add dialog, the notification channel settings and the reconciliation import. Each is opened,
// meets its own check before anything is sent (the Chinese message above the buttons, the dialog
// open), and the ones that change only new rows are saved; a reopened dialog starts empty.
// Writes: one resolved absence alert (when the board has one), one device, one patrol, the
// notification settings saved unchanged. No sessions are stopped (the note check is all).
import { Steps, check } from './lib.mjs'
import { asStaff } from './flows.mjs'

const dialog = (page, title) => page.locator('.el-dialog', { has: page.locator('.el-dialog__title', { hasText: title }) })
const alertIn = (dlg, text) => dlg.locator('.el-alert--error', { hasText: text })

async function refusedThenCancelled(dlg, save, message) {
  await dlg.locator(`[data-test=${save}]`).click()
  await alertIn(dlg, message).waitFor()
  check(await dlg.isVisible(), `the dialog stays open: ${message}`)
}

async function boardDialogs(steps, page, base, runId) {
  await steps.run('board-resolve', page, async () => {
    await page.goto(`${base}/daily/attendance`)
    await page.locator('h2', { hasText: '考勤看板' }).waitFor()
    const resolve = page.locator('[data-test=board-resolve]')
    await page.locator('[data-test=board-alerts] .el-table__row, [data-test=board-alerts] .el-empty').first().waitFor()
    if (!(await resolve.count())) return // no open alert today: nothing to resolve
    await resolve.first().click()
    const dlg = dialog(page, '处理缺勤提醒')
    await refusedThenCancelled(dlg, 'board-resolve-save', '请填写处理说明')
    await steps.shot(page, 'hs3-board-resolve-refused')
    await dlg.locator('[data-test=board-note] textarea, textarea[data-test=board-note]').first().fill(`已电话联系家长（浏览器测试 ${runId}）`)
    await dlg.locator('[data-test=board-resolve-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success', { hasText: '已处理' }).first().waitFor()
  })
  await steps.run('cancel-note-required', page, async () => {
    await page.locator('[data-test=cancel-open]').click()
    const dlg = dialog(page, '停课或调整课后服务')
    await refusedThenCancelled(dlg, 'cancel-save', '请填写告知家长的说明')
    await steps.shot(page, 'hs3-cancel-refused')
    await dlg.getByRole('button', { name: '取消' }).click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=cancel-open]').click()
    await dlg.waitFor()
    check(await alertIn(dlg, '请填写').count() === 0, 'a reopened dialog shows no old error')
    check(await dlg.locator('[data-test=cancel-note] textarea, textarea[data-test=cancel-note]').first().inputValue() === '', 'a reopened dialog starts empty')
    await dlg.getByRole('button', { name: '取消' }).click()
    await dlg.waitFor({ state: 'hidden' })
  })
  await steps.run('device-key', page, async () => {
    await page.locator('[data-test=device-create]').click()
    const dlg = dialog(page, '新建设备')
    await refusedThenCancelled(dlg, 'device-save', '请填写设备名称')
    const name = `测试闸机${runId}`
    await dlg.locator('[data-test=device-name] input, input[data-test=device-name]').first().fill(name)
    await dlg.locator('[data-test=device-save]').click()
    const key = await dlg.locator('[data-test=device-key]').innerText()
    check(/Authorization: Device \S{16,}/.test(key), `the key is shown once: ${key}`)
    check(await dlg.locator('[data-test=device-save]').count() === 0, 'a saved device has no save button')
    await steps.shot(page, 'hs3-device-key')
    await dlg.getByRole('button', { name: '确定' }).click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('[data-test=devices] .el-table__row', { hasText: name }).waitFor()
  })
  await steps.run('card-required', page, async () => {
    await page.locator('[data-test=card-open]').click()
    const dlg = dialog(page, '绑定校园卡')
    await refusedThenCancelled(dlg, 'card-save', '请填写卡号并选择学生')
  })
  await page.keyboard.press('Escape')
}

async function safetyDialog(steps, page, base, runId) {
  await steps.run('patrol-added', page, async () => {
    await page.goto(`${base}/daily/safety`)
    await page.locator('.el-tabs__item', { hasText: '安全巡查' }).click()
    await page.locator('[data-test=sf-add-patrols]').click()
    const dlg = dialog(page, '安全巡查')
    await refusedThenCancelled(dlg, 'sf-form-save', '请填写必填项')
    await steps.shot(page, 'hs3-patrol-refused')
    const area = `测试区域${runId}`
    await dlg.locator('.el-form-item', { hasText: '区域' }).locator('input').first().fill(area)
    await dlg.locator('[data-test=sf-form-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success', { hasText: '已保存' }).first().waitFor()
    await page.locator('[data-test=sf-table-patrols] .el-table__row', { hasText: area }).waitFor()
  })
}

async function notifySettings(steps, page, base) {
  await steps.run('notify-settings', page, async () => {
    await page.goto(`${base}/daily/notify`)
    await page.locator('[data-test=ntf-settings]').click()
    const dlg = dialog(page, '通道设置')
    await dlg.locator('[data-test=ntf-settings-form]').waitFor()
    await page.waitForTimeout(500) // the dialog's opening animation, for the picture
    await steps.shot(page, 'hs3-notify-settings')
    await dlg.locator('[data-test=ntf-settings-save]').click()
    await dlg.waitFor({ state: 'hidden' })
    await page.locator('.el-message--success', { hasText: '通道设置已保存' }).first().waitFor()
  })
}

async function reconcileImport(steps, page, base) {
  await steps.run('reconcile-refused', page, async () => {
    await page.goto(`${base}/pay`)
    await page.locator('.el-tabs__item', { hasText: '对账与缴费提醒' }).click()
    await page.locator('[data-test=rec-import-open]').click()
    const dlg = dialog(page, '导入对账单')
    check(await dlg.locator('[data-test=rec-import]').isDisabled(), 'no file: the import waits')
    const csv = '交易时间,商户订单号,微信支付单号,交易状态,订单金额\n不是时间,X1,W1,SUCCESS,一百\n'
    await dlg.locator('[data-test=rec-file]').setInputFiles({ name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) })
    await dlg.locator('[data-test=rec-import]:not([disabled])').waitFor()
    await dlg.locator('[data-test=rec-import]').click()
    await dlg.locator('[data-test=rec-errors] .el-table__row').first().waitFor()
    await page.locator('.el-message--error').first().waitFor()
    check(await dlg.isVisible(), 'a refused statement keeps the dialog open')
  })
}

export async function house3Scenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'hs3')
  const runId = Date.now() % 1000000
  await asStaff(browser, base, 'office', password, async (page) => {
    await boardDialogs(steps, page, base, runId)
    await safetyDialog(steps, page, base, runId)
    await notifySettings(steps, page, base)
  })
  await asStaff(browser, base, 'principal', password, (page) => reconcileImport(steps, page, base))
}
