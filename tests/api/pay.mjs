// Teacher pay, reminders, reconciliation and receipts through the server (issue 14 §1-2, §4-5).
// The demo has last month's run awaiting approval and the month before's approved (the browser
// scenario py1 approves last month's): this file runs and approves an earlier month itself.
// A teacher reads their own slip and never another's (404); the office cannot approve; a month
// that has not ended is refused; an approved month re-run answers frozen. Reconciliation imports
// are all or nothing; a guardian cannot download another family's receipt.
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const argv = process.argv;
const { api, as, session } = demoAccounts();
const A = '/api/v1';


const monthOf = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
function monthsAgo(n) {
  const d = new Date(Date.now() + 8 * 3600e3);  // school-local (UTC+8)
  return monthOf(new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - n, 1)));
}

async function approvedRun(t) {
  const runs = await as('office', 'GET', `${A}/pay/runs`);
  t.expect(runs.status === 200, `runs: ${show(runs)}`);
  const run = runs.json.items.find((r) => r.status === 'approved' && r.month === monthsAgo(2));
  t.expect(run, `the demo's approved run of ${monthsAgo(2)}: ${show(runs)}`);
  const full = await as('office', 'GET', `${A}/pay/runs/${run.id}`);
  t.expect(full.status === 200, `run: ${show(full)}`);
  return full.json;
}

test('pay: a teacher reads their own slip with its sessions and factor rule, never another teacher\'s', async (t) => {
  const run = await approvedRun(t);
  const me = (await session('teacher')).user;
  const mine = await as('teacher', 'GET', `${A}/pay/my-slips`);
  t.expect(mine.status === 200 && mine.json.items.length >= 1, `my slips: ${show(mine)}`);
  t.check(mine.json.items.every((s) => s.staff_id === me.staff_id), 'only the teacher\'s own slips');
  const slip = await as('teacher', 'GET', `${A}/pay/slips/${mine.json.items[0].id}`);
  t.expect(slip.status === 200, `own slip: ${show(slip)}`);
  t.check(slip.json.lines.length === slip.json.sessions, `the slip lists its sessions: ${show(slip)}`);
  t.check(hasChinese(slip.json.factor_rule_text), `the slip shows the factor rule in words: ${show(slip)}`);
  t.check(slip.json.amount_fen > 0 && Number.isInteger(slip.json.amount_fen), `amount in fen: ${show(slip)}`);
  // Attacker: another teacher's slip id answers 404, as does a made-up one.
  const other = run.slips.find((s) => s.staff_id !== me.staff_id);
  t.expect(other, 'another teacher has a slip in the run');
  const r = await as('teacher', 'GET', `${A}/pay/slips/${other.id}`);
  t.check(r.status === 404 && r.json?.error?.code === 'not_found' && hasChinese(r.json.error.message), `another's slip: ${show(r)}`);
  t.check(!JSON.stringify(r.json).includes(String(other.amount_fen)), 'nothing of the other slip leaks');
  t.check((await as('classteacher', 'GET', `${A}/pay/slips/${mine.json.items[0].id}`)).status === 404, 'and the other way round');
  t.check((await as('teacher', 'GET', `${A}/pay/runs/${run.id}`)).status === 403, 'a teacher cannot read the run');
});

