import { readSql } from '../db/sql-files.js';
import type { JobContext } from '../runtime/job-runner.js';

/**
 * The as-of date of a job: the one given, else the last customer invoice date in the data
 * (fails on an empty warehouse). Recorded in the job's ledger row.
 */
export async function resolveAsOf(ctx: JobContext): Promise<string> {
  let asOf = ctx.asOf;
  if (!asOf) {
    const [row] = await ctx.session.query<{ as_of: string | null }>(readSql('customers/latest_as_of.sql'));
    if (!row?.as_of) throw new Error('no customer sales in the warehouse yet: run ingest and transform first');
    asOf = row.as_of;
    await ctx.recordAsOf(asOf);
  }
  return asOf;
}
