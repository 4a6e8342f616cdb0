// Issue 10 §1 (access control) and §3 (passwords), against a running server with the demo school.
// Imported by run.mjs (its tests run first, so they leave the demo accounts as they found them:
// everything destructive happens to throwaway accounts, and the login-throttling tests use
// addresses of their own through X-Real-IP, so the server must run with --trust-proxy, as
// scripts/e2e starts it).
import { parseArgs } from 'node:util';

import { Client, show, hasChinese, test, withPlan } from './lib.mjs';

const { values: args } = parseArgs({ options: { base: { type: 'string' } }, strict: false });
const BASE = args.base || process.env.KEHOU_API_BASE || 'http://127.0.0.1:8080';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
const RUN = (Date.now().toString(36) + Math.random().toString(36).slice(2, 5)).toLowerCase();
const api = new Client(BASE);
const A = '/api/v1';
const STRONG = () => `Acc${RUN}x${Math.floor(Math.random() * 1e6)}`;
// Addresses of this run (TEST-NET-3), one per purpose, so the throttling tests never touch the
// counters of 127.0.0.1 that the other tests use.
const octet = Math.floor(Math.random() * 200) + 20;
let nextIp = 1;
const freshIp = () => `203.0.${octet}.${nextIp++}`;

const login = (name, password = PASSWORD, ip) =>
  api.post(`${A}/auth/login`, { login: name, password }, ip ? { headers: { 'X-Real-IP': ip } } : {});

const demo = {};
async function as(loginName) {
  if (!demo[loginName]) {
    const r = await login(loginName);
    if (r.status !== 200) throw new Error(`demo login ${loginName}: ${show(r)}`);
    demo[loginName] = { token: r.json.token, user: r.json.user };
  }
  return demo[loginName];
}
const call = async (who, method, path, body) =>
  api.request(method, path, { token: typeof who === 'string' ? (await as(who)).token : who.token, body });

// A throwaway account made by `by` (a demo login), its first password already changed.
async function account(t, by, role, { schoolId, label = 'acc' } = {}) {
  const name = `${label}-${RUN}-${Math.floor(Math.random() * 1e6)}`;
  const password = STRONG();
  const q = schoolId ? `?school_id=${schoolId}` : '';
  const r = await call(by, 'POST', `${A}/users${q}`, { login: name, display_name: `测试${label}`, role, password });
  t.expect(r.status === 201, `${by} creates a ${role} account: ${show(r)}`);
  const l = await login(name, password);
  t.expect(l.status === 200, `first login of ${name}: ${show(l)}`);
  let pw = password;
  if (l.json.user.must_change_password) {
    pw = STRONG();
    const c = await api.post(`${A}/auth/password`, { old_password: password, new_password: pw }, { token: l.json.token });
    t.expect(c.status === 200 || c.status === 204, `change the first password: ${show(c)}`);
  }
  return { id: r.json.id, login: name, password: pw, token: l.json.token };
}

const school = async () => (await as('principal')).user.school_id;
const forbidden = (t, r, what) => {
  if (t.status(r, 403, what)) t.errorShape(r, what, { code: 'forbidden' });
};

// ------------------------------------------------------------------------------------------------
// Accounts: ranks

