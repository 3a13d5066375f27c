import type { Session } from '../db/session.js';
import { listSqlFiles } from '../db/sql-files.js';

/** How many failing rows an error quotes per test. */
const SAMPLE_ROWS = 5;

const COUNT_COLUMN = 'data_test_failing_rows';

/** One data test that returned rows. */
export interface DataTestFailure {
  readonly test: string;
  readonly rows: number;
  readonly sample: readonly Record<string, unknown>[];
}

/** Data tests returned failing rows; the message names each test with a sample of its rows, on one line. */
export class DataTestError extends Error {
  override name = 'DataTestError';
  constructor(
    readonly asOf: string,
    readonly failures: readonly DataTestFailure[],
  ) {
    const parts = failures.map((f) => `${f.test} (${f.rows} row${f.rows === 1 ? '' : 's'}: ${JSON.stringify(f.sample)})`);
    super(`data tests failed for as_of ${asOf}: ${parts.join('; ')}`);
  }
}

/** The data tests: `sql/tests/**\/assert_*.sql`, in name order, named by file without `.sql`. */
export function listDataTests(): { name: string; text: string }[] {
  return listSqlFiles('tests')
    .filter((file) => /(^|\/)assert_[^/]*\.sql$/.test(file.name))
    .map((file) => ({ name: file.name.replace(/^tests\//, '').replace(/\.sql$/, ''), text: file.text }));
}

/**
 * Runs every data test for an as_of (each a SELECT of failing rows: none = pass) on the caller's session,
 * without opening a transaction of its own, so it can run inside the one that publishes the marts and a
 * failure rolls the snapshot back. Throws a DataTestError naming every failing test.
 */
export async function runDataTests(session: Session, asOf: string): Promise<{ passed: string[] }> {
  const passed: string[] = [];
  const failures: DataTestFailure[] = [];
  for (const { name, text } of listDataTests()) {
    // Only a sample crosses to Node, with the total alongside, however many rows fail.
    const sampled = `SELECT *, count(*) OVER () AS ${COUNT_COLUMN} FROM (\n${text.replace(/[\s;]+$/, '')}\n) AS failing LIMIT ${SAMPLE_ROWS}`;
    let rows: Record<string, unknown>[];
    try {
      // A test that does not look at the as_of gets no parameter (Postgres refuses unused ones).
      rows = await session.query(sampled, /\$1\b/.test(text) ? [asOf] : []);
    } catch (error) {
      // On Postgres the surrounding transaction is now aborted, so the remaining tests cannot run.
      throw new Error(`data test ${name} could not run: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (rows.length === 0) passed.push(name);
    else failures.push({ test: name, rows: Number(rows[0]![COUNT_COLUMN]), sample: rows.map(({ [COUNT_COLUMN]: _, ...row }) => row) });
  }
  if (failures.length > 0) throw new DataTestError(asOf, failures);
  return { passed };
}
