// Notification delivery (issue 13 §6) through the running server and its worker, against a local
// receiver started here (it records what it got and answers as the group robots do): an SMS code
// goes to the school's gateway webhook signed with HMAC-SHA256 over timestamp + "\n" + body, once;
// a delivery that failed (the demo's retired WeCom robot) is retried by the office and reaches the
// robot once as markdown; the XLSX export; a guardian's inbox with read receipts and channel
// choice; settings refused when malformed. The school's settings are put back at the end.
import { createServer } from 'node:http';
import { createHmac } from 'node:crypto';
import { demoSession, show, suiteBase, test, Client, sleep } from './lib.mjs';

const api = new Client(suiteBase());
const A = '/api/v1';
const PASSWORD = process.env.KEHOU_DEMO_PASSWORD || 'Kehou@2026';

function startReceiver() {
  const got = [];
  const server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      got.push({ url: req.url, headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ got, server, base: `http://127.0.0.1:${server.address().port}` })));
}

async function until(fn, ms = 20000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v || Date.now() > end) return v;
    await sleep(250);
  }
}

// The row with this id among the rows of a status (newest first, paged).
async function findRow(office, status, id) {
  for (let page = 1; page <= 50; page++) {
    const out = await office('GET', `/notify/outbox?status=${status}&page=${page}&page_size=200`);
    const items = out.json?.items || [];
    const hit = items.find((m) => m.id === id);
    if (hit || items.length < 200) return hit || null;
  }
  return null;
}

async function freshGuardian(office) {
  const classes = await office('GET', '/activation/classes');
  for (const k of classes.json.items) {
    const list = await office('GET', `/activation/classes/${k.class_id}`);
    const g = list.json.items.find((x) => !x.activated && !x.last_code_at);
    if (g) return g;
  }
  throw new Error('no guardian without an account');
}

test('notify: gateway SMS signed and sent once; the office retries a failed robot message; export', async (t) => {
  const office = await demoSession('office');
  const before = await office('GET', '/notify/settings');
  t.expect(before.status === 200 && 'wecom_url' in before.json && !('webhook_secret' in before.json),
    `settings (no secret shown): ${show(before)}`);
  const rx = await startReceiver();
  const secret = `nt-${Date.now()}`;
  try {
    let r = await office('PUT', '/notify/settings', { webhook_url: `${rx.base}/sms`, webhook_secret: secret,
      wecom_url: `${rx.base}/cgi-bin/webhook/send?key=K` });
    t.expect(r.status === 200 && r.json.webhook_secret_set === true, `configure: ${show(r)}`);
    r = await office('PUT', '/notify/settings', { webhook_url: 'ftp://x' });
    t.check(r.status === 400 && r.json.error.field === 'webhook_url', `a malformed URL: ${show(r)}`);
    r = await office('PUT', '/notify/settings', { staff_channel: 'sms' });
    t.check(r.status === 400 && r.json.error.field === 'staff_channel', `staff cannot be on SMS: ${show(r)}`);

    // An SMS code: queued with the event, delivered by the worker to the gateway, signed, once.
    const g = await freshGuardian(office);
    const ip = { headers: { 'X-Real-IP': `203.0.113.${1 + Math.floor(Math.random() * 250)}` } };
    r = await api.request('POST', `${A}/activation/request`, { body: { mobile: g.mobile }, ...ip });
    t.expect(r.status === 200, `request a code: ${show(r)}`);
    const row = await until(async () => {
      const out = await office('GET', '/notify/outbox?page_size=50');
      return (out.json?.items || []).find((m) => m.recipient_id === g.guardian_id && m.event_key.startsWith('activation:') &&
        m.status === 'sent');
    });
    t.expect(row, 'the worker sent the SMS row');
    t.check(row.channel === 'sms' && row.attempts === 1, `one try on the sms channel: ${JSON.stringify(row)}`);
    await sleep(2500);  // a further worker round sends nothing again
    const mine = rx.got.filter((x) => x.url === '/sms' && x.headers['x-kehou-delivery'] === String(row.id));
    t.expect(mine.length === 1, `the gateway got it once (${mine.length})`);
    const h = mine[0].headers;
    const expected = createHmac('sha256', secret).update(`${h['x-kehou-timestamp']}\n${mine[0].body}`).digest('hex');
    t.check(h['x-kehou-signature'] === expected, `the signature verifies: ${h['x-kehou-signature']} vs ${expected}`);
    const sms = JSON.parse(mine[0].body);
    t.check(sms.kind === 'sms' && sms.mobile === g.mobile && /验证码是 \d{6}/.test(sms.text), `the SMS: ${mine[0].body}`);

    // A failed delivery: visible with its error, retried by the office, then delivered once.
    const failed = await office('GET', '/notify/outbox?status=failed&page_size=50');
    const f = (failed.json?.items || []).find((m) => m.channel === 'wecom');
    t.expect(f, `a failed robot message (the demo's): ${show(failed)}`);
    t.check(f.attempts === 5 && f.last_error.length > 0, `attempts and last error shown: ${JSON.stringify(f)}`);
    r = await office('POST', `/notify/outbox/${f.id}/retry`);
    t.expect(r.status === 200 && r.json.status === 'pending', `retry: ${show(r)}`);
    r = await office('POST', `/notify/outbox/${f.id}/retry`);
    t.check(r.status === 409, `a row that is not failed is not retried: ${show(r)}`);
    const sent = await until(() => findRow(office, 'sent', f.id));
    t.expect(sent, 'the retried message was sent');
    await sleep(2500);
    const robot = rx.got.filter((x) => x.url === '/cgi-bin/webhook/send?key=K' && JSON.parse(x.body).markdown?.content.includes(f.title));
    t.check(robot.length === 1 && JSON.parse(robot[0].body).msgtype === 'markdown', `the robot got it once as markdown (${robot.length})`);

    const xlsx = await office('GET', '/notify/outbox/export');
    t.check(xlsx.status === 200 && (xlsx.headers.get('content-type') || '').includes('spreadsheetml') &&
      xlsx.bytes.subarray(0, 2).toString() === 'PK', `export: ${show(xlsx)}`);
    const guard = await demoSession('guard');
    r = await guard('POST', `/notify/outbox/${f.id}/retry`);
    t.check(r.status === 403, `only the office retries: ${show(r)}`);
  } finally {
    await office('PUT', '/notify/settings', { webhook_url: before.json.webhook_url, webhook_secret: '',
      wecom_url: before.json.wecom_url, dingtalk_url: before.json.dingtalk_url, staff_channel: before.json.staff_channel });
    rx.server.close();
  }
});

