// Safety (issue 13 §2, §4) through the server: the demo's records are there; the teacher records
// an unwell child and the three concerns of a session (linked to the roll call) and the doctor
// sees the report; a handover acknowledged only by its receiver; health notes shown only to the
// child's teachers, the doctor and the office; the guard's and the safety officer's records; the
// attacker's probes (guardian, guard and other teachers on health notes and incidents; another
// school's ids answer 404). Self-contained: what it writes carries a run id.
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const argv = process.argv;
const { api, as, session } = demoAccounts();
const A = '/api/v1';
const RUN = `SF${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();

const DAY = 86400000;
const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);

let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  let past = null;
  for (let i = 1; i <= 7 && !past; i++) {
    const d = localDate(Date.now() - i * DAY);
    const r = await as('teacher', 'GET', `${A}/attendance/sessions?date=${d}`);
    const s = (r.json?.items || []).find((x) => x.ended);
    if (s) past = { date: d, section: s.section_id, band: s.band };
  }
  t.expect(past, 'the demo teacher has an ended session in the past week');
  const c = await as('teacher', 'GET', `${A}/safety/sessions/${past.section}/concerns?date=${past.date}&band=${past.band}`);
  t.expect(c.status === 200 && c.json.roster.length >= 3, `the teacher's concerns page: ${show(c)}`);
  const onRoster = new Set(c.json.roster.map((x) => x.student_id));
  // (the principal, not the office: access.mjs reads the office's own latest list reads)
  const st = await as('principal', 'GET', `${A}/students?page_size=200`);
  const stranger = (st.json?.items || []).find((s) => !onRoster.has(s.id));
  t.expect(stranger, 'a child not on the teacher\'s roster');
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=50`);
  const guardian = (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  const schools = await as('admin', 'GET', `${A}/schools?page_size=50`);
  const own = (await session('office')).user.school_id;
  const other = (schools.json?.items || []).find((s) => s.id !== own);
  t.expect(guardian && other, 'a guardian login and another school');
  fx = { past, concerns: c.json, roster: c.json.roster, stranger, guardian, own, other: other.id };
  return fx;
}

test('safety: the demo school\'s records are there (doctor\'s list, board figures, coverage gap, drill, exports)', async (t) => {
  let r = await as('doctor', 'GET', `${A}/safety/unwell`);
  if (t.status(r, 200, 'the doctor\'s list')) t.check(r.json.items.length >= 2 && r.json.open >= 1, `unwell: ${show(r)}`);
  r = await as('office', 'GET', `${A}/safety/summary`);
  if (t.status(r, 200, 'summary')) t.check(typeof r.json.site_check === 'string' && r.json.unwell_open >= 1, `summary: ${show(r)}`);
  r = await as('office', 'GET', `${A}/safety/insurance`);
  if (t.status(r, 200, 'insurance')) {
    t.check(r.json.items.length >= 2, `policies: ${show(r)}`);
    t.check(r.json.coverage.uncovered.length >= 1 && r.json.coverage.ok === false, `the demo's gap is flagged: ${JSON.stringify(r.json.coverage).slice(0, 300)}`);
  }
  r = await as('safety', 'GET', `${A}/safety/drills`);
  if (t.status(r, 200, 'drills')) t.check(r.json.terms.some((x) => x.state === 'done'), `a term with its drill: ${show(r)}`);
  r = await as('safety', 'GET', `${A}/safety/site-checks`);
  if (t.status(r, 200, 'site checks')) t.check(r.json.items.length >= 3 && r.json.today.state, `checks: ${show(r)}`);
  r = await as('office', 'GET', `${A}/safety/handovers`);
  if (t.status(r, 200, 'handovers')) t.check(r.json.items.length >= 2, `handovers: ${show(r)}`);
  for (const list of ['unwell', 'handovers', 'health_notes', 'insurance', 'site_checks', 'patrols', 'incidents', 'drills', 'visitors']) {
    r = await as('office', 'GET', `${A}/safety/export?list=${list}`);
    if (t.status(r, 200, `export ${list}`)) t.check(/spreadsheetml/.test(r.headers.get('content-type') || ''), `${list}: ${r.headers.get('content-type')}`);
  }
  r = await as('office', 'GET', `${A}/safety/export?list=passwords`);
  if (t.status(r, 400, 'an unknown list')) t.errorShape(r, 'unknown list');
});

