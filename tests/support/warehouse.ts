import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { Session, Warehouse } from '../../src/db/session.js';

/** The real Postgres when TEST_DATABASE_URL is set, else the embedded PGlite. */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
export const ENGINE = TEST_DATABASE_URL ? 'postgres' : 'pglite';

/** A migrated warehouse of its own for one test file, and a config pointing at it. */
export interface TestWarehouse {
  readonly warehouse: Warehouse;
  readonly config: Config;
  readonly url: string | undefined;
  /** Empties every data table (reference tables and the migration ledger stay). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

const KEEP = new Set(['staging.country_map', 'staging.non_product_codes', 'ops.kysely_migration', 'ops.kysely_migration_lock']);

/** Runs fn on one session of the warehouse. */
export function onSession<T>(tw: TestWarehouse, fn: (s: Session) => Promise<T>): Promise<T> {
  return tw.warehouse.withSession(fn);
}

/** A throwaway database (Postgres: CREATE DATABASE with a random name; PGlite: in memory). */
export async function freshWarehouse(env: Record<string, string> = {}): Promise<TestWarehouse> {
  const home = mkdtempSync(join(tmpdir(), 'insiders-test-'));
  let url: string | undefined;
  let dropDatabase = async () => undefined as void;
  if (TEST_DATABASE_URL) {
    const name = `insiders_t_${randomBytes(5).toString('hex')}`;
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const u = new URL(TEST_DATABASE_URL);
    u.pathname = `/${name}`;
    url = u.toString();
    dropDatabase = async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    };
  }
  const config = loadConfig({ ...(url ? { DATABASE_URL: url } : {}), INSIDERS_HOME: home, LOG_LEVEL: 'silent', ...env });
  const warehouse = url ? openPostgres(url) : await openPglite(undefined);
  await warehouse.withSession((s) => migrate(s));
  return {
    warehouse,
    config,
    url,
    async reset() {
      await warehouse.withSession(async (s) => {
        const tables = await s.query<{ name: string }>(
          `SELECT schemaname || '.' || tablename AS name FROM pg_tables
           WHERE schemaname IN ('raw', 'staging', 'marts', 'ops') ORDER BY 1`,
        );
        const names = tables.map((t) => t.name).filter((n) => !KEEP.has(n));
        if (names.length > 0) await s.exec(`TRUNCATE ${names.join(', ')} RESTART IDENTITY CASCADE`);
      });
    },
    async close() {
      await warehouse.close();
      await dropDatabase();
    },
  };
}
