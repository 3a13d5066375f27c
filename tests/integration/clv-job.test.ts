import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { clv } from '../../jobs/clv.js';
import { rfm } from '../../jobs/rfm.js';
import { writeOrderLines } from '../../src/generate/order-lines.js';
import { addDays } from '../../src/marts/clv-backtest.js';
import { tableChecksum } from '../support/checksums.js';
import { HEADER, run, runIngest, runTransform, tempFile } from '../support/jobs.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

const AS_OF = '2011-12-09';
const CALIBRATION = addDays(AS_OF, -180);

type Metrics = Map<string, { value: number; detail: Record<string, unknown> | null }>;

async function metrics(tw: TestWarehouse, model: string, asOf: string): Promise<Metrics> {
  const rows = await onSession(tw, (s) =>
    s.query<{ metric: string; value: number; detail: Record<string, unknown> | null }>(
      'SELECT metric, value, detail FROM marts.model_metrics WHERE as_of = $1 AND model = $2',
      [asOf, model],
    ),
  );
  return new Map(rows.map((r) => [r.metric, { value: r.value, detail: r.detail }]));
}

async function count(tw: TestWarehouse, sqlText: string, params: readonly unknown[] = []): Promise<number> {
  const [row] = await onSession(tw, (s) => s.query<{ n: number }>(sqlText, params));
  return Number(row!.n);
}

