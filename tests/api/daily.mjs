// Daily operation settings (issue 13 §3, session 11): the late-collection escalation minutes are a
// school setting (GET/PUT /pickup/settings): defaults 10/20/40, each 1..240 and increasing (400
// naming the field, in Chinese), audited, office only. Leaves the defaults as it found them.
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const { as } = demoAccounts();
const A = '/api/v1';

test('daily: the late-collection escalation minutes are a school setting, checked, audited, office only', async (t) => {
  const S = `${A}/pickup/settings`;
  const first = await as('office', 'GET', S);
  t.expect(t.status(first, 200, 'the settings'), 'settings readable');
  const before = { late_guardian_minutes: first.json.late_guardian_minutes, late_office_minutes: first.json.late_office_minutes,
    late_leader_minutes: first.json.late_leader_minutes };
  t.check(first.json.max_minutes === 240, `the limit is shown: ${show(first)}`);
  for (const [body, field, why] of [
    [{ late_office_minutes: before.late_guardian_minutes }, 'late_office_minutes', 'not later than the step before'],
    [{ late_guardian_minutes: 30, late_office_minutes: 20, late_leader_minutes: 40 }, 'late_office_minutes', 'decreasing'],
    [{ late_guardian_minutes: 0 }, 'late_guardian_minutes', 'zero'],
    [{ late_leader_minutes: 241 }, 'late_leader_minutes', 'over 240'],
    [{ late_leader_minutes: 'soon' }, 'late_leader_minutes', 'not a number'],
    [{ late_minutes: 5 }, 'late_minutes', 'an unknown field'],
  ]) {
    const r = await as('office', 'PUT', S, body);
    t.status(r, 400, why);
    t.errorShape(r, why);
    t.check(r.json?.error?.field === field && hasChinese(r.json.error.message), `${why}: ${show(r)}`);
  }
  const set = await as('office', 'PUT', S, { late_guardian_minutes: 5, late_office_minutes: 15, late_leader_minutes: 30 });
  t.status(set, 200, 'a valid rule');
  t.check(set.json?.late_office_minutes === 15, `answered: ${show(set)}`);
  const again = await as('principal', 'GET', S);
  t.check(again.json?.late_guardian_minutes === 5 && again.json?.late_leader_minutes === 30, `stored: ${show(again)}`);
  const audit = await as('principal', 'GET', `${A}/audit?action=update&entity=pickup_settings&page_size=5`);
  const row = audit.json?.items?.[0];
  t.check(audit.status === 200 && row && JSON.stringify(row).includes('15'), `audited with before/after: ${show(audit)}`);
  for (const who of ['teacher', 'guard', '18874037771']) {
    t.status(await as(who, 'PUT', S, { late_guardian_minutes: 1 }), 403, `${who} may not change it`);
  }
  t.status(await as('office', 'PUT', S, before), 200, 'the defaults back');
});
