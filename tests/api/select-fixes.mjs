// Selection under concurrency and the rules families can read (issue 10 §2), through the server:
// idempotency keys with a fingerprint, closing times in the past, allocated rounds frozen, a
// family's own per-child limit and the round's named rank rule. Self-contained: its own sessions
// (the demo accounts) and fixtures, so it does not depend on run.mjs's internals.
// (The accept-versus-take race needs two PostgreSQL connections: src/select/service_test.cpp
// AcceptRacingATakeInTheSameSlotWaitsForTheChildLock.)
import { demoAccounts, show, hasChinese, test, sleep, withPlan } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const demo = demoAccounts();
const { api, session } = demo;
const A = '/api/v1';
const RUN = `SF${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();

// The demo has one guardian account, shared with run.mjs's tests, and a family's take/drop/rank
// requests share a rate-limit bucket (2/s, burst 20, src/select/rules.h): each test waits at its end
// until what it used has refilled, so the per-family limit test still sees a full burst.
let familyRequests = 0;
async function as(login, method, path, body, headers) {
  if (fx && login === fx.guardian) familyRequests++;
  return demo.as(login, method, path, body, { headers });
}
async function refill() {
  await sleep(familyRequests * 500 + 500);
  familyRequests = 0;
}

// The demo's guardian (found by the principal), their child in the main school, its grade, the
// current term and the teacher's staff id.
let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  let guardian = process.env.KEHOU_DEMO_GUARDIAN;
  if (!guardian) {
    const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
    guardian = (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  }
  t.expect(guardian, 'a demo guardian account');
  const school = (await session('principal')).user.school_id;
  const kids = await as(guardian, 'GET', `${A}/me/children`);
  const child = (kids.json?.items || []).find((k) => k.school_id === school);
  t.expect(child, `the guardian has a child in the main school: ${show(kids)}`);
  const classes = await as('principal', 'GET', `${A}/classes`);
  const cls = (classes.json?.items || []).find((c) => c.id === child.class_id);
  const terms = await as('principal', 'GET', `${A}/terms`);
  const term = (terms.json?.items || []).find((x) => x.is_current) || terms.json?.items?.[0];
  fx = { guardian, child, grade: cls.grade_number, term: term.id, teacher: (await session('teacher')).user.staff_id };
  return fx;
}

// A course with `n` sections (one slot each, different days) for the child's grade.
async function sections(t, f, n, label) {
  const ids = [];
  for (let i = 0; i < n; i++) {
    const course = await as('principal', 'POST', `${A}/courses`, withPlan({
      name: `${label}${RUN}-${i}`, category: 'arts', grades: [f.grade], capacity: 60, slots: `${i + 1}:noon`,
      term_id: f.term, institution: '青山少年宫',  // (the demo teacher's days are for other tests: 2 a week)
    }));
    t.expect(course.status === 201, `create a course: ${show(course)}`);
    const sec = await as('office', 'POST', `${A}/courses/${course.json.id}/sections`, { capacity: 10 });
    t.expect(sec.status === 201, `create a section: ${show(sec)}`);
    ids.push(sec.json.id);
  }
  return ids;
}

async function round(t, f, ids, extra = {}) {
  const now = Date.now();
  const r = await as('principal', 'POST', `${A}/rounds`, {
    name: `${RUN}-${Math.random().toString(36).slice(2, 6)}`, mode: 'fcfs', grades: [f.grade], section_ids: ids,
    opens_at: now - 60_000, closes_at: now + 600_000, max_per_child: 1, ...extra,
  });
  t.expect(r.status === 201, `create a round: ${show(r)}`);
  return r.json;
}

test('select fixes: the same Idempotency-Key with another body or to another endpoint answers 422, not the first answer', async (t) => {
  const f = await fixtures(t);
  const [a, b] = await sections(t, f, 2, '幂等');
  const r = await round(t, f, [a, b], { max_per_child: 2 });
  const key = `k-${RUN}`;
  const hdr = { 'Idempotency-Key': key };
  const take = await as(f.guardian, 'POST', `${A}/rounds/${r.id}/take`, { student_id: f.child.id, section_id: a }, hdr);
  if (!t.status(take, 200, 'take with a key')) return;
  const again = await as(f.guardian, 'POST', `${A}/rounds/${r.id}/take`, { student_id: f.child.id, section_id: a }, hdr);
  t.status(again, 200, 'the same request again');
  t.check(again.headers.get('idempotent-replayed') === 'true' && again.json.selection_id === take.json.selection_id,
    `replayed: ${show(again)}`);
  const drop = await as(f.guardian, 'POST', `${A}/rounds/${r.id}/drop`, { student_id: f.child.id, section_id: a }, hdr);
  if (t.status(drop, 422, 'the take\'s key sent to drop')) {
    t.errorShape(drop, 'key reused', { code: 'rule_broken' });
    t.check(drop.json.error.field === 'idempotency_key' && hasChinese(drop.json.error.message), `names the key: ${show(drop)}`);
  }
  const other = await as(f.guardian, 'POST', `${A}/rounds/${r.id}/take`, { student_id: f.child.id, section_id: b }, hdr);
  t.status(other, 422, 'the same key with another body');
  // The key in the body counts the same as in the header.
  const inBody = await as(f.guardian, 'POST', `${A}/rounds/${r.id}/take`, { student_id: f.child.id, section_id: a, idempotency_key: key });
  t.status(inBody, 200, 'the same request with the key in the body replays');
  const mine = await as(f.guardian, 'GET', `${A}/rounds/${r.id}/mine`);
  const kid = mine.json?.children?.find((c) => c.student_id === f.child.id);
  t.check(kid && kid.seats.some((s) => s.section_id === a) && !kid.seats.some((s) => s.section_id === b),
    `the seat is still held, nothing else taken: ${JSON.stringify(kid?.seats)}`);
  t.status(await as(f.guardian, 'POST', `${A}/rounds/${r.id}/drop`, { student_id: f.child.id, section_id: a }, { 'Idempotency-Key': `${key}-d` }), 200, 'drop with its own key');
  await refill();
});

test('select fixes: a closing time in the past is refused on create and update (Chinese, field closes_at); close now works', async (t) => {
  const f = await fixtures(t);
  const [a] = await sections(t, f, 1, '截止');
  const now = Date.now();
  const past = await as('principal', 'POST', `${A}/rounds`, {
    name: `${RUN}-past`, mode: 'fcfs', grades: [f.grade], section_ids: [a], opens_at: now - 7_200_000, closes_at: now - 3_600_000,
  });
  if (t.status(past, 400, 'create with closes_at an hour ago')) {
    t.errorShape(past, 'past closes_at');
    t.check(past.json.error.field === 'closes_at' && hasChinese(past.json.error.message), `names the field: ${show(past)}`);
  }
  const r = await round(t, f, [a]);
  const moved = await as('principal', 'PUT', `${A}/rounds/${r.id}`, { closes_at: now - 86_400_000 });
  if (t.status(moved, 400, 'move closes_at to yesterday')) t.check(moved.json.error.field === 'closes_at', show(moved));
  const closed = await as('principal', 'PUT', `${A}/rounds/${r.id}`, { closes_at: Date.now() - 1000 });
  if (t.status(closed, 200, 'close now')) t.check(closed.json.phase === 'closed', `closed: ${show(closed)}`);
});

test('select fixes: a preference round states its rule, honours a family\'s own limit, and is frozen once allocated', async (t) => {
  const f = await fixtures(t);
  const ids = await sections(t, f, 3, '规则');
  const list = await as('principal', 'GET', `${A}/rounds`);
  t.check(Array.isArray(list.json?.rank_rules) && list.json.rank_rules.some((x) => x.name === 'linear') &&
    list.json.rank_rules.every((x) => hasChinese(x.label) && hasChinese(x.text)), `GET /rounds lists the rules: ${JSON.stringify(list.json?.rank_rules)?.slice(0, 300)}`);
  const bad = await as('principal', 'POST', `${A}/rounds`, {
    name: `${RUN}-bad`, mode: 'preference', grades: [f.grade], section_ids: ids, opens_at: Date.now() - 60_000,
    closes_at: Date.now() + 600_000, max_per_child: 3, max_ranks: 3, rank_rule: 'nonsense',
  });
  if (t.status(bad, 400, 'an unknown rule')) t.check(bad.json.error.field === 'rank_rule', show(bad));
  const r = await round(t, f, ids, { mode: 'preference', max_per_child: 3, max_ranks: 3, rank_rule: 'linear' });
  t.check(r.rank_rule?.name === 'linear' && JSON.stringify(r.rank_rule.rank_cost) === '[0,1,2]' && r.rank_rule.seats_first === true,
    `the round states its rule: ${JSON.stringify(r.rank_rule)}`);
  const seen = await as(f.guardian, 'GET', `${A}/rounds/${r.id}`);
  t.check(seen.json?.rank_rule?.name === 'linear' && hasChinese(seen.json.rank_rule.text), 'the family reads the rule before ranking');
  t.status(await as('principal', 'PUT', `${A}/rounds/${r.id}`, { rank_rule: 'equity' }), 409, 'the rule is fixed once the round opens');
  const tooMany = await as(f.guardian, 'PUT', `${A}/rounds/${r.id}/preferences`, { student_id: f.child.id, section_ids: ids, course_limit: 4 });
  if (t.status(tooMany, 400, 'a limit above the round\'s')) t.check(tooMany.json.error.field === 'course_limit', show(tooMany));
  const ranked = await as(f.guardian, 'PUT', `${A}/rounds/${r.id}/preferences`, { student_id: f.child.id, section_ids: ids, course_limit: 1 });
  if (!t.status(ranked, 200, 'rank three, at most one course for this child')) return;
  const mine = await as(f.guardian, 'GET', `${A}/rounds/${r.id}/mine`);
  t.check(mine.json?.children?.find((c) => c.student_id === f.child.id)?.course_limit === 1, 'the limit is stored with the ranking');
  t.status(await as('principal', 'PUT', `${A}/rounds/${r.id}`, { closes_at: Date.now() - 1000 }), 200, 'close the round');
  const alloc = await as('principal', 'POST', `${A}/rounds/${r.id}/allocate`);
  if (!t.status(alloc, 200, 'allocate')) return;
  const rec = await as(f.guardian, 'GET', `${A}/rounds/${r.id}/verification`);
  if (t.status(rec, 200, 'the published record')) {
    const o = rec.json.input.options;
    t.check(o.rule === 'linear' && o.seats_first === true && JSON.stringify(o.rank_cost) === '[0,1,2]', `the rule is in the record: ${JSON.stringify(o)}`);
    const kid = rec.json.input.children.find((c) => c.id === f.child.id);
    t.check(kid?.course_limit === 1, `the family's limit is in the record: ${JSON.stringify(kid)}`);
    const seats = rec.json.result.placements.filter((p) => p[0] === f.child.id);
    t.check(seats.length === 1 && seats[0][2] === 1, `one seat, the first choice (three were free): ${JSON.stringify(seats)}`);
  }
  const results = await as(f.guardian, 'GET', `${A}/rounds/${r.id}/mine`);
  const first = results.json?.children?.find((c) => c.student_id === f.child.id)?.results?.[0];
  t.check(first?.reason?.rank_rule === 'linear' && hasChinese(first.reason.rank_rule_label), `the explanation names the rule: ${JSON.stringify(first?.reason)}`);
  // Frozen: no new closing time, no new ranking.
  const reopen = await as('principal', 'PUT', `${A}/rounds/${r.id}`, { closes_at: Date.now() + 3_600_000 });
  if (t.status(reopen, 409, 'move closes_at of an allocated round')) t.check(hasChinese(reopen.json.error.message), show(reopen));
  t.status(await as(f.guardian, 'PUT', `${A}/rounds/${r.id}/preferences`, { student_id: f.child.id, section_ids: ids }), 409, 'rank in an allocated round');
  // Give the seat back (the record still verifies: a drop is a later event).
  for (const p of rec.json?.result?.placements || [])
    await as('office', 'POST', `${A}/sections/${p[1]}/remove`, { student_id: p[0] });
  await refill();
});

