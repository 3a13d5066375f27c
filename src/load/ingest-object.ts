import { isUtf8 } from 'node:buffer';
import type { SourceEncoding } from '../config.js';
import type { Session } from '../db/session.js';
import { readSql } from '../db/sql-files.js';
import { decompressed } from '../extract/decode.js';
import type { SourceObject } from '../extract/sources.js';
import { recordChunks } from './chunker.js';
import { copyChunks, type CopyStats } from './copy-loader.js';
import { mapHeader } from './header.js';

/** What ingesting one source object did. */
export interface BatchSummary {
  readonly uri: string;
  readonly status: 'loaded' | 'skipped';
  readonly batchId: number;
  /** The earlier batch of the same object this one replaced. */
  readonly replaced: number | undefined;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  readonly bytes: number;
  readonly fallbackChunks: number;
  /** Seconds in COPY (with any fallback) and in typing the batch in SQL. */
  readonly copySeconds: number;
  /** How the batch was typed: plain casts, or row by row because some value did not fit them. */
  readonly typing: 'fast' | 'checked' | 'none';
  readonly typeSeconds: number;
  readonly seconds: number;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function headerText(bytes: Buffer, latin1: boolean): string {
  const body = bytes.subarray(0, 3).equals(BOM) ? bytes.subarray(3) : bytes;
  return body.toString(latin1 ? 'latin1' : 'utf8').replace(/\r?\n$/, '');
}

/**
 * True when bytes are not UTF-8 and hold no valid multi-byte UTF-8 character either: a Latin-1
 * file. A UTF-8 file with a few corrupt bytes stays UTF-8, so those rows are quarantined.
 */
function looksLatin1(bytes: Buffer): boolean {
  return !isUtf8(bytes) && !/[\u0080-\ufffc]/.test(bytes.toString('utf8'));
}

/**
 * Types a batch: plain casts first; if any value does not fit them, the careful path types row by
 * row and quarantines what does not type. Both accept the same values, so the result is the same.
 */
async function typeBatch(session: Session, batchId: number): Promise<'fast' | 'checked'> {
  await session.exec('SAVEPOINT typing');
  try {
    await session.query(readSql('load/type_batch_fast.sql'), [batchId]);
    await session.exec('RELEASE SAVEPOINT typing');
    return 'fast';
  } catch {
    await session.exec('ROLLBACK TO SAVEPOINT typing');
  }
  await session.query(readSql('load/type_batch_checked.sql'), [batchId]);
  await session.query(readSql('load/reject_batch.sql'), [batchId]);
  return 'checked';
}

/**
 * Loads one object as one batch in one transaction: a crash leaves nothing half-loaded.
 * The same object (same ETag) is skipped; a changed one replaces its earlier batch.
 */
export async function ingestObject(
  session: Session,
  object: SourceObject,
  options: { encoding: SourceEncoding; chunkBytes: number; onProgress?: (stats: Readonly<CopyStats>) => void },
): Promise<BatchSummary> {
  const started = performance.now();
  const [current] = await session.query<{ batch_id: number; source_etag: string }>(
    "SELECT batch_id, source_etag FROM ops.batches WHERE source_uri = $1 AND status = 'loaded'",
    [object.uri],
  );
  if (current && current.source_etag === object.etag) {
    return {
      uri: object.uri, status: 'skipped', batchId: current.batch_id, replaced: undefined,
      rowsRead: 0, rowsLoaded: 0, rowsRejected: 0, bytes: 0, fallbackChunks: 0, copySeconds: 0, typing: 'none', typeSeconds: 0, seconds: 0,
    };
  }
  const chunks = recordChunks(decompressed(await object.open()), options.chunkBytes);
  const first = await chunks.next();
  if (first.done) throw new Error(`${object.uri} is empty: expected a header line`);
  // Sniff the encoding on the first data chunk; explicit configuration wins.
  const second = await chunks.next();
  const firstData = second.done ? undefined : second.value;
  const latin1 = options.encoding === 'latin1' || (options.encoding === 'auto' && firstData !== undefined && looksLatin1(firstData));
  const header = mapHeader(headerText(first.value, latin1));
  const dataChunks = (async function* () {
    if (firstData) yield firstData;
    yield* chunks;
  })();

  return session.transaction(async () => {
    const [batch] = await session.query<{ batch_id: number }>(
      `INSERT INTO ops.batches (source_uri, source_etag, source_bytes, layout, encoding)
       VALUES ($1, $2, $3, $4, $5) RETURNING batch_id`,
      [object.uri, object.etag, object.bytes ?? null, header.layout, latin1 ? 'latin1' : 'utf8'],
    );
    const batchId = batch!.batch_id;
    const copyStarted = performance.now();
    const stats = await copyChunks(session, dataChunks, {
      batchId, header, latin1,
      ...(options.onProgress ? { onChunk: options.onProgress } : {}),
    });
    const typeStarted = performance.now();
    const typing = await typeBatch(session, batchId);
    const typeSeconds = (performance.now() - typeStarted) / 1000;
    const count = async (sqlText: string) => (await session.query<{ n: number }>(sqlText, [batchId]))[0]!.n;
    const loaded = await count('SELECT count(*) AS n FROM staging.typed_lines WHERE batch_id = $1');
    const rejected = await count('SELECT count(*) AS n FROM ops.rejected_rows WHERE batch_id = $1');
    if (loaded + rejected !== stats.records) {
      throw new Error(`${object.uri}: ${stats.records} rows read but ${loaded} loaded + ${rejected} rejected; nothing was committed`);
    }
    if (current) {
      await session.query('DELETE FROM raw.order_lines WHERE batch_id = $1', [current.batch_id]);
      await session.query('DELETE FROM staging.typed_lines WHERE batch_id = $1', [current.batch_id]);
      await session.query("UPDATE ops.batches SET status = 'replaced', replaced_by = $2 WHERE batch_id = $1", [current.batch_id, batchId]);
    }
    await session.query(
      `UPDATE ops.batches SET status = 'loaded', rows_read = $2, rows_loaded = $3, rows_rejected = $4, finished_at = now()
       WHERE batch_id = $1`,
      [batchId, stats.records, loaded, rejected],
    );
    return {
      uri: object.uri, status: 'loaded' as const, batchId, replaced: current?.batch_id,
      rowsRead: stats.records, rowsLoaded: loaded, rowsRejected: rejected, bytes: stats.bytes,
      fallbackChunks: stats.fallbackChunks, copySeconds: (typeStarted - copyStarted) / 1000, typing, typeSeconds,
      seconds: (performance.now() - started) / 1000,
    };
  });
}