test('safety: the teacher records an unwell child and the three concerns; the doctor sees the report', async (t) => {
  const f = await fixtures(t);
  const child = f.roster[0];
  let r = await as('teacher', 'POST', `${A}/safety/sessions/${f.past.section}/unwell`, {
    date: f.past.date, band: f.past.band, student_id: child.student_id, symptom: `咳嗽 ${RUN}`, actions: ['rest', 'doctor'],
  });
  t.expect(r.status === 200, `unwell: ${show(r)}`);
  const id = r.json.id;
  r = await as('teacher', 'POST', `${A}/safety/sessions/${f.past.section}/unwell`, {
    date: f.past.date, band: f.past.band, student_id: child.student_id, symptom: '咳嗽', actions: [],
  });
  if (t.status(r, 400, 'no action')) t.errorShape(r, 'no action', { code: 'invalid' });
  r = await as('teacher', 'POST', `${A}/safety/sessions/${f.past.section}/unwell`, {
    date: f.past.date, band: f.past.band, student_id: f.stranger.id, symptom: '咳嗽', actions: ['rest'],
  });
  t.status(r, 400, 'a child not on the roster');
  r = await as('doctor', 'GET', `${A}/safety/unwell?status=open`);
  t.check(r.status === 200 && r.json.items.some((u) => u.id === id && u.symptom === `咳嗽 ${RUN}`), `the doctor sees it: ${show(r)}`);
  r = await as('office', 'GET', `${A}/notify/outbox?page_size=200`);
  t.check((r.json?.items || []).some((m) => m.event_key === `unwell:${id}` && m.recipient_kind === 'guardian'), 'the guardian is told (outbox)');
  r = await as('doctor', 'POST', `${A}/safety/unwell/${id}/seen`, { note: '已处理' });
  if (t.status(r, 200, 'seen')) t.check(r.json.status === 'seen', show(r));
  t.status(await as('doctor', 'POST', `${A}/safety/unwell/${id}/seen`, {}), 409, 'seen twice');
  t.status(await as('teacher', 'GET', `${A}/safety/unwell`), 403, 'a teacher has no doctor\'s list');
  // The concerns follow the roll call: each unexcused absence needs a follow-up.
  const unexcused = f.roster.filter((x) => x.unexcused);
  const body = { date: f.past.date, band: f.past.band, absent: unexcused.map((x) => ({ student_id: x.student_id, note: `已联系家长 ${RUN}` })),
    late_pickup: [], all_on_time: true, note: RUN };
  r = await as('teacher', 'PUT', `${A}/safety/sessions/${f.past.section}/concerns`, body);
  if (t.status(r, 200, 'concerns')) t.check(r.json.concerns.note === RUN && r.json.concerns.absent.length === unexcused.length, show(r));
  const notAbsent = f.roster.find((x) => !x.unexcused);
  r = await as('teacher', 'PUT', `${A}/safety/sessions/${f.past.section}/concerns`,
    { ...body, absent: [...body.absent, { student_id: notAbsent.student_id, note: 'x' }] });
  if (t.status(r, 422, 'a child the roll does not mark absent')) t.errorShape(r, 'concerns', { code: 'rule_broken' });
  r = await as('teacher', 'PUT', `${A}/safety/sessions/${f.past.section}/concerns`, { ...body, all_on_time: false });
  t.status(r, 400, 'late pickup without a child');
});