describe(`clv job on generated order lines (${ENGINE})`, () => {
  let tw: TestWarehouse;

  before(async () => {
    tw = await freshWarehouse();
    const file = join(mkdtempSync(join(tmpdir(), 'insiders-clv-')), 'lines.csv');
    await writeOrderLines({ rows: 30_000, seed: 7 }, file);
    await runIngest(tw, file);
    await runTransform(tw);
    await run(tw, rfm, { asOf: AS_OF });
    // The snapshot at the calibration date gives an independent count of the holdout purchases.
    await run(tw, rfm, { asOf: CALIBRATION });
    await run(tw, clv, { asOf: AS_OF });
  });
  after(async () => tw.close());

  test('one customer_clv row per customer_rfm row, every figure finite and ordered by horizon', async () => {
    const customers = await count(tw, 'SELECT count(*) AS n FROM marts.customer_rfm WHERE as_of = $1', [AS_OF]);
    assert.ok(customers > 150, `${customers} customers`);
    assert.equal(await count(tw, 'SELECT count(*) AS n FROM marts.customer_clv WHERE as_of = $1', [AS_OF]), customers);
    assert.equal(
      await count(tw, `SELECT count(*) AS n FROM marts.customer_rfm r JOIN marts.customer_clv c USING (as_of, customer_id) WHERE as_of = $1`, [AS_OF]),
      customers,
    );
    const columns = ['p_alive', 'expected_purchases_90d', 'expected_purchases_180d', 'expected_purchases_365d', 'expected_order_value', 'clv_180d', 'clv_365d'];
    const bad = columns.map((c) => `${c} IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8)`).join(' OR ');
    assert.equal(await count(tw, `SELECT count(*) AS n FROM marts.customer_clv WHERE ${bad}`), 0);
    assert.equal(await count(tw, 'SELECT count(*) AS n FROM marts.customer_clv WHERE NOT (p_alive BETWEEN 0 AND 1)'), 0);
    assert.equal(
      await count(tw, `SELECT count(*) AS n FROM marts.customer_clv
                       WHERE NOT (clv_365d >= clv_180d * (1 - 1e-9) AND clv_180d >= 0 AND expected_order_value > 0
                                  AND expected_purchases_365d >= expected_purchases_180d * (1 - 1e-9)
                                  AND expected_purchases_180d >= expected_purchases_90d * (1 - 1e-9) AND expected_purchases_90d >= 0)`),
      0,
    );
    // One-time buyers are alive by the model's assumption; some repeat buyers are not.
    assert.equal(await count(tw, `SELECT count(*) AS n FROM marts.customer_clv c JOIN marts.customer_rfm r USING (as_of, customer_id) WHERE r.x = 0 AND c.p_alive <> 1`), 0);
    assert.ok((await count(tw, 'SELECT count(*) AS n FROM marts.customer_clv WHERE p_alive < 0.5')) > 0);
  });

  test('clv_models holds converged BG/NBD and Gamma-Gamma fits with finite positive parameters in days', async () => {
    const rows = await onSession(tw, (s) =>
      s.query<{ model: string; params: Record<string, number>; log_likelihood: number; customers: number; status: string }>(
        'SELECT model, params, log_likelihood, customers, status FROM marts.clv_models WHERE as_of = $1 ORDER BY model',
        [AS_OF],
      ),
    );
    assert.deepEqual(rows.map((r) => r.model), ['bgnbd', 'gamma_gamma']);
    assert.deepEqual(Object.keys(rows[0]!.params).sort(), ['a', 'alpha', 'b', 'r']);
    assert.deepEqual(Object.keys(rows[1]!.params).sort(), ['gamma', 'p', 'q']);
    for (const row of rows) {
      assert.equal(row.status, 'converged');
      assert.ok(Number.isFinite(row.log_likelihood) && row.log_likelihood < 0);
      for (const [key, value] of Object.entries(row.params)) assert.ok(Number.isFinite(value) && value > 0, `${row.model}.${key} = ${value}`);
    }
    // The generator draws purchase gaps in open days with α = 15; in calendar days α is larger, not 7 × larger.
    assert.ok(rows[0]!.params.alpha! > 5 && rows[0]!.params.alpha! < 60, `alpha ${rows[0]!.params.alpha}`);
    assert.equal(rows[0]!.customers, await count(tw, 'SELECT count(*) AS n FROM marts.customer_rfm WHERE as_of = $1', [AS_OF]));
    assert.equal(rows[1]!.customers, await count(tw, 'SELECT count(*) AS n FROM marts.customer_rfm WHERE as_of = $1 AND x > 0 AND monetary_value > 0', [AS_OF]));
  });

  test('the backtest predicts the holdout within a factor of 2 and counts it like the BTYD inputs do', async () => {
    const m = await metrics(tw, 'bgnbd_backtest', AS_OF);
    assert.equal(m.has('skipped'), false);
    assert.equal(m.get('customers')!.detail!.calibration_as_of, CALIBRATION);
    assert.equal(m.get('holdout_days')!.value, 180);
    assert.equal(m.get('customers')!.value, await count(tw, 'SELECT count(*) AS n FROM marts.customer_rfm WHERE as_of = $1', [CALIBRATION]));
    // Purchase days in (C, D] are the repeat days added between the two snapshots.
    const added = await count(
      tw,
      `SELECT sum(d.x - c.x) AS n FROM marts.customer_rfm c JOIN marts.customer_rfm d ON d.customer_id = c.customer_id AND d.as_of = $2
       WHERE c.as_of = $1`,
      [CALIBRATION, AS_OF],
    );
    assert.equal(m.get('total_actual')!.value, added);
    const ratio = m.get('total_predicted')!.value / m.get('total_actual')!.value;
    assert.ok(ratio > 0.5 && ratio < 2, `predicted / actual = ${ratio}`);
    assert.ok(m.get('rmse')!.value >= m.get('mae')!.value && m.get('mae')!.value > 0);
    assert.ok(m.get('spearman')!.value > 0.2 && m.get('spearman')!.value <= 1, `spearman ${m.get('spearman')!.value}`);

    const bins = await onSession(tw, (s) =>
      s.query<{ frequency_bin: string; bin_order: number; customers: number; mean_actual: number; mean_predicted: number }>(
        'SELECT frequency_bin, bin_order, customers, mean_actual, mean_predicted FROM marts.clv_calibration WHERE as_of = $1 ORDER BY bin_order',
        [AS_OF],
      ),
    );
    assert.equal(bins[0]?.frequency_bin, '0');
    assert.ok(bins.every((b) => b.customers > 0 && b.mean_actual >= 0 && b.mean_predicted > 0 && b.bin_order <= 7));
    assert.equal(bins.reduce((s, b) => s + b.customers, 0), m.get('customers')!.value);
    assert.ok(Math.abs(bins.reduce((s, b) => s + b.customers * b.mean_actual, 0) - m.get('total_actual')!.value) < 1e-6);
    assert.ok(Math.abs(bins.reduce((s, b) => s + b.customers * b.mean_predicted, 0) - m.get('total_predicted')!.value) < 1e-6);
  });

  test('the value-tier check reports the tree next to its baselines on a 70/30 split', async () => {
    const m = await metrics(tw, 'value_tier', AS_OF);
    assert.equal(m.has('skipped'), false);
    const customers = m.get('customers')!.value;
    assert.equal(m.get('train_customers')!.value + m.get('test_customers')!.value, customers);
    assert.equal(m.get('test_customers')!.value, Math.round(0.3 * customers));
    const sizes = m.get('customers')!.detail!.tier_sizes as number[];
    assert.equal(sizes.length, 3);
    assert.equal(sizes.reduce((s, v) => s + v, 0), customers);
    for (const name of ['tree', 'majority', 'clv_rank']) {
      for (const score of ['accuracy', 'macro_f1']) {
        const value = m.get(`${name}_${score}`)!.value;
        assert.ok(value >= 0 && value <= 1, `${name}_${score} = ${value}`);
      }
    }
    // The majority baseline predicts one tier: its macro-F1 is at most that tier's F1 over three.
    assert.ok(m.get('majority_macro_f1')!.value <= 1 / 3 + 1e-12);
    assert.ok(m.get('rfm_revenue_spearman')!.value > 0, 'a higher RFM score goes with more revenue next period');
  });

  test('rerunning clv for the same as_of rewrites identical rows', async () => {
    const tables = ['marts.customer_clv', 'marts.clv_models', 'marts.clv_calibration', 'marts.model_metrics'];
    const before = await onSession(tw, (s) => Promise.all(tables.map((t) => tableChecksum(s, t))));
    await run(tw, clv, { asOf: AS_OF });
    const afterRerun = await onSession(tw, (s) => Promise.all(tables.map((t) => tableChecksum(s, t))));
    assert.deepEqual(afterRerun, before);
    assert.ok(before.every((c) => c.rows > 0));
  });
});

