// The timetable's grid and jobs (issue 12 §4), through the server: the office runs the solver as a
// background job (progress, saved once complete), a move into a clash is refused 409 naming the
// rule (and its dry run says so), a move to a free slot is stored, a locked session cannot move,
// the views and exports answer; a teacher or guardian cannot start a solve or move; another
// school's term answers 404; a teacher's week holds only their own sessions.
// Self-contained: its own sessions (the demo accounts); every move is moved back.
import { demoAccounts, show, hasChinese, test, sleep } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const { api, as, session } = demoAccounts();
const A = '/api/v1';

async function currentTerm(login = 'office') {
  const r = await as(login, 'GET', `${A}/terms`);
  return (r.json.items || []).find((x) => x.is_current) || r.json.items[0];
}
const key = (it) => ({ section_id: it.section_id, session_no: it.session_no });
const place = (it, day, band, extra = {}) => ({ ...key(it), weekday: day.weekday, band: band.code, ...extra });

async function waitJob(t, id) {
  for (let k = 0; k < 200; k++) {
    const r = await as('office', 'GET', `${A}/timetable/jobs/${id}`);
    t.expect(r.status === 200, `job: ${show(r)}`);
    if (r.json.state !== 'running') return r.json;
    await sleep(100);
  }
  throw new Error('the solve job did not end in 20 s');
}

test('timetable: the office runs the solver as a background job; one job per term; saved when complete', async (t) => {
  const term = await currentTerm();
  const start = await as('office', 'POST', `${A}/timetable/terms/${term.id}/solve`, { seconds: 5 });
  t.expect(start.status === 202 && start.json.id, `start: ${show(start)}`);
  const again = await as('office', 'POST', `${A}/timetable/terms/${term.id}/solve`, {});
  t.status(again, 202, 'a second start');
  if (again.json.already_running) t.check(again.json.id === start.json.id, 'the running job is answered');
  const done = await waitJob(t, start.json.id);
  t.check(done.state === 'done' && done.saved && done.percent === 100 && done.best_hard === 0, `done: ${JSON.stringify(done)}`);
  const grid = await as('office', 'GET', `${A}/timetable/terms/${term.id}`);
  t.expect(grid.status === 200 && grid.json.stored, `grid: ${show(grid)}`);
  t.check(grid.json.items.length > 0 && grid.json.unplaced.length === 0 && grid.json.report.hard === 0, 'all placed, no hard rule broken');
  t.status(await as('office', 'POST', `${A}/timetable/terms/${term.id}/solve`, { seconds: 999 }), 400, 'a time limit over 120 s');
  t.status(await as('office', 'GET', `${A}/timetable/jobs/999999`), 404, 'an unknown job');
  const cancel = await as('office', 'POST', `${A}/timetable/jobs/${start.json.id}/cancel`);
  t.status(cancel, 200, 'cancel of a finished job');
});

