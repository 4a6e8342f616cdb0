// What a family sees on its children's cards (issue 11): the courses each child holds this term,
// with time, teacher and venue; a guardian sees only their own children's, and staff none.
import { demoSession as session, show, test } from './lib.mjs';

test('family: GET /me/courses lists the children\'s confirmed courses of this term, only their own', async (t) => {
  const guardian = await session(process.env.KEHOU_DEMO_GUARDIAN || '18874037771');
  const kids = await guardian('GET', '/me/children');
  t.expect(kids.status === 200, `GET /me/children: ${show(kids)}`);
  const own = new Set(kids.json.items.map((k) => k.id));
  const r = await guardian('GET', '/me/courses');
  t.expect(r.status === 200, `GET /me/courses: ${show(r)}`);
  t.check(r.json.items.length > 0, 'the demo guardian\'s child holds courses this term');
  for (const k of r.json.items) {
    t.check(own.has(k.student_id), `a course of a child not theirs: ${JSON.stringify(k)}`);
    t.check(k.course_name && Array.isArray(k.slots) && k.slots.length > 0, `a card without course or time: ${JSON.stringify(k)}`);
  }
  // The same seats as the rounds' own answer (GET /rounds/:id/mine), for one round.
  const rounds = await guardian('GET', '/rounds');
  let seats = 0;
  for (const round of rounds.json.items) {
    const mine = await guardian('GET', `/rounds/${round.id}/mine`);
    if (mine.status !== 200) continue;
    for (const c of mine.json.children || []) seats += (c.seats || []).length;
  }
  t.check(seats >= r.json.items.length, `the rounds show ${seats} seats, the cards ${r.json.items.length}`);
  // Staff get 403 (a guardian's own view).
  const office = await session('office');
  const s = await office('GET', '/me/courses');
  t.check(s.status === 403, `office GET /me/courses: ${s.status}`);
});
