/**
 * Synthetic order lines shaped like the UCI Online Retail data, streamed as CSV text.
 * Pure of the environment: seed, period and row count are parameters, so the same options
 * always give the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { parseDay, type DateStyle } from './calendar.js';
import { simulate } from './simulation.js';

export type { DateStyle } from './calendar.js';
export type Layout = 'online-retail' | 'online-retail-ii';

export interface GenerateOptions {
  /** Number of data rows (the header is extra). */
  rows: number;
  seed: number;
  /** First day of the period, `YYYY-MM-DD` (default 2010-12-01). */
  start?: string;
  /** Last day of the period, inclusive (default 2011-12-09). */
  end?: string;
  /** Column names of Online Retail (default) or Online Retail II. */
  layout?: Layout;
  /** `2010-12-01 08:26:00` with CustomerID `17850.0` (iso, default) or `12/1/2010 8:26` with `17850` (us). */
  dateStyle?: DateStyle;
}

const HEADERS: Record<Layout, string> = {
  'online-retail': 'InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n',
  'online-retail-ii': 'Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n',
};

function validate(opts: GenerateOptions): Parameters<typeof simulate>[0] {
  const { rows, seed, start = '2010-12-01', end = '2011-12-09', layout = 'online-retail', dateStyle = 'iso' } = opts;
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`rows must be a whole number ≥ 0, got ${rows}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number, got ${seed}`);
  if (!(layout in HEADERS)) throw new RangeError(`layout must be online-retail or online-retail-ii, got ${layout}`);
  if (dateStyle !== 'iso' && dateStyle !== 'us') throw new RangeError(`dateStyle must be iso or us, got ${dateStyle}`);
  const startDay = parseDay(start, 'start');
  const endDay = parseDay(end, 'end');
  if (endDay < startDay) throw new RangeError(`end (${end}) is before start (${start})`);
  return { rows, seed, startDay, endDay, dateStyle, header: HEADERS[layout] };
}

/** Streams exactly `rows` synthetic order lines (after a header) as CSV chunks of about 64 KB, in invoice-date order. */
export function generateOrderLines(opts: GenerateOptions): AsyncGenerator<string> {
  // Validated here, not inside the generator, so bad options throw at the call.
  const options = validate(opts);
  return (async function* () {
    yield* simulate(options);
  })();
}

/** Writes the generated CSV to `filePath` (gzip when it ends in `.gz`); `bytes` counts what reached the file. */
export async function writeOrderLines(opts: GenerateOptions, filePath: string): Promise<{ rows: number; bytes: number }> {
  let bytes = 0;
  const count = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  const source = Readable.from(generateOrderLines(opts), { objectMode: false });
  const file = createWriteStream(filePath);
  if (filePath.endsWith('.gz')) await pipeline(source, createGzip(), count, file);
  else await pipeline(source, count, file);
  return { rows: opts.rows, bytes };
}
