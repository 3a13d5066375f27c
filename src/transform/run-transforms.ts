import type { Session } from '../db/session.js';
import { listSqlFiles } from '../db/sql-files.js';

/** One transform file and how long it took. */
export interface TransformStep {
  readonly file: string;
  readonly seconds: number;
}

/** Rewrites the non-product code list from configuration (`X*` = prefix X). */
export async function setNonProductCodes(session: Session, codes: readonly string[]): Promise<void> {
  await session.exec('DELETE FROM staging.non_product_codes');
  const rows = [...new Map(codes.map((c) => [c.toUpperCase(), c])).values()];
  for (const code of rows) {
    const prefix = code.endsWith('*');
    await session.query(
      'INSERT INTO staging.non_product_codes (code, is_prefix) VALUES ($1, $2)',
      [prefix ? code.slice(0, -1) : code, prefix],
    );
  }
}

/** Runs every file under sql/transforms in order; the caller holds the transaction. */
export async function runTransforms(session: Session, onFile?: (file: string) => Promise<void>): Promise<TransformStep[]> {
  const steps: TransformStep[] = [];
  for (const file of listSqlFiles('transforms')) {
    await onFile?.(file.name);
    const started = performance.now();
    await session.exec(file.text);
    steps.push({ file: file.name, seconds: (performance.now() - started) / 1000 });
  }
  return steps;
}
