// Attendance (issue 13 §1) through the server: the roll call saved whole and refused to the teacher
// after the session (the office may, audited), swipes from a device counted once however often a
// reader resends, leave on the roster, an unexcused absence queuing outbox rows and showing on the
// office's board until resolved, and the attacker's probes (another teacher's session, device keys
// on user routes, user tokens on the device route, other schools, other families).
// Self-contained: the demo accounts through lib.mjs demoAccounts(). Sessions of the demo teacher come from
// the demo's morning care section (Monday to Friday): a coming teaching day (a roll may be prepared
// up to 7 days ahead) and a past one (ended) are found through the API.
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const argv = process.argv;
const demo = demoAccounts();
const { api, session } = demo;
const A = '/api/v1';
const RUN = `AT${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();

async function as(login, method, path, body, headers) {
  return demo.as(login, method, path, body, { headers });
}

// School-local dates (UTC+8, as core/time.h).
const DAY = 86400000;
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);

let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardians = (g.json?.items || []).map((u) => u.login).filter((l) => /^1\d{10}$/.test(l));
  t.expect(guardians.length, 'a demo guardian account');
  const now = Date.now();
  let future = null, past = null;
  for (let i = 1; i <= 7 && !future; i++) {
    const d = localDate(now + i * DAY);
    const r = await as('teacher', 'GET', `${A}/attendance/sessions?date=${d}`);
    t.expect(r.status === 200, `teacher sessions ${d}: ${show(r)}`);
    const s = r.json.items.find((x) => x.editable && x.band === 'morning');
    if (s) future = { date: d, section: s.section_id };
  }
  for (let i = 1; i <= 10 && !past; i++) {
    const d = localDate(now - i * DAY);
    const r = await as('teacher', 'GET', `${A}/attendance/sessions?date=${d}`);
    const s = (r.json?.items || []).find((x) => x.ended && x.band === 'morning');
    if (s) past = { date: d, section: s.section_id };
  }
  t.expect(future && past, `the demo teacher has a coming and a past session: ${JSON.stringify({ future, past })}`);
  const roster = await as('teacher', 'GET', `${A}/attendance/sessions/${future.section}/roster?date=${future.date}`);
  t.expect(roster.status === 200 && roster.json.items.length >= 3, `the teacher's roster: ${show(roster)}`);
  // The demo guardian whose child is on the teacher's section.
  let guardian = null, child = null;
  for (const login of guardians) {
    const kids = await as(login, 'GET', `${A}/me/children`);
    const k = (kids.json?.items || []).find((c) => roster.json.items.some((i) => i.student_id === c.id));
    if (k) { guardian = login; child = k; break; }
  }
  t.expect(child, 'a demo guardian with a child on the teacher\'s morning care section');
  fx = { future, past, roster: roster.json, guardian, child, school: (await session('office')).user.school_id };
  return fx;
}

const rollOf = (items, statusOf) => items.map((i) => ({ student_id: i.student_id, status: statusOf(i) }));

test('attendance: a guardian\'s leave shows on the teacher\'s roster and in the teacher\'s leave list', async (t) => {
  const f = await fixtures(t);
  let r = await as(f.guardian, 'POST', `${A}/attendance/leaves`, {
    student_id: f.child.id, from_date: f.future.date, to_date: f.future.date, reason: `复诊 ${RUN}`,
  });
  t.expect(r.status === 200, `leave: ${show(r)}`);
  r = await as('teacher', 'GET', `${A}/attendance/sessions/${f.future.section}/roster?date=${f.future.date}`);
  const line = r.json.items.find((i) => i.student_id === f.child.id);
  t.check(line && line.on_leave === true, `on_leave on the roster: ${JSON.stringify(line)}`);
  t.check(line && (line.mark !== null || line.status === 'leave'), `status leave: ${JSON.stringify(line)}`);
  r = await as('teacher', 'GET', `${A}/attendance/leaves?date=${f.future.date}`);
  t.check((r.json?.items || []).some((l) => l.reason === `复诊 ${RUN}`), `teacher's leave list: ${show(r)}`);
  // Backdated leave is refused, in Chinese.
  r = await as(f.guardian, 'POST', `${A}/attendance/leaves`, {
    student_id: f.child.id, from_date: f.past.date, to_date: f.past.date, reason: '补请',
  });
  if (t.status(r, 422, 'backdated leave')) t.errorShape(r, 'backdated leave', { code: 'rule_broken' });
});

