import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { insiders } from '../../jobs/insiders.js';
import { rfm } from '../../jobs/rfm.js';
import { segment } from '../../jobs/segment.js';
import type { Session } from '../../src/db/session.js';
import { writeOrderLines } from '../../src/generate/order-lines.js';
import { DataTestError, listDataTests, runDataTests } from '../../src/quality/data-tests.js';
import { run, runIngest, runTransform } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

const ALL_TESTS = [
  'assert_clv_horizons_ordered',
  'assert_clv_p_alive_in_range',
  'assert_clv_values_finite',
  'assert_customer_marts_complete',
  'assert_insiders_ranks',
  'assert_rfm_metrics_consistent',
  'assert_rfm_monetary_reconciles',
  'assert_rfm_scores_in_range',
  'assert_segment_summary_adds_up',
];

// CLV rows that obey every rule, derived from the customer's RFM row (the clv job's figures are not needed here).
const SEED_CLV = `
  INSERT INTO marts.customer_clv (as_of, customer_id, p_alive, expected_purchases_90d, expected_purchases_180d,
    expected_purchases_365d, expected_order_value, clv_180d, clv_365d)
  SELECT as_of, customer_id, 30.0 / (30 + recency_days), 0.1 * frequency, 0.2 * frequency, 0.4 * frequency,
         greatest(monetary / frequency, 0), 0.2 * greatest(monetary, 0), 0.4 * greatest(monetary, 0)
  FROM marts.customer_rfm WHERE as_of = $1`;

const ROLLBACK = new Error('rollback');

