// Bad input gets a clear error, never a 500 (issue 10 §3): wrong JSON types, control characters,
// numbers where text belongs, paging and filter parameters out of range or unknown, an over-long
// login, over-large headers, HEAD's Content-Length. Self-contained: it logs in with the demo
// accounts itself (run.mjs's helpers are its own).
import net from 'node:net';
import { parseArgs } from 'node:util';

import { demoAccounts, show, test } from './lib.mjs';

const { values: args } = parseArgs({ options: { base: { type: 'string' } }, strict: false });
const BASE = args.base || process.env.KEHOU_API_BASE || 'http://127.0.0.1:8080';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
const A = '/api/v1';
const RUN = (Date.now().toString(36) + Math.random().toString(36).slice(2, 5)).toUpperCase();
const demo = demoAccounts();
const { api, session } = demo;

const as = async (login, method, path, body, opts = {}) =>
  demo.as(login, method, path, body, opts);

// A 400 with the error envelope, a Chinese message and (when given) the field at fault.
function refused(t, r, what, field) {
  if (!t.status(r, 400, what)) return;
  t.errorShape(r, what, { code: 'invalid' });
  if (field) t.check(r.json.error.field === field, `${what}: field ${r.json.error.field}, expected ${field}`);
}

test('input: wrong JSON types in user, password and round bodies answer 400 naming the field, not 500', async (t) => {
  const login = `typ-${RUN}`.toLowerCase();
  const good = { login, display_name: '类型测试', role: 'office_staff', password: `Typ${RUN}x123456` };
  for (const field of ['login', 'display_name', 'role', 'password']) {
    refused(t, await as('principal', 'POST', `${A}/users`, { ...good, [field]: 12345 }), `POST /users with a numeric ${field}`, field);
  }
  refused(t, await as('principal', 'POST', `${A}/users`, { ...good, staff_id: 'abc' }), 'POST /users with staff_id "abc"', 'staff_id');
  const made = await as('principal', 'POST', `${A}/users`, good);
  if (!t.status(made, 201, 'create the account')) return;
  const id = made.json.id;
  refused(t, await as('principal', 'PUT', `${A}/users/${id}`, { display_name: 7 }), 'PUT /users/:id numeric display_name', 'display_name');
  refused(t, await as('principal', 'PUT', `${A}/users/${id}`, { role: ['principal'] }), 'PUT /users/:id role as a list', 'role');
  refused(t, await as('principal', 'PUT', `${A}/users/${id}`, { disabled: 'yes' }), 'PUT /users/:id disabled "yes"', 'disabled');
  refused(t, await as('principal', 'PUT', `${A}/users/${id}`, { display_name: null }), 'PUT /users/:id null display_name', 'display_name');
  t.status(await as('principal', 'PUT', `${A}/users/${id}`, { disabled: true }), 200, 'disable the test account');

  refused(t, await as('principal', 'POST', `${A}/auth/password`, { old_password: 1, new_password: 2 }), 'POST /auth/password numeric', 'old_password');
  refused(t, await as('principal', 'POST', `${A}/auth/password`, { old_password: PASSWORD, new_password: { x: 1 } }),
    'POST /auth/password object new_password', 'new_password');

  const now = Date.now();
  const round = { name: `类型-${RUN}`, mode: 'fcfs', grades: [3], opens_at: now + 3_600_000, closes_at: now + 7_200_000, section_ids: [] };
  refused(t, await as('principal', 'POST', `${A}/rounds`, { ...round, name: 42 }), 'POST /rounds numeric name', 'name');
  refused(t, await as('principal', 'POST', `${A}/rounds`, { ...round, mode: 1 }), 'POST /rounds numeric mode', 'mode');
  refused(t, await as('principal', 'POST', `${A}/rounds`, { ...round, max_per_child: 9223372036854775808 }), 'POST /rounds huge max_per_child', 'max_per_child');
});

test('input: control characters in course, round and batch names are refused', async (t) => {
  const bad = `名称\u0007${RUN}`;
  refused(t, await as('office', 'POST', `${A}/courses`, { name: bad, category: 'science', grades: [3], capacity: 30, slots: '3:after_school' }),
    'course name with BEL', 'name');
  const now = Date.now();
  refused(t, await as('principal', 'POST', `${A}/rounds`, { name: `轮次\u0000${RUN}`, mode: 'fcfs', grades: [3], opens_at: now + 3_600_000, closes_at: now + 7_200_000 }),
    'round name with NUL', 'name');
  refused(t, await as('principal', 'POST', `${A}/dismissal-batches`, { name: `批次\u001b${RUN}`, leave_time: '17:30' }), 'batch name with ESC', 'name');
  refused(t, await as('principal', 'POST', `${A}/dismissal-batches`, { name: `批次\u0085${RUN}`, leave_time: '17:30' }), 'batch name with NEL (C1)', 'name');
});

test('input: numbers are not turned into text (no wraparound of 2^63)', async (t) => {
  const me = await session('principal');
  const school = me.user.school_id;
  const before = await as('principal', 'GET', `${A}/schools/${school}`);
  if (!t.status(before, 200, 'read the school')) return;
  refused(t, await as('principal', 'PUT', `${A}/schools/${school}`, { address: 9223372036854775808 }), 'address 2^63 as a number', 'address');
  refused(t, await as('principal', 'PUT', `${A}/schools/${school}`, { address: 12 }), 'address as a number', 'address');
  const after = await as('principal', 'GET', `${A}/schools/${school}`);
  t.check(after.json && after.json.address === before.json.address, `the address is unchanged: ${show(after)}`);
});