test('access: an office director cannot make themself principal, create a principal, or disable, demote or reset the principal', async (t) => {
  const sid = await school();
  const boss = await account(t, 'admin', 'principal', { schoolId: sid, label: 'boss' });
  const dir = await account(t, 'admin', 'office_director', { schoolId: sid, label: 'dir' });
  forbidden(t, await call(dir, 'PUT', `${A}/users/${dir.id}`, { role: 'principal' }), 'director -> principal (own account)');
  forbidden(t, await call(dir, 'GET', `${A}/audit`), 'the director still may not open /audit');
  forbidden(t, await call(dir, 'POST', `${A}/users`, { login: `p-${RUN}`, display_name: '新校长', role: 'principal', password: STRONG() }),
    'director creates a principal');
  forbidden(t, await call(dir, 'POST', `${A}/users`, { login: `d-${RUN}`, display_name: '另一主任', role: 'office_director', password: STRONG() }),
    'director creates an office director (own rank)');
  forbidden(t, await call(dir, 'PUT', `${A}/users/${boss.id}`, { disabled: true }), 'director disables the principal');
  forbidden(t, await call(dir, 'PUT', `${A}/users/${boss.id}`, { role: 'teacher' }), 'director demotes the principal');
  forbidden(t, await call(dir, 'POST', `${A}/users/${boss.id}/reset-password`), 'director resets the principal\'s password');
  t.status(await login(boss.login, boss.password), 200, 'the principal still logs in with their own password');
  // Below their rank the director still manages accounts.
  const teacher = await call(dir, 'POST', `${A}/users`, { login: `t-${RUN}`, display_name: '新老师', role: 'teacher', password: STRONG() });
  t.status(teacher, 201, 'director creates a teacher account');
  // Nobody changes their own role, not even upwards by a principal.
  forbidden(t, await call(boss, 'PUT', `${A}/users/${boss.id}`, { role: 'county_officer' }), 'principal changes their own role');
  forbidden(t, await call(boss, 'PUT', `${A}/users/${dir.id}`, { role: 'principal' }), 'principal grants their own rank');
});

test('access: the county manages a principal; changes are audited and the affected user sees a notice in /auth/me', async (t) => {
  const sid = await school();
  const boss = await account(t, 'admin', 'principal', { schoolId: sid, label: 'boss2' });
  const dir = await account(t, 'admin', 'office_director', { schoolId: sid, label: 'dir2' });
  // The principal demotes the office director: allowed, audited, the director is told.
  t.status(await call(boss, 'PUT', `${A}/users/${dir.id}`, { role: 'office_staff' }), 200, 'principal demotes the director');
  const l = await login(dir.login, dir.password);
  t.expect(l.status === 200, `the demoted director logs in: ${show(l)}`);
  const notes = (l.json.user.notices || []);
  t.check(notes.some((n) => n.kind === 'role_changed' && hasChinese(n.message) && n.message.includes('课后服务办公室干事')),
    `the director's notices: ${JSON.stringify(notes)}`);
  // The county resets the principal's password (a principal is managed from above only).
  const county = await as('county');
  const reset = await call('county', 'POST', `${A}/users/${boss.id}/reset-password?school_id=${sid}`);
  if (t.status(reset, 200, 'county resets the principal\'s password')) {
    const p = await login(boss.login, reset.json.temporary_password);
    t.expect(p.status === 200, `login with the temporary password: ${show(p)}`);
    t.check(p.json.user.must_change_password === true, 'the reset password must be changed');
    const me = await api.get(`${A}/auth/me`, { token: p.json.token });
    const n = (me.json && me.json.notices || []).find((x) => x.kind === 'password_reset');
    t.check(n && n.by.includes(county.user.display_name), `the principal's notice of the reset: ${JSON.stringify(me.json && me.json.notices)}`);
  }
  const audit = await call('admin', 'GET', `${A}/audit?action=reset_password&school_id=${sid}&page_size=50`);
  t.check(audit.status === 200 && audit.json.items.some((i) => i.entity_id === boss.id && i.user_id === county.user.id),
    `no reset_password audit row by the county for the principal: ${show(audit)}`);
  const demote = await call('county', 'PUT', `${A}/users/${boss.id}?school_id=${sid}`, { disabled: true });
  t.status(demote, 200, 'county disables the principal');
  // An officer may not grant a rank at or above their own.
  forbidden(t, await call('county', 'POST', `${A}/users?school_id=${sid}`, { login: `c-${RUN}`, display_name: 'x', role: 'county_officer', password: STRONG() }),
    'county creates a county officer');
});