describe(`data tests (${ENGINE})`, () => {
  let tw: TestWarehouse;
  let asOf: string;

  /** Corrupts the marts inside a transaction, runs the data tests there, then rolls everything back. */
  const testsAfter = (corrupt: (s: Session) => Promise<unknown>): Promise<unknown> =>
    onSession(tw, async (s) => {
      let outcome: unknown;
      await s.transaction(async () => {
        await corrupt(s);
        outcome = await runDataTests(s, asOf).catch((error: unknown) => error);
        throw ROLLBACK;
      }).catch((error: unknown) => {
        if (error !== ROLLBACK) throw error;
      });
      return outcome;
    });

  /** The one customer a corruption touches: the smallest id matching a condition on the table. */
  const someCustomer = (s: Session, table: string, where = 'true') =>
    s.query<{ id: string }>(`SELECT min(customer_id) AS id FROM ${table} WHERE as_of = $1 AND ${where}`, [asOf]).then((r) => r[0]!.id);

  before(async () => {
    tw = await freshWarehouse();
    const file = join(mkdtempSync(join(tmpdir(), 'insiders-dt-')), 'lines.csv');
    await writeOrderLines({ rows: 4000, seed: 11, start: '2011-01-03', end: '2011-12-09' }, file);
    await runIngest(tw, file);
    await runTransform(tw);
    asOf = (await run(tw, rfm)).asOf;
    await run(tw, segment, { asOf });
    await onSession(tw, (s) => s.query(SEED_CLV, [asOf]));
    const list = await run(tw, insiders, { asOf });
    assert.ok(list.members >= 2, `the seeded Insiders list is too short to test ranks (${list.members})`);
  });
  after(async () => tw.close());

  test('every assert_*.sql under sql/tests is found, in name order', () => {
    assert.deepEqual(listDataTests().map((t) => t.name), ALL_TESTS);
  });

  test('the marts of a real pipeline run pass every data test', async () => {
    assert.deepEqual(await onSession(tw, (s) => runDataTests(s, asOf)), { passed: ALL_TESTS });
  });

  const corruptions: ReadonlyArray<{ what: string; failing: string[]; corrupt: (s: Session) => Promise<unknown> }> = [
    {
      what: 'an R score of 6',
      failing: ['assert_rfm_scores_in_range'],
      corrupt: async (s) => {
        await s.exec('ALTER TABLE marts.customer_rfm DROP CONSTRAINT customer_rfm_r_score_check');
        await s.query('UPDATE marts.customer_rfm SET r_score = 6 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_rfm')]);
      },
    },
    {
      what: 'P(alive) 1.2',
      failing: ['assert_clv_p_alive_in_range'],
      corrupt: async (s) => {
        await s.exec('ALTER TABLE marts.customer_clv DROP CONSTRAINT customer_clv_p_alive_check');
        await s.query('UPDATE marts.customer_clv SET p_alive = 1.2 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_clv')]);
      },
    },
    {
      what: 'a NaN 12-month CLV',
      failing: ['assert_clv_values_finite'],
      corrupt: async (s) =>
        s.query("UPDATE marts.customer_clv SET clv_365d = 'NaN' WHERE as_of = $1 AND customer_id = $2", [asOf, await someCustomer(s, 'marts.customer_clv')]),
    },
    {
      what: 'a negative expected purchase count',
      failing: ['assert_clv_values_finite'],
      corrupt: async (s) =>
        s.query('UPDATE marts.customer_clv SET expected_purchases_90d = -0.5 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_clv')]),
    },
    {
      what: 'a 12-month CLV below the 6-month one',
      failing: ['assert_clv_horizons_ordered'],
      corrupt: async (s) =>
        s.query('UPDATE marts.customer_clv SET clv_365d = clv_180d / 2 WHERE as_of = $1 AND customer_id = $2',
          [asOf, await someCustomer(s, 'marts.customer_clv', 'clv_180d > 1')]),
    },
    {
      what: 'a customer missing from customer_clv',
      failing: ['assert_customer_marts_complete'],
      corrupt: async (s) =>
        s.query('DELETE FROM marts.customer_clv WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_clv')]),
    },
    {
      what: 'a customer missing from customer_clusters',
      failing: ['assert_customer_marts_complete'],
      corrupt: async (s) =>
        s.query('DELETE FROM marts.customer_clusters WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_clusters')]),
    },
    {
      what: 'a monetary that does not reconcile with fct_sales',
      failing: ['assert_rfm_monetary_reconciles', 'assert_segment_summary_adds_up'],
      corrupt: async (s) =>
        s.query('UPDATE marts.customer_rfm SET monetary = monetary + 10 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_rfm')]),
    },
    {
      what: 'a frequency of 0',
      failing: ['assert_rfm_metrics_consistent'],
      corrupt: async (s) =>
        s.query('UPDATE marts.customer_rfm SET frequency = 0 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_rfm')]),
    },
    {
      what: 'T shorter than t_x',
      failing: ['assert_rfm_metrics_consistent'],
      corrupt: async (s) =>
        s.query('UPDATE marts.customer_rfm SET t = t_x - 1 WHERE as_of = $1 AND customer_id = $2', [asOf, await someCustomer(s, 'marts.customer_rfm')]),
    },
    {
      what: 'a segment summary that loses a customer',
      failing: ['assert_segment_summary_adds_up'],
      corrupt: async (s) =>
        s.query("UPDATE marts.segment_summary SET customers = customers - 1 WHERE as_of = $1 AND kind = 'cluster' AND customers > 1 AND segment = (SELECT min(segment) FROM marts.segment_summary WHERE as_of = $1 AND kind = 'cluster' AND customers > 1)", [asOf]),
    },
    {
      what: 'a gap in the Insiders ranks',
      failing: ['assert_insiders_ranks'],
      corrupt: async (s) =>
        s.query('UPDATE marts.insiders SET rank = rank + 1 WHERE as_of = $1 AND rank = (SELECT max(rank) FROM marts.insiders WHERE as_of = $1)', [asOf]),
    },
  ];

  for (const { what, failing, corrupt } of corruptions) {
    test(`${what} fails ${failing.join(' and ')}`, async () => {
      const outcome = await testsAfter(corrupt);
      assert.ok(outcome instanceof DataTestError, `expected a DataTestError, got ${String(outcome)}`);
      assert.deepEqual(outcome.failures.map((f) => f.test), failing);
      for (const name of failing) assert.match(outcome.message, new RegExp(`\\b${name} \\(\\d+ rows?: \\[\\{`));
      assert.equal(outcome.message.includes('\n'), false);
    });
  }

  test('the error quotes the failing row', async () => {
    let id = '';
    const outcome = await testsAfter(async (s) => {
      id = await someCustomer(s, 'marts.customer_clv');
      await s.query("UPDATE marts.customer_clv SET clv_365d = 'NaN' WHERE as_of = $1 AND customer_id = $2", [asOf, id]);
    });
    assert.ok(outcome instanceof DataTestError);
    assert.deepEqual(outcome.failures[0]?.sample, [{ customer_id: id, problem: 'clv_365d NaN' }]);
    assert.match(outcome.message, new RegExp(`assert_clv_values_finite \\(1 row: \\[\\{"customer_id":"${id}","problem":"clv_365d NaN"\\}\\]\\)`));
  });

  test('a wholesale failure counts every row but quotes only five', async () => {
    const customers = await onSession(tw, (s) =>
      s.query<{ n: number }>('SELECT count(*) AS n FROM marts.customer_clv WHERE as_of = $1', [asOf]).then((r) => r[0]!.n));
    const outcome = await testsAfter(async (s) => {
      await s.exec('ALTER TABLE marts.customer_clv DROP CONSTRAINT customer_clv_p_alive_check');
      await s.query('UPDATE marts.customer_clv SET p_alive = p_alive + 1.5 WHERE as_of = $1', [asOf]);
    });
    assert.ok(outcome instanceof DataTestError);
    assert.equal(outcome.failures[0]?.rows, customers);
    assert.equal(outcome.failures[0]?.sample.length, 5);
    assert.ok(customers > 5);
  });

  test('a CLV snapshot not computed yet is not reported as missing rows', async () => {
    const outcome = await testsAfter((s) => s.query('DELETE FROM marts.customer_clv WHERE as_of = $1', [asOf]));
    assert.deepEqual(outcome, { passed: ALL_TESTS });
  });

  test('each corruption was rolled back with its transaction: the marts pass again', async () => {
    assert.deepEqual(await onSession(tw, (s) => runDataTests(s, asOf)), { passed: ALL_TESTS });
  });
});