test('input: page and page_size out of range are refused with a Chinese message', async (t) => {
  for (const q of ['page=9223372036854775807', 'page=0', 'page=-1', 'page=abc', 'page_size=0', 'page_size=201', 'page_size=100000']) {
    refused(t, await as('principal', 'GET', `${A}/students?${q}`), `GET /students?${q}`, q.split('=')[0]);
    refused(t, await as('principal', 'GET', `${A}/users?${q}`), `GET /users?${q}`, q.split('=')[0]);
    refused(t, await as('principal', 'GET', `${A}/audit?${q}`), `GET /audit?${q}`, q.split('=')[0]);
  }
  t.status(await as('principal', 'GET', `${A}/students?page=1&page_size=200`), 200, 'the limits themselves pass');
});

test('input: unknown or malformed filters on list endpoints are refused, not ignored', async (t) => {
  refused(t, await as('principal', 'GET', `${A}/audit?user_id=${encodeURIComponent('1 OR 1=1')}`), 'audit user_id "1 OR 1=1"', 'user_id');
  refused(t, await as('principal', 'GET', `${A}/audit?userid=1`), 'audit with an unknown parameter', 'userid');
  refused(t, await as('principal', 'GET', `${A}/students?clas_id=3`), 'students with a misspelt filter', 'clas_id');
  refused(t, await as('principal', 'GET', `${A}/users?school_id=x`), 'users with a malformed school_id', 'school_id');
  refused(t, await as('principal', 'GET', `${A}/rooms?colour=red`), 'rooms with an unknown parameter', 'colour');
  refused(t, await as('principal', 'GET', `${A}/applications?stauts=submitted`), 'applications with a misspelt filter', 'stauts');
  refused(t, await as('principal', 'GET', `${A}/applications?page=0`), 'applications page 0', 'page');
  t.status(await as('principal', 'GET', `${A}/audit?user_id=1&action=login`), 200, 'known filters still work');
});

test('input: a 900 KB login is refused and never stored in the audit trail', async (t) => {
  const huge = 'x'.repeat(900 * 1024);
  const r = await api.post(`${A}/auth/login`, { login: huge, password: 'whatever' });
  refused(t, r, 'login of 900 KB', 'login');
  const long65 = `q${'y'.repeat(64)}`;
  refused(t, await api.post(`${A}/auth/login`, { login: long65, password: 'whatever' }), 'login of 65 characters', 'login');
  const audit = await as('principal', 'GET', `${A}/audit?action=login_failed&page_size=50`);
  if (!t.status(audit, 200, 'read failed logins')) return;
  const long = audit.json.items.filter((e) => (e.user_name || '').length > 64 || JSON.stringify(e).length > 10_000);
  t.check(long.length === 0, `no audit row carries the long login (${long.length} do)`);
});

// Raw HTTP/1.1 over a socket: fetch refuses to send very large headers itself.
function rawRequest(text, timeoutMs = 5000) {
  const u = new URL(BASE);
  return new Promise((resolve) => {
    const sock = net.connect(Number(u.port || 80), u.hostname);
    let data = '';
    const done = (why) => { sock.destroy(); resolve({ data, why }); };
    sock.setTimeout(timeoutMs, () => done('timeout'));
    sock.on('data', (d) => { data += d.toString('latin1'); if (/\r\n\r\n/.test(data)) setTimeout(() => done('answered'), 50); });
    sock.on('end', () => done('closed'));
    sock.on('error', (e) => done(`error ${e.code}`));
    sock.write(text);
  });
}

test('input: request headers over the limit answer 431, not a dropped connection', async (t) => {
  const u = new URL(BASE);
  const big = 'a'.repeat(100 * 1024);
  const r = await rawRequest(`GET ${A}/health HTTP/1.1\r\nHost: ${u.host}\r\nX-Filler: ${big}\r\nConnection: close\r\n\r\n`);
  t.check(/^HTTP\/1\.1 431/.test(r.data), `100 KB of headers: expected 431, got ${r.why}: ${r.data.slice(0, 120)}`);
  t.check(/请求头过大/.test(Buffer.from(r.data, 'latin1').toString('utf8')), 'the 431 says why in Chinese');
  const ok = await rawRequest(`GET ${A}/health HTTP/1.1\r\nHost: ${u.host}\r\nX-Filler: ${'a'.repeat(4096)}\r\nConnection: close\r\n\r\n`);
  t.check(/^HTTP\/1\.1 200/.test(ok.data), `4 KB of headers pass: ${ok.data.slice(0, 60)}`);
});

test('input: HEAD reports the Content-Length of the GET', async (t) => {
  for (const path of [`${A}/health`, '/']) {
    const get = await api.get(path);
    const head = await api.request('HEAD', path);
    t.status(head, get.status, `HEAD ${path}`);
    const want = String(get.bytes.length);
    t.check(head.headers.get('content-length') === want,
      `HEAD ${path}: Content-Length ${head.headers.get('content-length')}, the GET sends ${want} bytes`);
    t.check(head.bytes.length === 0, `HEAD ${path} has no body`);
  }
});
