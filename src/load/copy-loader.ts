import type { Session } from '../db/session.js';
import type { HeaderMapping } from './header.js';
import { rejectedCsv, sortChunk } from './slow-path.js';

/** What loading the chunks of one batch did. */
export interface CopyStats {
  /** Data records seen (loaded into raw or quarantined by the fallback). */
  records: number;
  bytes: number;
  chunks: number;
  /** Chunks COPY refused that went through the CSV fallback. */
  fallbackChunks: number;
  /** Records quarantined before reaching raw (malformed rows). */
  malformed: number;
}

// After this many dirty chunks in a row the file is taken as dirty throughout and every
// further chunk goes straight to the fallback instead of failing a COPY first.
const DIRTY_STREAK_LIMIT = 3;

/**
 * COPYs record-aligned chunks into raw.order_lines. The clean path sends the bytes as they are
 * (batch id and line numbers come from column defaults); a chunk COPY refuses is rolled back to
 * its savepoint and sorted row by row, so the cost of dirt grows with the dirt, not the file.
 */
export async function copyChunks(
  session: Session,
  chunks: AsyncIterable<Buffer>,
  options: {
    batchId: number;
    header: HeaderMapping;
    latin1: boolean;
    onChunk?: (stats: Readonly<CopyStats>) => void;
  },
): Promise<CopyStats> {
  const stats: CopyStats = { records: 0, bytes: 0, chunks: 0, fallbackChunks: 0, malformed: 0 };
  const columns = options.header.columns;
  let lineNo = 2; // line 1 is the header
  let dirtyStreak = 0;
  await session.query("SELECT set_config('insiders.batch_id', $1, true)", [String(options.batchId)]);
  for await (const chunk of chunks) {
    stats.chunks++;
    stats.bytes += chunk.length;
    let copied: number | undefined;
    if (dirtyStreak < DIRTY_STREAK_LIMIT) {
      await session.exec('SAVEPOINT chunk');
      try {
        await session.query("SELECT setval('raw.order_lines_line_no', $1, false)", [lineNo]);
        copied = await session.copyIn(chunk, {
          table: 'raw.order_lines',
          columns,
          encoding: options.latin1 ? 'LATIN1' : 'UTF8',
        });
        await session.exec('RELEASE SAVEPOINT chunk');
        dirtyStreak = 0;
      } catch {
        await session.exec('ROLLBACK TO SAVEPOINT chunk');
        dirtyStreak++;
      }
    }
    if (copied === undefined) {
      stats.fallbackChunks++;
      const sorted = sortChunk(chunk, {
        batchId: options.batchId,
        firstLineNo: lineNo,
        fieldCount: columns.length,
        latin1: options.latin1,
      });
      if (sorted.goodCount > 0) {
        await session.copyIn(sorted.good, { table: 'raw.order_lines', columns: ['batch_id', 'line_no', ...columns] });
      }
      if (sorted.bad.length > 0) {
        await session.copyIn(rejectedCsv(options.batchId, sorted.bad), {
          table: 'ops.rejected_rows',
          columns: ['batch_id', 'line_no', 'raw', 'reason'],
        });
      }
      stats.malformed += sorted.bad.length;
      copied = sorted.records;
    }
    lineNo += copied;
    stats.records += copied;
    options.onChunk?.(stats);
  }
  return stats;
}
