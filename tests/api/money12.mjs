// Money (issue 14, session 12): income is recognised when received — an unpaid bill is a
// receivable (1122 against 2205), its payment moves the amount to fee income, and the disclosure
// adds up to the ledger with the receivable beside it; suspense steps post as their own source types
// (suspense_in of the exception, its transaction id the reference). Uses unpaid bills from the
// middle of the office's list (fees.mjs takes from the start, money.mjs from the end).
import { demoAccounts, show, test } from './lib.mjs';

const { api, as, user } = demoAccounts();
const A = '/api/v1';
const today = () => new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
const month = () => today().slice(0, 7);

let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const school = (await user('office')).school_id;
  const list = await as('office', 'GET', `${A}/fees/bills?status=unpaid&page_size=200`);
  t.expect(list.status === 200 && list.json.items.length >= 20, `unpaid bills: ${show(list)}`);
  const bills = list.json.items.filter((b) => b.outstanding_fen > 100);
  fx = { school, bills: bills.slice(Math.floor(bills.length / 2)), used: 0 };
  return fx;
}
async function pay(t, f, bill, amount) {
  const n = await as('office', 'POST', `${A}/fees/test-provider/notifications`, { bill_id: bill.id, amount_fen: amount });
  t.expect(n.status === 200, `test provider notification: ${show(n)}`);
  const r = await api.request('POST', `${A}/fees/callback/wechatpay/${f.school}`, { raw: n.json.body, headers: n.json.headers });
  t.expect(r.status === 200, `callback: ${show(r)}`);
  return { n: n.json, outcome: r.json.outcome };
}
async function books(t) {
  const p = await as('office', 'GET', `${A}/ledger/disclosure-preview?month=${month()}`);
  t.expect(p.status === 200, `preview: ${show(p)}`);
  const acc = await as('office', 'GET', `${A}/ledger/accounts?term_id=${p.json.term.id}`);
  t.expect(acc.status === 200, show(acc));
  const a = (code) => acc.json.items.find((x) => x.code === code) || { debit_fen: 0, credit_fen: 0 };
  const line = (k) => p.json.lines.find((l) => l.key === k)?.term_fen || 0;
  return {
    p: p.json,
    receivable: a('1122').debit_fen - a('1122').credit_fen,
    unreceived: a('2205').credit_fen - a('2205').debit_fen,
    income: a('4101').credit_fen - a('4101').debit_fen + a('4102').credit_fen - a('4102').debit_fen,
    feeLines: line('fee_income') + line('materials_income'),
  };
}

test('money: income counts when received; an unpaid bill is a receivable beside the disclosure, to the fen', async (t) => {
  const f = await fixtures(t);
  const before = await books(t);
  t.check(before.p.receivable_fen === before.receivable, `disclosure receivable ${before.p.receivable_fen} = 1122 ${before.receivable}`);
  t.check(before.unreceived === before.receivable, `2205 ${before.unreceived} stands against 1122 ${before.receivable}`);
  t.check(before.feeLines === before.income, `fee lines ${before.feeLines} = 4101 + 4102 ${before.income}`);
  const bill = f.bills[f.used++];
  const { outcome } = await pay(t, f, bill, bill.outstanding_fen);
  t.expect(outcome === 'paid', `paid: ${outcome}`);
  const after = await books(t);
  t.check(after.income - before.income === bill.outstanding_fen, `income up by the payment: ${after.income - before.income}`);
  t.check(after.feeLines - before.feeLines === bill.outstanding_fen, `the disclosure's fee lines up by it: ${after.feeLines - before.feeLines}`);
  t.check(before.receivable - after.receivable === bill.outstanding_fen, `the receivable down by it: ${before.receivable - after.receivable}`);
  t.check(after.p.receivable_fen === after.receivable, `disclosure receivable = 1122 after: ${after.p.receivable_fen}`);
});

test('money: a callback held in suspense posts as suspense_in of the exception, its transaction id the reference', async (t) => {
  const f = await fixtures(t);
  const bill = f.bills[f.used++];
  const { n, outcome } = await pay(t, f, bill, bill.outstanding_fen - 1);
  t.expect(outcome === 'exception', `an amount that differs is an exception: ${outcome}`);
  const ex = await as('office', 'GET', `${A}/fees/exceptions?state=open&page_size=200`);
  const row = (ex.json.items || []).find((x) => x.transaction_id === n.transaction_id);
  t.expect(row && row.state === 'in_suspense' && row.suspense_entry_id, `held: ${show(row)}`);
  const e = await as('office', 'GET', `${A}/ledger/entries?source_type=suspense_in&q=${encodeURIComponent(n.transaction_id)}`);
  t.expect(e.status === 200 && e.json.total === 1, `one suspense_in entry: ${show(e)}`);
  const entry = e.json.items[0];
  t.check(entry.id === row.suspense_entry_id && entry.source_id === row.id && entry.source_ref === n.transaction_id,
    `traceable to the callback: ${show(entry)}`);
  const r = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'refund', resolution: '退回付款人' });
  t.expect(r.status === 200 && r.json.settle_entry_id, `refunded: ${show(r)}`);
  const back = await as('office', 'GET', `${A}/ledger/entries?source_type=suspense_refund&q=${encodeURIComponent(n.transaction_id)}`);
  t.check(back.json?.total === 1 && back.json.items[0].id === r.json.settle_entry_id && back.json.items[0].source_id === row.id,
    `suspense_refund of the exception: ${show(back)}`);
});