describe(`clv job guards (${ENGINE})`, () => {
  let tw: TestWarehouse;
  const asOf = '2011-12-31';
  // Twenty customers who each bought once in December: nothing identifies the BG/NBD rates, nobody repeats.
  const lines = Array.from({ length: 20 }, (_, i) => {
    const day = String(1 + i).padStart(2, '0');
    return `${5000 + i},A1,RED MUG,${1 + (i % 3)},2011-12-${day} 10:00:00,4.50,${100 + i}.0,United Kingdom`;
  });

  before(async () => {
    tw = await freshWarehouse();
    await runIngest(tw, tempFile('once.csv', `${HEADER}\n${lines.join('\n')}\n`));
    await runTransform(tw);
  });
  after(async () => tw.close());

  test('without an RFM snapshot the job fails and says to run rfm first', async () => {
    await assert.rejects(run(tw, clv, { asOf }), /no RFM snapshot for 2011-12-31: run rfm for 2011-12-31 first/);
  });

  test('a degraded fit with no earlier converged fit to keep fails the run rather than publish a guess', async () => {
    await run(tw, rfm, { asOf });
    await assert.rejects(run(tw, clv, { asOf }), /gamma_gamma cannot be fitted for 2011-12-31 .*no earlier converged fit to keep/);
    assert.equal(await count(tw, 'SELECT count(*) AS n FROM marts.customer_clv'), 0);
  });

  test('a degraded fit keeps the latest earlier converged fit, marks the rows degraded and skips what history cannot support', async () => {
    const insert = (day: string, model: string, params: object, status: string) =>
      onSession(tw, (s) =>
        s.query("INSERT INTO marts.clv_models (as_of, model, params, log_likelihood, customers, status) VALUES ($1, $2, $3, -1, 10, $4)", [
          day, model, JSON.stringify(params), status,
        ]),
      );
    const kept = { bgnbd: { r: 0.5, alpha: 20, a: 0.6, b: 3 }, gamma_gamma: { p: 2, q: 3, gamma: 400 } };
    for (const [model, params] of Object.entries(kept)) {
      await insert('2011-12-01', model, model === 'bgnbd' ? { r: 1, alpha: 1, a: 1, b: 1 } : { p: 1, q: 2, gamma: 1 }, 'converged');
      await insert('2011-12-15', model, params, 'converged');
      await insert('2011-12-20', model, model === 'bgnbd' ? { r: 2, alpha: 2, a: 2, b: 2 } : { p: 3, q: 4, gamma: 5 }, 'degraded');
      await insert('2012-01-05', model, model === 'bgnbd' ? { r: 3, alpha: 3, a: 3, b: 3 } : { p: 6, q: 7, gamma: 8 }, 'converged');
    }
    const summary = await run(tw, clv, { asOf });
    assert.equal(summary.bgnbd.status, 'degraded');
    assert.match(summary.bgnbd.reason ?? '', /edge of the search range/);
    const rows = await onSession(tw, (s) =>
      s.query<{ model: string; params: object; status: string; detail: { params_from: string; reason: string }; log_likelihood: number }>(
        'SELECT model, params, status, detail, log_likelihood FROM marts.clv_models WHERE as_of = $1 ORDER BY model',
        [asOf],
      ),
    );
    assert.equal(rows.length, 2);
    for (const row of rows) {
      assert.equal(row.status, 'degraded');
      assert.deepEqual(row.params, kept[row.model as keyof typeof kept]);
      assert.equal(row.detail.params_from, '2011-12-15');
      assert.ok(Number.isFinite(row.log_likelihood));
    }
    assert.match(rows[1]!.detail.reason, /no customer has a repeat purchase day/);
    const scores = await onSession(tw, (s) =>
      s.query<{ p_alive: number; expected_order_value: number; clv_365d: number }>('SELECT p_alive, expected_order_value, clv_365d FROM marts.customer_clv WHERE as_of = $1', [asOf]),
    );
    assert.equal(scores.length, 20);
    // One-time buyers: alive by assumption, and the population mean order value pγ/(q − 1) of the kept fit.
    assert.ok(scores.every((r) => r.p_alive === 1 && Math.abs(r.expected_order_value - 400) < 1e-9 && r.clv_365d > 0));
    for (const model of ['bgnbd_backtest', 'value_tier']) {
      const m = await metrics(tw, model, asOf);
      assert.deepEqual([...m.keys()], ['skipped']);
      assert.equal(m.get('skipped')!.value, 1);
      assert.match(String(m.get('skipped')!.detail!.reason), /not enough history/);
    }
  });
});