test('timetable: a move into a clash is refused naming the rule; a free slot is taken; locks hold', async (t) => {
  const term = await currentTerm();
  const grid = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json;
  t.expect(grid && grid.items.length > 1, `grid: ${JSON.stringify(grid)?.slice(0, 300)}`);
  const day = (i) => grid.days[i.day];
  const band = (i) => grid.bands[i.hour];
  // A teacher clash: onto the slot of another session of the same teacher.
  let pair = null;
  for (const a of grid.items)
    for (const b of grid.items)
      if (!pair && a !== b && a.kind !== 'basic' && b.kind !== 'basic' && a.teacher_staff_id && a.teacher_staff_id === b.teacher_staff_id && (a.day !== b.day || a.hour !== b.hour)) pair = [a, b];
  if (pair) {
    const [a, b] = pair;
    const dry = await as('office', 'POST', `${A}/timetable/terms/${term.id}/check`, place(a, day(b), band(b)));
    t.check(dry.status === 200 && dry.json.ok === false && dry.json.violations.some((v) => v.rule === 'teacher_clash'), `dry run: ${show(dry)}`);
    const put = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(a, day(b), band(b)));
    if (t.status(put, 409, 'a move into a teacher clash')) {
      t.errorShape(put, 'teacher clash', { code: 'conflict' });
      t.check(put.json.error.field === 'teacher_clash' && put.json.error.message.includes('教师冲突'), `named: ${show(put)}`);
    }
  } else t.note('no teacher with two sessions in the demo term');
  // A room clash: into another session's room at its time.
  const first = grid.items[0];
  const b = grid.items.find((x) => x.room_id && x.room_id !== first.room_id && x.teacher_staff_id !== first.teacher_staff_id);
  if (b) {
    const put = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(first, day(b), band(b), { room_id: b.room_id }));
    t.status(put, 409, 'a move into a taken room (or another hard rule)');
    t.check(hasChinese(put.json?.error?.message || ''), 'Chinese message');
  }
  // A free slot: the first the dry run accepts, for the first of a few sessions that has one (a
  // basic-service group or a morning-care section may fit only where it is).
  let free = null;
  let a = null;
  for (const cand of grid.items.slice(0, 12)) {
    for (const d of grid.days) for (const bd of grid.bands) {
      if (free || (d.index === cand.day && bd.index === cand.hour)) continue;
      const dry = await as('office', 'POST', `${A}/timetable/terms/${term.id}/check`, place(cand, d, bd));
      if (dry.json?.ok) free = { d, bd, soft: dry.json.soft_only };
    }
    if (free) { a = cand; break; }
  }
  t.expect(free, 'a free slot for one of the first sessions');
  let put = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(a, free.d, free.bd));
  if (free.soft) {
    t.status(put, 409, 'a soft goal made worse needs the override');
    t.check(/^soft_/.test(put.json?.error?.field || ''), `soft rule named: ${show(put)}`);
    put = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(a, free.d, free.bd, { override_soft: true }));
  }
  t.status(put, 200, 'a move to a free slot');
  // The moved session's AB backup is chosen again there (or the answer names its absence).
  if (put.status === 200) {
    t.check(put.json.backup_staff_id ? put.json.warnings.length === 0 && !!put.json.backup
      : put.json.warnings.some((w) => w.code === 'no_backup' && hasChinese(w.message)), `backup after the move: ${show(put)}`);
  }
  const moved = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json.items.find((x) => x.section_id === a.section_id && x.session_no === a.session_no);
  t.check(moved && moved.day === free.d.index && moved.hour === free.bd.index, `stored: ${JSON.stringify(moved)}`);
  // Locked: cannot move; unlocked: back where it was.
  t.status(await as('office', 'PUT', `${A}/timetable/terms/${term.id}/lock`, { ...key(a), locked: true }), 200, 'lock');
  const locked = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(a, day(a), band(a), { override_soft: true }));
  t.check(locked.status === 409 && locked.json.error.field === 'locked', `a locked session does not move: ${show(locked)}`);
  t.status(await as('office', 'PUT', `${A}/timetable/terms/${term.id}/lock`, { ...key(a), locked: false }), 200, 'unlock');
  t.status(await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(a, day(a), band(a), { room_id: a.room_id, override_soft: true })), 200, 'moved back');
});

test('timetable: views and exports (XLSX, PDF)', async (t) => {
  const term = await currentTerm();
  const grid = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json;
  const it = grid.items.find((x) => x.teacher_staff_id && x.room_id && x.grades.length);  // other tests add sections without
  t.expect(it, 'a placed session with a teacher, a room and grades');
  for (const [view, id, pred] of [
    ['teacher', it.teacher_staff_id, (x) => x.teacher_staff_id === it.teacher_staff_id],
    ['room', it.room_id, (x) => x.room_id === it.room_id],
    ['grade', it.grades[0], (x) => x.grades.includes(it.grades[0])],
  ]) {
    const r = await as('office', 'GET', `${A}/timetable/terms/${term.id}?view=${view}&id=${id}`);
    t.check(r.status === 200 && r.json.items.length > 0 && r.json.items.every(pred), `${view} view: ${show(r)}`);
  }
  if (it.class_id) {
    const r = await as('office', 'GET', `${A}/timetable/terms/${term.id}?view=class&id=${it.class_id}`);
    t.check(r.status === 200 && r.json.items.every((x) => x.class_id === it.class_id), 'class view');
  }
  t.status(await as('office', 'GET', `${A}/timetable/terms/${term.id}?view=planet&id=1`), 400, 'an unknown view');
  t.status(await as('office', 'GET', `${A}/timetable/terms/${term.id}?view=teacher`), 400, 'a view without its id');
  const x = await as('office', 'GET', `${A}/timetable/terms/${term.id}/export?format=xlsx`);
  t.check(x.status === 200 && /spreadsheetml/.test(x.headers.get('content-type')) && x.bytes.subarray(0, 2).toString() === 'PK', `xlsx: ${show(x)}`);
  const p = await as('office', 'GET', `${A}/timetable/terms/${term.id}/export?format=pdf&view=teacher&id=${it.teacher_staff_id}`);
  t.check(p.status === 200 && p.bytes.subarray(0, 5).toString() === '%PDF-', `pdf: ${show(p)}`);
});

