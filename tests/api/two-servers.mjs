// Two `kehou serve` on one PostgreSQL (issue 10 §1 and §2, session 14): what one server alone
// cannot show. Run by scripts/e2e on PostgreSQL after run.mjs, with a second server on the same
// database: node tests/api/two-servers.mjs --base URL_A --base2 URL_B (both with --trust-proxy).
//  - Login failures split across the servers lock at the same count as on one (the counters are
//    in the database, sql/0380).
//  - A waiting-list acceptance on one server racing a take of a same-slot section on the other,
//    30 times: no child ever ends with two seats in one slot.
import { parseArgs } from 'node:util';

import { Client, show, test, runAll, sleep, withPlan } from './lib.mjs';

const { values: args } = parseArgs({ options: { base: { type: 'string' }, base2: { type: 'string' } }, strict: false });
if (!args.base || !args.base2) {
  console.error('usage: node tests/api/two-servers.mjs --base URL_A --base2 URL_B');
  process.exit(2);
}
const a = new Client(args.base), b = new Client(args.base2);
const A = '/api/v1';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
const RUN = `TS${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();
const TRIES = 30;

const tokens = {};
async function token(login) {
  if (!tokens[login]) {
    const r = await a.post(`${A}/auth/login`, { login, password: PASSWORD });
    if (r.status !== 200) throw new Error(`login ${login}: ${show(r)}`);
    tokens[login] = r.json.token;
  }
  return tokens[login];
}
const on = (server) => async (login, method, path, body) => server.request(method, path, { token: await token(login), body });
const asA = on(a), asB = on(b);

test('two servers: login failures split across two servers lock at the same count as on one', async (t) => {
  const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;  // TEST-NET-1, this run's own
  const name = `two-${RUN}`.toLowerCase();
  const made = await asA('principal', 'POST', `${A}/users`, { login: name, display_name: '双服老师', role: 'teacher' });
  t.expect(made.status === 201, `create an account: ${show(made)}`);
  const statuses = [];
  for (let i = 0; i < 8; i++) {
    const server = i % 2 ? b : a;
    const r = await server.post(`${A}/auth/login`, { login: name, password: `Wrong-${i}-pass` }, { headers: { 'X-Real-IP': ip } });
    statuses.push(r.status);
    if (r.status === 429) break;
  }
  t.check(statuses.length === 6 && statuses.slice(0, 5).every((s) => s === 401) && statuses[5] === 429,
    `5 failures then 429 whichever server answers (alternating A, B): ${statuses.join(',')}`);
  const other = await b.post(`${A}/auth/login`, { login: name, password: made.json?.temporary_password || 'x' }, { headers: { 'X-Real-IP': ip } });
  t.status(other, 429, 'the other server refuses the locked address too');
});

test(`two servers: a waiting-list acceptance on one racing a take in the same slot on the other, ${TRIES} times: never two seats in one slot`, async (t) => {
  const g = await asA('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = process.env.KEHOU_DEMO_GUARDIAN || (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, 'a demo guardian');
  const school = (await asA('principal', 'GET', `${A}/auth/me`)).json.school_id;
  const kids = await asA(guardian, 'GET', `${A}/me/children`);
  const child = (kids.json?.items || []).find((k) => k.school_id === school);
  t.expect(child, `the guardian's child in the main school: ${show(kids)}`);
  const classes = (await asA('principal', 'GET', `${A}/classes`)).json.items;
  const grade = classes.find((c) => c.id === child.class_id).grade_number;
  const mates = (await asA('principal', 'GET', `${A}/classes/${child.class_id}/students?page_size=50`)).json.items;
  const filler = mates.find((s) => s.id !== child.id);
  const terms = (await asA('principal', 'GET', `${A}/terms`)).json.items;
  const term = (terms.find((x) => x.is_current) || terms[0]).id;
  // Two courses in one slot of their own: the offered one (1 seat) and the one taken.
  const sec = async (label, capacity) => {
    const c = await asA('principal', 'POST', `${A}/courses`, withPlan({
      name: `${label}${RUN}`, category: 'arts', grades: [grade], capacity: 30, slots: '5:morning', term_id: term, institution: '青山少年宫',
    }));
    t.expect(c.status === 201, `create a course: ${show(c)}`);
    const s = await asA('office', 'POST', `${A}/courses/${c.json.id}/sections`, { capacity });
    t.expect(s.status === 201, `create a section: ${show(s)}`);
    return s.json.id;
  };
  const offered = await sec('候补竞争', 1), taken = await sec('同时段竞争', 30);
  const now = Date.now();
  const round = await asA('principal', 'POST', `${A}/rounds`, {
    name: `${RUN}-race`, mode: 'fcfs', grades: [grade], section_ids: [taken], opens_at: now - 60_000, closes_at: now + 600_000, max_per_child: 2,
  });
  t.expect(round.status === 201, `create a round: ${show(round)}`);
  const inRoster = async (section) => ((await asA('principal', 'GET', `${A}/sections/${section}/roster?page_size=100`)).json?.items || [])
    .some((s) => (s.student_id ?? s.id) === child.id);
  let doubles = 0, accepts = 0, takes = 0;
  const started = Date.now();
  for (let i = 0; i < TRIES; i++) {
    const placed = await asA('office', 'POST', `${A}/sections/${offered}/place`, { student_id: filler.id });
    t.expect(placed.status === 200, `try ${i}: fill the offered section: ${show(placed)}`);
    const w = await asA(guardian, 'POST', `${A}/sections/${offered}/waitlist`, { student_id: child.id });
    t.expect(w.status === 201, `join the waiting list: ${show(w)}`);
    t.expect((await asA('office', 'POST', `${A}/sections/${offered}/remove`, { student_id: filler.id })).status === 200, 'free the seat (an offer)');
    // Both sent at once; which goes out first alternates
    // (the acceptance is held back 0-3 ms, so the two meet at different points of each other)
    const accept = async () => { await sleep(i % 4); return asA(guardian, 'POST', `${A}/waitlist/${w.json.id}/accept`); };
    const take = () => asB(guardian, 'POST', `${A}/rounds/${round.json.id}/take`, { student_id: child.id, section_id: taken });
    const [acc, tk] = i % 2 ? await Promise.all([accept(), take()]) : (await Promise.all([take(), accept()])).reverse();
    if (acc.status === 200) accepts++;
    if (tk.status === 200) takes++;
    const both = (await inRoster(offered)) && (await inRoster(taken));
    if (both) doubles++;
    // The offer the clash refused is declined (else it keeps the seat); both seats are given back.
    if (acc.status !== 200) await asA(guardian, 'POST', `${A}/waitlist/${w.json.id}/decline`);
    for (const s of [offered, taken]) await asA('office', 'POST', `${A}/sections/${s}/remove`, { student_id: child.id });
    // the accept or the take that lost answers a clash, never a 500
    t.check(acc.status < 500 && tk.status < 500, `try ${i}: accept ${acc.status}, take ${tk.status}`);
  }
  t.check(doubles === 0, `${doubles} of ${TRIES} tries left the child two seats in one slot`);
  t.check(accepts + takes >= TRIES, `every try seated the child once (accepts ${accepts}, takes ${takes})`);
  t.note(`accepts ${accepts}, takes ${takes}, ${Date.now() - started} ms`);
});

const { passed, failed } = await runAll();
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
