// API tests of session 11's console slice (issue 11): every course is reviewed with its lesson plan
// before a section opens (alone or in a round); subject courses are stored as Q&A only and free;
// a grade leader who is also a class teacher reviews their own class; the server's labels come as
// codes the console translates. Registered with test() from ./lib.mjs; run.mjs imports this file.
import { demoSession as session, hasChinese, show, test, withPlan } from './lib.mjs';

const RUN = `C11${Date.now().toString(36)}`.toUpperCase();
const course = (name, extra = {}) => ({
  name: `${name}${RUN}`, category: 'science', grades: [5], capacity: 40, slots: '3:noon', institution: '青山县少年宫', ...extra,
});

test('console11: an office course waits for the review with its plan; no section opens before the leadership decides', async (t) => {
  const office = await session('office');
  const group = await session('course');
  const head = await session('principal');
  // Without a plan: a draft; its section is refused naming the rule.
  const draft = await office('POST', '/courses', course('草稿课'));
  t.expect(draft.status === 201 && draft.json.status === 'draft' && draft.json.proposal_state === 'draft', `office posts without a plan: ${show(draft)}`);
  const early = await office('POST', `/courses/${draft.json.id}/sections`, { capacity: 20 });
  if (t.status(early, 422, 'a section of a draft course')) {
    t.check(early.json.error.code === 'rule_broken' && early.json.error.field === 'course_id', `error: ${show(early)}`);
    t.check(hasChinese(early.json.error.message) && early.json.error.message.includes('审批'), `the rule named: ${early.json.error.message}`);
  }
  // With a plan: submitted; the course group reviews, the principal decides, then a section opens.
  const sub = await office('POST', '/courses', withPlan(course('送审课')));
  t.expect(sub.status === 201 && sub.json.status === 'submitted', `office posts with a plan: ${show(sub)}`);
  t.status(await office('POST', `/courses/${sub.json.id}/sections`, { capacity: 20 }), 422, 'a section before the decision');
  t.status(await head('POST', `/proposals/${sub.json.proposal_id}/decide`, { decision: 'approve' }), 409, 'the principal before the course group');
  const rev = await group('POST', `/proposals/${sub.json.proposal_id}/review`, { decision: 'approve', reason: '教案完整' });
  t.expect(rev.status === 200 && rev.json.state === 'reviewed', `course group review: ${show(rev)}`);
  const dec = await head('POST', `/proposals/${sub.json.proposal_id}/decide`, { decision: 'approve' });
  t.expect(dec.status === 200 && dec.json.course.status === 'approved', `principal decides: ${show(dec)}`);
  t.check(dec.json.decisions.map((d) => d.step).join(',') === 'submit,review,decide', `history: ${JSON.stringify(dec.json.decisions)}`);
  const sec = await office('POST', `/courses/${sub.json.id}/sections`, { capacity: 20 });
  t.expect(sec.status === 201, `a section of the approved course: ${show(sec)}`);
  // The principal posting with the plan decides there: approved, plan kept, the decision recorded and audited.
  const now = await head('POST', '/courses', withPlan(course('审定课')));
  t.expect(now.status === 201 && now.json.status === 'approved', `principal posts with a plan: ${show(now)}`);
  const p = await head('GET', `/proposals/${now.json.proposal_id}`);
  t.check(p.status === 200 && p.json.plan && p.json.plan.content_type === 'application/pdf', `plan kept: ${show(p)}`);
  t.check(p.json.decision && p.json.decision.by_name, `decision recorded: ${JSON.stringify(p.json.decision)}`);
  const audit = await head('GET', `/audit?entity=course_proposal&page_size=50`);
  t.check((audit.json.items || []).some((a) => a.entity_id === now.json.proposal_id && a.action === 'decide'), 'the decision is audited');
  // A section whose course is closed again does not open in a round (the round's rule names it).
  const sec2 = await office('POST', `/courses/${now.json.id}/sections`, { capacity: 20 });
  t.expect(sec2.status === 201, `section: ${show(sec2)}`);
  t.status(await office('PUT', `/courses/${now.json.id}`, { status: 'closed' }), 200, 'close the course');
  const at = Date.now();
  const round = await head('POST', '/rounds', {
    name: `未审批${RUN}`, mode: 'fcfs', grades: [5], section_ids: [sec2.json.id], opens_at: at + 3600e3, closes_at: at + 7200e3, max_per_child: 1,
  });
  if (t.status(round, 422, 'a round with a section of a closed course')) {
    t.check(round.json.error.code === 'rule_broken' && round.json.error.field === 'section_ids', `error: ${show(round)}`);
    t.check(round.json.error.message.includes('审批'), `the rule named: ${round.json.error.message}`);
  }
});

