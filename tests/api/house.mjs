// The house (issue 9 §4): the console's menus and page guards come from the server. GET /auth/me
// answers `routes` (what the signed-in user may call) computed from the one route table, and
// `grantable_roles` (the roles they may give an account); the import page's columns come from the
// template endpoint. The expected sets are read from the C++ declarations (matrix.mjs), not from
// the server, so the test fails when /auth/me and the table part.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoAccounts, show, test } from './lib.mjs';
import { readCppTable } from './matrix.mjs';
import { PAGE_ROUTES } from '../../web/src/console/pages.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const A = '/api/v1';
const { as, user } = demoAccounts();

// The rows of the table that grant `role` a scope (public rows are no grant).
function grantedTo(rows, role) {
  return rows.filter((r) => r.scopes[role] && r.scopes[role] !== 'public').map((r) => r.key).sort();
}

async function guardianLogin() {
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=50`);
  const acct = g.json?.items?.find((u) => /^1\d{10}$/.test(u.login));
  if (!acct) throw new Error(`no guardian account: ${show(g)}`);
  return acct.login;
}

test('house: /auth/me routes are exactly what the route table grants the role (guard, teacher, principal, guardian, officer)', async (t) => {
  const rows = readCppTable(repo);
  t.expect(rows.length > 200, `route table read: ${rows.length} rows`);
  const accounts = { guard: 'guard', teacher: 'teacher', principal: 'principal', office_staff: 'clerk',
    class_teacher: 'classteacher', county_officer: 'county', guardian: await guardianLogin() };
  for (const [role, login] of Object.entries(accounts)) {
    const me = await as(login, 'GET', `${A}/auth/me`);
    if (!t.status(me, 200, `${role} /auth/me`)) continue;
    t.check(me.json.role === role, `${login} is ${me.json.role}, expected ${role}`);
    const got = [...(me.json.routes || [])].sort();
    const want = grantedTo(rows, role);
    const missing = want.filter((k) => !got.includes(k));
    const extra = got.filter((k) => !want.includes(k));
    t.check(missing.length === 0 && extra.length === 0,
      `${role}: /auth/me routes differ from the table; missing ${missing.slice(0, 5).join(', ')}; extra ${extra.slice(0, 5).join(', ')}`);
    // The login answer carries the same user.
    t.check(JSON.stringify([...((await user(login)).routes || [])].sort()) === JSON.stringify(got), `${role}: login answer's routes differ from /auth/me`);
  }
  // Spot checks the menus depend on: a guard reads the safety records, not the fees.
  const guard = (await as('guard', 'GET', `${A}/auth/me`)).json.routes;
  t.check(guard.includes('GET /api/v1/safety/export') && !guard.includes('GET /api/v1/fees/bills'), 'guard: safety yes, fees no');
  const teacher = (await as('teacher', 'GET', `${A}/auth/me`)).json.routes;
  t.check(!teacher.includes('GET /api/v1/students/:id') && teacher.includes('GET /api/v1/proposals'), 'teacher: proposals yes, a child\'s record no');
});

test('house: every console page names a route the table has', async (t) => {
  const keys = new Set(readCppTable(repo).map((r) => r.key));
  for (const [page, route] of Object.entries(PAGE_ROUTES)) t.check(keys.has(route), `page ${page}: ${route} is not a route`);
});

test('house: /auth/me grantable_roles follow the account ranks', async (t) => {
  const roles = async (login) => (await as(login, 'GET', `${A}/auth/me`)).json.grantable_roles;
  const principal = await roles('principal');
  t.check(principal.includes('vice_principal') && principal.includes('teacher') && principal.includes('guard'), `principal grants: ${principal}`);
  t.check(!principal.includes('principal') && !principal.includes('county_officer') && !principal.includes('sysadmin'), `principal grants too much: ${principal}`);
  const office = await roles('office');
  t.check(office.includes('office_staff') && !office.includes('office_director') && !office.includes('vice_principal'), `office director grants: ${office}`);
  t.check((await roles('teacher')).every((r) => ['external_staff', 'guardian'].includes(r)), 'a teacher grants only below their rank');
  const admin = await roles('admin');
  t.check(admin.includes('sysadmin') && admin.includes('county_officer') && admin.length === 18, `admin grants: ${admin}`);
  // The rule the list shows is the one the server applies: the office director cannot make a vice principal.
  const r = await as('office', 'POST', `${A}/users`, { login: `hs${Date.now() % 1e8}`, display_name: '测试', role: 'vice_principal' });
  t.status(r, 403, 'office director creates a vice principal');
});

test('house: the import template answers its columns as JSON, the same as the CSV header', async (t) => {
  for (const kind of ['students', 'staff']) {
    const j = await as('office', 'GET', `${A}/imports/${kind}/template?format=json`);
    if (!t.status(j, 200, `${kind} columns`)) continue;
    const csv = await as('office', 'GET', `${A}/imports/${kind}/template?format=csv`);
    t.status(csv, 200, `${kind} csv template`);
    const header = csv.text.replace(/^\uFEFF/, '').split(/\r?\n/)[0].split(',');
    t.check(JSON.stringify(j.json.columns.map((c) => c.header + c.hint)) === JSON.stringify(header),
      `${kind}: json ${j.json.columns.map((c) => c.header).join('|')} vs csv ${header.join('|')}`);
    t.check(j.json.columns.some((c) => c.required), `${kind}: some column is required`);
  }
  t.status(await as('office', 'GET', `${A}/imports/pets/template?format=json`), 404, 'unknown kind');
  t.status(await as('teacher', 'GET', `${A}/imports/students/template?format=json`), 403, 'a teacher');
});
