// Grade leaders (issue 11): a grade's leader is named on the grade (PUT /grades/:id), and the
// grade leader's account sees the grades they lead — not the grades of the classes they teach.
import { demoSession as session, show, test } from './lib.mjs';

test('grades: the office names a grade\'s leader; the leader sees that grade\'s students, and none once cleared', async (t) => {
  const office = await session('office');
  const leader = await session('grade3');
  const me = await leader('GET', '/auth/me');
  const staff = me.json.user ? me.json.user.staff_id : me.json.staff_id;
  const grades = (await office('GET', '/grades')).json.items;
  const g3 = grades.find((g) => g.number === 3);
  t.expect(g3 && g3.leader_staff_id === staff, `the demo names grade3 the leader of grade 3: ${JSON.stringify(g3)} staff ${staff}`);
  const before = await leader('GET', '/students?page_size=200');
  t.expect(before.status === 200 && before.json.total > 0, `the leader's students: ${show(before)}`);
  t.check(before.json.items.every((s) => s.grade_number === 3), 'the leader sees only grade 3');
  try {
    let r = await office('PUT', `/grades/${g3.id}`, { leader_staff_id: null });
    t.expect(r.status === 200 && r.json.leader_staff_id === null, `clear: ${show(r)}`);
    const none = await leader('GET', '/students?page_size=1');
    t.check(none.status === 200 && none.json.total === 0, `without the link the leader sees ${none.json && none.json.total}`);
    r = await office('PUT', `/grades/${g3.id}`, { leader_staff_id: 999999999 });
    t.check(r.status === 400 && r.json.error.field === 'leader_staff_id', `a stranger as leader: ${show(r)}`);
    r = await office('PUT', `/grades/${g3.id}`, { leader: staff });
    t.check(r.status === 400, `an unknown field: ${show(r)}`);
    const teacher = await session('classteacher');
    r = await teacher('PUT', `/grades/${g3.id}`, { leader_staff_id: staff });
    t.check(r.status === 403, `a class teacher names a leader: ${show(r)}`);
  } finally {
    const r = await office('PUT', `/grades/${g3.id}`, { leader_staff_id: staff });
    t.check(r.status === 200, `restore: ${show(r)}`);
  }
  const after = await leader('GET', '/students?page_size=1');
  t.check(after.json.total === before.json.total, 'the leader sees the grade again');
});
