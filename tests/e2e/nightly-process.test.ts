import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { writeOrderLines } from '../../src/generate/order-lines.js';
import { tempFile } from '../support/jobs.js';
import { startS3, type LocalS3 } from '../support/s3.js';
import { freshWarehouse, TEST_DATABASE_URL, type TestWarehouse } from '../support/warehouse.js';

const BIN = fileURLToPath(new URL('../../bin/insiders.js', import.meta.url));
const SOURCE = 's3://raw/orders/';
const ROWS = 150_000;

// Every published mart, keyed so that batch ids (which differ between databases) do not matter.
const MARTS = [
  'marts.customer_rfm', 'marts.customer_clusters', 'marts.cluster_centroids', 'marts.cluster_rules',
  'marts.customer_clv', 'marts.clv_models', 'marts.clv_calibration', 'marts.model_metrics', 'marts.insiders',
  'marts.insiders_changes', 'marts.segment_summary', 'marts.segment_transitions', 'marts.sales_daily',
  'marts.cohort_retention',
];

interface Run {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startNightly(url: string, s3: LocalS3): Run {
  const child = spawn(process.execPath, [BIN, 'run', 'nightly', '--source', SOURCE], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: url, LOG_LEVEL: 'silent', ...s3.env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}

async function query<R>(url: string, sqlText: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sqlText, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** md5 of every mart plus the per-object rule counts; equal checksums = equal published data. */
async function martsChecksum(url: string): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const table of MARTS) {
    const [r] = await query<{ n: number; md5: string }>(url,
      `SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, E'\\n' ORDER BY x::text), '')) AS md5 FROM ${table} x`);
    sums[table] = `${r!.n}:${r!.md5}`;
  }
  const [dq] = await query<{ md5: string }>(url,
    `SELECT md5(string_agg(b.source_uri || '|' || d.rule || '|' || d.rows, E'\\n' ORDER BY b.source_uri, d.rule)) AS md5
     FROM marts.dq_report d JOIN ops.batches b USING (batch_id)`);
  sums['marts.dq_report'] = dq!.md5;
  return sums;
}

/** Rows loaded per current batch, and raw/staging totals: nothing lost, nothing doubled. */
async function loadLedger(url: string) {
  const [r] = await query<{ batches: number; read: number; loaded: number; raw: number; staging: number }>(url,
    `SELECT (SELECT count(*)::int FROM ops.batches WHERE status = 'loaded') AS batches,
            (SELECT sum(rows_read)::int FROM ops.batches WHERE status = 'loaded') AS read,
            (SELECT sum(rows_loaded)::int FROM ops.batches WHERE status = 'loaded') AS loaded,
            (SELECT count(*)::int FROM raw.order_lines) AS raw,
            (SELECT count(*)::int FROM staging.order_lines) AS staging`);
  return r!;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 15));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('nightly as processes: S3 → Postgres → marts', { skip: TEST_DATABASE_URL ? false : 'needs TEST_DATABASE_URL (a real Postgres: several processes share it)' }, () => {
  let s3: LocalS3;
  let objects = 0;
  let baseline: TestWarehouse;
  let expected: Record<string, string>;
  const warehouses: TestWarehouse[] = [];

  const fresh = async () => {
    const tw = await freshWarehouse();
    warehouses.push(tw);
    return tw.url!;
  };

  before(async () => {
    s3 = await startS3();
    await s3.createBucket('raw');
    const file = tempFile('orders.csv', '');
    await writeOrderLines({ rows: ROWS, seed: 3 }, file);
    const [header, ...rows] = readFileSync(file, 'utf8').trimEnd().split('\n');
    const months = new Map<string, string[]>();
    for (const row of rows) {
      const month = /,(\d{4}-\d{2})-\d{2} /.exec(row)![1]!;
      months.set(month, [...(months.get(month) ?? []), row]);
    }
    for (const [month, lines] of months) await s3.put('raw', `orders/${month}.csv`, `${header}\n${lines.join('\n')}\n`);
    objects = months.size;
    baseline = await freshWarehouse();
    warehouses.push(baseline);
    const first = await startNightly(baseline.url!, s3).done;
    assert.equal(first.code, 0, first.stderr);
    expected = await martsChecksum(baseline.url!);
  });
  after(async () => {
    for (const tw of warehouses) await tw.close();
    await s3?.close();
  });

  test('the first run publishes every mart and loads every row once', async () => {
    for (const [table, sum] of Object.entries(expected)) {
      // Transitions need a previous snapshot; this is the first.
      if (table === 'marts.segment_transitions') assert.match(sum, /^0:/);
      else assert.doesNotMatch(sum, /^0:/, `${table} has rows`);
    }
    assert.deepEqual(await loadLedger(baseline.url!), { batches: objects, read: ROWS, loaded: ROWS, raw: ROWS, staging: ROWS });
  });

  test('a rerun changes no mart and loads nothing again', async () => {
    const rerun = await startNightly(baseline.url!, s3).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(await martsChecksum(baseline.url!), expected);
    assert.deepEqual(await loadLedger(baseline.url!), { batches: objects, read: ROWS, loaded: ROWS, raw: ROWS, staging: ROWS });
  });

  test('two nightly processes at once: one runs, the other is skipped, nothing is duplicated', async () => {
    const url = await fresh();
    const [a, b] = await Promise.all([startNightly(url, s3).done, startNightly(url, s3).done]);
    assert.deepEqual([a.code, b.code], [0, 0], `${a.stderr}${b.stderr}`);
    const outputs = [a.stdout, b.stdout].sort();
    assert.match(outputs[0]!, /^nightly: skipped, another nightly run is in progress/);
    assert.match(outputs[1]!, /^nightly: succeeded/);
    const runs = await query<{ status: string; n: number }>(url,
      "SELECT status, count(*)::int AS n FROM ops.job_runs WHERE job = 'nightly' GROUP BY status ORDER BY status");
    assert.deepEqual(runs, [{ status: 'skipped', n: 1 }, { status: 'succeeded', n: 1 }]);
    assert.deepEqual(await martsChecksum(url), expected);
    assert.deepEqual(await loadLedger(url), { batches: objects, read: ROWS, loaded: ROWS, raw: ROWS, staging: ROWS });
  });

  test('SIGKILL in the middle of the load, then a rerun: the same marts, nothing lost or doubled', async () => {
    const url = await fresh();
    const run = startNightly(url, s3);
    await waitFor('the load to be under way', async () =>
      (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM ops.batches WHERE status = 'loaded'"))[0]!.n >= 3);
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    const partial = await loadLedger(url);
    assert.ok(partial.batches >= 3 && partial.batches < objects, `killed after ${partial.batches} of ${objects} objects`);
    assert.equal(partial.raw, partial.loaded, 'only whole objects are in raw');
    const rerun = await startNightly(url, s3).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(await martsChecksum(url), expected);
    assert.deepEqual(await loadLedger(url), { batches: objects, read: ROWS, loaded: ROWS, raw: ROWS, staging: ROWS });
    const [stale] = await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM ops.job_runs WHERE status = 'running'");
    assert.equal(stale!.n, 0, 'the killed run is closed as interrupted');
  });

  test('SIGKILL in the middle of publishing, then a rerun: no half snapshot was ever visible', async () => {
    const url = await fresh();
    const run = startNightly(url, s3);
    // From the moment rfm replaces its snapshot until nightly commits, nightly's transaction holds
    // a write lock on marts.customer_rfm: a window of seconds, in the middle of publishing.
    await waitFor('the customer marts to be being written', async () =>
      (await query<{ n: number }>(url,
        `SELECT count(*)::int AS n FROM pg_locks
         WHERE relation = 'marts.customer_rfm'::regclass AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()`))[0]!.n > 0,
      120_000);
    run.child.kill('SIGKILL');
    assert.equal((await run.done).signal, 'SIGKILL');
    // Staging was rebuilt and the RFM, clusters and CLV were being written in the same transaction:
    // after the kill none of it is visible.
    for (const table of ['marts.customer_rfm', 'marts.customer_clusters', 'marts.customer_clv', 'marts.sales_daily']) {
      const [r] = await query<{ n: number }>(url, `SELECT count(*)::int AS n FROM ${table}`);
      assert.equal(r!.n, 0, `${table} shows nothing of the killed run`);
    }
    const rerun = await startNightly(url, s3).done;
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.deepEqual(await martsChecksum(url), expected);
    assert.deepEqual(await loadLedger(url), { batches: objects, read: ROWS, loaded: ROWS, raw: ROWS, staging: ROWS });
  });
});