test('pay: runs are idempotent per month, only for an ended month, approved by a leader, then frozen', async (t) => {
  let r = await as('office', 'POST', `${A}/pay/runs`, { month: monthsAgo(0) });
  t.check(r.status === 422 && r.json.error.field === 'month' && hasChinese(r.json.error.message), `this month: ${show(r)}`);
  r = await as('office', 'POST', `${A}/pay/runs`, { month: '2026/11' });
  t.check(r.status === 400 && r.json.error.field === 'month', `bad month: ${show(r)}`);
  const month = monthsAgo(3);
  const first = await as('office', 'POST', `${A}/pay/runs`, { month });
  t.expect(first.status === 200 && first.json.status === 'draft', `run ${month}: ${show(first)}`);
  const again = await as('office', 'POST', `${A}/pay/runs`, { month });
  t.check(again.json.id === first.json.id && again.json.total_fen === first.json.total_fen, `re-run: same run ${show(again)}`);
  r = await as('office', 'POST', `${A}/pay/runs/${first.json.id}/approve`);
  t.check(r.status === 403, `the office cannot approve: ${show(r)}`);
  r = await as('principal', 'POST', `${A}/pay/runs/${first.json.id}/approve`);
  t.expect(r.status === 200 && r.json.status === 'approved' && r.json.approver_name, `principal approves: ${show(r)}`);
  r = await as('principal', 'POST', `${A}/pay/runs/${first.json.id}/approve`);
  t.check(r.status === 409, `approved twice: ${show(r)}`);
  r = await as('office', 'POST', `${A}/pay/runs`, { month });
  t.check(r.status === 200 && r.json.frozen === true && r.json.status === 'approved', `frozen: ${show(r)}`);
  // The demo's approved run exports as a workbook.
  const run = await approvedRun(t);
  const x = await as('office', 'GET', `${A}/pay/runs/${run.id}/export`);
  t.check(x.status === 200 && (x.headers.get('content-type') || '').includes('spreadsheetml') && x.bytes.length > 500, `export: ${show(x)}`);
  // The factor rule is a school setting, one of the named rules.
  r = await as('principal', 'PUT', `${A}/pay/settings`, { factor_rule: 'bonus' });
  t.check(r.status === 400 && r.json.error.field === 'factor_rule', `unknown rule: ${show(r)}`);
  r = await as('office', 'GET', `${A}/pay/settings`);
  t.check(r.status === 200 && r.json.rules.length === 3, `settings: ${show(r)}`);
});

test('fees: the reconciliation of a statement is all or nothing and names each row\'s error', async (t) => {
  const list = await as('office', 'GET', `${A}/fees/reconciliations`);
  t.expect(list.status === 200 && list.json.items.length >= 1, `the demo's reconciliation: ${show(list)}`);
  const demo = await as('office', 'GET', `${A}/fees/reconciliations/${list.json.items[0].id}`);
  t.check(demo.json.amount_differs === 1 && demo.json.items[0].kind === 'amount_differs', `one mismatch shown first: ${show(demo)}`);
  const day = '2026-01-05';
  const csv = '交易时间,商户订单号,微信支付单号,交易状态,订单金额\n' +
    `${day} 10:00:00,KH1,T-API-1,SUCCESS,1.00\n` +
    `${day} 10:00:00,KH2,T-API-2,SUCCESS,1.001\n`;
  let r = await as('office', 'POST', `${A}/fees/reconciliations`, { date: day, csv });
  t.check(r.status === 422 && r.json.error && r.json.errors.length === 1 && r.json.errors[0].row === 3 &&
    r.json.errors[0].field === '订单金额', `row error: ${show(r)}`);
  const after = await as('office', 'GET', `${A}/fees/reconciliations`);
  t.check(after.json.total === list.json.total, 'nothing imported');
  r = await as('office', 'POST', `${A}/fees/reconciliations`, { date: day, csv: csv.split('\n').slice(0, 2).join('\n') });
  t.check(r.status === 201 && r.json.missing_in_ours === 1, `a payment we never heard of: ${show(r)}`);
  r = await as('office', 'POST', `${A}/fees/reconciliations`, { date: day, csv: '商户订单号\nKH1\n' });
  t.check(r.status === 400 && hasChinese(r.json.error.message), `missing columns: ${show(r)}`);
});

test('fees: reminders need a term; a guardian cannot download another family\'s receipt', async (t) => {
  let r = await as('office', 'POST', `${A}/fees/reminders`, {});
  t.check(r.status === 400 && r.json.error.field === 'term_id', `no term: ${show(r)}`);
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, 'a demo guardian');
  const mine = new Set(((await as(guardian, 'GET', `${A}/fees/my-bills`)).json.items || []).map((b) => b.id));
  const paid = await as('office', 'GET', `${A}/fees/bills?status=paid&page_size=50`);
  const other = paid.json.items.find((b) => !mine.has(b.id));
  t.expect(other, `a paid bill of another family: ${show(paid)}`);
  r = await as(guardian, 'GET', `${A}/fees/bills/${other.id}/receipt`);
  t.check(r.status === 404 && r.json?.error?.code === 'not_found', `another family's receipt: ${show(r)}`);
  r = await as('office', 'GET', `${A}/fees/bills/${other.id}/receipt`);
  t.check(r.status === 200 && r.headers.get('content-type') === 'application/pdf' && r.bytes.subarray(0, 5).toString() === '%PDF-',
    `the office's copy: ${show(r)}`);
});
