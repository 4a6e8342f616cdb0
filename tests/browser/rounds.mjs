// (n) The new-round dialog on 选课轮次: its window shows this year's dates (an hour from now to
// three days on) and its calendar opens at this year, not at 1799-1801 (the value was a string
// of milliseconds that the picker read as a year).
import { Steps, check } from './lib.mjs'
import { accounts, asStaff } from './flows.mjs'

export async function newRoundDialogScenario({ browser, base, out, password }) {
  const steps = new Steps(out, 'n')
  const { officeLogin } = accounts()
  await asStaff(browser, base, officeLogin, password, async (page) => {
    const year = new Date().getFullYear()
    const dlg = page.locator('.el-dialog', { hasText: '新建选课轮次' })
    await steps.run('dialog-window-year', page, async () => {
      await page.goto(`${base}/select/rounds`)
      await page.locator('[data-test=rounds-table]').waitFor()
      await page.locator('[data-test=round-create]').click()
      await dlg.waitFor()
      const inputs = dlg.locator('.el-form-item', { hasText: '开放时间' }).locator('input')
      const values = await inputs.evaluateAll((els) => els.map((e) => e.value))
      check(values.length === 2, `the window has ${values.length} inputs`)
      for (const v of values) {
        const y = Number((v.match(/^(\d{4})-/) || [])[1])
        check(y === year || y === year + 1, `the window shows "${v}", not a date of ${year}`)
      }
      const from = new Date(values[0].replace(' ', 'T'))
      const hours = (from.getTime() - Date.now()) / 3600e3
      check(hours > 0.5 && hours < 1.5, `the window opens at ${values[0]}, not about an hour from now`)
    })
    await steps.run('calendar-year', page, async () => {
      await dlg.locator('.el-form-item', { hasText: '开放时间' }).locator('.el-range-editor').click()
      const header = page.locator('.el-date-range-picker:visible .el-date-range-picker__header div').first()
      await header.waitFor()
      const text = (await header.textContent()).trim()
      const y = Number((text.match(/(\d{4})/) || [])[1])
      check(y === year || y === year + 1, `the calendar opens at "${text}", not at ${year}`)
    })
  })
}
