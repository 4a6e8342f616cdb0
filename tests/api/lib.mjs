// Small helpers for the API tests: an HTTP client on Node's built-in fetch (Node 18+), a test
// registry with PASS/FAIL reporting, and checks that collect reasons instead of throwing.

export class Client {
  constructor(base) {
    this.base = base.replace(/\/+$/, '');
  }

  // request(method, path, {token, body, raw, headers, cookie, csrf, lang})
  // -> {status, headers, text, json, ms}
  async request(method, path, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
    if (opts.cookie) headers.Cookie = opts.cookie;
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    if (opts.lang) headers['Accept-Language'] = opts.lang;
    let body;
    if (opts.raw !== undefined) {
      body = opts.raw;
      if (!headers['Content-Type']) headers['Content-Type'] = 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['Content-Type'] = 'application/json';
    }
    const started = Date.now();
    let res;
    try {
      res = await fetch(this.base + path, { method, headers, body, redirect: 'manual' });
    } catch (e) {
      return { status: 0, headers: new Headers(), text: '', json: null, error: String(e.cause || e), ms: Date.now() - started };
    }
    const buf = Buffer.from(await res.arrayBuffer());
    const ctype = res.headers.get('content-type') || '';
    const text = ctype.includes('json') || ctype.startsWith('text/') || ctype === '' ? buf.toString('utf8') : '';
    let json = null;
    if (ctype.includes('json') && text) {
      try { json = JSON.parse(text); } catch { json = null; }
    }
    return { status: res.status, headers: res.headers, text, json, bytes: buf, ms: Date.now() - started };
  }
  get(path, opts) { return this.request('GET', path, opts); }
  post(path, body, opts = {}) { return this.request('POST', path, { ...opts, body }); }
  put(path, body, opts = {}) { return this.request('PUT', path, { ...opts, body }); }
  del(path, opts) { return this.request('DELETE', path, opts); }
}

// A short description of a response for failure reasons.
export function show(r) {
  if (!r) return '(no response)';
  if (r.status === 0) return `no answer (${r.error})`;
  let body = r.text || (r.bytes ? `<${r.bytes.length} bytes ${r.headers.get('content-type')}>` : '');
  if (body.length > 300) body = body.slice(0, 300) + '…';
  return `${r.status} ${body}`;
}

export const hasChinese = (s) => /[\u4e00-\u9fff]/.test(s || '');

// A failure inside a test that stops it (expect), as opposed to check, which records and goes on.
export class Stop extends Error {}

export class TestContext {
  constructor(name) {
    this.name = name;
    this.failures = [];
    this.notes = [];
    this.checks = 0;
  }
  check(cond, reason) {
    this.checks++;
    if (!cond) this.failures.push(typeof reason === 'function' ? reason() : reason);
    return !!cond;
  }
  // Like check, but stops the test when it fails (later steps depend on it).
  expect(cond, reason) {
    if (!this.check(cond, reason)) throw new Stop();
  }
  note(s) { this.notes.push(s); }

  // Status is one of `want` (number or array); returns the response.
  status(r, want, what) {
    const ok = Array.isArray(want) ? want.includes(r.status) : r.status === want;
    this.check(ok, () => `${what}: expected ${Array.isArray(want) ? want.join('/') : want}, got ${show(r)}`);
    return ok;
  }
  // An error answer in the contract's shape: {"error":{"code","message"}} with a Chinese message
  // (unless english).
  errorShape(r, what, { english = false, code } = {}) {
    const e = r.json && r.json.error;
    if (!this.check(e && typeof e.code === 'string' && typeof e.message === 'string',
      () => `${what}: not an error envelope {"error":{"code","message"}}: ${show(r)}`)) return false;
    if (code) this.check(e.code === code, `${what}: error code ${e.code}, expected ${code}`);
    if (english) this.check(!hasChinese(e.message) && /[a-z]/i.test(e.message), `${what}: message not English: ${e.message}`);
    else this.check(hasChinese(e.message), `${what}: message not Chinese: ${e.message}`);
    return true;
  }
}