test('second round: offers only the previous round\'s sections with seats left, and is refused when none is left', async (t) => {
  const f = await fixtures(t);
  const course = await as('principal', 'POST', `${A}/courses`, withPlan({
    name: `补选${RUN}`, category: 'arts', grades: [f.grade], capacity: 1, slots: '5:morning', term_id: f.term,
    institution: '青山少年宫',  // the demo teacher serves 2 days a week
  }));
  t.expect(course.status === 201, `create a course: ${show(course)}`);
  const sec = await as('office', 'POST', `${A}/courses/${course.json.id}/sections`, { capacity: 1 });
  t.expect(sec.status === 201, `create a section: ${show(sec)}`);
  const first = await round(t, f, [sec.json.id]);
  const placed = await as('office', 'POST', `${A}/sections/${sec.json.id}/place`, { student_id: f.child.id, round_id: first.id });
  t.expect(placed.status === 200, `place: ${show(placed)}`);
  const now = Date.now();
  const second = { name: `${RUN}-补选`, mode: 'fcfs', grades: [f.grade], opens_at: now + 60_000, closes_at: now + 600_000,
    max_per_child: 1, previous_round_id: first.id };
  let r = await as('principal', 'POST', `${A}/rounds`, second);
  t.check(r.status === 422 && r.json?.error?.field === 'previous_round_id' && /满额/.test(r.json?.error?.message || ''),
    `a second round with no seat left: ${show(r)}`);
  const removed = await as('office', 'POST', `${A}/sections/${sec.json.id}/remove`, { student_id: f.child.id });
  t.expect(removed.status === 200, `remove: ${show(removed)}`);
  r = await as('principal', 'POST', `${A}/rounds`, second);
  t.expect(r.status === 201, `the second round once a seat is free: ${show(r)}`);
  t.check(r.json.previous_round_id === first.id && r.json.section_count === 1, `second round: ${show(r)}`);
  const detail = await as('principal', 'GET', `${A}/rounds/${r.json.id}`);
  t.check(detail.json.sections.map((x) => x.id).join() === String(sec.json.id), `its sections: ${show(detail)}`);
});
