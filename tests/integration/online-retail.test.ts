import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { rfm } from '../../jobs/rfm.js';
import { segment } from '../../jobs/segment.js';
import { tableChecksum } from '../support/checksums.js';
import { run, runIngest, runTransform } from '../support/jobs.js';
import { referenceMetrics, type ReferenceMetrics } from '../support/reference-metrics.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

const DATA = fileURLToPath(new URL('../../../shared/data/online_retail.csv', import.meta.url));
const present = existsSync(DATA);
const AS_OF = '2011-12-09';

describe(`UCI Online Retail, the real file (${ENGINE})`, { skip: present ? false : `no ${DATA} here` }, () => {
  let tw: TestWarehouse;
  let reference: ReferenceMetrics;

  before(async () => {
    tw = await freshWarehouse();
    await runIngest(tw, DATA);
    await runTransform(tw);
    reference = await referenceMetrics(DATA, AS_OF);
  });
  after(async () => tw?.close());

  test('loader figures match the published ones', async () => {
    const [batch] = await onSession(tw, (s) => s.query<{ rows_read: number; rows_loaded: number; rows_rejected: number }>(
      'SELECT rows_read, rows_loaded, rows_rejected FROM ops.batches'));
    assert.deepEqual(batch, { rows_read: 541_909, rows_loaded: 541_909, rows_rejected: 0 });
    const rules = new Map((await onSession(tw, (s) => s.query<{ rule: string; rows: number }>(
      'SELECT rule, rows FROM marts.dq_report'))).map((r) => [r.rule, r.rows]));
    assert.equal(rules.get('missing_customer'), 135_080);
    assert.equal(rules.get('duplicate'), 5_268);
    assert.equal(rules.get('cancellation'), 9_288);
    assert.equal(reference.rows, 541_909);
    assert.equal(reference.duplicates, 5_268);
  });

  test('customers and monetary agree with a recomputation from the raw CSV, customer by customer', async () => {
    await run(tw, rfm, { asOf: AS_OF });
    const rows = await onSession(tw, (s) => s.query<{ customer_id: string; frequency: number; monetary: number }>(
      'SELECT customer_id, frequency, monetary FROM marts.customer_rfm WHERE as_of = $1', [AS_OF]));
    assert.equal(rows.length, reference.customers.size);
    assert.equal(rows.length, 4_334, 'the published figure');
    const total = rows.reduce((sum, r) => sum + r.monetary, 0);
    assert.ok(Math.abs(total - 8_269_399.91) < 0.005, `total monetary ${total}`);
    for (const r of rows) {
      const ref = reference.customers.get(r.customer_id);
      assert.ok(ref, `customer ${r.customer_id} in the reference`);
      assert.equal(r.frequency, ref.frequency, `frequency of ${r.customer_id}`);
      assert.ok(Math.abs(r.monetary - ref.monetary) < 0.005, `monetary of ${r.customer_id}: ${r.monetary} vs ${ref.monetary}`);
    }
    const [btyd] = await onSession(tw, (s) => s.query<{ repeaters: number; invoices: number }>(
      'SELECT count(*) FILTER (WHERE x > 0) AS repeaters, sum(frequency) AS invoices FROM marts.customer_rfm WHERE as_of = $1', [AS_OF]));
    assert.deepEqual(btyd, { repeaters: 2_776, invoices: 18_402 });
  });

  test('segment twice for one as_of gives identical rows; a day later unchanged customers keep their cluster', async () => {
    await run(tw, segment, { asOf: AS_OF });
    const first = await onSession(tw, (s) => tableChecksum(s, 'marts.customer_clusters'));
    await run(tw, segment, { asOf: AS_OF });
    assert.deepEqual(await onSession(tw, (s) => tableChecksum(s, 'marts.customer_clusters')), first);

    // The day before, then the day itself again: names must follow the centroids, not the ids.
    const before = '2011-12-08';
    await run(tw, rfm, { asOf: before });
    await run(tw, segment, { asOf: before });
    await run(tw, segment, { asOf: AS_OF });
    const [kept] = await onSession(tw, (s) => s.query<{ unchanged: number; same: number }>(
      `SELECT count(*) AS unchanged, count(*) FILTER (WHERE a.cluster_name = b.cluster_name) AS same
       FROM marts.customer_rfm ra
       JOIN marts.customer_rfm rb ON rb.customer_id = ra.customer_id AND rb.as_of = $2
       JOIN marts.customer_clusters a ON a.customer_id = ra.customer_id AND a.as_of = ra.as_of
       JOIN marts.customer_clusters b ON b.customer_id = rb.customer_id AND b.as_of = rb.as_of
       WHERE ra.as_of = $1 AND ra.frequency = rb.frequency AND ra.monetary = rb.monetary`,
      [before, AS_OF]));
    assert.ok(kept!.unchanged > 4000, `${kept!.unchanged} unchanged customers`);
    assert.ok(kept!.same / kept!.unchanged >= 0.95, `${kept!.same} of ${kept!.unchanged} kept their cluster name`);
  });
});
