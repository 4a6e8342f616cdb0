// Basic-service groups and substitutions (issue 12 §3, §5), through the server: the office lists
// the groups (at most 45) and regenerates them idempotently; a teacher reports their own absence
// (never another's: 403; a guardian: 403); the office sees the ranked candidates and assigns the
// suggested one; the attendance session then shows the substitute as who teaches; both teachers
// are told through the outbox. Self-contained: the demo accounts, a day 8-14 days ahead.
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const { api, as, session } = demoAccounts();
const A = '/api/v1';

const isoDay = (ms) => new Date(ms + 8 * 3600e3).toISOString().slice(0, 10);  // school-local
const weekday = (d) => ((new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

// The demo teacher's own section and a day 8-14 days ahead on which it meets (course slots).
async function ownSession(t) {
  const me = await as('teacher', 'GET', `${A}/auth/me`);
  const secs = await as('teacher', 'GET', `${A}/sections?page_size=200`);
  t.expect(secs.status === 200, `sections: ${show(secs)}`);
  const mine = secs.json.items.find((x) => (x.teacher_staff_id ?? x.course_teacher_staff_id) === me.json.staff_id ||
                                           x.teacher_name === me.json.display_name) || secs.json.items[0];
  const courses = await as('office', 'GET', `${A}/courses?page_size=200`);
  const course = courses.json.items.find((c) => c.id === mine.course_id);
  const days = course.slots.map((s) => s.weekday);
  for (let n = 8; n <= 14; ++n) {
    const d = isoDay(Date.now() + n * 86400e3);
    if (days.includes(weekday(d))) return { section: mine, date: d, band: course.slots.find((s) => s.weekday === weekday(d)).band };
  }
  throw new Error('no session of the demo teacher 8-14 days ahead');
}

test('basic-service groups: listed with rooms and supervisors, at most 45, regenerated idempotently', async (t) => {
  const g = await as('office', 'GET', `${A}/timetable/groups?weekday=1&page_size=200`);
  t.expect(g.status === 200, `groups: ${show(g)}`);
  t.check(g.json.total > 0, 'the demo term has basic-service groups');
  t.check(g.json.items.every((x) => x.size >= 1 && x.size <= 45), 'every group has at most 45 children');
  t.check(g.json.items.every((x) => x.supervisor && x.room), 'every group has a supervisor and a room (solved)');
  t.check(g.json.items.some((x) => x.play_reading) && g.json.items.every((x) => x.play_reading === x.grade <= 2),
    'grades 1-2 carry the play-and-reading label, and only they');
  const first = await as('office', 'POST', `${A}/timetable/groups/generate`, {});
  t.expect(first.status === 200, `generate: ${show(first)}`);
  const again = await as('office', 'POST', `${A}/timetable/groups/generate`, {});
  t.expect(again.status === 200, `generate again: ${show(again)}`);
  t.check(again.json.changed === false && again.json.groups === first.json.groups, `idempotent: ${show(again)}`);
  t.status(await as('teacher', 'GET', `${A}/timetable/groups`), 403, 'a teacher does not list the groups');
  t.status(await as('18874037771', 'POST', `${A}/timetable/groups/generate`, {}), 403, 'a guardian cannot regenerate');
  const bad = await as('office', 'GET', `${A}/timetable/groups?band=lunch`);
  t.check(bad.status === 400 && hasChinese(bad.json?.error?.message), `an unknown band is refused in Chinese: ${show(bad)}`);
});

test('substitution: a teacher reports their own absence; the office assigns the suggested substitute', async (t) => {
  const { section, date, band } = await ownSession(t);
  // Attackers first: another teacher's section, another teacher's name, a guardian.
  const others = await as('office', 'GET', `${A}/sections?page_size=200`);
  const me = await as('teacher', 'GET', `${A}/auth/me`);
  const foreign = others.json.items.find((x) => x.id !== section.id && x.teacher_name && x.teacher_name !== me.json.display_name);
  if (foreign) {
    const r = await as('teacher', 'POST', `${A}/substitutions/absences`, { date, section_ids: [foreign.id] });
    t.check(r.status === 403 && hasChinese(r.json?.error?.message), `another's section is refused: ${show(r)}`);
  }
  const named = await as('teacher', 'POST', `${A}/substitutions/absences`, { date, section_ids: [section.id], staff_id: 1 });
  t.check(named.status === 403, `a teacher cannot report for someone else: ${show(named)}`);
  t.status(await as('18874037771', 'POST', `${A}/substitutions/absences`, { date, section_ids: [section.id] }), 403,
    'a guardian cannot report an absence');
  t.status(await as('18874037771', 'GET', `${A}/substitutions`), 403, 'a guardian cannot list substitutions');
  const past = await as('teacher', 'POST', `${A}/substitutions/absences`, { date: isoDay(Date.now() - 86400e3), section_ids: [section.id] });
  t.check(past.status === 400 && hasChinese(past.json?.error?.message), `a past day is the office's: ${show(past)}`);

  const r = await as('teacher', 'POST', `${A}/substitutions/absences`, { date, section_ids: [section.id], reason: '参加区教研' });
  t.expect(r.status === 201, `report: ${show(r)}`);
  const sub = r.json.items.find((x) => x.band === band) || r.json.items[0];
  t.check(sub.absent_staff_id === me.json.staff_id && ['open', 'assigned'].includes(sub.status), `recorded: ${show(r)}`);
  t.check(sub.status !== 'assigned' || sub.source === 'backup', 'an assigned one at once is the AB backup');
  const mine = await as('teacher', 'GET', `${A}/substitutions?date=${date}`);
  t.check(mine.status === 200 && mine.json.items.some((x) => x.id === sub.id), `the teacher sees their own: ${show(mine)}`);
  t.status(await as('teacher', 'GET', `${A}/substitutions/${sub.id}/candidates`), 403, 'candidates are the office\'s');

  const c = await as('office', 'GET', `${A}/substitutions/${sub.id}/candidates`);
  t.expect(c.status === 200 && c.json.items.length > 0, `candidates: ${show(c)}`);
  const items = c.json.items;
  t.check(items.every((x) => x.staff_id !== me.json.staff_id), 'the absent teacher is no candidate');
  const firstOver = items.findIndex((x) => !x.within_day_limit);
  t.check(firstOver < 0 || items.slice(firstOver).every((x) => !x.within_day_limit), 'within the day limit ranked first');
  const suggested = items.find((x) => x.suggested);
  t.expect(suggested && suggested === items[0], `the first is the suggestion: ${show(c)}`);
  if (firstOver >= 0) {
    const over = await as('office', 'POST', `${A}/substitutions/${sub.id}/assign`, { staff_id: items[firstOver].staff_id });
    t.check(over.status === 422 && /2 天/.test(over.json?.error?.message), `over the day limit is refused: ${show(over)}`);
  }
  const self = await as('office', 'POST', `${A}/substitutions/${sub.id}/assign`, { staff_id: me.json.staff_id });
  t.check(self.status === 400 || self.status === 422, `the absent teacher cannot substitute: ${show(self)}`);
  const a = await as('office', 'POST', `${A}/substitutions/${sub.id}/assign`, { staff_id: suggested.staff_id });
  t.expect(a.status === 200, `assign: ${show(a)}`);
  t.check(a.json.status === 'assigned' && a.json.source === 'office' && a.json.substitute_staff_id === suggested.staff_id,
    `assigned as picked: ${show(a)}`);
  // Who teaches that day: the attendance session shows the substitute.
  const s = await as('office', 'GET', `${A}/attendance/sessions?date=${date}`);
  t.expect(s.status === 200, `sessions: ${show(s)}`);
  const session = s.json.items.find((x) => x.section_id === section.id && x.band === sub.band);
  if (session) t.check(session.teacher === suggested.name, `the session's teacher is the substitute: ${show(s)}`);
  // Told: the substitute and the absent teacher (outbox).
  const o = await as('office', 'GET', `${A}/notify/outbox?page_size=200`);
  t.expect(o.status === 200, `outbox: ${show(o)}`);
  const told = o.json.items.filter((x) => x.event_key.startsWith(`substitution:${sub.id}:${suggested.staff_id}`));
  t.check(told.some((x) => x.recipient_id === suggested.staff_id) && told.some((x) => x.recipient_id === me.json.staff_id),
    `both teachers are told: ${show(o)}`);
});
