// Ledger through the server (issue 14 §3): the journal balances, pages, searches and exports; an
// expense needs its invoice number and is reversed once, never edited; the disclosure adds up to
// the ledger to the fen; budget vs actual and final accounts that wait for the term's end; the
// attacker cases: a teacher cannot post or read the books, a guardian cannot read unpublished
// figures nor another school's disclosure. Self-contained: its own sessions (the demo accounts).
import { demoAccounts, show, test } from './lib.mjs';

const argv = process.argv;
const at = argv.indexOf('--base');
const { api, as, session } = demoAccounts();
const A = '/api/v1';
const RUN = Date.now().toString(36);


let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, `a demo guardian account: ${show(g)}`);
  const school = (await session('office')).user.school_id;
  const schools = (await as('admin', 'GET', `${A}/schools`)).json.items;
  const other = schools.find((s) => s.id !== school);
  t.expect(other, 'another school');
  const b = await as('office', 'GET', `${A}/ledger/budget`);
  t.expect(b.status === 200, `budget: ${show(b)}`);
  fx = { guardian, school, other: other.id, term: b.json.term };
  return fx;
}
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const month = () => today().slice(0, 7);

test('ledger: the journal balances, pages, searches and exports XLSX', async (t) => {
  await fixtures(t);
  const page = await as('office', 'GET', `${A}/ledger/entries?page_size=5`);
  t.expect(page.status === 200, show(page));
  t.check(page.json.items.length === 5 && page.json.total > 5, `paged: ${page.json.items.length} of ${page.json.total}`);
  t.check(page.json.debit_fen === page.json.credit_fen && page.json.debit_fen > 0, `debits = credits: ${page.json.debit_fen} / ${page.json.credit_fen}`);
  for (const e of page.json.items) {
    const d = e.lines.reduce((s, l) => s + l.debit_fen, 0), c = e.lines.reduce((s, l) => s + l.credit_fen, 0);
    t.check(d === c && d === e.total_fen, `entry ${e.id} balances: ${d} / ${c}`);
  }
  const acc = await as('office', 'GET', `${A}/ledger/accounts`);
  t.check(acc.status === 200 && acc.json.debit_fen === acc.json.credit_fen, `the trial balance: ${show(acc)}`);
  const kinds = ['bill', 'payment', 'refund', 'expense', 'income'];
  for (const k of kinds) {
    const r = await as('office', 'GET', `${A}/ledger/entries?source_type=${k}&page_size=1`);
    t.check(r.status === 200 && r.json.total >= 1, `the demo has ${k} entries: ${show(r)}`);
  }
  const q = await as('office', 'GET', `${A}/ledger/entries?q=${encodeURIComponent('No.31520871')}`);
  t.check(q.status === 200 && q.json.total === 1 && q.json.items[0].source_type === 'expense', `search by invoice: ${show(q)}`);
  t.status(await as('office', 'GET', `${A}/ledger/entries?sort=1`), 400, 'unknown query parameter');
  t.status(await as('office', 'GET', `${A}/ledger/entries?account=9999`), 400, 'unknown account');
  const x = await as('office', 'GET', `${A}/ledger/entries?source_type=expense&format=xlsx`);
  t.check(x.status === 200 && /spreadsheetml/.test(x.headers.get('content-type') || '') && x.bytes.length > 1000, `xlsx: ${show(x)}`);
});