test('timetable: teachers and guardians cannot solve or move; another school\'s term is 404; a teacher sees only their week', async (t) => {
  const term = await currentTerm();
  const grid = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json;
  const it = grid.items[0];
  const guardian = (await as('admin', 'GET', `${A}/users?role=guardian&page_size=1`)).json?.items?.[0]?.login || '18874037771';
  for (const who of ['teacher', 'classteacher', guardian]) {
    t.status(await as(who, 'POST', `${A}/timetable/terms/${term.id}/solve`, {}), 403, `${who} starts a solve`);
    t.status(await as(who, 'PUT', `${A}/timetable/terms/${term.id}/placement`, place(it, grid.days[0], grid.bands[0])), 403, `${who} moves`);
    t.status(await as(who, 'GET', `${A}/timetable/terms/${term.id}`), 403, `${who} reads the whole grid`);
  }
  t.status(await as(guardian, 'GET', `${A}/timetable/my-week`), 403, 'a guardian has no teaching week');
  const me = await session('office');
  const schools = (await as('admin', 'GET', `${A}/schools`)).json.items;
  const other = schools.find((s) => s.id !== me.user.school_id);
  const otherTerm = (await as('admin', 'GET', `${A}/terms?school_id=${other.id}`)).json.items[0];
  t.status(await as('office', 'GET', `${A}/timetable/terms/${otherTerm.id}`), 404, 'another school\'s term');
  t.status(await as('office', 'POST', `${A}/timetable/terms/${otherTerm.id}/solve`, {}), 404, 'solving another school\'s term');
  t.status(await as('office', 'GET', `${A}/timetable/terms/${term.id}?school_id=${other.id}`), 404, 'another school by ?school_id');
  // The teacher's week: only their own sessions, the same as the office's teacher view.
  const teacher = await session('teacher');
  const week = await as('teacher', 'GET', `${A}/timetable/my-week`);
  t.expect(week.status === 200, `my week: ${show(week)}`);
  const staffId = teacher.user.staff_id;
  const mine = grid.items.filter((x) => x.teacher_staff_id === staffId);
  t.check(week.json.items.length === mine.length && week.json.items.every((x) => x.teacher_staff_id === staffId),
    `own sessions only: ${week.json.items.length} vs ${mine.length} (${JSON.stringify(week.json.items.map((x) => x.teacher_staff_id))})`);
  t.check(week.json.bands.every((b) => b.start && b.end), 'bands with their hours');
});

test('timetable: a move that hands a session to an unchecked teacher is refused by the staff gate', async (t) => {
  const term = await currentTerm();
  const grid = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json;
  const a = grid.items[0];
  const blocked = (await as('office', 'GET', `${A}/staff-records/blocked?page_size=200`)).json.items.find((x) => !x.check);
  t.expect(blocked, 'a demo person without a background check');
  const body = { ...place(a, grid.days[a.day], grid.bands[a.hour]), teacher_staff_id: blocked.staff_id };
  const dry = await as('office', 'POST', `${A}/timetable/terms/${term.id}/check`, body);
  const put = await as('office', 'PUT', `${A}/timetable/terms/${term.id}/placement`, body);
  for (const [r, what] of [[dry, 'dry run'], [put, 'move']]) {
    if (t.status(r, 422, `${what} with an unchecked teacher`)) {
      t.errorShape(r, what, { code: 'rule_broken' });
      t.check(r.json.error.message.includes('违法犯罪信息查询'), `the gate's reason: ${r.json.error.message}`);
    }
  }
  const after = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json.items.find((x) => x.section_id === a.section_id && x.session_no === a.session_no);
  t.check(after.teacher_staff_id === a.teacher_staff_id, 'the teacher is unchanged');
});

test('timetable: basic-service groups on the grid apart from sections, with their supervising teacher', async (t) => {
  const term = await currentTerm();
  const grid = (await as('office', 'GET', `${A}/timetable/terms/${term.id}`)).json;
  const basic = grid.items.filter((x) => x.kind === 'basic');
  t.expect(basic.length > 0, 'the demo term has basic-service groups on the grid');
  t.check(basic.every((x) => x.group_id > 0 && x.movable === false && x.supervisor === true && x.teacher), `groups with supervisors: ${JSON.stringify(basic[0])}`);
  t.check(grid.items.filter((x) => x.kind !== 'basic').every((x) => x.kind === 'section' && x.movable === true), 'sections are kind section');
  const g = basic.find((x) => x.class_id) || basic[0];
  const views = [['teacher', g.teacher_staff_id], ['grade', g.grades[0]]];
  if (g.class_id) views.push(['class', g.class_id]);
  if (g.room_id) views.push(['room', g.room_id]);
  for (const [view, id] of views) {
    const r = await as('office', 'GET', `${A}/timetable/terms/${term.id}?view=${view}&id=${id}`);
    t.check(r.status === 200 && r.json.items.some((x) => x.kind === 'basic' && x.group_id === g.group_id), `${view} view holds the group: ${show(r)}`);
  }
});
