// The audit page's data (issue 11): the users list carries 最近登录 (last_login_at, from the latest
// 'login' audit row), and audit rows carry the acting user's name and an epoch-ms time the console
// formats in school-local time. Self-contained: its own sessions (the demo accounts).
import { Client, show, test } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const BASE = (at >= 0 && argv[at + 1]) || process.env.KEHOU_API_BASE || 'http://127.0.0.1:8080';
const api = new Client(BASE);
const A = '/api/v1';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';

async function login(name) {
  const r = await api.post(`${A}/auth/login`, { login: name, password: PASSWORD });
  if (r.status !== 200 || !r.json?.token) throw new Error(`login ${name}: ${show(r)}`);
  return r.json;
}

test('users list: 最近登录 is the latest successful sign-in; audit rows name the user', async (t) => {
  const before = Date.now() - 1000;
  const p = await login('principal');
  const token = p.token;
  const me = p.user;
  let r = await api.request('GET', `${A}/users?q=${encodeURIComponent(me.login)}&page_size=50`, { token });
  t.expect(r.status === 200, `users list: ${show(r)}`);
  const row = r.json.items.find((u) => u.id === me.id);
  t.expect(row, `the principal is not in the users list: ${show(r)}`);
  t.check(typeof row.last_login_at === 'string', `last_login_at missing: ${JSON.stringify(row)}`);
  const ms = Date.parse(row.last_login_at);
  t.check(ms >= Math.floor(before / 1000) * 1000 && ms <= Date.now() + 1000,
    `last_login_at ${row.last_login_at} is not this sign-in (after ${new Date(before).toISOString()})`);
  // A failed sign-in does not move it; an account that never signed in has none.
  // From an address of its own (X-Real-IP; the suite's server runs with --trust-proxy), so it does not
  // count towards other tests' per-address throttles.
  await api.post(`${A}/auth/login`, { login: me.login, password: 'wrong-password-1' }, { headers: { 'X-Real-IP': '198.51.100.211' } });
  r = await api.request('GET', `${A}/users?page_size=200`, { token });
  t.expect(r.status === 200, `users list: ${show(r)}`);
  const again = r.json.items.find((u) => u.id === me.id);
  t.check(again.last_login_at === row.last_login_at, `a failed sign-in moved last_login_at: ${row.last_login_at} -> ${again.last_login_at}`);
  t.check(r.json.items.every((u) => u.last_login_at === null || typeof u.last_login_at === 'string'), 'last_login_at is not a string or null');
  // The audit's login row carries the user's name (the console shows it, not the id).
  r = await api.request('GET', `${A}/audit?action=login&user_id=${me.id}&page_size=1`, { token });
  t.expect(r.status === 200 && r.json.items.length === 1, `audit login rows: ${show(r)}`);
  const a = r.json.items[0];
  t.check(a.user_name === me.display_name || a.user_name === me.login, `audit user_name ${a.user_name}, expected ${me.display_name}`);
  t.check(Number.isInteger(a.at) && Math.abs(a.at - ms) < 1000, `audit at ${a.at} vs last_login_at ${row.last_login_at}`);
});