const tests = [];
export function test(name, fn, { group = 'api' } = {}) {
  tests.push({ name, fn, group });
}

export async function runAll({ filter, log = console.log } = {}) {
  let passed = 0, failed = 0;
  const failedNames = [];
  for (const t of tests) {
    if (filter && !filter.test(t.name)) continue;
    const ctx = new TestContext(t.name);
    const started = Date.now();
    try {
      await t.fn(ctx);
    } catch (e) {
      if (!(e instanceof Stop)) ctx.failures.push(`exception: ${e && e.stack ? e.stack.split('\n').slice(0, 3).join(' | ') : e}`);
    }
    const ms = Date.now() - started;
    if (ctx.failures.length === 0) {
      passed++;
      log(`PASS  ${t.name}  (${ctx.checks} checks, ${ms} ms)${ctx.notes.length ? '  — ' + ctx.notes.join('; ') : ''}`);
    } else {
      failed++;
      failedNames.push(t.name);
      log(`FAIL  ${t.name}  (${ctx.failures.length} of ${ctx.checks} checks failed, ${ms} ms)`);
      const shown = ctx.failures.slice(0, 40);
      for (const f of shown) log(`        - ${f}`);
      if (ctx.failures.length > shown.length) log(`        … and ${ctx.failures.length - shown.length} more`);
    }
  }
  return { passed, failed, failedNames };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// GB 11643 check character for 17 digits.
export function idCheckChar(first17) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const c = '10X98765432';
  let s = 0;
  for (let i = 0; i < 17; i++) s += Number(first17[i]) * w[i];
  return c[s % 11];
}

// A valid ID number for a child born in `year` (region 110101 Beijing Dongcheng), serial from n.
export function makeIdNumber(year, month, day, n) {
  const body = `110101${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${String(n % 1000).padStart(3, '0')}`;
  return body + idCheckChar(body);
}

// The suite's server (--base, else KEHOU_API_BASE) and a signed-in demo account as a function
// (method, path under /api/v1, body) -> answer. For test files that need no fixtures of run.mjs.
export function suiteBase() {
  const at = process.argv.indexOf('--base');
  return (at >= 0 && process.argv[at + 1]) || process.env.KEHOU_API_BASE || 'http://127.0.0.1:8080';
}
export async function demoSession(login) {
  const api = new Client(suiteBase());
  const password = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
  const r = await api.post('/api/v1/auth/login', { login, password });
  if (r.status !== 200 || !r.json?.token) throw new Error(`login ${login}: ${show(r)}`);
  return (method, path, body) => api.request(method, `/api/v1${path}`, { token: r.json.token, body });
}

// Issue 11: every course is reviewed with its lesson plan. A leader (the demo's 'principal') who
// posts a course with its plan approves it there; tests that need an open course post it so.
export const LESSON_PLAN = { filename: '教案.pdf', content_base64: Buffer.from('%PDF-1.4\n% Kehou test lesson plan\n').toString('base64') };
export const withPlan = (body) => ({ ...body, plan: LESSON_PLAN });

// Signed-in demo accounts for a test file, each logged in once: as(login, method, path, body, opts)
// with the full path (/api/v1/...), user(login) -> the account of the login answer, session(login)
// -> the whole login answer. Test files use this, never a login helper of their own.
export function demoAccounts() {
  const api = new Client(suiteBase());
  const password = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
  const sessions = {};
  async function session(login, pw = password) {  // pw: an account whose password a test set
    if (!sessions[login]) {
      const r = await api.post('/api/v1/auth/login', { login, password: pw });
      if (r.status !== 200 || !r.json?.token) throw new Error(`login ${login}: ${show(r)}`);
      sessions[login] = r.json;
    }
    return sessions[login];
  }
  return {
    api,
    // opts: further request options (headers, ...), as Client.request takes them.
    as: async (login, method, path, body, opts = {}) => api.request(method, path, { ...opts, token: (await session(login)).token, body }),
    user: async (login) => (await session(login)).user,
    session,  // -> the login answer: {token, user, csrf_token, ...}
  };
}