test('safety: a handover is signed by the giver and acknowledged only by its receiver', async (t) => {
  const f = await fixtures(t);
  let r = await as('teacher', 'GET', `${A}/safety/handovers`);
  t.expect(r.status === 200, `handovers: ${show(r)}`);
  const receiver = r.json.recipients.find((u) => u.role === 'class_teacher');
  t.expect(receiver, `a class teacher among the recipients: ${JSON.stringify(r.json.recipients).slice(0, 200)}`);
  r = await as('teacher', 'POST', `${A}/safety/handovers`, {
    to_user_id: receiver.user_id, place: `操场 ${RUN}`, student_ids: f.roster.slice(0, 2).map((x) => x.student_id), watch: '注意补水',
  });
  t.expect(r.status === 200 && r.json.children.length === 2 && r.json.status === 'pending', `handover: ${show(r)}`);
  const id = r.json.id;
  t.status(await as('doctor', 'POST', `${A}/safety/handovers/${id}/ack`, {}), 404, 'a stranger to the handover');
  r = await as('teacher', 'POST', `${A}/safety/handovers/${id}/ack`, {});
  if (t.status(r, 403, 'the giver cannot acknowledge')) t.errorShape(r, 'giver ack', { code: 'forbidden' });
  r = await as('classteacher', 'GET', `${A}/safety/handovers`);
  t.check(r.json?.pending_for_me >= 1 && r.json.items.some((h) => h.id === id), `the receiver sees it: ${show(r)}`);
  r = await as('classteacher', 'POST', `${A}/safety/handovers/${id}/ack`, { note: '已清点' });
  if (t.status(r, 200, 'ack')) t.check(r.json.status === 'acknowledged' && r.json.ack_at > 0, show(r));
  t.status(await as('classteacher', 'POST', `${A}/safety/handovers/${id}/ack`, {}), 409, 'acknowledged twice');
  r = await as('teacher', 'POST', `${A}/safety/handovers`, { to_user_id: (await session('teacher')).user.id, place: 'x', student_ids: [f.roster[0].student_id] });
  if (t.status(r, 400, 'to oneself')) t.check(r.json.error.field === 'to_user_id', show(r));
  t.status(await as(f.guardian, 'GET', `${A}/safety/handovers`), 403, 'a guardian');
});

test('safety: health notes only for the child\'s teachers, the doctor and the office (attacker probes)', async (t) => {
  const f = await fixtures(t);
  const mine = f.roster[0].student_id;
  let r = await as('doctor', 'POST', `${A}/safety/health-notes`, { student_id: mine, kind: 'allergy', detail: `芒果过敏 ${RUN}`, care: '避免芒果' });
  t.expect(r.status === 200, `note: ${show(r)}`);
  const noteId = r.json.id;
  r = await as('doctor', 'POST', `${A}/safety/health-notes`, { student_id: f.stranger.id, kind: 'constitution', detail: `癫痫史 ${RUN}` });
  t.expect(r.status === 200, `note: ${show(r)}`);
  r = await as('teacher', 'GET', `${A}/safety/health-notes`);
  if (t.status(r, 200, 'the teacher\'s notes')) {
    t.check(r.json.items.some((n) => n.detail === `芒果过敏 ${RUN}`), 'the teacher sees their child\'s note');
    t.check(!r.json.items.some((n) => n.detail === `癫痫史 ${RUN}`), 'the teacher does not see another child\'s note');
  }
  r = await as('teacher', 'GET', `${A}/safety/health-notes?student_id=${f.stranger.id}`);
  if (t.status(r, 403, 'a child the teacher does not teach')) t.errorShape(r, 'other child', { code: 'forbidden' });
  t.status(await as('teacher', 'GET', `${A}/safety/health-notes?student_id=${mine}`), 200, 'their own child');
  for (const login of ['guard', 'safety', 'liaison', f.guardian, 'county'])
    t.status(await as(login, 'GET', `${A}/safety/health-notes?student_id=${mine}`), 403, `${login} reads health notes`);
  t.status(await as('teacher', 'POST', `${A}/safety/health-notes`, { student_id: mine, kind: 'allergy', detail: 'x' }), 403, 'a teacher writes a note');
  t.status(await as('office', 'GET', `${A}/safety/health-notes?school_id=${f.other}`), 404, 'another school\'s notes');
  t.status(await as('doctor', 'PUT', `${A}/safety/health-notes/${noteId}`, { active: false }), 200, 'the doctor closes a note');
  r = await as('office', 'GET', `${A}/safety/health-notes?student_id=${mine}`);
  t.check(!(r.json?.items || []).some((n) => n.id === noteId), 'a closed note is not listed');
  // Incidents are not the guardian's, the guard's or a teacher's to read.
  for (const login of [f.guardian, 'guard', 'teacher'])
    t.status(await as(login, 'GET', `${A}/safety/incidents`), 403, `${login} reads incidents`);
  t.status(await as('guard', 'GET', `${A}/safety/export?list=health_notes`), 403, 'the guard exports health notes');
});