test('attendance: the roll is saved whole; an unexcused absence queues outbox rows and stays on the board until resolved', async (t) => {
  const f = await fixtures(t);
  const items = (await as('teacher', 'GET', `${A}/attendance/sessions/${f.future.section}/roster?date=${f.future.date}`)).json.items;
  const absent = items.find((i) => !i.on_leave && i.student_id !== f.child.id);
  // Half a roster is refused: one request saves the whole roster.
  let r = await as('teacher', 'PUT', `${A}/attendance/sessions/${f.future.section}/roll`,
    { date: f.future.date, marks: rollOf(items.slice(1), () => 'present') });
  if (t.status(r, 400, 'half a roster')) t.check(hasChinese(r.json.error.message), 'message in Chinese');
  // Everyone present first (a run before may have left the child absent), then the absence.
  r = await as('teacher', 'PUT', `${A}/attendance/sessions/${f.future.section}/roll`,
    { date: f.future.date, marks: rollOf(items, (i) => (i.on_leave ? 'leave' : 'present')) });
  t.expect(r.status === 200, `roll call: ${show(r)}`);
  r = await as('teacher', 'PUT', `${A}/attendance/sessions/${f.future.section}/roll`, {
    date: f.future.date,
    marks: rollOf(items, (i) => (i.student_id === absent.student_id ? 'absent' : i.on_leave ? 'leave' : 'present')),
  });
  t.expect(r.status === 200, `roll call: ${show(r)}`);
  t.check(r.json.counts.absent === 1 && r.json.counts.unmarked === 0, `counts: ${JSON.stringify(r.json.counts)}`);
  const key = `absent:${f.future.section}:${f.future.date}:morning:${absent.student_id}`;
  const outbox = await as('office', 'GET', `${A}/notify/outbox?page_size=200`);
  const rows = (outbox.json?.items || []).filter((m) => m.event_key === key);
  t.check(rows.some((m) => m.recipient_kind === 'guardian'), `an outbox row to the guardian: ${JSON.stringify(rows)}`);
  t.check(rows.some((m) => m.recipient_kind === 'staff'), `an outbox row to the class teacher: ${JSON.stringify(rows)}`);
  // Saved again: nothing queued twice.
  r = await as('teacher', 'PUT', `${A}/attendance/sessions/${f.future.section}/roll`, {
    date: f.future.date,
    marks: rollOf(items, (i) => (i.student_id === absent.student_id ? 'absent' : i.on_leave ? 'leave' : 'present')),
  });
  const again = await as('office', 'GET', `${A}/notify/outbox?page_size=200`);
  t.check((again.json?.items || []).filter((m) => m.event_key === key).length === rows.length, 'the same absence queued twice');
  let board = await as('office', 'GET', `${A}/attendance/board?date=${f.future.date}`);
  const alert = (board.json?.alerts || []).find((a) => a.student_id === absent.student_id && a.date === f.future.date);
  t.expect(alert, `the alert on the board: ${show(board)}`);
  r = await as('office', 'POST', `${A}/attendance/alerts/${alert.id}/resolve`, {});
  t.status(r, 400, 'resolve without a note');
  r = await as('office', 'POST', `${A}/attendance/alerts/${alert.id}/resolve`, { note: `已联系家长 ${RUN}` });
  t.status(r, 200, 'resolve');
  board = await as('office', 'GET', `${A}/attendance/board?date=${f.future.date}`);
  t.check(!(board.json?.alerts || []).some((a) => a.id === alert.id), 'the resolved alert is still on the board');
  r = await as('office', 'POST', `${A}/attendance/alerts/${alert.id}/resolve`, { note: 'again' });
  t.status(r, 409, 'resolve twice');
  const audit = await as('principal', 'GET', `${A}/audit?action=resolve&page_size=20`);
  t.check(JSON.stringify(audit.json || {}).includes(RUN), `the resolution is audited: ${show(audit)}`);
});

test('attendance: after the session the teacher is refused; the office corrects it, audited as a late edit', async (t) => {
  const f = await fixtures(t);
  const roster = await as('teacher', 'GET', `${A}/attendance/sessions/${f.past.section}/roster?date=${f.past.date}`);
  t.expect(roster.status === 200, `past roster: ${show(roster)}`);
  t.check(roster.json.session.editable === false, 'a past session is not editable for the teacher');
  const marks = rollOf(roster.json.items, (i) => (i.on_leave ? 'leave' : 'present'));
  let r = await as('teacher', 'PUT', `${A}/attendance/sessions/${f.past.section}/roll`, { date: f.past.date, marks });
  if (t.status(r, 422, 'teacher after the session')) t.errorShape(r, 'late roll', { code: 'rule_broken' });
  r = await as('office', 'PUT', `${A}/attendance/sessions/${f.past.section}/roll`, { date: f.past.date, marks });
  t.status(r, 200, 'office after the session');
  const audit = await as('principal', 'GET', `${A}/audit?action=roll_call_late_edit&page_size=5`);
  t.check((audit.json?.items || []).length > 0, `late edit audited: ${show(audit)}`);
});

