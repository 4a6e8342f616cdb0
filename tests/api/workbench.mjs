// The workbench (issue 11): each role's home counts what waits for it. The figures are checked
// against the lists a user would count by hand (applications by status, the class teacher's own
// class), and the route refuses guardians, unknown parameters and other schools.
import { demoSession as session, show, test } from './lib.mjs';

test('workbench: the principal\'s and the class teacher\'s to-do counts match the applications lists', async (t) => {
  const principal = await session('principal');
  const wb = await principal('GET', '/workbench');
  t.expect(wb.status === 200 && wb.json.view === 'school', `principal workbench: ${show(wb)}`);
  const term = wb.json.term;
  t.expect(term && term.id, `no current term: ${show(wb)}`);
  const approve = wb.json.todo.find((x) => x.key === 'applications_to_approve');
  t.expect(approve && approve.page === 'review', `no applications_to_approve item: ${show(wb)}`);
  const listed = await principal('GET', `/applications?term_id=${term.id}&status=class_approved&page_size=1`);
  t.expect(listed.status === 200, `applications: ${show(listed)}`);
  t.check(approve.count === listed.json.total, `todo ${approve.count}, list ${listed.json.total}`);
  const approved = await principal('GET', `/applications?term_id=${term.id}&status=approved&page_size=1`);
  t.check(wb.json.enrolment.approved === approved.json.total, `approved ${wb.json.enrolment.approved} vs ${approved.json.total}`);
  const e = wb.json.enrolment;
  t.check(e.rate_permille === Math.floor((e.approved * 1000) / e.students), `rate ${e.rate_permille} for ${e.approved}/${e.students}`);

  const teacher = await session('classteacher');
  const mine = await teacher('GET', '/workbench');
  t.expect(mine.status === 200 && mine.json.scope === 'own_classes', `class teacher workbench: ${show(mine)}`);
  const review = mine.json.todo.find((x) => x.key === 'applications_to_review');
  const classList = await teacher('GET', `/applications?term_id=${term.id}&status=submitted&page_size=1`);
  t.expect(classList.status === 200, `class teacher applications: ${show(classList)}`);
  t.check(review.count === classList.json.total, `class teacher todo ${review.count}, their list ${classList.json.total}`);
  t.check(mine.json.enrolment.students < e.students, 'the class teacher counts only their class');
  t.check(!mine.json.todo.some((x) => x.key === 'applications_to_approve'), 'a class teacher has no principal item');
});

test('workbench: the county sees every school of its area; guardians and bad parameters are refused', async (t) => {
  const county = await session('county');
  const wb = await county('GET', '/workbench');
  t.expect(wb.status === 200 && wb.json.view === 'area', `county workbench: ${show(wb)}`);
  const schools = await county('GET', '/schools');
  t.check(wb.json.schools.length === schools.json.items.length, `${wb.json.schools.length} rows for ${schools.json.items.length} schools`);
  const sum = wb.json.schools.reduce((a, s) => a + s.students, 0);
  t.check(sum === wb.json.totals.students, `totals ${wb.json.totals.students} vs sum ${sum}`);
  const one = await county('GET', `/workbench?school_id=${schools.json.items[0].id}`);
  t.check(one.status === 200 && one.json.view === 'school', `county on one school: ${show(one)}`);
  t.check(one.json.todo.length === 0, 'officers have nothing to approve in a school');

  const principal = await session('principal');
  const other = await principal('GET', '/workbench?school_id=999999');
  t.check(other.status === 404 || other.status === 403, `another school: ${show(other)}`);
  const bad = await principal('GET', '/workbench?status=1');
  t.check(bad.status === 400, `unknown parameter: ${show(bad)}`);
  const guardian = process.env.KEHOU_DEMO_GUARDIAN;
  if (guardian) {
    const g = await session(guardian);
    const r = await g('GET', '/workbench');
    t.check(r.status === 403, `guardian: ${show(r)}`);
  }
});
