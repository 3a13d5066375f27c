import type { Session } from './session.js';

type Cell = string | number | boolean | null | undefined;

function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`refusing to write a non-finite number (${value})`);
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 't' : 'f';
  return `"${value.replace(/"/g, '""')}"`;
}

const BATCH = 50_000;

/** COPYs rows (arrays in column order) into a table in batches; NaN and Infinity are refused, never written. */
export async function copyRows(session: Session, table: string, columns: readonly string[], rows: Iterable<readonly Cell[]>): Promise<number> {
  let buffer: string[] = [];
  let written = 0;
  const flush = async () => {
    if (buffer.length === 0) return;
    written += await session.copyIn(Buffer.from(buffer.join(''), 'utf8'), { table, columns });
    buffer = [];
  };
  for (const row of rows) {
    buffer.push(`${row.map(csvCell).join(',')}\n`);
    if (buffer.length >= BATCH) await flush();
  }
  await flush();
  return written;
}
