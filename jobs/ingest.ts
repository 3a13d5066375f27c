import { listSources } from '../src/extract/sources.js';
import { ingestObject, type BatchSummary } from '../src/load/ingest-object.js';
import type { Job } from '../src/runtime/job-runner.js';

/** Summary of an ingest run. */
export interface IngestSummary {
  readonly source: string;
  readonly objects: number;
  readonly loaded: number;
  readonly skipped: number;
  readonly rowsRead: number;
  readonly rowsLoaded: number;
  readonly rowsRejected: number;
  readonly bytes: number;
  readonly batches: readonly BatchSummary[];
}

/** Loads every new or changed object of the source into raw.order_lines, one batch per object. */
export const ingest: Job<IngestSummary> = {
  name: 'ingest',
  async run(ctx) {
    const source = ctx.source ?? ctx.config.sourceUri;
    if (!source) throw new Error('no source: set SOURCE_URI or pass --source (a file, a folder, s3://bucket/key or s3://bucket/prefix/)');
    await ctx.step('list');
    const objects = await listSources(source, ctx.config);
    if (objects.length === 0) throw new Error(`no objects found at ${source}`);
    const batches: BatchSummary[] = [];
    for (const object of objects) {
      await ctx.step(`load ${object.uri}`);
      let lastMb = 0;
      const summary = await ingestObject(ctx.session, object, {
        encoding: ctx.config.encoding,
        chunkBytes: ctx.config.chunkBytes,
        onProgress: (stats) => {
          ctx.log.progress(`load ${object.uri}`, stats.bytes, object.bytes);
          const mb = Math.floor(stats.bytes / 2 ** 20);
          if (mb - lastMb >= 64) {
            lastMb = mb;
            ctx.log.info('ingest.progress', { uri: object.uri, mb, rows: stats.records });
          }
        },
      });
      ctx.log.info(`ingest.${summary.status}`, {
        uri: object.uri, batch_id: summary.batchId, rows_read: summary.rowsRead,
        rows_loaded: summary.rowsLoaded, rows_rejected: summary.rowsRejected, seconds: Number(summary.seconds.toFixed(2)),
        copy_seconds: Number(summary.copySeconds.toFixed(2)), typing: summary.typing, type_seconds: Number(summary.typeSeconds.toFixed(2)),
      });
      batches.push(summary);
    }
    const sum = (f: (b: BatchSummary) => number) => batches.reduce((acc, b) => acc + f(b), 0);
    return {
      source,
      objects: objects.length,
      loaded: batches.filter((b) => b.status === 'loaded').length,
      skipped: batches.filter((b) => b.status === 'skipped').length,
      rowsRead: sum((b) => b.rowsRead),
      rowsLoaded: sum((b) => b.rowsLoaded),
      rowsRejected: sum((b) => b.rowsRejected),
      bytes: sum((b) => b.bytes),
      batches,
    };
  },
};