test('money: a term end to end — exemption, payment with a duplicate and a forged callback, a full and a prorated refund add up in the ledger and the disclosure', async (t) => {
  const f = await fixtures(t);
  const a = f.bills[f.used++], b = f.bills[f.used++];
  const before = await books(t);
  // The leadership reduces bill a (low income), with the decision recorded.
  const ex = await as('principal', 'POST', `${A}/fees/bills/${a.id}/exemptions`, {
    category: 'low_income', mode: 'amount', value: 1000, reason: '低保家庭', decided_by: '课后服务领导小组',
    decided_on: today(), decision_ref: '纪要〔2026〕12号' });
  t.expect(ex.status === 200 || ex.status === 201, `exemption: ${show(ex)}`);
  const aDue = (await as('office', 'GET', `${A}/fees/bills/${a.id}`)).json.outstanding_fen;
  t.check(aDue === a.outstanding_fen - 1000, `the bill shows the reduction: ${aDue}`);
  // Paid through the test provider; the same notification again is a duplicate; a forged one is refused.
  const n = await as('office', 'POST', `${A}/fees/test-provider/notifications`, { bill_id: a.id, amount_fen: aDue });
  const deliver = (body) => api.request('POST', `${A}/fees/callback/wechatpay/${f.school}`, { raw: body, headers: n.json.headers });
  t.check((await deliver(n.json.body)).json?.outcome === 'paid', 'paid');
  t.check((await deliver(n.json.body)).json?.outcome === 'duplicate', 'the same transaction again: duplicate');
  const i = n.json.body.indexOf('"ciphertext"') + 16;
  const forged = n.json.body.slice(0, i) + String.fromCharCode(n.json.body.charCodeAt(i) ^ 1) + n.json.body.slice(i + 1);
  t.status(await deliver(forged), 401, 'a forged callback is refused');
  const { outcome } = await pay(t, f, b, b.outstanding_fen);
  t.expect(outcome === 'paid', `b paid: ${outcome}`);
  // A full refund of a (paid, never attended) and a prorated one of b (leaving today), approved by a leader.
  const full = await as('office', 'POST', `${A}/fees/bills/${a.id}/refunds`, { kind: 'full', reason: '缴费后未参加课后服务' });
  const part = await as('office', 'POST', `${A}/fees/bills/${b.id}/refunds`, { kind: 'prorated', reason: '转学', effective_date: today() });
  t.expect(full.status === 201 && part.status === 201, `refunds requested: ${show(full)} ${show(part)}`);
  const rf = full.json.refunds[0].amount_fen, rp = part.json.refunds[0].amount_fen;
  t.check(rf === aDue && rp > 0 && rp < b.outstanding_fen, `full ${rf} = paid ${aDue}; prorated ${rp} < ${b.outstanding_fen}`);
  for (const r of [full.json.refunds[0], part.json.refunds[0]])
    t.expect((await as('principal', 'POST', `${A}/fees/refunds/${r.id}/approve`)).status === 200, 'approved');
  const after = await books(t);
  const paid = aDue + b.outstanding_fen;
  t.check(after.income - before.income === paid, `income = the money received: ${after.income - before.income} vs ${paid}`);
  t.check(before.receivable - after.receivable === a.outstanding_fen + b.outstanding_fen,
    `the receivable fell by both bills' due before (the exemption and the payments): ${before.receivable - after.receivable}`);
  const line = (p, k) => p.lines.find((l) => l.key === k).term_fen;
  t.check(line(before.p, 'refunds') - line(after.p, 'refunds') === rf + rp, `the refunds line: ${line(after.p, 'refunds')}`);
  t.check(line(after.p, 'reductions') === line(before.p, 'reductions'), 'the exemption is not income (4108 does not move)');
  const received = (p) => line(p, 'fee_income') + line(p, 'materials_income') + line(p, 'reductions') + line(p, 'refunds');
  // receivable + received (net of refunds) moved by -(the exemption) - (the refunds), to the fen.
  t.check((after.p.receivable_fen + received(after.p)) - (before.p.receivable_fen + received(before.p)) === -1000 - rf - rp,
    'receivable + received = billed - exempt - refunded');
});
