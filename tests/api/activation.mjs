// Guardian account activation (issue 11): a guardian of an imported student asks for an SMS code
// (read here from the notification outbox, as the local sender would deliver it), activates with a
// password and signs in; the answer never tells who is a guardian; codes are single-use; letters
// print as PDF for the guardians still without an account; the class teacher sees only their class.
import { demoSession, show, suiteBase, test, Client } from './lib.mjs';

const api = new Client(suiteBase());
const A = '/api/v1';

// A guardian of the main school's class 1 without an account, from the office's class view.
async function freshGuardian(office) {
  const classes = await office('GET', '/activation/classes');
  for (const k of classes.json.items) {
    const list = await office('GET', `/activation/classes/${k.class_id}`);
    const g = list.json.items.find((x) => !x.activated && !x.last_code_at);
    if (g) return { ...g, class_id: k.class_id };
  }
  throw new Error('no guardian without an account');
}
async function smsCode(office, guardianId) {
  const out = await office('GET', '/notify/outbox?page_size=50');
  const row = (out.json?.items || []).find((m) => m.recipient_kind === 'guardian' && m.recipient_id === guardianId &&
    m.event_key.startsWith('activation:'));
  if (!row) return null;
  const text = row.body || '';
  return (/验证码是 (\d{6})/.exec(text) || [])[1] || null;
}

test('activation: SMS code, single use, then the guardian signs in; unknown mobiles get the same answer', async (t) => {
  const office = await demoSession('office');
  const g = await freshGuardian(office);
  const ip = { headers: { 'X-Real-IP': '198.51.100.71' } };
  let r = await api.request('POST', `${A}/activation/request`, { body: { mobile: g.mobile }, ...ip });
  t.expect(r.status === 200 && r.json.sent === true, `request: ${show(r)}`);
  const unknown = await api.request('POST', `${A}/activation/request`, { body: { mobile: `139${String(Date.now()).slice(-8)}` }, ...ip });
  t.check(unknown.status === 200 && unknown.json.message === r.json.message, `an unknown mobile answers alike: ${show(unknown)}`);
  r = await api.request('POST', `${A}/activation/request`, { body: { mobile: g.mobile }, ...ip });
  t.check(r.status === 429 && r.json.error.message.includes('秒后再试'), `a second SMS within a minute: ${show(r)}`);
  r = await api.request('POST', `${A}/activation/request`, { body: { mobile: '12345' }, ...ip });
  t.check(r.status === 400 && r.json.error.field === 'mobile', `a bad mobile: ${show(r)}`);

  const code = await smsCode(office, g.guardian_id);
  t.expect(code, 'the SMS with the code is in the outbox');
  r = await api.request('POST', `${A}/activation/complete`, { body: { mobile: g.mobile, code: '000000', password: 'Qingshan#2026' }, ...ip });
  t.check(r.status === 400 && r.json.error.field === 'code', `a wrong code: ${show(r)}`);
  r = await api.request('POST', `${A}/activation/complete`, { body: { mobile: g.mobile, code, password: '123456' }, ...ip });
  t.check(r.status === 400 && r.json.error.field === 'password', `a weak password: ${show(r)}`);
  r = await api.request('POST', `${A}/activation/complete`, { body: { mobile: g.mobile, code, password: 'Qingshan#2026' }, ...ip });
  t.expect(r.status === 201 && r.json.login === g.mobile, `activate: ${show(r)}`);
  r = await api.request('POST', `${A}/activation/complete`, { body: { mobile: g.mobile, code, password: 'Qingshan#2027' }, ...ip });
  t.check(r.status === 400, `the code works once: ${show(r)}`);
  const login = await api.post(`${A}/auth/login`, { login: g.mobile, password: 'Qingshan#2026' }, ip);
  t.expect(login.status === 200, `the guardian signs in: ${show(login)}`);
  const kids = await api.request('GET', `${A}/me/children`, { token: login.json.token });
  t.check(kids.status === 200 && kids.json.items.some((k) => k.id === g.student_id), `sees their child: ${show(kids)}`);
  const list = await office('GET', `/activation/classes/${g.class_id}`);
  t.check(list.json.items.find((x) => x.guardian_id === g.guardian_id).activated === true, 'the office sees the activation');
  r = await api.request('POST', `${A}/activation/request`, { body: { mobile: g.mobile }, headers: { 'X-Real-IP': '198.51.100.72' } });
  t.check(r.status === 200 || r.status === 429, `an activated mobile asks again: ${show(r)}`);
});

test('activation: letters print as a PDF with fresh codes; the class teacher sees only their class; reminders queue once a day', async (t) => {
  const office = await demoSession('office');
  const classes = await office('GET', '/activation/classes');
  t.expect(classes.status === 200 && classes.json.items.length > 1, `classes: ${show(classes)}`);
  const k = classes.json.items[classes.json.items.length - 1];
  const pdf = await office('GET', `/activation/classes/${k.class_id}/letters`);
  t.check(pdf.status === 200 && pdf.headers.get('content-type').includes('application/pdf') && pdf.bytes.subarray(0, 5).toString() === '%PDF-',
    `letters: ${pdf.status} ${pdf.headers.get('content-type')}`);
  const after = await office('GET', `/activation/classes/${k.class_id}`);
  const pending = after.json.items.filter((x) => !x.activated);
  t.check(pending.length > 0 && pending.every((x) => x.last_channel === 'letter' && x.letter_expires_at > Date.now()),
    'every guardian without an account has a letter code');
  let r = await office('POST', `/activation/classes/${k.class_id}/remind`);
  t.check(r.status === 200 && r.json.queued > 0 && r.json.queued <= r.json.pending, `remind: ${show(r)}`);
  r = await office('POST', `/activation/classes/${k.class_id}/remind`);
  t.check(r.status === 200 && r.json.queued === 0, `a second reminder the same day queues nothing: ${show(r)}`);

  const teacher = await demoSession('classteacher');
  const mine = await teacher('GET', '/activation/classes');
  t.check(mine.status === 200 && mine.json.items.length >= 1 && mine.json.items.length < classes.json.items.length,
    `the class teacher's classes: ${show(mine)}`);
  const other = classes.json.items.find((x) => !mine.json.items.some((m) => m.class_id === x.class_id));
  r = await teacher('GET', `/activation/classes/${other.class_id}`);
  t.check(r.status === 404, `another class: ${show(r)}`);
  r = await teacher('GET', `/activation/classes/${other.class_id}/letters`);
  t.check(r.status === 404, `another class's letters: ${show(r)}`);
  const guardian = process.env.KEHOU_DEMO_GUARDIAN;
  if (guardian) {
    const g = await demoSession(guardian);
    r = await g('GET', '/activation/classes');
    t.check(r.status === 403, `a guardian: ${show(r)}`);
  }
});
