import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse/sync';

const NL = 0x0a;
const QUOTE = 0x22;
// A quoted field may hold line breaks, but an order line never spans this many lines:
// past it the opening quote is taken as unterminated and only its own line is rejected.
const MAX_LINES_PER_RECORD = 20;

/** A record that could not be loaded. */
export interface BadRecord {
  readonly lineNo: number;
  readonly raw: string;
  readonly reason: string;
}

/** A chunk split into loadable CSV (with batch id and line number in front) and rejected records. */
export interface SortedChunk {
  /** UTF-8 CSV rows `batch_id,line_no,<fields…>` ready for COPY. */
  readonly good: Buffer;
  readonly goodCount: number;
  readonly bad: BadRecord[];
  /** Records seen, good and bad. */
  readonly records: number;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function quotesIn(buf: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buf.indexOf(QUOTE, from); i !== -1 && i < to; i = buf.indexOf(QUOTE, i + 1)) n++;
  return n;
}

/** [start, end) of each line, line ends excluded. */
function physicalLines(chunk: Buffer): Array<[number, number]> {
  const lines: Array<[number, number]> = [];
  let start = 0;
  while (start < chunk.length) {
    const nl = chunk.indexOf(NL, start);
    const end = nl === -1 ? chunk.length : nl;
    lines.push([start, end]);
    start = end + 1;
  }
  return lines;
}

function stripCr(buf: Buffer): Buffer {
  return buf.length > 0 && buf[buf.length - 1] === 0x0d ? buf.subarray(0, -1) : buf;
}

/** Readable text of raw bytes for the quarantine (NUL cannot be stored in text). */
function printable(bytes: Buffer, latin1: boolean): string {
  return (latin1 ? bytes.toString('latin1') : bytes.toString('utf8')).replace(/\0/g, '\\0');
}

/** Why one record's bytes cannot be loaded, or its fields. */
function checkRecord(bytes: Buffer, fieldCount: number, latin1: boolean): { fields: string[] } | { reason: string } {
  if (bytes.length === 0) return { reason: 'blank line' };
  if (bytes.includes(0)) return { reason: 'NUL byte in row' };
  if (!latin1 && !isUtf8(bytes)) {
    return { reason: 'invalid UTF-8 byte sequence (set INSIDERS_ENCODING=latin1 if the file is Latin-1)' };
  }
  let rows: string[][];
  try {
    rows = parse(latin1 ? bytes.toString('latin1') : bytes.toString('utf8'), { relax_column_count: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error);
    return { reason: `malformed CSV: ${message.replace(/ at line \d+/, '')}` };
  }
  const row = rows[0];
  if (rows.length !== 1 || !row) return { reason: 'malformed CSV: not exactly one record' };
  if (row.length !== fieldCount) return { reason: `expected ${fieldCount} fields, found ${row.length}` };
  return { fields: row };
}

/**
 * Sorts the records of a chunk that COPY refused into loadable rows and quarantined ones.
 * Costs a CSV parse of this chunk only, so the price of dirt is paid per dirty chunk.
 */
export function sortChunk(
  chunk: Buffer,
  options: { batchId: number; firstLineNo: number; fieldCount: number; latin1: boolean },
): SortedChunk {
  const lines = physicalLines(chunk);
  const good: string[] = [];
  const bad: BadRecord[] = [];
  let lineNo = options.firstLineNo;
  let i = 0;
  while (i < lines.length) {
    // Join lines while a quoted field stays open, within the bound.
    const [start, firstEnd] = lines[i]!;
    let end = firstEnd;
    let take = 1;
    let quotes = quotesIn(chunk, start, end);
    while (quotes % 2 === 1 && take < MAX_LINES_PER_RECORD && i + take < lines.length) {
      const [, nextEnd] = lines[i + take]!;
      quotes += quotesIn(chunk, end, nextEnd);
      end = nextEnd;
      take++;
    }
    let result = quotes % 2 === 1 ? undefined : checkRecord(stripCr(chunk.subarray(start, end)), options.fieldCount, options.latin1);
    // A quote left open on one line must not swallow the good lines after it: when the joined
    // lines do not make one valid record, only the first line is rejected and reading resumes after it.
    if (result === undefined || (take > 1 && !('fields' in result))) {
      take = 1;
      end = firstEnd;
      result = { reason: 'unterminated quoted field' };
    }
    const bytes = stripCr(chunk.subarray(start, end));
    if ('fields' in result) {
      good.push(`${options.batchId},${lineNo},${result.fields.map(csvField).join(',')}\n`);
    } else {
      bad.push({ lineNo, raw: printable(bytes, options.latin1), reason: result.reason });
    }
    lineNo++;
    i += take;
  }
  return { good: Buffer.from(good.join(''), 'utf8'), goodCount: good.length, bad, records: lineNo - options.firstLineNo };
}

/** CSV rows for COPY into ops.rejected_rows. */
export function rejectedCsv(batchId: number, bad: readonly BadRecord[]): Buffer {
  return Buffer.from(
    // Always quoted: an unquoted empty field is NULL to COPY, and a blank line's raw text is ''.
    bad.map((b) => `${batchId},${b.lineNo},"${b.raw.replace(/"/g, '""')}",${csvField(b.reason)}\n`).join(''),
    'utf8',
  );
}
