// Issue 10 §1 (session 14): login throttling behind a shared carrier address (CGNAT). Addresses
// of this run through X-Real-IP (the server runs with --trust-proxy, as scripts/e2e starts it),
// so the counters of 127.0.0.1 that the other tests use are never touched.
import { show, test, demoAccounts } from './lib.mjs';

const { api, as } = demoAccounts();
const A = '/api/v1';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
const RUN = (Date.now().toString(36) + Math.random().toString(36).slice(2, 5)).toLowerCase();
const octet = Math.floor(Math.random() * 200) + 20;
let nextIp = 1;
const freshIp = () => `198.51.${octet}.${nextIp++}`;  // TEST-NET-2

const login = (name, password, ip, cookie) =>
  api.post(`${A}/auth/login`, { login: name, password }, { headers: { 'X-Real-IP': ip }, ...(cookie ? { cookie } : {}) });

// Every Set-Cookie of an answer. Headers.getSetCookie() is Node 19.7+; Debian 12's Node 18 has only
// get('set-cookie'), which joins them with ", " (split before each "name=", so an Expires date stays whole).
function setCookies(r) {
  if (typeof r.headers.getSetCookie === 'function') return r.headers.getSetCookie();
  return (r.headers.get('set-cookie') || '').split(/,\s*(?=[A-Za-z0-9_]+=)/).filter(Boolean);
}

// The kehou_device cookie of a login answer ("kehou_device=..."), or ''.
function deviceCookie(r) {
  const c = setCookies(r).find((x) => x.startsWith('kehou_device='));
  return c ? c.split(';')[0] : '';
}

test('sec: behind one carrier address (CGNAT), a guardian\'s known device signs in although others\' failures filled the address\'s bucket; without it 429', async (t) => {
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = process.env.KEHOU_DEMO_GUARDIAN || (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, `a demo guardian: ${show(g)}`);
  // Yesterday, at home: a good login leaves the known-device cookie.
  const home = await login(guardian, PASSWORD, freshIp());
  t.expect(home.status === 200, `the guardian's login: ${show(home)}`);
  const cookie = deviceCookie(home);
  t.expect(cookie, `no kehou_device cookie: ${JSON.stringify(setCookies(home))}`);
  const set = setCookies(home).find((x) => x.startsWith('kehou_device='));
  t.check(/HttpOnly/.test(set) && /SameSite=Strict/.test(set) && /Max-Age=\d{7,}/.test(set), `the cookie: ${set}`);
  // Tonight, on the carrier's shared address: other people fail on other accounts until it is refused.
  // The bucket forgets a failure every few seconds (auth/service.h kAddressLeakMs) and a login is a
  // slow argon2 check, so on a busy machine it is filled again before each check below.
  const cgnat = freshIp();
  let failures = 0;
  const fill = async () => {
    const statuses = [];
    for (let i = 0; i < 15; i++) {
      const r = await login(`nobody-${RUN}-${failures++}`, `Wrong-${i}-pass`, cgnat);
      statuses.push(r.status);
      if (r.status === 429) break;
    }
    t.expect(statuses.at(-1) === 429, `the address's bucket never filled: ${statuses.join(',')}`);
  };
  await fill();
  // Without the cookie the address's answer is 429 (the documented behaviour for a new device).
  const without = await login(guardian, PASSWORD, cgnat);
  t.status(without, 429, 'the right password from a new device on the full address');
  // With the known-device cookie: signed in.
  await fill();
  const known = await login(guardian, PASSWORD, cgnat, cookie);
  t.status(known, 200, 'the right password from the known device on the full address');
  // The cookie is rotated: the old value is no longer known; the new one is.
  await fill();
  t.status(await login(guardian, PASSWORD, cgnat, cookie), 429, 'the old (rotated) device cookie');
  await fill();
  t.status(await login(guardian, PASSWORD, cgnat, deviceCookie(known)), 200, 'the new device cookie');
  // Another account's device cookie does not open the address for this account.
  const other = await login('principal', PASSWORD, freshIp());
  await fill();
  t.status(await login(guardian, PASSWORD, cgnat, deviceCookie(other)), 429, 'the principal\'s device cookie for the guardian');
});

test('sec: a known device\'s own failures lock it (its bucket exemption is no way to guess passwords)', async (t) => {
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = process.env.KEHOU_DEMO_GUARDIAN || (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, 'a demo guardian');
  const first = await login(guardian, PASSWORD, freshIp());
  t.expect(first.status === 200, `login: ${show(first)}`);
  const cookie = deviceCookie(first);
  const ip = freshIp();
  const statuses = [];
  for (let i = 0; i < 8; i++) {
    const r = await login(guardian, `Wrong-${i}-pass`, ip, cookie);
    statuses.push(r.status);
    if (r.status === 429) break;
  }
  t.check(statuses.slice(0, 5).every((s) => s === 401) && statuses.at(-1) === 429, `the device's attempts: ${statuses.join(',')}`);
  t.status(await login(guardian, PASSWORD, freshIp()), 200, 'the guardian from elsewhere meanwhile');
});