test('access: a guardian with children in two schools is not reset by one school (403), and keeps their password', async (t) => {
  const g = await call('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  t.expect(g.status === 200, `GET /users?role=guardian: ${show(g)}`);
  const wanted = process.env.KEHOU_DEMO_GUARDIAN || '18874037771';
  const acct = g.json.items.find((u) => u.login === wanted);
  t.expect(acct, `the demo guardian ${wanted} is not among the school's guardian accounts`);
  const kids = await call(await login(wanted).then((r) => r.json), 'GET', `${A}/me/children`);
  const schools = new Set((kids.json && kids.json.items || []).map((k) => k.school_id));
  t.expect(schools.size >= 2, `the demo guardian should have children in two schools: ${show(kids)}`);
  for (const who of ['office', 'principal']) {
    const r = await call(who, 'POST', `${A}/users/${acct.id}/reset-password`);
    forbidden(t, r, `${who} resets a guardian with a child in another school`);
    t.check(!(r.text || '').includes('temporary_password'), `${who}: a temporary password came back`);
    forbidden(t, await call(who, 'PUT', `${A}/users/${acct.id}`, { disabled: true }), `${who} disables that guardian`);
  }
  t.status(await login(wanted), 200, 'the guardian still logs in with their own password');
});

// Registered after run.mjs's own tests (a timer runs once every module has been evaluated): using
// the code ends the demo guardian's sessions, which the earlier tests of run.mjs still hold.
setTimeout(() => test('access: a guardian resets their own password with a one-time code; wrong codes are refused and throttled', async (t) => {
  // run.mjs's walk ended every session of the demo roles (logout-all): log in afresh.
  for (const k of Object.keys(demo)) delete demo[k];
  // A throwaway guardian is not at hand (accounts come with registration), so the demo guardian
  // is used and given the demo password back with a second code.
  const g = await call('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const wanted = process.env.KEHOU_DEMO_GUARDIAN || '18874037771';
  const acct = g.json.items.find((u) => u.login === wanted);
  t.expect(acct, `the demo guardian ${wanted} is not among the school's guardian accounts`);
  forbidden(t, await call('teacher', 'POST', `${A}/users/${acct.id}/reset-code`), 'a teacher prints a code');
  const staff = await call('office', 'POST', `${A}/users/${(await as('teacher')).user.id}/reset-code`);
  t.status(staff, 422, 'a code for a staff account');
  const issued = await call('clerk', 'POST', `${A}/users/${acct.id}/reset-code`);
  t.expect(issued.status === 200 && /^\d{8}$/.test(issued.json.code), `the office prints a code: ${show(issued)}`);
  t.status(await login(wanted), 200, 'the current password still works until the code is used');
  const ip = freshIp();
  const wrong = await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: '00000000', new_password: STRONG() }, { headers: { 'X-Real-IP': ip } });
  if (t.status(wrong, 400, 'a wrong code')) t.errorShape(wrong, 'wrong code');
  const weak = await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: issued.json.code, new_password: 'password1' }, { headers: { 'X-Real-IP': ip } });
  t.status(weak, 400, 'a common new password');
  const next = STRONG();
  const ok = await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: issued.json.code, new_password: next }, { headers: { 'X-Real-IP': ip } });
  t.status(ok, [200, 204], 'the guardian sets a new password with the code');
  const l = await login(wanted, next);
  t.check(l.status === 200 && l.json.user.must_change_password === false, `login with the new password: ${show(l)}`);
  t.check((l.json && l.json.user.notices || []).some((n) => n.kind === 'reset_code'), 'the guardian is not told a code was printed');
  t.status(await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: issued.json.code, new_password: STRONG() }), 400, 'the code a second time');
  // Give the demo guardian its password back (the other tests log in with it).
  const again = await call('office', 'POST', `${A}/users/${acct.id}/reset-code`);
  // (from an address of its own: the refused second use above counts against the one it came from)
  const back = await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: again.json && again.json.code, new_password: PASSWORD }, { headers: { 'X-Real-IP': freshIp() } });
  t.expect(back.status === 200 || back.status === 204, `the demo password back: ${show(back)}`);
  // Wrong codes are throttled like logins.
  const ip2 = freshIp();
  const statuses = [];
  for (let i = 0; i < 7; i++)
    statuses.push((await api.post(`${A}/auth/reset-with-code`, { login: wanted, code: `1234567${i}`, new_password: STRONG() }, { headers: { 'X-Real-IP': ip2 } })).status);
  t.check(statuses.includes(429), `7 wrong codes from one address: ${statuses.join(',')}`);
  t.status(await login(wanted, PASSWORD, freshIp()), 200, 'the guardian logs in from elsewhere meanwhile');
}), 0);

// ------------------------------------------------------------------------------------------------
// Login throttling