test('notify: a guardian reads in-app messages (receipt kept) and chooses the channel', async (t) => {
  const principal = await demoSession('principal');
  const users = await principal('GET', '/users?role=guardian&page_size=50');
  let me = null;
  for (const u of (users.json?.items || []).filter((x) => /^1\d{10}$/.test(x.login))) {
    const login = await api.post(`${A}/auth/login`, { login: u.login, password: PASSWORD });
    if (login.status !== 200) continue;
    const as = (method, path, body) => api.request(method, `${A}${path}`, { token: login.json.token, body });
    const inbox = await as('GET', '/notify/inbox');
    if (inbox.json?.total > 0) { me = { as, inbox: inbox.json }; break; }
  }
  t.expect(me, 'a demo guardian with in-app messages');
  // An unread one (the demo leaves one; on a re-run against the same database all may be read).
  const msg = me.inbox.items.find((m) => m.read_at === null) || me.inbox.items[0];
  let r = await me.as('POST', `/notify/inbox/${msg.id}/read`);
  t.expect(r.status === 200 && r.json.read_at, `read: ${show(r)}`);
  if (msg.read_at) t.check(r.json.read_at === msg.read_at, `an earlier receipt stays: ${show(r)}`);
  const again = await me.as('POST', `/notify/inbox/${msg.id}/read`);
  t.check(again.json?.read_at === r.json.read_at, `the first read time stays: ${show(again)}`);
  const inbox = await me.as('GET', '/notify/inbox');
  t.check(inbox.json.unread === me.inbox.unread - (msg.read_at ? 0 : 1), `unread counted: ${show(inbox)}`);
  const office = await demoSession('office');
  r = await office('POST', `/notify/inbox/${msg.id}/read`);
  t.check(r.status === 404, `not the office's message: ${show(r)}`);
  r = await me.as('GET', '/notify/preference');
  t.expect(r.status === 200 && ['in_app', 'sms'].includes(r.json.channel), `preference: ${show(r)}`);
  const was = r.json.channel;
  r = await me.as('PUT', '/notify/preference', { channel: 'wecom' });
  t.check(r.status === 400 && r.json.error.field === 'channel', `a guardian's channel is in-app or SMS: ${show(r)}`);
  r = await me.as('PUT', '/notify/preference', { channel: 'sms' });
  t.check(r.status === 200 && r.json.channel === 'sms', `choose SMS: ${show(r)}`);
  r = await me.as('PUT', '/notify/preference', { channel: was });
  t.check(r.status === 200, `back: ${show(r)}`);
  r = await office('PUT', '/notify/preference', { channel: 'sms' });
  t.check(r.status === 403, `the office has no guardian channel: ${show(r)}`);
});

