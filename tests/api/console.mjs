// API tests of the console's slice (issue 11): the round report's counts, paging and XLSX export.
// Registered with test() from ./lib.mjs; run.mjs imports this file. Logs in as the demo office.
import { Client, demoSession, show, test, withPlan } from './lib.mjs';

const A = '/api/v1';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';
const OFFICE = process.env.KEHOU_DEMO_OFFICE || 'office';

function baseUrl() {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--base' && argv[i + 1]) return argv[i + 1];
    if (argv[i].startsWith('--base=')) return argv[i].slice(7);
  }
  return process.env.KEHOU_API_BASE || '';
}

async function office() {
  const api = new Client(baseUrl());
  const li = await api.post(`${A}/auth/login`, { login: OFFICE, password: PASSWORD });
  if (li.status !== 200) throw new Error(`office login: ${show(li)}`);
  const token = li.json.token;
  const call = (method, path, body) => api.request(method, `${A}${path}`, { token, body });
  call.logout = () => api.post(`${A}/auth/logout`, undefined, { token });
  return call;
}

test('round report: counts only children who took part, pages the list, exports XLSX', async (t) => {
  const as = await office();
  try {
    const run = Date.now().toString(36).toUpperCase();
    const course = await (await demoSession('principal'))('POST', '/courses', withPlan({
      name: `报告分页${run}`, category: 'arts', grades: [5], capacity: 30, slots: '3:noon', institution: '少年宫',
    }));
    if (!t.status(course, 201, 'create a course')) return;
    const sec = await as('POST', `/courses/${course.json.id}/sections`, { capacity: 1 });
    if (!t.status(sec, 201, 'create a section')) return;
    const now = Date.now();
    const made = await as('POST', '/rounds', {
      name: `报告分页-${run}`, mode: 'preference', grades: [5], section_ids: [sec.json.id],
      opens_at: now - 60_000, closes_at: now + 600_000, max_per_child: 1, max_ranks: 1,
    });
    if (!t.status(made, 201, 'create a preference round')) return;
    const round = made.json.id;
    t.status(await as('PUT', `/rounds/${round}`, { closes_at: Date.now() - 1000 }), 200, 'close the round');

    const rep = await as('GET', `/rounds/${round}/report?page=1&page_size=5`);
    if (!t.status(rep, 200, 'report')) return;
    const r = rep.json;
    t.check(r.eligible_children > 5, `grade 5 has children: ${r.eligible_children}`);
    // Nobody ranked: nobody took part, nobody counts as unplaced, all of grade 5 did not take part.
    t.check(r.took_part === 0 && r.unplaced_total === 0 && r.unplaced.length === 0,
      `no child took part, so none is unplaced: took_part ${r.took_part}, unplaced_total ${r.unplaced_total}`);
    t.check(r.absent_total === r.eligible_children, `absent ${r.absent_total} of ${r.eligible_children}`);
    t.check(r.page === 1 && r.page_size === 5, `paging echoed: ${r.page}/${r.page_size}`);

    const x = await as('GET', `/rounds/${round}/report?format=xlsx`);
    if (t.status(x, 200, 'export')) {
      t.check((x.headers.get('content-type') || '').includes('spreadsheetml'), `type ${x.headers.get('content-type')}`);
      t.check(x.bytes && x.bytes.length > 1000 && x.bytes[0] === 0x50 && x.bytes[1] === 0x4b, `an XLSX (zip): ${show(x)}`);
      t.check(/attachment/.test(x.headers.get('content-disposition') || ''), 'downloaded as a file');
    }
    t.status(await as('GET', `/rounds/${round}/report?page=0&page_size=0`), 400, 'out-of-range paging is refused, naming the parameter');
  } finally {
    await as.logout();
  }
});

// Issue 11: an exit releases the child's seats from its effective date. Two enrolled demo children
// take the two seats of a new section; an exit effective today frees one seat at once (taken
// drops, the roster leaves the child out); an exit effective tomorrow keeps seat and roster line.
test('exits: an exit effective today frees the seat and the roster line; a future one waits for its day', async (t) => {
  const as = await office();
  try {
    const run = Date.now().toString(36).toUpperCase();
    const course = await (await demoSession('principal'))('POST', '/courses', withPlan({
      name: `准出${run}`, category: 'sports', grades: [1, 2, 3, 4, 5, 6], capacity: 30, slots: '2:noon', institution: '少年宫',
    }));
    if (!t.status(course, 201, 'create a course')) return;
    const sec = await as('POST', `/courses/${course.json.id}/sections`, { capacity: 2 });
    if (!t.status(sec, 201, 'create a section')) return;
    const apps = await as('GET', '/applications?status=approved&page_size=200');
    if (!t.status(apps, 200, 'approved applications')) return;
    const exits = await as('GET', '/exits');
    if (!t.status(exits, 200, 'exits')) return;
    const exited = new Set(exits.json.items.map((e) => e.student_id));
    const placed = [];
    for (const a of apps.json.items) {
      if (placed.length === 2) break;
      if (exited.has(a.student.id)) continue;
      const p = await as('POST', `/sections/${sec.json.id}/place`, { student_id: a.student.id });
      if (p.status === 200) placed.push(a);
    }
    if (!t.check(placed.length === 2, `two enrolled children placed (${placed.length})`)) return;
    const roster = async () => {
      const r = await as('GET', `/sections/${sec.json.id}/roster`);
      return { taken: r.json.section.taken, ids: r.json.items.map((i) => i.student_id) };
    };
    // The school's date (UTC+8, no DST), computed: Intl's en-CA pattern differs between ICU versions.
    const schoolDay = (offset) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
    t.check((await roster()).taken === 2, 'both seats taken');

    const [now, later] = placed;
    const e1 = await as('POST', '/exits', { application_id: now.id, effective_date: schoolDay(0), reason: '转学' });
    if (!t.status(e1, 201, 'exit effective today')) return;
    let r = await roster();
    t.check(r.taken === 1, `the seat is released at once: taken ${r.taken}`);
    t.check(!r.ids.includes(now.student.id) && r.ids.includes(later.student.id), `roster ${JSON.stringify(r.ids)}`);
    t.status(await as('POST', '/exits', { application_id: now.id, effective_date: schoolDay(0) }), 409, 'a second exit');

    const e2 = await as('POST', '/exits', { application_id: later.id, effective_date: schoolDay(1), reason: '搬家' });
    if (e2.status === 422) return; // the term ends today: no later date to test
    if (!t.status(e2, 201, 'exit effective tomorrow')) return;
    r = await roster();
    t.check(r.taken === 1 && r.ids.includes(later.student.id), `a future exit keeps the seat and the roster line: ${JSON.stringify(r)}`);
  } finally {
    await as.logout();
  }
});