test('ledger: an expense needs its invoice number; a reversal mirrors it once and never edits it', async (t) => {
  await fixtures(t);
  const body = { kind: 'expense', doc_date: today(), account: '5103', via: '1002', amount_fen: 12345, payee: '维修', memo: `接口测试${RUN}` };
  const no = await as('office', 'POST', `${A}/ledger/documents`, body);
  if (t.status(no, 400, 'an expense without its invoice number')) {
    t.errorShape(no, 'no invoice', { code: 'invalid' });
    t.check(no.json.error.field === 'invoice_no', `field ${no.json.error.field}`);
  }
  const wrong = await as('office', 'POST', `${A}/ledger/documents`, { ...body, invoice_no: 'X', account: '4101' });
  t.status(wrong, 400, 'an expense on a fee income account');
  const ok = await as('office', 'POST', `${A}/ledger/documents`, { ...body, invoice_no: `FP${RUN}` });
  t.expect(ok.status === 201, `expense: ${show(ok)}`);
  const entry = ok.json.entry_id;
  const rev = await as('office', 'POST', `${A}/ledger/entries/${entry}/reverse`, { reason: '录入错误' });
  t.expect(rev.status === 201, `reversal: ${show(rev)}`);
  t.check(rev.json.reverses_id === entry && rev.json.lines.some((l) => l.account === '5103' && l.credit_fen === 12345), `mirror: ${show(rev)}`);
  const again = await as('office', 'POST', `${A}/ledger/entries/${entry}/reverse`, { reason: '再冲' });
  if (t.status(again, 409, 'a second reversal')) t.errorShape(again, 'second reversal', { code: 'conflict' });
  const orig = await as('office', 'GET', `${A}/ledger/entries?q=FP${RUN}`);
  const o = orig.json.items.find((e) => e.id === entry);
  t.check(o && o.total_fen === 12345 && o.reversed_by === rev.json.id, `the original stays, marked reversed: ${show(orig)}`);
});

test('ledger: a teacher cannot post or read the books; a guardian cannot read unpublished figures', async (t) => {
  const f = await fixtures(t);
  const doc = { kind: 'expense', doc_date: today(), account: '5103', via: '1002', amount_fen: 100, invoice_no: 'T' };
  t.status(await as('teacher', 'POST', `${A}/ledger/documents`, doc), 403, 'a teacher posts an expense');
  t.status(await as('teacher', 'GET', `${A}/ledger/entries`), 403, 'a teacher reads the journal');
  t.status(await as('teacher', 'POST', `${A}/ledger/disclosures`, { month: month() }), 403, 'a teacher publishes');
  t.status(await as('teacher', 'POST', `${A}/ledger/entries/1/reverse`, { reason: 'x' }), 403, 'a teacher reverses');
  for (const p of ['entries', 'accounts', 'budget', `disclosure-preview?month=${month()}`, 'disclosures']) {
    t.status(await as(f.guardian, 'GET', `${A}/ledger/${p}`), 403, `a guardian reads ledger/${p}`);
    const sep = p.includes('?') ? '&' : '?';
    t.status(await as(f.guardian, 'GET', `${A}/ledger/${p}${sep}school_id=${f.other}`), 403, `a guardian reads ledger/${p} of school ${f.other}`);
  }
  t.status(await as('office', 'GET', `${A}/ledger/entries?school_id=${f.other}`), 404, "the office reads another school's journal");
});

