import type { Warehouse } from '../db/session.js';
import { readSql } from '../db/sql-files.js';

interface StatusRow {
  job: string;
  run_id: number;
  status: string;
  as_of: string | null;
  started_at: Date;
  seconds: number;
  step: string | null;
  error: string | null;
}

/** Prints the last run of each job: status, as-of, duration, and the error of a failed one. */
export async function printStatus(warehouse: Warehouse): Promise<number> {
  const rows = await warehouse.withSession((s) => s.query<StatusRow>(readSql('reports/job_status.sql')));
  if (rows.length === 0) {
    process.stdout.write('no job has run yet\n');
    return 0;
  }
  for (const r of rows) {
    const when = new Date(r.started_at).toISOString().replace('T', ' ').slice(0, 19);
    process.stdout.write(
      `${r.job.padEnd(10)} ${r.status.padEnd(9)} run ${String(r.run_id).padEnd(5)} as_of ${(r.as_of ?? '-').padEnd(10)} ` +
        `started ${when} UTC  ${r.seconds.toFixed(1)} s` +
        (r.status === 'failed' ? `\n           step ${r.step ?? '?'}: ${r.error ?? ''}` : '') +
        '\n',
    );
  }
  return 0;
}
