import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rfm } from '../../jobs/rfm.js';
import { segment } from '../../jobs/segment.js';
import { tableChecksum } from '../support/checksums.js';
import { HEADER, run, runIngest, runTransform, tempFile } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

// Customer 100: two purchase days (one with two invoices), a matched cancellation, a duplicate line,
// postage, and a purchase after the as_of. Customer 200: one purchase on the as_of day itself.
// Customer 300: only a cancellation (no purchase invoice: left out). Customer 400: an invoice that
// nets to zero (not a purchase) and one real purchase. Guests are left out of customer marts.
const ROWS = [
  '1001,A1,RED MUG,2,2011-01-03 10:00:00,5.00,100.0,United Kingdom',
  '1001,A1,RED MUG,2,2011-01-03 10:00:00,5.00,100.0,United Kingdom', // duplicate
  '1001,POST,POSTAGE,1,2011-01-03 10:00:00,18.00,100.0,United Kingdom', // non-product
  '1002,B2,BLUE BOWL,1,2011-01-03 15:00:00,4.00,100.0,United Kingdom', // same day, second invoice
  'C1003,A1,RED MUG,-1,2011-01-05 09:00:00,5.00,100.0,United Kingdom', // cancellation nets -5
  '1004,B2,BLUE BOWL,3,2011-01-10 12:00:00,4.00,100.0,United Kingdom', // repeat day: 12
  '1005,B2,BLUE BOWL,9,2011-01-20 12:00:00,4.00,100.0,United Kingdom', // after as_of
  '1006,A1,RED MUG,1,2011-01-15 23:59:00,5.00,200.0,France', // on the as_of day
  'C1007,A1,RED MUG,-1,2011-01-11 09:00:00,5.00,300.0,France',
  '1008,A1,RED MUG,1,2011-01-04 09:00:00,5.00,400.0,Germany',
  '1008,A1,RED MUG,-1,2011-01-04 09:05:00,5.00,400.0,Germany', // nets the invoice to 0
  '1009,B2,BLUE BOWL,2,2011-01-06 09:00:00,4.00,400.0,Germany',
  '1010,A1,RED MUG,50,2011-01-07 09:00:00,5.00,,United Kingdom', // guest
];
const AS_OF = '2011-01-15';

interface RfmRow {
  customer_id: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  first_purchase: string;
  x: number;
  t_x: number;
  t: number;
  monetary_value: number;
  r_score: number;
  f_score: number;
  m_score: number;
  segment: string;
}

describe(`customer metrics and scores (${ENGINE})`, () => {
  let tw: TestWarehouse;
  let rows: Map<string, RfmRow>;

  before(async () => {
    tw = await freshWarehouse();
    await runIngest(tw, tempFile('orders.csv', `${HEADER}\n${ROWS.join('\n')}\n`));
    await runTransform(tw);
    await run(tw, rfm, { asOf: AS_OF });
    const result = await onSession(tw, (s) => s.query<RfmRow>(
      `SELECT customer_id, recency_days, frequency, monetary, first_purchase::text, x, t_x, t, monetary_value,
              r_score, f_score, m_score, segment
       FROM marts.customer_rfm WHERE as_of = $1`, [AS_OF]));
    rows = new Map(result.map((r) => [r.customer_id, r]));
  });
  after(async () => tw.close());

  test('only customers with a purchase invoice by the as_of are in the snapshot', () => {
    assert.deepEqual([...rows.keys()].sort(), ['100', '200', '400']);
  });

  test('cancellations net, duplicates and non-product lines do not count, later lines are excluded', () => {
    const c = rows.get('100')!;
    // 2×5 + 1×4 − 5 + 3×4 = 21 (the duplicate, the postage and the 2011-01-20 line left out)
    assert.equal(c.monetary, 21);
    assert.equal(c.frequency, 3, 'invoices 1001, 1002, 1004');
    assert.equal(c.recency_days, 5, '2011-01-15 − 2011-01-10');
    assert.equal(c.first_purchase, '2011-01-03');
  });

  test('BTYD inputs at daily grain', () => {
    const c = rows.get('100')!;
    assert.equal(c.x, 1, 'two purchase days − 1');
    assert.equal(c.t_x, 7);
    assert.equal(c.t, 12);
    assert.equal(c.monetary_value, 12, 'the repeat day’s purchase total');
    const d = rows.get('400')!;
    assert.deepEqual([d.frequency, d.x, d.monetary_value, d.monetary], [1, 0, 0, 8], 'an invoice netting to 0 is no purchase');
  });

  test('the as_of day is included: a purchase on it has recency 0', () => {
    const c = rows.get('200')!;
    assert.deepEqual([c.recency_days, c.frequency, c.t, c.x], [0, 1, 0, 0]);
  });

  test('equal values get equal scores; R is reversed; every customer gets one segment', () => {
    const [c100, c200, c400] = ['100', '200', '400'].map((id) => rows.get(id)!);
    // Scores are 1 + ⌊5·(rank − 1)/n⌋ with R ranked from the oldest: recency 9, 5, 0 → 1, 2, 4 of 3 customers.
    assert.deepEqual([c400!.r_score, c100!.r_score, c200!.r_score], [1, 2, 4]);
    assert.equal(c200!.f_score, c400!.f_score, 'both have frequency 1');
    assert.ok(c100!.f_score > c200!.f_score);
    for (const r of rows.values()) assert.ok(r.segment.length > 0);
  });

  test('an earlier as_of sees an earlier world; a rerun replaces the snapshot with identical rows', async () => {
    await run(tw, rfm, { asOf: '2011-01-05' });
    const early = await onSession(tw, (s) => s.query<{ customer_id: string; monetary: number; frequency: number }>(
      "SELECT customer_id, monetary, frequency FROM marts.customer_rfm WHERE as_of = '2011-01-05' ORDER BY 1"));
    // Customer 400's only purchase (2011-01-06) is after this as_of; the cancellation of 2011-01-05 is in.
    assert.deepEqual(early, [{ customer_id: '100', monetary: 9, frequency: 2 }]);
    const before1 = await onSession(tw, (s) => tableChecksum(s, 'marts.customer_rfm'));
    await run(tw, rfm, { asOf: AS_OF });
    await run(tw, rfm, { asOf: '2011-01-05' });
    assert.deepEqual(await onSession(tw, (s) => tableChecksum(s, 'marts.customer_rfm')), before1);
  });

  test('segment refuses an as_of without an RFM snapshot, with what to run', async () => {
    await assert.rejects(run(tw, segment, { asOf: '2010-01-01' }), /run "insiders run rfm --as-of 2010-01-01" first/);
  });
});