test('console11: a subject course is stored with its subject, Q&A only and free', async (t) => {
  const head = await session('principal');
  const teacher = (await (await session('teacher'))('GET', '/auth/me')).json;
  const staff = teacher.user ? teacher.user.staff_id : teacher.staff_id;
  const base = withPlan(course('数学答疑', { institution: '', teacher_staff_id: staff, subject: '数学', slots: '2:noon' }));  // (a day the demo teacher already serves)
  const unmarked = await head('POST', '/courses', base);
  if (t.status(unmarked, 422, 'a subject course not marked Q&A')) t.check(unmarked.json.error.field === 'subject_qa' && hasChinese(unmarked.json.error.message), show(unmarked));
  const charged = await head('POST', '/courses', { ...base, subject_qa: true, fee_fen: 5000 });
  if (t.status(charged, 422, 'a fee-charging subject course')) t.check(charged.json.error.field === 'fee_fen' && charged.json.error.message.includes('不得作为收费'), show(charged));
  const nameless = await head('POST', '/courses', { ...base, subject: '', subject_qa: true });
  if (t.status(nameless, 400, 'a Q&A course without its subject')) t.check(nameless.json.error.field === 'subject', show(nameless));
  const ok = await head('POST', '/courses', { ...base, subject_qa: true });
  t.expect(ok.status === 201 && ok.json.subject === '数学' && ok.json.subject_qa === true, `stored: ${show(ok)}`);
  const list = await head('GET', `/courses?q=${encodeURIComponent(ok.json.name)}`);
  t.check(list.json.items.some((c) => c.id === ok.json.id && c.subject === '数学'), `listed with its subject: ${show(list)}`);
  const up = await head('PUT', `/courses/${ok.json.id}`, { fee_fen: 100 });
  if (t.status(up, 422, 'charging it later')) t.check(up.json.error.field === 'fee_fen', show(up));
  t.status(await head('PUT', `/courses/${ok.json.id}`, { status: 'closed' }), 200, 'close it (the teacher\'s days stay free)');
});

test('console11: a grade leader who is also a class teacher reviews their own class, reads their grade', async (t) => {
  const office = await session('office');
  const leader = await session('grade3');
  const me = (await leader('GET', '/auth/me')).json;
  const staff = me.user ? me.user.staff_id : me.staff_id;
  const classes = (await office('GET', '/classes?page_size=200')).json.items;
  const own = classes.find((k) => k.class_teacher_id === staff);
  t.expect(own && own.grade_number === 3, `grade3 is a class teacher in grade 3: ${JSON.stringify(own)}`);
  const list = await leader('GET', '/applications?page_size=200');
  t.expect(list.status === 200, `the grade leader lists applications: ${show(list)}`);
  t.check(list.json.items.length > 0 && list.json.items.every((a) => a.student.class_name.startsWith('三年级')), 'only grade 3');
  const all = (await office('GET', '/applications?status=submitted&page_size=200')).json.items;
  const mine = all.find((a) => a.student.class_name === own.name);
  const other = all.find((a) => a.student.class_name !== own.name && a.student.class_name.startsWith('三年级'));
  t.expect(mine, `a submitted application in ${own.name}`);
  const done = await leader('POST', `/applications/${mine.id}/class-review`, { decision: 'approve' });
  t.expect(done.status === 200 && done.json.status === 'class_approved', `the leader reviews their class: ${show(done)}`);
  if (other) {
    const refused = await leader('POST', `/applications/${other.id}/class-review`, { decision: 'approve' });
    t.check(refused.status === 403 || refused.status === 422, `another class of the grade is not theirs to review: ${show(refused)}`);
  }
  const g8 = all.find((a) => !a.student.class_name.startsWith('三年级'));
  if (g8) t.status(await leader('GET', `/applications/${g8.id}`), 404, 'an application of another grade');
});

test('console11: statuses and history come as codes beside the labels (the console translates them)', async (t) => {
  const office = await session('office');
  const list = await office('GET', '/applications?page_size=5');
  t.expect(list.status === 200 && list.json.items.length > 0, show(list));
  const a = list.json.items[0];
  t.check(typeof a.status === 'string' && /^[a-z_]+$/.test(a.status), `status code: ${a.status}`);
  const one = await office('GET', `/applications/${a.id}`);
  t.check((one.json.history || []).every((h) => /^[a-z_]+$/.test(h.action) && /^[a-z_]*$/.test(h.role)), `history codes: ${JSON.stringify(one.json.history)}`);
  const courses = await office('GET', '/courses?page_size=5');
  t.check(courses.json.items.every((c) => c.slots.every((s) => Number.isInteger(s.weekday) && /^[a-z_]+$/.test(s.band))), 'slots as codes');
  t.check(courses.json.items.every((c) => 'proposal_id' in c), 'each course links its review record');
});
