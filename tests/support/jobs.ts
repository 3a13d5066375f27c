import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ingest, type IngestSummary } from '../../jobs/ingest.js';
import { transform, type TransformSummary } from '../../jobs/transform.js';
import type { Config } from '../../src/config.js';
import { runJob, type Job, type JobOutcome } from '../../src/runtime/job-runner.js';
import { createLog } from '../../src/runtime/log.js';
import type { TestWarehouse } from './warehouse.js';

const quiet = createLog('silent');

/** Runs a job and returns its summary, failing the test when it was skipped. */
export async function run<S extends object>(
  tw: TestWarehouse,
  job: Job<S>,
  options: { source?: string; asOf?: string; config?: Config } = {},
): Promise<S> {
  const outcome: JobOutcome<S> = await runJob(tw.warehouse, job, {
    config: options.config ?? tw.config, log: quiet, source: options.source, asOf: options.asOf,
  });
  if (outcome.status !== 'succeeded') throw new Error(`${job.name} was skipped`);
  return outcome.summary;
}

/** Ingests a source. */
export const runIngest = (tw: TestWarehouse, source: string, config?: Config): Promise<IngestSummary> =>
  run(tw, ingest, { source, ...(config ? { config } : {}) });

/** Rebuilds staging and the sales marts. */
export const runTransform = (tw: TestWarehouse, config?: Config): Promise<TransformSummary> =>
  run(tw, transform, config ? { config } : {});

/** Writes bytes to a fresh temporary file and returns its path. */
export function tempFile(name: string, content: string | Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'insiders-src-')), name);
  writeFileSync(path, content);
  return path;
}

/** The Online Retail header. */
export const HEADER = 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country';
