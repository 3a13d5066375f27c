import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { after, before, beforeEach, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { writeOrderLines } from '../../src/generate/order-lines.js';
import { stagingChecksum, tableChecksum } from '../support/checksums.js';
import { runIngest, runTransform, tempFile } from '../support/jobs.js';
import { startS3, type LocalS3 } from '../support/s3.js';
import { ENGINE, freshWarehouse, onSession, type TestWarehouse } from '../support/warehouse.js';

/** Splits a CSV into one CSV per invoice day, each with the header. */
function splitByDay(csv: string): Map<string, string> {
  const [header, ...rows] = csv.trimEnd().split('\n');
  const days = new Map<string, string[]>();
  for (const row of rows) {
    const day = /,(\d{4}-\d{2}-\d{2}) /.exec(row)?.[1];
    assert.ok(day, `a date in ${row}`);
    days.set(day, [...(days.get(day) ?? []), row]);
  }
  return new Map([...days].map(([day, lines]) => [day, `${header}\n${lines.join('\n')}\n`]));
}

describe(`ingest from files and a real S3 API (${ENGINE})`, () => {
  let tw: TestWarehouse;
  let s3: LocalS3;
  let csv: string;
  let file: string;
  let s3Config: ReturnType<typeof loadConfig>;

  before(async () => {
    s3 = await startS3();
    tw = await freshWarehouse();
    s3Config = loadConfig({ ...(tw.url ? { DATABASE_URL: tw.url } : {}), LOG_LEVEL: 'silent', ...s3.env });
    file = tempFile('orders.csv', '');
    await writeOrderLines({ rows: 6000, seed: 7 }, file);
    csv = readFileSync(file, 'utf8');
    await s3.createBucket('raw');
  });
  after(async () => {
    await tw.close();
    await s3.close();
  });
  beforeEach(async () => tw.reset());

  test('loading the same file twice changes nothing', async () => {
    const first = await runIngest(tw, file);
    await runTransform(tw);
    const before1 = await onSession(tw, stagingChecksum);
    const second = await runIngest(tw, file);
    await runTransform(tw);
    const after1 = await onSession(tw, stagingChecksum);
    assert.equal(first.loaded, 1);
    assert.equal(first.rowsRead, 6000);
    assert.deepEqual([second.loaded, second.skipped], [0, 1], 'the unchanged file is skipped');
    assert.deepEqual(after1, before1);
    assert.equal(before1.rows, 6000);
  });

  test('an S3 key loads like the file; the same ETag is skipped; a changed object replaces its batch', async () => {
    await runIngest(tw, file);
    await runTransform(tw);
    const fromFile = await onSession(tw, stagingChecksum);
    await tw.reset();

    await s3.put('raw', 'orders/all.csv', csv);
    const one = await runIngest(tw, 's3://raw/orders/all.csv', s3Config);
    await runTransform(tw);
    assert.equal(one.rowsLoaded, 6000);
    assert.deepEqual(await onSession(tw, stagingChecksum), fromFile);

    const again = await runIngest(tw, 's3://raw/orders/all.csv', s3Config);
    assert.deepEqual([again.loaded, again.skipped], [0, 1]);

    const shorter = `${csv.split('\n').slice(0, 1001).join('\n')}\n`;
    await s3.put('raw', 'orders/all.csv', shorter);
    const changed = await runIngest(tw, 's3://raw/orders/all.csv', s3Config);
    await runTransform(tw);
    assert.equal(changed.loaded, 1);
    assert.equal(changed.batches[0]!.replaced, one.batches[0]!.batchId);
    const batches = await onSession(tw, (s) => s.query<{ status: string; n: number }>(
      'SELECT status, count(*) AS n FROM ops.batches GROUP BY status ORDER BY status'));
    assert.deepEqual(batches, [{ status: 'loaded', n: 1 }, { status: 'replaced', n: 1 }]);
    const [counts] = await onSession(tw, (s) => s.query<{ raw: number; staging: number }>(
      'SELECT (SELECT count(*) FROM raw.order_lines) AS raw, (SELECT count(*) FROM staging.order_lines) AS staging'));
    assert.deepEqual(counts, { raw: 1000, staging: 1000 }, 'the replaced batch left nothing behind');
  });

  test('the file split into daily objects under one prefix gives the same staging rows', async () => {
    await runIngest(tw, file);
    await runTransform(tw);
    const whole = await onSession(tw, stagingChecksum);
    await tw.reset();

    const days = splitByDay(csv);
    assert.ok(days.size > 20, 'many days');
    let i = 0;
    for (const [day, body] of days) {
      // Some objects gzip-compressed, as landing zones often hold both.
      await s3.put('raw', `daily/${day}.csv${i++ % 3 === 0 ? '.gz' : ''}`, i % 3 === 1 ? gzipSync(body) : body);
    }
    await s3.put('raw', 'daily/', ''); // a folder marker is not data
    const summary = await runIngest(tw, 's3://raw/daily/', s3Config);
    await runTransform(tw);
    assert.equal(summary.objects, days.size);
    assert.equal(summary.rowsRead, 6000);
    assert.equal(summary.rowsRejected, 0);
    assert.deepEqual(await onSession(tw, stagingChecksum), whole);

    const rerun = await runIngest(tw, 's3://raw/daily/', s3Config);
    assert.equal(rerun.skipped, days.size, 'every unchanged object is skipped');
    await runTransform(tw);
    assert.deepEqual(await onSession(tw, stagingChecksum), whole);
    const dq1 = await onSession(tw, (s) => tableChecksum(s, 'marts.dq_report'));
    await runTransform(tw);
    assert.deepEqual(await onSession(tw, (s) => tableChecksum(s, 'marts.dq_report')), dq1, 'transform rerun is idempotent');
  });

  test('a missing S3 object or bucket fails with a clear error', async () => {
    await assert.rejects(runIngest(tw, 's3://raw/nope.csv', s3Config), /step list .*s3:\/\/raw\/nope\.csv not found/);
    await assert.rejects(runIngest(tw, 's3://raw/empty-prefix/', s3Config), /no objects found at s3:\/\/raw\/empty-prefix\//);
    await assert.rejects(runIngest(tw, '/nonexistent/orders.csv'), /does not exist/);
  });
});