// The server must take the client address from X-Real-IP (kehou serve --trust-proxy).
async function checkTrustsProxy(t) {
  const ip = freshIp();
  const l = await login('principal', PASSWORD, ip);
  t.expect(l.status === 200, `login: ${show(l)}`);
  const a = await call('principal', 'GET', `${A}/audit?action=login&user_id=${l.json.user.id}&page_size=5`);
  t.expect(a.status === 200 && a.json.items.some((i) => i.client === ip),
    `the server does not read X-Real-IP: start it with --trust-proxy for these tests (${show(a)})`);
  await api.post(`${A}/auth/logout`, undefined, { token: l.json.token });
}

test('access: five failures lock the account for that address only; the right password from another address gets in', async (t) => {
  await checkTrustsProxy(t);
  const u = await account(t, 'principal', 'teacher', { label: 'thr' });
  const attacker = freshIp(), home = freshIp();
  const statuses = [];
  let r;
  for (let i = 0; i < 7; i++) {
    r = await login(u.login, `Wrong-${i}-pass`, attacker);
    statuses.push(r.status);
    if (r.status === 429) break;
  }
  t.check(statuses.slice(0, 5).every((s) => s === 401) && r.status === 429, `attacker's attempts: ${statuses.join(',')}`);
  if (r.status === 429) t.check(Number(r.headers.get('retry-after')) >= 1, `Retry-After: ${r.headers.get('retry-after')}`);
  t.status(await login(u.login, u.password, attacker), 429, 'the right password from the attacking address while locked');
  t.status(await login(u.login, u.password, home), 200, 'the right password from another address');
});

test('access: one address spraying passwords over many accounts meets 429, although it logs in well every 4', async (t) => {
  await checkTrustsProxy(t);
  const own = await account(t, 'principal', 'teacher', { label: 'spray' });
  const sprayer = freshIp();
  const statuses = [];
  for (let i = 0; i < 20; i++) {
    const r = await login(`victim-${RUN}-${i}`, `Guess-${i}-2026`, sprayer);
    statuses.push(r.status);
    if (i % 4 === 3) statuses.push(`ok:${(await login(own.login, own.password, sprayer)).status}`);
  }
  t.check(statuses.includes(429), `20 wrong passwords over 20 accounts from one address, no 429: ${statuses.join(',')}`);
  t.status(await login(own.login, own.password, freshIp()), 200, 'the same account from another address');
});

// ------------------------------------------------------------------------------------------------
// Rosters

