// Money (issue 14, session 11): suspense (待查明款项) for callbacks in the exceptions queue, resolved
// by matching the money to a bill or refunding the payer; refund payouts (the bank file of approved
// refunds, then the batch marked paid). Each step moves the ledger (GET /ledger/accounts) and is
// audited. Uses unpaid bills from the END of the office's list (fees.mjs takes from the start).
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const { api, as, user } = demoAccounts();
const A = '/api/v1';

let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const school = (await user('office')).school_id;
  const list = await as('office', 'GET', `${A}/fees/bills?status=unpaid&page_size=200`);
  t.expect(list.status === 200 && list.json.items.length >= 8, `unpaid bills: ${show(list)}`);
  fx = { school, bills: list.json.items.filter((b) => b.outstanding_fen > 100).reverse(), used: 0 };
  return fx;
}
const nextBill = () => fx.bills[fx.used++];
async function notification(t, bill, amount) {
  const n = await as('office', 'POST', `${A}/fees/test-provider/notifications`, { bill_id: bill, amount_fen: amount });
  t.expect(n.status === 200, `test provider notification: ${show(n)}`);
  return n.json;
}
const deliver = (f, n) =>
  api.request('POST', `${A}/fees/callback/wechatpay/${f.school}`, { raw: n.body, headers: n.headers });
async function account(code) {
  const r = await as('office', 'GET', `${A}/ledger/accounts`);
  return (r.json?.items || []).find((a) => a.code === code) || { debit_fen: 0, credit_fen: 0, balance_fen: 0 };
}

test('money: an exception\'s money is held in suspense (2249) and matched to a bill by the office', async (t) => {
  const f = await fixtures(t);
  const wrong = nextBill(), target = nextBill();
  const before = await account('2249');
  const amount = wrong.outstanding_fen - 1;
  const n = await notification(t, wrong.id, amount);
  const r = await deliver(f, n);
  t.expect(r.status === 200 && r.json.outcome === 'exception', `filed as an exception: ${show(r)}`);
  const ex = await as('office', 'GET', `${A}/fees/exceptions?state=open&page_size=200`);
  const row = (ex.json.items || []).find((x) => x.transaction_id === n.transaction_id);
  t.expect(row && row.state === 'in_suspense' && row.in_suspense, `held in suspense: ${show(ex)}`);
  t.check(ex.json.suspense_fen >= amount, `the queue shows the money held: ${ex.json.suspense_fen}`);
  const held = await account('2249');
  t.check(held.credit_fen - before.credit_fen === amount, `2249 credited ${amount}: ${JSON.stringify(held)}`);
  let x = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { resolution: '已核实' });
  t.status(x, 422, 'a note alone does not settle money in suspense');
  t.check(hasChinese(x.json?.error?.message), `message in Chinese: ${show(x)}`);
  x = await as('teacher', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'match', bill_id: target.id, resolution: 'x' });
  t.status(x, 403, 'a teacher cannot resolve');
  x = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`,
    { action: 'match', bill_id: target.id, resolution: '家长来电，系为另一子女缴费' });
  t.check(x.status === 200 && x.json.settle_kind === 'match' && x.json.payment_id, `matched: ${show(x)}`);
  const b = await as('office', 'GET', `${A}/fees/bills/${target.id}`);
  t.check(b.json.paid_fen === amount && b.json.payments.some((p) => p.transaction_id === n.transaction_id),
    `the target bill is paid ${amount} from the callback: ${show(b)}`);
  const out = await account('2249');
  t.check(out.debit_fen - held.debit_fen === amount, `2249 debited back ${amount}: ${JSON.stringify(out)}`);
  t.check((await deliver(f, n)).json?.outcome === 'duplicate', 'the same transaction again is a duplicate');
  t.status(await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'refund', resolution: '再次' }), 409,
    'resolving twice');
  const audit = await as('principal', 'GET', `${A}/audit?action=resolve&page_size=50`);
  t.check((audit.json?.items || []).some((a) => a.entity === 'fee_exception' && a.entity_id === row.id),
    `the resolution is audited: ${show(audit)}`);
});

test('money: money in suspense refunded to the payer leaves 2249 and WeChat clearing', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen + 500);
  t.expect((await deliver(f, n)).json?.outcome === 'exception', 'more than the bill: an exception');
  const ex = await as('office', 'GET', `${A}/fees/exceptions?state=open&page_size=200`);
  const row = (ex.json.items || []).find((x) => x.transaction_id === n.transaction_id);
  t.expect(row, `the exception: ${show(ex)}`);
  let x = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'match', bill_id: bill.id, resolution: 'x' });
  t.status(x, 422, 'more than the bill\'s outstanding cannot be matched');
  const clearing = await account('1012');
  x = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'refund', resolution: '已原路退回付款人' });
  t.check(x.status === 200 && x.json.settle_kind === 'refund' && x.json.state === 'resolved', `refunded: ${show(x)}`);
  const after = await account('1012');
  t.check(after.credit_fen - clearing.credit_fen === row.amount_fen, `1012 credited ${row.amount_fen}: ${JSON.stringify(after)}`);
});

test('money: approved refunds go to the bank in a payout batch; marking it paid posts 2241 -> 1002', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen);
  t.expect((await deliver(f, n)).json?.outcome === 'paid', 'the bill is paid');
  let r = await as('office', 'POST', `${A}/fees/bills/${bill.id}/refunds`, { kind: 'full', reason: '缴费后未参加课后服务' });
  t.expect(r.status === 201, `refund requested: ${show(r)}`);
  const refund = r.json.refunds[0];
  t.expect((await as('principal', 'POST', `${A}/fees/refunds/${refund.id}/approve`)).status === 200, 'approved');
  t.status(await as('teacher', 'POST', `${A}/fees/refund-payouts`), 403, 'a teacher cannot make a payout');
  const payable = await account('2241');
  r = await as('office', 'POST', `${A}/fees/refund-payouts`);
  t.expect(r.status === 201 && r.json.status === 'exported' && r.json.total_fen >= refund.amount_fen, `batch: ${show(r)}`);
  const batch = r.json;
  t.status(await as('office', 'POST', `${A}/fees/refund-payouts`), 409, 'nothing left to batch');
  const file = await as('office', 'GET', `${A}/fees/refund-payouts/${batch.id}/file`);
  t.check(file.status === 200 && /spreadsheetml/.test(file.headers.get('content-type') || ''),
    `the bank file is XLSX: ${file.status}`);
  const list = await as('office', 'GET', `${A}/fees/refund-payouts`);
  t.check(list.json.items.some((b) => b.id === batch.id) && list.json.waiting.refunds === 0, `listed: ${show(list)}`);
  t.status(await as('office', 'POST', `${A}/fees/refund-payouts/${batch.id}/paid`, {}), 400, 'the bank reference is required');
  r = await as('office', 'POST', `${A}/fees/refund-payouts/${batch.id}/paid`, { bank_ref: 'HD-API-1' });
  t.check(r.status === 200 && r.json.status === 'paid' && r.json.bank_ref === 'HD-API-1', `paid: ${show(r)}`);
  const after = await account('2241');
  t.check(after.debit_fen - payable.debit_fen === batch.total_fen, `2241 debited ${batch.total_fen}: ${JSON.stringify(after)}`);
  t.status(await as('office', 'POST', `${A}/fees/refund-payouts/${batch.id}/paid`, { bank_ref: 'again' }), 409, 'paid twice');
});
