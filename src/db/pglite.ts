import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { Database } from './schema.js';
import { lockDirectory } from './dir-lock.js';
import { copySql, transactor, type Session, type Warehouse } from './session.js';

const INT8 = 20;
const NUMERIC = 1700;

/** The embedded PGlite (WASM Postgres) with its data under `dataDir`; `undefined` keeps it in memory. */
export async function openPglite(dataDir: string | undefined): Promise<Warehouse> {
  let release = () => undefined as void;
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDirectory(dataDir);
  }
  const pglite = await PGlite.create(dataDir, {
    // Same number types as the pg driver, so SQL and code behave alike on both.
    parsers: { [INT8]: (v: string) => Number(v), [NUMERIC]: (v: string) => Number(v) },
  }).catch((error: unknown) => {
    release();
    throw error;
  });
  // Statements without parameters go through the simple protocol, as on pg, so SQL files
  // with several statements run through Kysely too (the Migrator needs that).
  const adapter = {
    query: (sqlText: string, params: unknown[]) =>
      params.length > 0
        ? pglite.query(sqlText, params)
        : pglite.exec(sqlText).then((results) => results.at(-1) ?? { rows: [], fields: [] }),
    close: () => pglite.close(),
  } as unknown as PGlite;
  const db = new Kysely<Database>({ dialect: new PGliteDialect(adapter) });
  // PGlite is one connection: sessions take turns so one session's transaction is its own.
  let queue: Promise<unknown> = Promise.resolve();
  const exec = async (sqlText: string): Promise<void> => {
    await pglite.exec(sqlText);
  };
  const session: Session = {
    db,
    exec,
    async query(sqlText, params = []) {
      const result = await pglite.query(sqlText, [...params]);
      return result.rows as never[];
    },
    async copyIn(chunk, options) {
      const result = await pglite.query(copySql(options, "'/dev/blob'"), [], { blob: new Blob([chunk as Uint8Array<ArrayBuffer>]) });
      return result.affectedRows ?? 0;
    },
    transaction: transactor(exec),
  };
  return {
    kind: 'pglite',
    label: dataDir ? `pglite:${dataDir}` : 'pglite:memory',
    withSession<T>(fn: (s: Session) => Promise<T>): Promise<T> {
      const run = queue.then(() => fn(session));
      queue = run.catch(() => undefined);
      return run;
    },
    async close() {
      await db.destroy();
      release();
    },
  };
}
