// Fees through the server (issue 14 §1-2): the WeChat Pay v3 callback (signed and encrypted by the
// school's local test provider) pays a bill once even when resent; forged, stale or wrongly
// keyed callbacks are refused and write nothing; an amount that differs lands in the exceptions
// queue; a guardian reads and pays only their own children's bills. Self-contained: its own
// sessions (the demo accounts).
import { demoAccounts, show, hasChinese, test } from './lib.mjs';

const argv = process.argv;
const { api, as, session } = demoAccounts();
const A = '/api/v1';


let fx = null;
async function fixtures(t) {
  if (fx) return fx;
  const g = await as('principal', 'GET', `${A}/users?role=guardian&page_size=200`);
  const guardian = (g.json?.items || []).map((u) => u.login).find((l) => /^1\d{10}$/.test(l));
  t.expect(guardian, `a demo guardian account: ${show(g)}`);
  const school = (await session('office')).user.school_id;
  const mine = await as(guardian, 'GET', `${A}/fees/my-bills`);
  t.expect(mine.status === 200, `my-bills: ${show(mine)}`);
  const own = new Set((mine.json.items || []).map((b) => b.id));
  const list = await as('office', 'GET', `${A}/fees/bills?status=unpaid&page_size=200`);
  t.expect(list.status === 200 && list.json.items.length >= 4, `unpaid bills: ${show(list)}`);
  const others = list.json.items.filter((b) => !own.has(b.id));
  fx = { guardian, school, mine: mine.json.items, others, used: 0 };
  return fx;
}
// An unpaid bill of another family, each test its own.
const nextBill = () => fx.others[fx.used++];

async function notification(t, bill, amount, extra = {}) {
  const n = await as('office', 'POST', `${A}/fees/test-provider/notifications`, { bill_id: bill, amount_fen: amount, ...extra });
  t.expect(n.status === 200, `test provider notification: ${show(n)}`);
  return n.json;
}
const deliver = (f, n, { body = n.body, headers = {} } = {}) =>
  api.request('POST', `${A}/fees/callback/wechatpay/${f.school}`, {
    raw: body, headers: { ...n.headers, ...headers },
  });

test('fees: a signed WeChat Pay callback pays the bill once even when resent', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen);
  const first = await deliver(f, n);
  t.expect(first.status === 200, `callback: ${show(first)}`);
  t.check(first.json.code === 'SUCCESS' && first.json.outcome === 'paid', `first delivery pays: ${show(first)}`);
  const again = await deliver(f, n);
  t.check(again.status === 200 && again.json.outcome === 'duplicate', `resent: ${show(again)}`);
  const b = await as('office', 'GET', `${A}/fees/bills/${bill.id}`);
  t.check(b.json.status === 'paid', `bill paid: ${show(b)}`);
  t.check(b.json.payments.length === 1 && b.json.paid_fen === bill.outstanding_fen,
    `one payment of ${bill.outstanding_fen}: ${JSON.stringify(b.json.payments)}`);
  t.check(b.json.payments[0].transaction_id === n.transaction_id, 'the payment keeps the transaction reference');
});

test('fees: forged, stale and wrongly keyed callbacks are refused and change nothing', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen);
  const i = n.body.indexOf('"summary"') + 3;
  const forged = n.body.slice(0, i) + String.fromCharCode(n.body.charCodeAt(i) ^ 1) + n.body.slice(i + 1);
  let r = await deliver(f, n, { body: forged });
  if (t.status(r, 401, 'one byte changed in the body')) t.errorShape(r, 'forged body', { code: 'unauthenticated' });
  r = await deliver(f, n, { headers: { 'Wechatpay-Serial': '0'.repeat(40) } });
  t.status(r, 401, 'wrong serial');
  r = await deliver(f, n, { headers: { 'Wechatpay-Signature': '' } });
  t.status(r, 401, 'no signature');
  const stale = await notification(t, bill.id, bill.outstanding_fen, { timestamp: Math.floor(Date.now() / 1000) - 301 });
  r = await deliver(f, stale);
  t.status(r, 401, 'a timestamp more than 5 minutes old');
  t.check(hasChinese(r.json?.error?.message), `message in Chinese: ${show(r)}`);
  const b = await as('office', 'GET', `${A}/fees/bills/${bill.id}`);
  t.check(b.json.status === 'unpaid' && b.json.payments.length === 0, `nothing paid: ${show(b)}`);
  const ex = await as('office', 'GET', `${A}/fees/exceptions?page_size=200`);
  t.check(!(ex.json.items || []).some((x) => x.transaction_id === n.transaction_id || x.transaction_id === stale.transaction_id),
    'refused callbacks are not in the exceptions queue either');
});

