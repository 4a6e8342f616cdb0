// lib.mjs: helpers for the browser tests: arguments, the browser, steps with screenshots, and
// test data (GB 11643 ID numbers, student CSV files).
import { createRequire } from 'node:module'
import { mkdirSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
// playwright-core is a devDependency of web/ (installed there by `npm ci`).
const requireFromWeb = createRequire(path.join(here, '..', '..', 'web', 'package.json'))

export function loadPlaywright() {
  try {
    return requireFromWeb('playwright-core')
  } catch (e) {
    throw new Error(`playwright-core is not installed: run \`npm ci\` in web/ first (${e.message})`)
  }
}

export function parseArgs(argv) {
  const args = {
    base: process.env.KEHOU_BASE || 'http://127.0.0.1:8080',
    out: process.env.KEHOU_ARTIFACTS || 'build/artifacts',
    only: '',
    chromium: process.env.KEHOU_CHROMIUM || '/usr/bin/chromium',
    headed: false,
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const next = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`)
      return argv[++i]
    }
    if (a === '--base') args.base = next()
    else if (a.startsWith('--base=')) args.base = a.slice(7)
    else if (a === '--out') args.out = next()
    else if (a.startsWith('--out=')) args.out = a.slice(6)
    else if (a === '--only') args.only = next()
    else if (a === '--chromium') args.chromium = next()
    else if (a === '--headed') args.headed = true
    else if (a === '--help' || a === '-h') args.help = true
    else throw new Error(`unknown argument ${a}`)
  }
  args.base = args.base.replace(/\/+$/, '')
  args.out = path.resolve(args.out)
  return args
}

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
]

// Launches Debian's chromium. chromium.launch always gives the browser a fresh temporary
// --user-data-dir of its own (and removes it on close); it refuses one in args.
export async function launch(chromium, executablePath) {
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    args: CHROMIUM_ARGS,
    timeout: 60000,
  })
  return {
    browser,
    async close() {
      try { await browser.close() } catch { /* already gone */ }
    },
  }
}

export class StepFailed extends Error {
  constructor(step, cause) {
    super(`${step}: ${cause && cause.message ? cause.message : cause}`)
    this.step = step
    this.cause = cause
  }
}

// Runs named steps; each leaves <out>/<name>.png (also when it fails, as <name>-FAILED.png).
export class Steps {
  constructor(out, prefix) {
    this.out = out
    this.prefix = prefix
    this.n = 0
    mkdirSync(out, { recursive: true })
  }
  async run(title, page, fn) {
    this.n += 1
    const name = `${this.prefix}${String(this.n).padStart(2, '0')}-${title}`
    const t0 = Date.now()
    try {
      const value = await fn()
      await this.shot(page, name)
      console.log(`  ok   ${name} (${Date.now() - t0} ms)`)
      return value
    } catch (e) {
      await this.shot(page, `${name}-FAILED`)
      console.log(`  FAIL ${name}: ${e && e.message ? e.message.split('\n')[0] : e}`)
      throw new StepFailed(name, e)
    }
  }
  async shot(page, name) {
    if (!page) return
    try {
      await page.screenshot({ path: path.join(this.out, `${name}.png`), fullPage: true, timeout: 15000 })
    } catch (e) {
      console.log(`  (no screenshot for ${name}: ${e.message.split('\n')[0]})`)
    }
  }
}

export function check(cond, message) {
  if (!cond) throw new Error(message)
}

// ---- test data ----------------------------------------------------------------------------------

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const ID_CHECK = '10X98765432'

// The GB 11643 check character of the first 17 digits.
export function idCheckChar(first17) {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]
  return ID_CHECK[sum % 11]
}

function pad(n, w) { return String(n).padStart(w, '0') }

// A valid 18-digit ID number: region code, birth date, 3-digit sequence (odd = male), check.
export function idNumber(region, birth, seq, male) {
  let s = seq % 1000
  if ((s % 2 === 1) !== male) s = (s + 1) % 1000
  const first17 = `${region}${birth.getUTCFullYear()}${pad(birth.getUTCMonth() + 1, 2)}${pad(birth.getUTCDate(), 2)}${pad(s, 3)}`
  return first17 + idCheckChar(first17)
}

// The same number with a wrong check character.
export function breakCheckChar(id) {
  const good = id[17]
  const i = ID_CHECK.indexOf(good)
  return id.slice(0, 17) + ID_CHECK[(i + 1) % 11]
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗']
const GIVEN = ['子涵', '欣怡', '梓轩', '浩然', '雨桐', '宇航', '思远', '佳琪', '一诺', '俊熙', '诗涵', '博文', '若曦', '铭泽', '语嫣', '天佑', '可馨', '明哲', '静怡', '嘉懿']
const FATHER = ['建国', '志强', '海涛', '伟', '磊', '军', '勇', '杰', '涛', '斌']
const MOTHER = ['丽', '芳', '静', '敏', '燕', '艳', '娟', '霞', '玲', '红']

export const STUDENT_HEADERS = ['学号', '姓名', '性别', '年级', '班级', '身份证号', '健康备注', '留守儿童', '低保家庭', '残疾',
  '监护人姓名', '监护人关系', '监护人手机', '第二监护人姓名', '第二监护人关系', '第二监护人手机']

// n students of grade/class, unique for this run (student numbers and mobiles from the run id).
export function makeStudents(runId, n, { grade = 3, klass = 1 } = {}) {
  const prefix = `T${runId}`
  const rows = []
  for (let i = 0; i < n; i++) {
    const male = i % 2 === 0
    const surname = SURNAMES[(runId + i) % SURNAMES.length]
    const birth = new Date(Date.UTC(2016, 8, 1) + (((runId * 7 + i * 13) % 360) * 86400000))
    const id = idNumber('520102', birth, (runId * 31 + i * 2) % 1000, male)
    const mobile = `197${pad((runId % 100000) * 100 + i, 8)}`
    rows.push({
      学号: `${prefix}${pad(i + 1, 2)}`,
      姓名: surname + GIVEN[(runId + i * 3) % GIVEN.length],
      性别: male ? '男' : '女',
      年级: String(grade),
      班级: String(klass),
      身份证号: id,
      健康备注: i % 10 === 3 ? '花生过敏' : '',
      留守儿童: i % 12 === 5 ? '是' : '否',
      低保家庭: '否',
      残疾: '否',
      监护人姓名: surname + (i % 3 === 0 ? MOTHER[i % MOTHER.length] : FATHER[i % FATHER.length]),
      监护人关系: i % 3 === 0 ? '母亲' : '父亲',
      监护人手机: mobile,
      第二监护人姓名: '',
      第二监护人关系: '',
      第二监护人手机: '',
    })
  }
  return { prefix, rows }
}

function csvCell(v) {
  const s = String(v ?? '')
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function toCsv(rows, headers = STUDENT_HEADERS) {
  const lines = [headers.map(csvCell).join(',')]
  for (const r of rows) lines.push(headers.map((h) => csvCell(r[h])).join(','))
  return '\ufeff' + lines.join('\r\n') + '\r\n'
}

// Issue 11: every course is reviewed with its lesson plan. A scenario that needs an open course has
// the demo principal post it with its plan (approved there, the decision recorded).
export const LESSON_PLAN = { filename: '教案.pdf', content_base64: Buffer.from('%PDF-1.4\n% Kehou browser test lesson plan\n').toString('base64') }
// `request`: a Playwright APIRequestContext with the base URL; null: Node's fetch on `base` (so the
// principal's session never touches a page's cookies).
export async function approvedCourse(request, password, body, base = '') {
  const call = async (path, data, token) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {}
    if (request) {
      const r = await request.post(path, { headers, data })
      let json = null
      try { json = await r.json() } catch { /* not JSON */ }
      return { status: r.status(), body: json }
    }
    const r = await fetch(`${base}${path}`, { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(data ?? {}) })
    let json = null
    try { json = await r.json() } catch { /* not JSON */ }
    return { status: r.status, body: json }
  }
  const li = await call('/api/v1/auth/login', { login: 'principal', password })
  check(li.status === 200, `principal login answered ${li.status}`)
  const made = await call('/api/v1/courses', { ...body, plan: LESSON_PLAN }, li.body.token)
  await call('/api/v1/auth/logout', undefined, li.body.token)
  return made
}

// HTML5 drag and drop as the browser dispatches it (dragstart, dragenter, dragover, drop, dragend
// with one DataTransfer), on exactly these elements: a mouse drag's drop point moves with the page.
// The pause before the drop lets a live check colour the cell and fill its hint.
export async function dragAndDrop(page, src, dst) {
  const dt = await page.evaluateHandle(() => new DataTransfer())
  await src.dispatchEvent('dragstart', { dataTransfer: dt })
  await dst.dispatchEvent('dragenter', { dataTransfer: dt })
  await dst.dispatchEvent('dragover', { dataTransfer: dt })
  await page.waitForTimeout(300)
  await dst.dispatchEvent('drop', { dataTransfer: dt })
  await src.dispatchEvent('dragend', { dataTransfer: dt }).catch(() => {})
}

// The school's current term (else its first), through an API caller from apiLogin.
export async function currentTermId(call) {
  const terms = (await call('GET', '/terms?page_size=50')).body.items
  return (terms.find((x) => x.is_current) || terms[0]).id
}
