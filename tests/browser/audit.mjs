// (u) Audit log (issue 11): the principal opens the console's audit page before an inspection and
// reads it without a manual: times in school-local time (UTC+8) as YYYY-MM-DD HH:mm:ss, actions and
// entities in Chinese, the acting user by name, and each change as "字段：旧值 → 新值", not JSON.
//
// Setup through the API: the principal creates an account and renames it (an 'update' row whose
// change is 显示名：old → new). Last, the users page shows the principal's 最近登录.
import { Steps, check } from './lib.mjs'
import { apiLogin, asStaff } from './flows.mjs'

// Epoch ms -> "YYYY-MM-DD HH:mm:ss" in UTC+8, computed independently of the page's helper.
function cst(ms) {
  return new Date(ms + 8 * 3600 * 1000).toISOString().slice(0, 19).replace('T', ' ')
}

export async function auditScenario({ browser, playwright, base, out, password, principalLogin }) {
  const steps = new Steps(out, 'u')
  const runId = Date.now() % 1000000
  const request = await playwright.request.newContext({ baseURL: base })
  const setup = {}
  try {
    await steps.run('setup-api', null, async () => {
      const principal = await apiLogin(request, principalLogin, password)
      const oldName = `审计甲${runId}`
      const newName = `审计乙${runId}`
      const created = await principal('POST', '/users', { login: `audit${runId}`, display_name: oldName, role: 'teacher', password: 'Audit@2026x' })
      check(created.status === 201, `create user: ${created.status} ${JSON.stringify(created.body).slice(0, 200)}`)
      const renamed = await principal('PUT', `/users/${created.body.id}`, { display_name: newName, role: 'teacher' })
      check(renamed.status === 200, `rename user: ${renamed.status} ${JSON.stringify(renamed.body).slice(0, 200)}`)
      const rows = await principal('GET', `/audit?action=update&entity=user&page_size=20`)
      const row = rows.body.items.find((r) => r.entity_id === created.body.id)
      check(row, `no update row for the renamed account: ${JSON.stringify(rows.body).slice(0, 300)}`)
      Object.assign(setup, { id: created.body.id, oldName, newName, row })
    })

    await asStaff(browser, base, principalLogin, password, async (page) => {
      await steps.run('audit-page', page, async () => {
        await page.goto(`${base}/system/audit`)
        await page.locator('h2', { hasText: '审计日志' }).waitFor()
        const line = page.locator('.el-table__row', { hasText: `${setup.oldName} → ${setup.newName}` }).first()
        await line.waitFor()
        const text = await line.innerText()
        const at = await line.locator('[data-test=audit-at]').innerText()
        check(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(at.trim()), `time is not YYYY-MM-DD HH:mm:ss: ${at}`)
        check(at.trim() === cst(setup.row.at), `time ${at} is not school-local ${cst(setup.row.at)} (at ${setup.row.at})`)
        check((await line.locator('[data-test=audit-action]').innerText()).trim() === '修改', `action label: ${text}`)
        check(text.includes('账号'), `entity not in Chinese: ${text}`)
        check(text.includes(`显示名：${setup.oldName} → ${setup.newName}`), `no readable change line: ${text}`)
        check(!text.includes('{') && !text.includes('display_name'), `raw JSON or field names shown: ${text}`)
        check(!/\b1\d{12}\b/.test(text), `epoch milliseconds shown: ${text}`)
      })
      await steps.run('audit-expand', page, async () => {
        const row = page.locator('.el-table__row', { hasText: `${setup.oldName} → ${setup.newName}` }).first()
        await row.locator('.el-table__expand-icon').click()
        const list = page.locator('[data-test=audit-changes]', { hasText: setup.newName }).first()
        await list.waitFor()
        const text = await list.innerText()
        check(text.includes(`显示名：${setup.oldName} → ${setup.newName}`), `expanded change list: ${text}`)
      })
      await steps.run('audit-user-filter', page, async () => {
        const pick = page.locator('[data-test=audit-user]')
        await pick.click()
        await pick.locator('input').fill(principalLogin)
        // The remote search replaces the first page of accounts: wait until only matches are listed.
        const items = page.locator('.el-select-dropdown__item:visible')
        for (let i = 0; i < 50; i++) {
          const texts = await items.allInnerTexts()
          if (texts.length && texts.every((x) => x.includes(principalLogin))) break
          await page.waitForTimeout(100)
        }
        await items.filter({ hasText: `（${principalLogin}）` }).first().click()
        // The unfiltered rows stay on screen until the filtered page arrives: wait for it (10 s).
        await page.locator('.el-table__row').first().waitFor()
        let users = []
        for (let i = 0; i < 100; i++) {
          users = await page.locator('.el-table__row td:nth-child(3)').allInnerTexts()
          if (users.length && users.every((u) => u.trim() === users[0].trim())) break
          await page.waitForTimeout(100)
        }
        check(users.length > 0 && users.every((u) => u.trim() === users[0].trim() && !/^\d+$/.test(u.trim())), `filtered rows by one named user: ${users.join(',')}`)
      })
      // 最近登录 on the users page: the principal has just signed in, so their row shows a local time.
      await steps.run('users-last-login', page, async () => {
        await page.goto(`${base}/system/users`)
        const row = page.locator('.el-table__row', { hasText: principalLogin }).first()
        await row.waitFor()
        const text = await row.innerText()
        check(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/.test(text), `the principal's 最近登录 is empty: ${text}`)
      })
    })
  } finally {
    await request.dispose()
  }
}
