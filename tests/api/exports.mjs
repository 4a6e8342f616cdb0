// Every XLSX export read back cell by cell, for every demo role (issue 9 §6, issue 10 §1): a role
// that may export gets a real workbook (a header row, the demo's rows), and personal data in it
// follows the same rule as the lists: full ID numbers and full mobile numbers only for the office
// and leadership (the roles whose lists and records show them in full), masked or absent for
// everyone else. The managers' student export must carry full values, so the check can fail.
import { demoAccounts, show, test } from './lib.mjs';
import { readXlsx, allCells } from './xlsx.mjs';

const A = '/api/v1';
const STAFF = ['principal', 'vice', 'office', 'clerk', 'course', 'safety', 'guard', 'doctor', 'liaison',
  'committee', 'grade3', 'classteacher', 'teacher', 'external', 'county', 'city', 'admin'];
const MANAGERS = new Set(['principal', 'vice', 'office', 'clerk']);

const FULL_ID = /(?<![\dA-Za-z*])\d{17}[\dXx](?![\dA-Za-z*])/;
const FULL_MOBILE = /(?<![\d*])1[3-9]\d{9}(?![\d*])/;

const demo = demoAccounts();
const as = (login, path) => demo.as(login, 'GET', `${A}${path}`);

let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const office = async (p) => { const r = await as('office', p); t.expect(r.status === 200, `${p}: ${show(r)}`); return r.json; };
  const school = (await demo.user('office')).school_id;
  const terms = await office('/terms');
  const term = (terms.items || terms).find((x) => x.current) || (terms.items || terms)[0];
  const section = (await office('/sections?page_size=1')).items[0];
  const survey = (await office('/surveys')).items?.[0];
  const run = (await office('/pay/runs')).items?.[0];
  const round = (await office('/rounds')).items?.find((r) => r.status === 'allocated' || r.mode === 'preference');
  fx = { school, term, section, survey, run, round };
  return fx;
}

// [name, path, may (set of logins that get a workbook), rows: the demo has data rows]
function exportsOf(f) {
  const list = [];
  const people = ['students', 'guardians', 'staff', 'classes', 'rooms'];
  for (const l of people) list.push([`people ${l}`, `/exports/${l}`, MANAGERS, true]);
  list.push(['audit log', '/exports/audit', new Set(['principal', 'vice']), true]);
  if (f.section) list.push(['section roster', `/sections/${f.section.id}/roster?format=xlsx`, null, false]);
  if (f.survey) {
    list.push(['survey answers', `/surveys/${f.survey.id}/export?kind=answers`, null, false]);
    list.push(['survey summary', `/surveys/${f.survey.id}/export?kind=summary`, null, false]);
  }
  list.push(['staff records', '/staff-records/export', MANAGERS, true]);
  for (const l of ['unwell', 'handovers', 'health_notes', 'insurance', 'site_checks', 'patrols', 'incidents', 'drills', 'visitors']) {
    list.push([`safety ${l}`, `/safety/export?list=${l}`, null, false]);
  }
  if (f.term) list.push(['timetable', `/timetable/terms/${f.term.id}/export?format=xlsx&view=school`, MANAGERS, true]);
  list.push(['notifications', '/notify/outbox/export', MANAGERS, false]);
  if (f.run) list.push(['pay run', `/pay/runs/${f.run.id}/export`, MANAGERS, true]);
  list.push(['bills', '/fees/bills?format=xlsx', null, false]);
  list.push(['ledger', '/ledger/entries?format=xlsx', null, false]);
  if (f.round) list.push(['round report', `/rounds/${f.round.id}/report?format=xlsx`, null, false]);
  return list;
}

test('exports: every workbook read back by every role; full ID numbers and mobiles only for the office and leadership', async (t) => {
  const f = await fixtures(t);
  const seen = { fullId: 0, fullMobile: 0, books: 0 };
  for (const [name, path, may, hasRows] of exportsOf(f)) {
    for (const who of STAFF) {
      const q = ['admin', 'county', 'city'].includes(who) ? `${path}${path.includes('?') ? '&' : '?'}school_id=${f.school}` : path;
      const r = await as(who, q);
      const ctype = r.headers.get('content-type') || '';
      if (may) {
        const expect = may.has(who) || who === 'admin';
        if (expect !== (r.status === 200)) t.check(false, `${name} as ${who}: ${expect ? 'expected a workbook' : 'expected a refusal'}, got ${show(r)}`);
      }
      if (r.status !== 200) {
        t.check([403, 404].includes(r.status) && r.json?.error?.message, `${name} as ${who}: a refusal with a message, got ${show(r)}`);
        continue;
      }
      if (!ctype.includes('spreadsheetml')) { t.check(false, `${name} as ${who}: not a workbook: ${ctype}`); continue; }
      let book;
      try { book = readXlsx(r.bytes); } catch (e) { t.check(false, `${name} as ${who}: unreadable workbook: ${e.message}`); continue; }
      seen.books++;
      const sheet = book.sheets[0];
      t.check(sheet && sheet.rows.length >= 1 && sheet.rows[0].some((c) => c), `${name} as ${who}: a header row`);
      if (hasRows) t.check(sheet.rows.length >= 2, `${name} as ${who}: the demo's rows (${sheet.rows.length - 1})`);
      const cells = allCells(book);
      const ids = cells.filter((c) => FULL_ID.test(c)).length;
      const mobiles = cells.filter((c) => FULL_MOBILE.test(c)).length;
      // The audit log names who acted; a guardian's login is their mobile, and the sysadmin, who
      // manages the accounts, reads it as the leadership does.
      if (!MANAGERS.has(who) && !(name === 'audit log' && who === 'admin')) {
        t.check(ids === 0, `${name} as ${who}: ${ids} full ID numbers (e.g. ${cells.find((c) => FULL_ID.test(c))})`);
        t.check(mobiles === 0, `${name} as ${who}: ${mobiles} full mobile numbers (e.g. ${cells.find((c) => FULL_MOBILE.test(c))})`);
      }
      if (name === 'people students' && MANAGERS.has(who)) {
        t.check(ids > 1000 && mobiles > 1000, `students as ${who}: the office's working file carries full values (${ids} IDs, ${mobiles} mobiles)`);
        seen.fullId += ids; seen.fullMobile += mobiles;
      }
      if (name === 'people students' && who === 'admin') {
        t.check(ids === 0 && mobiles === 0 && cells.some((c) => /\*{4}/.test(c)), `students as admin: masked (${ids} IDs, ${mobiles} mobiles)`);
      }
    }
  }
  t.check(seen.books >= 40 && seen.fullId > 0, `workbooks read: ${seen.books}; full IDs in the managers' files: ${seen.fullId}`);
});

test('exports: the student export is audited with who, which list and how many rows', async (t) => {
  await fixtures(t);
  const r = await as('clerk', '/exports/students');
  t.expect(r.status === 200, `export: ${show(r)}`);
  const rows = readXlsx(r.bytes).sheets[0].rows.length - 1;
  const clerk = await demo.user('clerk');
  const audit = await as('principal', '/audit?action=export&page_size=5');
  t.expect(audit.status === 200, `audit: ${show(audit)}`);
  const mine = (audit.json.items || []).find((a) => a.entity === 'students' && (a.user_name === clerk.display_name || a.user_id === clerk.id));
  t.expect(mine, `an export row by the clerk: ${show(audit)}`);
  const after = typeof mine.after === 'string' ? JSON.parse(mine.after) : (mine.after || mine.after_json);
  t.check(after && Number(after.rows) === rows, `audited rows ${JSON.stringify(after)} = workbook rows ${rows}`);
});