test('access: rosters go to the office, leadership, the section\'s teacher and the class teacher (own class only); the others 403', async (t) => {
  const ct = (await as('classteacher')).user;
  const teacher = (await as('teacher')).user;
  const classes = (await call('principal', 'GET', `${A}/classes`)).json.items;
  const own = classes.find((c) => c.class_teacher_id === ct.staff_id);
  const other = own && classes.find((c) => c.grade_id === own.grade_id && c.id !== own.id && c.student_count > 0);
  t.expect(own && other, 'no class of the class teacher with a sister class in the same grade');
  const ownKids = (await call('principal', 'GET', `${A}/classes/${own.id}/students`)).json.items.slice(0, 2);
  const otherKid = (await call('principal', 'GET', `${A}/classes/${other.id}/students`)).json.items[0];
  const terms = (await call('principal', 'GET', `${A}/terms`)).json.items;
  const term = (terms.find((x) => x.is_current) || terms[0]).id;
  const course = await call('principal', 'POST', `${A}/courses`, withPlan({
    name: `名单权限${RUN}`, category: 'science', grades: [ownKids[0].grade_number], capacity: 30, slots: '4:after_school',
    term_id: term, teacher_staff_id: teacher.staff_id,
  }));
  t.expect(course.status === 201, `create a course: ${show(course)}`);
  const sec = await call('office', 'POST', `${A}/courses/${course.json.id}/sections`, { capacity: 30 });
  t.expect(sec.status === 201, `create a section: ${show(sec)}`);
  const id = sec.json.id;
  const kids = [...ownKids, otherKid];
  try {
    for (const k of kids) t.status(await call('principal', 'POST', `${A}/sections/${id}/place`, { student_id: k.id }), 200, `place ${k.id}`);
    for (const who of ['committee', 'guard', 'safety', 'doctor', 'liaison', 'grade3', 'course']) {
      forbidden(t, await call(who, 'GET', `${A}/sections/${id}/roster`), `${who} reads the roster`);
      forbidden(t, await call(who, 'GET', `${A}/sections/${id}/roster?format=xlsx`), `${who} exports the roster`);
    }
    forbidden(t, await call('committee', 'GET', `${A}/sections/${id}/roster?format=pdf`), 'committee prints the roster');
    // the counts stay visible in the sections list
    const list = await call('committee', 'GET', `${A}/sections?page_size=200`);
    t.check(list.status === 200, `committee GET /sections: ${show(list)}`);
    for (const who of ['principal', 'office', 'clerk', 'teacher']) {
      const r = await call(who, 'GET', `${A}/sections/${id}/roster`);
      if (t.status(r, 200, `${who} reads the roster`)) t.check(r.json.total === kids.length, `${who}: total ${r.json.total}, want ${kids.length}`);
    }
    const mine = await call('classteacher', 'GET', `${A}/sections/${id}/roster`);
    if (t.status(mine, 200, 'class teacher reads the roster')) {
      const ids = mine.json.items.map((i) => i.student_id).sort();
      t.check(JSON.stringify(ids) === JSON.stringify(ownKids.map((k) => k.id).sort()),
        `the class teacher sees ${JSON.stringify(ids)}, want their own class's ${JSON.stringify(ownKids.map((k) => k.id))}`);
      t.check(!(mine.text || '').includes(otherKid.name), 'the class teacher sees a child of another class');
    }
    const x = await call('classteacher', 'GET', `${A}/sections/${id}/roster?format=xlsx`);
    t.status(x, 200, 'class teacher exports their own class\'s part');
  } finally {
    for (const k of kids) await call('principal', 'POST', `${A}/sections/${id}/remove`, { student_id: k.id });
  }
});

// ------------------------------------------------------------------------------------------------
// Personal data

test('access: list reads of personal data are logged (who, which list, how many rows, which fields in full)', async (t) => {
  const me = (await as('office')).user;
  for (const page of [1, 2]) t.status(await call('office', 'GET', `${A}/students?page=${page}&page_size=50`), 200, `GET /students page ${page}`);
  const cls = (await call('office', 'GET', `${A}/classes`)).json.items.find((c) => c.student_count > 0);
  t.status(await call('office', 'GET', `${A}/classes/${cls.id}/students`), 200, 'GET /classes/:id/students');
  t.status(await call('office', 'GET', `${A}/guardians?page_size=20`), 200, 'GET /guardians');
  const a = await call('principal', 'GET', `${A}/audit?action=read_list&user_id=${me.id}&page_size=20`);
  t.expect(a.status === 200, `GET /audit?action=read_list: ${show(a)}`);
  const rows = a.json.items;
  const students = rows.filter((r) => r.entity === 'students');
  t.check(students.length >= 2 && students.every((r) => r.after && r.after.rows === 50 && r.after.full_fields === ''),  // issue 11: lists are masked
    `read_list rows for /students: ${JSON.stringify(students.slice(0, 2))}`);
  t.check(students.some((r) => /page=2/.test(r.after.query)), 'the page is not in the logged query');
  t.check(rows.some((r) => r.entity === 'class_students' && r.after.rows === cls.student_count), `no class_students row with ${cls.student_count} rows`);
  t.check(rows.some((r) => r.entity === 'guardians' && r.after.rows === 20), 'no guardians row');
  t.check(rows.every((r) => r.user_name && r.at > 0), 'a read_list row lacks who/when');
});

test('access: the guard and the liaison see masked guardian mobiles in lists', async (t) => {
  const FULL = /^1\d{10}$/;
  for (const who of ['guard', 'liaison']) {
    const r = await call(who, 'GET', `${A}/students?page_size=100`);
    t.expect(r.status === 200, `${who} GET /students: ${show(r)}`);
    const mobiles = r.json.items.flatMap((s) => (s.guardians || []).map((g) => g.mobile)).filter(Boolean);
    t.check(mobiles.length > 0, `${who}: no guardian mobiles at all`);
    const full = mobiles.filter((m) => FULL.test(m));
    t.check(full.length === 0, `${who} sees ${full.length} full guardian mobiles, e.g. ${full[0]}`);
  }
  const g = await call('liaison', 'GET', `${A}/guardians?page_size=50`);
  if (t.status(g, 200, 'liaison GET /guardians')) {
    const full = g.json.items.filter((x) => FULL.test(x.mobile || ''));
    t.check(full.length === 0, `the liaison sees ${full.length} full mobiles in /guardians`);
  }
});