test('attendance: a device\'s swipes count once however often they are resent; per-row results', async (t) => {
  const f = await fixtures(t);
  let r = await as('office', 'POST', `${A}/attendance/devices`, { name: `测试闸机 ${RUN}` });
  t.expect(r.status === 200 && r.json.key, `device: ${show(r)}`);
  const device = { id: r.json.id, auth: { Authorization: `Device ${r.json.key}` } };
  const kid = f.roster.items[0];
  const card = `T-${RUN}`;
  t.status(await as('office', 'PUT', `${A}/attendance/cards`, { card_no: card, student_id: kid.student_id }), 200, 'card');
  const now = Date.now();
  const swipe = { uid: `${RUN}-1`, card_no: card, at_ms: now - 60000 };
  r = await api.post(`${A}/attendance/swipes`, { swipes: [swipe, { ...swipe }] }, { headers: device.auth });
  t.expect(r.status === 200, `swipes: ${show(r)}`);
  t.check(r.json.accepted === 1 && r.json.duplicate === 1, `one accepted, one duplicate: ${JSON.stringify(r.json)}`);
  // The reader resends (and an earlier swipe arrives after a later one).
  r = await api.post(`${A}/attendance/swipes`, {
    swipes: [swipe, { uid: `${RUN}-0`, card_no: card, at_ms: now - 120000 }, { uid: `${RUN}-9`, card_no: card, at_ms: now + 3600000 }],
  }, { headers: device.auth });
  t.check(r.json?.accepted === 1 && r.json?.duplicate === 1 && r.json?.rejected === 1, `resend: ${show(r)}`);
  t.check(r.json?.results?.[2]?.error?.field === 'at_ms', 'a swipe from the future is rejected, naming at_ms');
  r = await api.post(`${A}/attendance/swipes`, { swipes: [swipe] }, { headers: { Authorization: `Device ${device.id}.wrong` } });
  if (t.status(r, 401, 'wrong device key')) t.errorShape(r, 'wrong key', { code: 'unauthenticated' });
  // Disabled: refused.
  t.status(await as('office', 'POST', `${A}/attendance/devices/${device.id}/disable`), 200, 'disable');
  t.status(await api.post(`${A}/attendance/swipes`, { swipes: [swipe] }, { headers: device.auth }), 401, 'disabled device');
});

test('attendance: attacker probes (other teacher\'s session, device keys on user routes, other schools and families)', async (t) => {
  const f = await fixtures(t);
  const path = `${A}/attendance/sessions/${f.future.section}/roster?date=${f.future.date}`;
  let r = await as('classteacher', 'GET', path);
  t.check(r.status === 404 || r.status === 403, `another teacher's roster: ${show(r)}`);
  t.check(!(r.text || '').includes(f.roster.items[0].name), 'another teacher sees a child\'s name');
  r = await as('classteacher', 'PUT', `${A}/attendance/sessions/${f.future.section}/roll`, { date: f.future.date, marks: [] });
  t.check(r.status === 404 || r.status === 403, `another teacher's roll: ${show(r)}`);
  t.status(await as(f.guardian, 'GET', `${A}/attendance/sessions`), 403, 'guardian on sessions');
  t.status(await as('teacher', 'GET', `${A}/attendance/board`), 403, 'teacher on the board');
  t.status(await as('teacher', 'POST', `${A}/attendance/devices`, { name: 'x' }), 403, 'teacher making a device');
  // A device key is no user session.
  const dev = await as('office', 'POST', `${A}/attendance/devices`, { name: `探测 ${RUN}` });
  const auth = { Authorization: `Device ${dev.json.key}` };
  for (const [m, p] of [['GET', `${A}/attendance/sessions`], ['GET', `${A}/attendance/board`], ['GET', `${A}/students`],
    ['PUT', `${A}/attendance/sessions/${f.future.section}/roll`]]) {
    r = await api.request(m, p, { headers: auth, body: m === 'PUT' ? { date: f.future.date, marks: [] } : undefined });
    t.check(r.status === 401 || r.status === 403, `device key on ${m} ${p}: ${show(r)}`);
  }
  // A user's token is no device key.
  r = await as('office', 'POST', `${A}/attendance/swipes`, { swipes: [{ uid: 'x', card_no: 'y', at_ms: Date.now() }] });
  t.status(r, 401, 'user token on the device route');
  // Other schools: not found.
  t.status(await as('office', 'GET', `${A}/attendance/sessions?school_id=999999999`), 404, 'another school\'s sessions');
  t.status(await as('office', 'GET', `${A}/attendance/sessions/999999999/roster`), 404, 'an unknown section');
  // Another family's child: not found, nothing written.
  r = await as(f.guardian, 'POST', `${A}/attendance/leaves`, {
    student_id: 1 + Math.max(...f.roster.items.map((i) => i.student_id)) + 100000, from_date: f.future.date,
    to_date: f.future.date, reason: '探测',
  });
  t.status(r, 404, 'leave for a child not one\'s own');
  const own = new Set(((await as(f.guardian, 'GET', `${A}/me/children`)).json?.items || []).map((c) => c.id));
  r = await as(f.guardian, 'GET', `${A}/attendance/leaves`);
  t.check(r.status === 200 && r.json.items.length > 0, `the guardian's leave list: ${show(r)}`);
  t.check(r.json.items.every((l) => own.has(l.student_id)), 'a guardian sees leave of a child not their own');
  t.check(!(r.json?.items || []).some((l) => l.reason === '探测'), 'a refused leave was stored');
});