test("ledger: a guardian reads published disclosures of their children's schools only, never unpublished figures", async (t) => {
  const f = await fixtures(t);
  const schools = (await as('admin', 'GET', `${A}/schools`)).json.items.filter((s) => s.id !== f.school);
  let before = await as(f.guardian, 'GET', `${A}/ledger/my-disclosures`);
  t.expect(before.status === 200, show(before));
  const listed = new Set(before.json.items.map((d) => d.id));
  // Unpublished figures of every other school: refused, whatever ?school_id says.
  for (const s of schools) {
    for (const p of [`disclosure-preview?month=${month()}&`, 'entries?', 'budget?', 'accounts?'])
      t.status(await as(f.guardian, 'GET', `${A}/ledger/${p}school_id=${s.id}`), 403, `a guardian reads ${p} of school ${s.id}`);
  }
  // The administrator publishes each other school's month (a rerun finds it published).
  let refused = 0;
  for (const s of schools) {
    let d = await as('admin', 'POST', `${A}/ledger/disclosures?school_id=${s.id}`, { month: month() });
    if (d.status === 409) {
      const l = await as('admin', 'GET', `${A}/ledger/disclosures?school_id=${s.id}`);
      d = { status: 201, json: l.json.items.find((x) => x.month === month()) };
    }
    if (!t.check(d.status === 201 && d.json?.id, `publish for school ${s.id}: ${show(d)}`)) continue;
    const mine = (await as(f.guardian, 'GET', `${A}/ledger/my-disclosures`)).json.items;
    const r = await as(f.guardian, 'GET', `${A}/ledger/disclosures/${d.json.id}`);
    if (mine.some((x) => x.id === d.json.id)) {
      t.status(r, 200, `a disclosure of school ${s.id}, where the guardian has a child`);
    } else {
      if (t.status(r, 404, `the disclosure of school ${s.id}, where the guardian has no child`)) t.errorShape(r, 'other', { code: 'not_found' });
      t.status(await as(f.guardian, 'GET', `${A}/ledger/disclosures/${d.json.id}?format=pdf`), 404, `its PDF`);
      refused += 1;
    }
  }
  t.check(refused >= 1, 'at least one school without a child of the guardian');
  const mine = await as(f.guardian, 'GET', `${A}/ledger/my-disclosures`);
  const own = mine.json.items.find((d) => listed.has(d.id));
  t.expect(own, `their school's disclosure from the demo: ${show(mine)}`);
  const d = await as(f.guardian, 'GET', `${A}/ledger/disclosures/${own.id}`);
  t.expect(d.status === 200, show(d));
  let inc = 0, exp = 0;
  for (const l of d.json.lines) (l.income ? (inc += l.term_fen) : (exp += l.term_fen));
  t.check(inc === d.json.term_totals.income_fen && exp === d.json.term_totals.expense_fen, `lines add up: ${inc}/${exp}`);
  const pdf = await as(f.guardian, 'GET', `${A}/ledger/disclosures/${own.id}?format=pdf`);
  t.check(pdf.status === 200 && /pdf/.test(pdf.headers.get('content-type') || '') && pdf.bytes.length > 1000, `pdf: ${show(pdf)}`);
});

test('ledger: the disclosure of the month adds up to the ledger to the fen', async (t) => {
  await fixtures(t);
  const p = await as('office', 'GET', `${A}/ledger/disclosure-preview?month=${month()}`);
  t.expect(p.status === 200, show(p));
  const acc = await as('office', 'GET', `${A}/ledger/accounts?term_id=${p.json.term.id}`);
  t.expect(acc.status === 200, show(acc));
  const byLine = {};
  for (const a of acc.json.items) if (a.line) byLine[a.line] = (byLine[a.line] || 0) + a.balance_fen;
  for (const l of p.json.lines) t.check(l.term_fen === (byLine[l.key] || 0), `${l.key}: disclosure ${l.term_fen}, ledger ${byLine[l.key]}`);
  const b = await as('office', 'GET', `${A}/ledger/budget?term_id=${p.json.term.id}`);
  for (const l of b.json.lines) t.check(l.actual_fen === (byLine[l.key] || 0), `budget actual ${l.key}: ${l.actual_fen}`);
  t.status(await as('office', 'GET', `${A}/ledger/disclosure-preview?month=2026-13`), 400, 'a month that does not exist');
});

test('ledger: budget by line; final accounts wait for the term end and a leader', async (t) => {
  const f = await fixtures(t);
  const bad = await as('office', 'PUT', `${A}/ledger/budget`, { lines: { bogus: 1 } });
  if (t.status(bad, 400, 'an unknown budget line')) t.errorShape(bad, 'bogus line', { code: 'invalid' });
  t.status(await as('office', 'PUT', `${A}/ledger/budget`, { lines: { venue: -1 } }), 400, 'a negative budget');
  const ok = await as('office', 'PUT', `${A}/ledger/budget`, { lines: { other: 1000000 } });
  t.check(ok.status === 200 && ok.json.lines.find((l) => l.key === 'other').budget_fen === 1000000, `budget: ${show(ok)}`);
  const early = await as('office', 'POST', `${A}/ledger/final-accounts`, {});
  if (f.term.end_date > today() && t.status(early, 422, 'final accounts before the term ends')) t.errorShape(early, 'early', { code: 'rule_broken' });
  t.status(await as('office', 'POST', `${A}/ledger/final-accounts/approve`, {}), 403, 'the office approves the final accounts');
  if (f.term.end_date > today()) t.status(await as('principal', 'POST', `${A}/ledger/final-accounts/approve`, {}), 422, 'approving what is not prepared');
});