test('access: security headers: CSP with frame-ancestors none, nosniff; personal data with Cache-Control: no-store', async (t) => {
  for (const path of [`${A}/students?page_size=5`, `${A}/auth/me`, `${A}/health`]) {
    const r = await call('principal', 'GET', path);
    t.check(/frame-ancestors 'none'/.test(r.headers.get('content-security-policy') || ''), `${path}: CSP ${r.headers.get('content-security-policy')}`);
    t.check(r.headers.get('x-content-type-options') === 'nosniff', `${path}: X-Content-Type-Options ${r.headers.get('x-content-type-options')}`);
    if (path.includes('students') || path.includes('/me')) t.check(/no-store/.test(r.headers.get('cache-control') || ''), `${path}: Cache-Control ${r.headers.get('cache-control')}`);
  }
  const err = await api.get(`${A}/students`);
  t.check(/frame-ancestors 'none'/.test(err.headers.get('content-security-policy') || ''), 'a 401 lacks the CSP');
  const page = await api.get('/');
  if (page.status === 200) {
    const csp = page.headers.get('content-security-policy') || '';
    t.check(/script-src 'self'/.test(csp) && /frame-ancestors 'none'/.test(csp), `the page's CSP: ${csp}`);
    t.check((page.headers.get('x-frame-options') || '').toUpperCase() === 'DENY', 'the page lacks X-Frame-Options: DENY');
  } else t.note(`no pages served (${page.status}): page headers not checked`);
});

// ------------------------------------------------------------------------------------------------
// Passwords

test('passwords: common passwords and the login are refused; an account made by an administrator must change its password first', async (t) => {
  const weak = await call('principal', 'POST', `${A}/users`, { login: `w-${RUN}`, display_name: '弱密码', role: 'teacher', password: 'Password123' });
  if (t.status(weak, 400, 'create with Password123')) {
    t.errorShape(weak, 'common password');
    t.check(weak.json.error.field === 'password', `field ${weak.json.error.field}`);
  }
  const name = `same${RUN}9`;
  const same = await call('principal', 'POST', `${A}/users`, { login: name, display_name: '同名', role: 'teacher', password: name });
  if (t.status(same, 400, 'create with the login as password')) t.errorShape(same, 'password = login');
  const pw = STRONG();
  const c = await call('principal', 'POST', `${A}/users`, { login: `fc-${RUN}`, display_name: '首登改密', role: 'teacher', password: pw });
  t.expect(c.status === 201, `create: ${show(c)}`);
  t.check(c.json.must_change_password === true, 'a created account does not have to change its password');
  const l = await login(`fc-${RUN}`, pw);
  t.expect(l.status === 200, `first login: ${show(l)}`);
  t.check(l.json.user.must_change_password === true, 'the session does not say the password must change');
  const tok = l.json.token;
  const blocked = await api.get(`${A}/rooms`, { token: tok });
  if (t.status(blocked, 403, 'GET /rooms before the change')) t.errorShape(blocked, 'must change');
  t.status(await api.get(`${A}/auth/me`, { token: tok }), 200, '/auth/me before the change');
  const common = await api.post(`${A}/auth/password`, { old_password: pw, new_password: 'abc12345' }, { token: tok });
  if (t.status(common, 400, 'change to abc12345')) t.errorShape(common, 'common new password');
  t.status(await api.post(`${A}/auth/password`, { old_password: pw, new_password: STRONG() }, { token: tok }), [200, 204], 'change to a strong one');
  t.status(await api.get(`${A}/rooms`, { token: tok }), 200, 'GET /rooms after the change');
  // The demo accounts keep logging in without a forced change.
  const d = await login('principal');
  t.check(d.status === 200 && d.json.user.must_change_password === false, `demo principal: ${show(d)}`);
});