// Weather/epidemic cancellations (issue 13 §4): the office cancels one section's sessions of a day
// three weeks ahead (so no other test's day is touched); the session shows cancelled and refuses a
// roll call; each guardian of the section's children gets ONE message; repeating changes nothing.
test('notify: the office cancels a day\'s session for the weather; each guardian is told once; the roll is refused', async (t) => {
  const office = await demoSession('office');
  const DAY = 86400000;
  const localDate = (ms) => new Date(ms + 8 * 3600000).toISOString().slice(0, 10);
  let target = null;
  for (let i = 21; i <= 35 && !target; i++) {
    const d = localDate(Date.now() + i * DAY);
    const r = await office('GET', `/attendance/sessions?date=${d}`);
    const s = (r.json?.items || []).find((x) => !x.cancelled && x.counts?.total > 1);
    if (s) target = { date: d, s };
  }
  t.expect(target, 'a session with children three weeks ahead');
  const { date, s } = target;
  let r = await office('POST', '/attendance/cancellations', { date, band: s.band, section_ids: [s.section_id], kind: 'cancel',
    reason: 'weather', note: '暴雨红色预警，停课一天' });
  t.expect(r.status === 200 && r.json.sessions === 1 && r.json.guardians >= 1, `cancel: ${show(r)}`);
  const guardians = r.json.guardians;
  const out = await office('GET', '/notify/outbox?page_size=200');
  const key = `cancel:${date}:${s.band}:cancel`;
  const rows = (out.json?.items || []).filter((m) => m.event_key === key && m.recipient_kind === 'guardian');
  t.check(rows.length === guardians, `one row per guardian (${rows.length} rows, ${guardians} guardians)`);
  t.check(new Set(rows.map((m) => m.recipient_id)).size === rows.length, 'no guardian twice');
  t.check(rows.every((m) => m.body.includes('暴雨红色预警') && m.body.includes('天气原因')), `the reason told: ${rows[0]?.body}`);
  r = await office('POST', '/attendance/cancellations', { date, band: s.band, section_ids: [s.section_id], kind: 'cancel',
    reason: 'weather', note: '暴雨红色预警，停课一天' });
  t.check(r.status === 200, `repeat: ${show(r)}`);
  const again = await office('GET', '/notify/outbox?page_size=200');
  t.check((again.json?.items || []).filter((m) => m.event_key === key && m.recipient_kind === 'guardian').length === guardians,
    'repeating tells nobody twice');
  const list = await office('GET', `/attendance/sessions?date=${date}`);
  const after = (list.json?.items || []).find((x) => x.section_id === s.section_id && x.band === s.band);
  t.check(after?.cancelled === '暴雨红色预警，停课一天' && after.editable === false, `the session shows cancelled: ${JSON.stringify(after)}`);
  const roster = await office('GET', `/attendance/sessions/${s.section_id}/roster?date=${date}&band=${s.band}`);
  const marks = (roster.json?.items || []).map((c) => ({ student_id: c.student_id, status: 'present' }));
  r = await office('PUT', `/attendance/sessions/${s.section_id}/roll`, { date, band: s.band, marks });
  t.check(r.status === 422 && r.json.error.message.includes('停课'), `no roll call on a cancelled session: ${show(r)}`);
  const cl = await office('GET', `/attendance/cancellations?date=${date}`);
  t.check(cl.json?.items?.some((x) => x.section_id === s.section_id && x.reason === 'weather'), `listed: ${show(cl)}`);
  r = await office('POST', '/attendance/cancellations', { date: '2020-01-06', kind: 'cancel', reason: 'weather', note: 'x' });
  t.check(r.status === 422 && r.json.error.field === 'date', `a past day: ${show(r)}`);
  r = await office('POST', '/attendance/cancellations', { date, kind: 'cancel', reason: 'holiday', note: 'x' });
  t.check(r.status === 400 && r.json.error.field === 'reason', `an unknown reason: ${show(r)}`);
  const teacher = await demoSession('teacher');
  r = await teacher('POST', '/attendance/cancellations', { date, kind: 'cancel', reason: 'weather', note: 'x' });
  t.check(r.status === 403, `a teacher cannot cancel: ${show(r)}`);
});
