// Staff records, the gate and external institutions (issue 12), through the server: an unchecked
// teacher is refused with the Chinese reason, a teacher's third day a week is refused, an
// institution's subject course is refused, background checks are not for teachers or guardians,
// another school's ids answer 404, the county keeps the approved list and an exit blocks its staff.
// Self-contained: its own sessions (the demo accounts) and fixtures.
import { demoAccounts, show, hasChinese, test, withPlan } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const { api, as, session } = demoAccounts();
const A = '/api/v1';
const RUN = `ST${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}`.toUpperCase();

const day = (n) => new Date(Date.now() + 8 * 3600e3 + n * 86400e3).toISOString().slice(0, 10);  // school-local
const mobiles = {};
const mobile = () => `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

// A new person of the main school, with a passed check and a contract over the term.
async function gatedTeacher(t, name) {
  const m = mobile();
  const s = await as('principal', 'POST', `${A}/staff`, { name, kind: 'in_school', mobile: m, subjects: '美术' });
  t.expect(s.status === 201 || s.status === 200, `create staff: ${show(s)}`);
  const id = s.json.id;
  const r = await as('office', 'PUT', `${A}/staff-records/${id}`, {
    check: { date: day(-10), result: 'passed', certificate_no: `WF-${RUN}`, valid_until: day(365) },
    contract: { start: day(-200), end: day(400), hourly_rate_fen: 8000 },
  });
  t.expect(r.status === 200 && r.json.gate.ok, `the record opens the gate: ${show(r)}`);
  mobiles[id] = m;
  return id;
}
function course(name, slots, extra) {
  return withPlan({ name: `${name}${RUN}`, category: 'arts', grades: [4], capacity: 30, slots, ...extra });
}

test('staff: an unchecked teacher is refused with the Chinese reason, on the course and on a section', async (t) => {
  const blocked = await as('office', 'GET', `${A}/staff-records/blocked?page_size=200`);
  t.expect(blocked.status === 200, `blocked list: ${show(blocked)}`);
  const unchecked = blocked.json.items.find((x) => !x.check);
  t.expect(unchecked, `a demo person without a background check: ${show(blocked)}`);
  t.check(hasChinese(unchecked.gate.reason) && unchecked.gate.reason.includes('违法犯罪信息查询'), `reason: ${unchecked.gate.reason}`);
  t.check(blocked.json.items.some((x) => /过期/.test(x.gate.reason)), 'the blocked list shows an expired check');
  t.check(blocked.json.items.some((x) => /聘用协议/.test(x.gate.reason)), 'the blocked list shows a missing contract');
  const c = await as('principal', 'POST', `${A}/courses`, course('准入拒绝', '2:after_school', { teacher_staff_id: unchecked.staff_id }));
  if (t.status(c, 422, 'a course taught by an unchecked teacher')) {
    t.errorShape(c, 'gate', { code: 'rule_broken' });
    t.check(c.json.error.message.includes('没有违法犯罪信息查询记录'), `message: ${c.json.error.message}`);
    t.check(c.json.error.field === 'teacher_staff_id', `field: ${c.json.error.field}`);
  }
  const ok = await as('principal', 'POST', `${A}/courses`, course('准入机构课', '2:after_school', { institution: '青山少年宫' }));
  if (!t.status(ok, 201, 'a course of an institution')) return;
  const sec = await as('office', 'POST', `${A}/courses/${ok.json.id}/sections`, { capacity: 20, teacher_staff_id: unchecked.staff_id });
  t.status(sec, 422, 'a section taught by an unchecked teacher');
  // Recording the check opens the gate for the same teacher (restored afterwards).
  const before = await as('office', 'GET', `${A}/staff-records/${unchecked.staff_id}`);
  t.status(before, 200, 'read the record');
});

test('staff: a teacher serves on at most 2 days a week: the second day passes, the third is refused', async (t) => {
  const id = await gatedTeacher(t, `限天${RUN}`.slice(0, 20));
  t.status(await as('principal', 'POST', `${A}/courses`, course('一天', '1:after_school', { teacher_staff_id: id })), 201, 'day 1');
  t.status(await as('principal', 'POST', `${A}/courses`, course('两天', '3:after_school', { teacher_staff_id: id })), 201, 'day 3 (2 days)');
  t.status(await as('principal', 'POST', `${A}/courses`, course('同日', '1:noon', { teacher_staff_id: id })), 201, 'day 1 again');
  const third = await as('principal', 'POST', `${A}/courses`, course('三天', '5:after_school', { teacher_staff_id: id }));
  if (t.status(third, 422, 'a third day')) {
    t.errorShape(third, 'day limit', { code: 'rule_broken' });
    t.check(third.json.error.message.includes('不超过 2 天'), `message: ${third.json.error.message}`);
  }
});

test('staff: an institution offers non-subject courses only; evening bands only for junior-middle grades', async (t) => {
  const subj = await as('principal', 'POST', `${A}/courses`, course('机构学科', '2:after_school', { institution: '青山培优', subject_qa: true }));
  if (t.status(subj, 422, 'a subject course of an institution')) {
    t.errorShape(subj, 'institution subject', { code: 'rule_broken' });
    t.check(subj.json.error.message.includes('非学科类'), `message: ${subj.json.error.message}`);
  }
  const eve = await as('principal', 'POST', `${A}/courses`, course('晚间', '2:evening', { institution: '青山少年宫' }));
  if (t.status(eve, 422, 'an evening course for grade 4')) t.check(eve.json.error.field === 'slots', `field ${eve.json.error.field}`);
});

test('staff: background checks are for the office and leadership only; another school\'s ids 404', async (t) => {
  const list = await as('office', 'GET', `${A}/staff-records?page_size=5`);
  t.expect(list.status === 200 && list.json.items.length > 0, `list: ${show(list)}`);
  const someone = list.json.items[0].staff_id;
  for (const who of ['teacher', 'classteacher', 'guard']) {
    t.status(await as(who, 'GET', `${A}/staff-records`), 403, `${who} lists staff records`);
    t.status(await as(who, 'GET', `${A}/staff-records/${someone}`), 403, `${who} reads a staff record`);
    t.status(await as(who, 'PUT', `${A}/staff-records/${someone}`, { qualifications: 'x' }), 403, `${who} writes a staff record`);
  }
  const me = await session('principal');
  const schools = (await as('admin', 'GET', `${A}/schools`)).json.items;
  const other = schools.find((s) => s.id !== me.user.school_id);
  const otherStaff = (await as('admin', 'GET', `${A}/staff?school_id=${other.id}&page_size=1`)).json.items[0];
  t.expect(otherStaff, 'a staff member of another school');
  t.status(await as('principal', 'GET', `${A}/staff-records/${otherStaff.id}`), 404, 'another school\'s record');
  t.status(await as('principal', 'PUT', `${A}/staff-records/${otherStaff.id}`, { qualifications: 'x' }), 404, 'write another school\'s record');
  t.status(await as('principal', 'POST', `${A}/staff-records/${otherStaff.id}/trainings`, { held_on: day(0), hours: 2, topic: '安全' }), 404, 'training for another school');
  const audit = await as('principal', 'GET', `${A}/audit?entity=staff_record&page_size=5`);
  if (audit.status === 200) t.check((audit.json.items || []).length > 0, 'the record reads and writes are audited');
});

test('staff: the county keeps the approved list; a school contracts with a listed institution; exit blocks its staff', async (t) => {
  const inst = await as('county', 'POST', `${A}/institutions`, {
    name: `测试机构${RUN}`, licence_no: 'L-1', filing_no: `备-${RUN}`, categories: ['sports'], review_date: day(300),
  });
  if (!t.status(inst, 201, 'the county lists an institution')) return;
  t.status(await as('principal', 'POST', `${A}/institutions`, { name: 'x', licence_no: 'x', filing_no: 'x', categories: ['arts'], review_date: day(1) }), 403, 'a school writes the list');
  const subj = await as('county', 'POST', `${A}/institutions`, { name: `学科${RUN}`, licence_no: 'L', filing_no: 'F', categories: ['math'], review_date: day(300) });
  t.status(subj, 422, 'a subject category');
  const teacher = await gatedTeacher(t, `机构${RUN}`.slice(0, 20));
  const linked = await as('office', 'PUT', `${A}/staff-records/${teacher}`, { institution_id: inst.json.id });
  t.check(linked.status === 200 && !linked.json.gate.ok, `no contract yet blocks: ${show(linked)}`);
  const assistant = (await session('teacher')).user.staff_id;
  const k = { institution_id: inst.json.id, start_date: day(-30), end_date: day(300), no_promotion: true, safety_duties: true, assistant_staff_id: assistant };
  t.status(await as('principal', 'POST', `${A}/institution-contracts`, { ...k, safety_duties: false }), 422, 'a contract without safety duties');
  const contract = await as('principal', 'POST', `${A}/institution-contracts`, k);
  if (!t.status(contract, 201, 'contract')) return;
  t.check((await as('office', 'GET', `${A}/staff-records/${teacher}`)).json.gate.ok, 'the contract opens the gate');
  const me = await session('principal');
  const removed = await as('county', 'PUT', `${A}/institutions/${inst.json.id}`, { listed: false, removed_reason: '证照过期' });
  if (t.status(removed, 200, 'removal from the list'))
    t.check(removed.json.affected_schools.some((s) => s.id === me.user.school_id), `affected schools: ${show(removed)}`);
  t.status(await as('principal', 'POST', `${A}/institution-contracts`, k), 422, 'a new contract with a removed institution');
  const exit = await as('principal', 'POST', `${A}/institution-contracts/${contract.json.id}/exit`, { reason: '满意度低' });
  t.status(exit, 200, 'exit');
  const after = await as('office', 'GET', `${A}/staff-records/${teacher}`);
  t.check(!after.json.gate.ok && after.json.gate.reason.includes('已退出'), `after exit: ${after.json.gate.reason}`);
  const c = await as('principal', 'POST', `${A}/courses`, course('退出后', '2:after_school', { teacher_staff_id: teacher }));
  t.status(c, 422, 'an exited institution\'s teacher');
});

test('staff: records import is all or nothing with row errors; the export is an XLSX file', async (t) => {
  const id = await gatedTeacher(t, `导入${RUN}`.slice(0, 20));
  const mobileOf = mobiles[id];
  const bad = await as('office', 'POST', `${A}/staff-records/import`, {
    rows: [
      { 手机号: mobileOf, 查询日期: day(0), 查询结果: '未通过', 查询有效期至: day(300) },
      { 手机号: '13000000000', 查询日期: day(0), 查询结果: '通过', 查询有效期至: day(300) },
    ],
  });
  if (t.status(bad, 422, 'an import with an unknown mobile')) {
    t.errorShape(bad, 'import', { code: 'rule_broken' });
    t.check(bad.json.errors?.length === 1 && bad.json.errors[0].row === 3 && bad.json.errors[0].column === '手机号', `row errors: ${show(bad)}`);
  }
  t.check((await as('office', 'GET', `${A}/staff-records/${id}`)).json.gate.ok, 'nothing was written: the gate is still open');
  const good = await as('office', 'POST', `${A}/staff-records/import`, { rows: [{ 手机号: mobileOf, 查询日期: day(0), 查询结果: '未通过', 查询有效期至: day(300) }] });
  t.status(good, 200, 'a good import');
  const after = (await as('office', 'GET', `${A}/staff-records/${id}`)).json;
  t.check(!after.gate.ok && after.gate.reason.includes('未通过'), `the imported failed check closes the gate: ${after.gate.reason}`);
  const x = await as('office', 'GET', `${A}/staff-records/export?blocked=1`);
  if (t.status(x, 200, 'export')) t.check(x.bytes.slice(0, 2).toString() === 'PK', 'an XLSX file');
  t.status(await as('teacher', 'GET', `${A}/staff-records/export`), 403, 'a teacher exports staff records');
});