test('fees: a callback whose amount differs from the bill lands in the exceptions queue', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen - 1);
  const r = await deliver(f, n);
  t.check(r.status === 200 && r.json.outcome === 'exception', `answered SUCCESS, filed as exception: ${show(r)}`);
  const ex = await as('office', 'GET', `${A}/fees/exceptions?page_size=200`);
  const row = (ex.json.items || []).find((x) => x.transaction_id === n.transaction_id);
  t.check(row && row.reason_code === 'amount_mismatch' && row.bill_id === bill.id, `exception row: ${show(ex)}`);
  const b = await as('office', 'GET', `${A}/fees/bills/${bill.id}`);
  t.check(b.json.status === 'unpaid' && b.json.paid_fen === 0, `the bill is not paid: ${show(b)}`);
  t.check((await deliver(f, n)).json?.outcome === 'duplicate', 'the same transaction again is a duplicate');
  if (row) {
    const done = await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { action: 'refund', resolution: '已原路退回付款人' });
    t.check(done.status === 200 && done.json.resolved, `resolved: ${show(done)}`);
    t.status(await as('office', 'POST', `${A}/fees/exceptions/${row.id}/resolve`, { resolution: '再次' }), 409, 'resolving twice');
  }
});

test("fees: a guardian reads only their own child's bill and cannot pay another's", async (t) => {
  const f = await fixtures(t);
  t.expect(f.mine.length >= 1, 'the demo guardian has a bill');
  const other = nextBill();
  let r = await as(f.guardian, 'GET', `${A}/fees/bills/${other.id}`);
  if (t.status(r, 404, "another child's bill")) t.errorShape(r, 'other bill', { code: 'not_found' });
  t.check(!(r.text || '').includes(other.student_name), "the answer does not name the other child");
  r = await as(f.guardian, 'POST', `${A}/fees/bills/${other.id}/pay`);
  t.status(r, 404, "paying another child's bill");
  r = await as(f.guardian, 'GET', `${A}/fees/bills`);
  t.status(r, 403, 'the bills list is for the office');
  const own = f.mine[0];
  r = await as(f.guardian, 'GET', `${A}/fees/bills/${own.id}`);
  t.check(r.status === 200 && r.json.lines.length >= 1, `own bill with its lines: ${show(r)}`);
  // Paying is the browser test's (m): the phone page through the test provider.
});

test('fees: bills list filters, pages and exports XLSX; issuing again changes nothing', async (t) => {
  await fixtures(t);
  const all = await as('office', 'GET', `${A}/fees/bills?page_size=5`);
  t.expect(all.status === 200, show(all));
  t.check(all.json.items.length === 5 && all.json.total > 5, `paged: ${all.json.items.length} of ${all.json.total}`);
  const ex = await as('office', 'GET', `${A}/fees/bills?status=exempted`);
  t.check(ex.json.items.every((b) => b.status === 'exempted') && ex.json.total >= 1, `exempted filter: ${show(ex)}`);
  t.status(await as('office', 'GET', `${A}/fees/bills?status=bogus`), 400, 'unknown status');
  t.status(await as('office', 'GET', `${A}/fees/bills?sort=1`), 400, 'unknown query parameter');
  const x = await as('office', 'GET', `${A}/fees/bills?status=unpaid&format=xlsx`);
  t.check(x.status === 200 && /spreadsheetml/.test(x.headers.get('content-type') || '') && x.bytes.length > 1000, `xlsx: ${show(x)}`);
  const term = all.json.term_id;
  const again = await as('office', 'POST', `${A}/fees/bills/issue`, { term_id: term });
  t.check(again.status === 200 && again.json.created === 0 && again.json.updated === 0, `re-issue: ${show(again)}`);
  t.status(await as('office', 'GET', `${A}/fees/bills/999999999`), 404, 'a bill that does not exist');
  const std = await as('office', 'GET', `${A}/fees/standards`);
  t.check(std.status === 200 && std.json.items.some((s) => s.kind === 'basic' && s.doc_ref), `standards with doc_ref: ${show(std)}`);
});

test('fees: a refund is requested by the office with its amount computed and approved by a leader', async (t) => {
  const f = await fixtures(t);
  const bill = nextBill();
  const n = await notification(t, bill.id, bill.outstanding_fen);
  t.expect((await deliver(f, n)).json?.outcome === 'paid', 'the bill is paid first');
  let r = await as('office', 'POST', `${A}/fees/bills/${bill.id}/refunds`, { kind: 'prorated', reason: '转学', effective_date: '2099-01-01' });
  t.status(r, 422, 'leaving after the term: nothing unused');
  r = await as('office', 'POST', `${A}/fees/bills/${bill.id}/refunds`, { kind: 'full', reason: '缴费后未参加课后服务' });
  t.expect(r.status === 201, `request: ${show(r)}`);
  const refund = r.json.refunds[0];
  t.check(refund.amount_fen === bill.outstanding_fen && refund.status === 'requested', `full refund requested: ${JSON.stringify(refund)}`);
  t.status(await as('office', 'POST', `${A}/fees/refunds/${refund.id}/approve`), 403, 'the office does not approve its own request');
  r = await as('principal', 'POST', `${A}/fees/refunds/${refund.id}/approve`);
  t.check(r.status === 200 && r.json.refunded_fen === bill.outstanding_fen && r.json.refunds[0].approver_name, `approved: ${show(r)}`);
  t.status(await as('office', 'POST', `${A}/fees/bills/${bill.id}/refunds`, { kind: 'full', reason: '再退' }), 422, 'never more than was paid');
  const list = await as('office', 'GET', `${A}/fees/refunds?status=approved`);
  t.check((list.json?.items || []).some((x) => x.id === refund.id), `listed as approved: ${show(list)}`);
});