test('safety: site check, patrol, incident and visitors on the guard\'s and officer\'s routes; other schools\' ids 404', async (t) => {
  const f = await fixtures(t);
  let r = await as('guard', 'POST', `${A}/safety/site-checks`, { doors: 'ok', windows: 'issue', equipment: 'ok', wiring: 'ok' });
  if (t.status(r, 400, 'an issue without a note')) t.check(r.json.error.field === 'note' && hasChinese(r.json.error.message), show(r));
  r = await as('guard', 'POST', `${A}/safety/site-checks`, { doors: 'ok', windows: 'ok', equipment: 'ok', wiring: 'ok', photo: 'javascript:alert(1)' });
  t.status(r, 400, 'a photo that is not an image');
  r = await as('guard', 'POST', `${A}/safety/site-checks`, { doors: 'ok', windows: 'ok', equipment: 'ok', wiring: 'ok', note: RUN });
  t.status(r, 200, 'the site check');
  r = await as('safety', 'POST', `${A}/safety/patrols`, { area: '操场', ok: false, findings: `围栏 ${RUN}` });
  t.expect(r.status === 200, `patrol: ${show(r)}`);
  t.status(await as('safety', 'POST', `${A}/safety/patrols/${r.json.id}/follow-up`, { follow_up: '已修' }), 200, 'follow-up');
  r = await as('safety', 'POST', `${A}/safety/incidents`, { level: 'minor', student_id: f.roster[0].student_id, place: '楼梯',
    description: `扭伤脚踝 ${RUN}`, actions: '冰敷', notify_guardian: true });
  t.expect(r.status === 200 && r.json.guardian_notified === true, `incident: ${show(r)}`);
  const incident = r.json.id;
  r = await as('office', 'GET', `${A}/notify/outbox?page_size=200`);
  t.check((r.json?.items || []).some((m) => m.event_key === `incident:${incident}`), 'the incident\'s guardian notice is queued');
  r = await as('safety', 'POST', `${A}/safety/incidents`, { level: 'apocalyptic', place: 'x', description: 'x', actions: 'x' });
  t.status(r, 400, 'an unknown level');
  r = await as('guard', 'POST', `${A}/safety/visitors`, { name: `访客${RUN}`, purpose: '送文件', mobile: '13912345678' });
  t.expect(r.status === 200, `visitor: ${show(r)}`);
  t.status(await as('guard', 'POST', `${A}/safety/visitors/${r.json.id}/out`), 200, 'the visitor leaves');
  t.status(await as('guard', 'POST', `${A}/safety/visitors`, { name: 'x', purpose: 'y', mobile: '123' }), 400, 'a bad mobile');
  // Another school's records: the system administrator writes one there; this school's staff get 404.
  r = await as('admin', 'POST', `${A}/safety/visitors?school_id=${f.other}`, { name: `别校访客${RUN}`, purpose: '参观' });
  t.expect(r.status === 200, `admin in another school: ${show(r)}`);
  t.status(await as('guard', 'POST', `${A}/safety/visitors/${r.json.id}/out`), 404, 'another school\'s visitor');
  r = await as('admin', 'POST', `${A}/safety/patrols?school_id=${f.other}`, { area: '别校', ok: false, findings: 'x' });
  t.expect(r.status === 200, `admin patrol: ${show(r)}`);
  t.status(await as('safety', 'POST', `${A}/safety/patrols/${r.json.id}/follow-up`, { follow_up: 'x' }), 404, 'another school\'s patrol');
  t.status(await as('office', 'GET', `${A}/safety/incidents?school_id=${f.other}`), 404, 'another school\'s incidents');
  t.status(await as('doctor', 'POST', `${A}/safety/unwell/999999999/seen`, {}), 404, 'an unknown report');
  t.status(await as('teacher', 'GET', `${A}/safety/sessions/999999999/concerns?date=${f.past.date}`), 404, 'an unknown session');
});
