// The class teacher's batch review (issue 11): several applications of their class approved in one
// request, all or nothing; an application of another class in the batch refuses the whole batch
// and names it; a return needs a reason.
import { demoSession, show, test } from './lib.mjs';

test('class review batch: all or nothing, only the own class, then approved together', async (t) => {
  const teacher = await demoSession('classteacher');
  const office = await demoSession('office');
  const mine = await teacher('GET', '/applications?status=submitted&page_size=50');
  t.expect(mine.status === 200, `own queue: ${show(mine)}`);
  const ids = mine.json.items.map((a) => a.id).slice(0, 2);
  t.expect(ids.length >= 1, 'the demo class has submitted applications');
  const all = await office('GET', '/applications?status=submitted&page_size=200');
  const foreign = all.json.items.find((a) => !mine.json.items.some((m) => m.id === a.id));
  t.expect(foreign, 'a submitted application of another class');

  let r = await teacher('POST', '/applications/class-review', { ids: [...ids, foreign.id], decision: 'approve' });
  t.check(r.status === 404 && r.json.error.field === 'ids' && r.json.error.message.includes(String(foreign.id)),
    `a foreign id refuses the batch: ${show(r)}`);
  const still = await teacher('GET', `/applications/${ids[0]}`);
  t.check(still.json.status === 'submitted', `nothing changed: ${still.json.status}`);
  r = await teacher('POST', '/applications/class-review', { ids, decision: 'return' });
  t.check(r.status === 400 && r.json.error.field === 'reason', `a return needs a reason: ${show(r)}`);
  r = await teacher('POST', '/applications/class-review', { ids: [ids[0], ids[0]], decision: 'approve' });
  t.check(r.status === 400 && r.json.error.field === 'ids', `repeated ids: ${show(r)}`);

  r = await teacher('POST', '/applications/class-review', { ids, decision: 'approve' });
  t.expect(r.status === 200 && r.json.decided === ids.length, `batch approve: ${show(r)}`);
  for (const id of ids) {
    const a = await teacher('GET', `/applications/${id}`);
    t.check(a.json.status === 'class_approved', `application ${id}: ${a.json.status}`);
  }
  r = await teacher('POST', '/applications/class-review', { ids, decision: 'approve' });
  t.check(r.status === 422 && r.json.error.message.includes(String(ids[0])), `approving twice names the id: ${show(r)}`);
});
