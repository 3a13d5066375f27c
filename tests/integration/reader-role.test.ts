import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { migrate } from '../../src/db/migrate.js';
import { openPglite } from '../../src/db/pglite.js';
import { openPostgres } from '../../src/db/postgres.js';
import type { Session, Warehouse } from '../../src/db/session.js';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL;
const INSUFFICIENT_PRIVILEGE = '42501';

/** Reads and writes a reader must be refused: everything below marts, and any change to marts. */
const FORBIDDEN = [
  'SELECT * FROM raw.order_lines',
  'SELECT * FROM staging.order_lines',
  'SELECT * FROM ops.job_runs',
  'SELECT * FROM ops.rejected_rows',
  "INSERT INTO marts.insiders (as_of, customer_id, rank, score, reasons) VALUES ('2011-12-09', 'x', 1, 1, 'x')",
  "UPDATE marts.customer_rfm SET segment = 'Lost'",
  'DELETE FROM marts.customer_rfm',
  'TRUNCATE marts.dq_report',
  'CREATE TABLE marts.reader_owned (a int)',
  'CREATE VIEW marts.peek AS SELECT 1 AS a',
];

/** Rows the owner writes so that a reader has something to read, in a table and through an ops view. */
async function seedAsOwner(session: Session): Promise<void> {
  await session.exec(`
    INSERT INTO marts.customer_rfm (as_of, customer_id, country, recency_days, frequency, monetary, first_purchase, last_purchase,
      r_score, f_score, m_score, segment, x, t_x, t, monetary_value)
    VALUES ('2011-12-09', '17850', 'United Kingdom', 3, 34, 5391.21, '2010-12-01', '2011-12-06', 5, 5, 5, 'Champions', 33, 370, 373, 158.5);
    INSERT INTO ops.job_runs (job, as_of, status) VALUES ('rfm', '2011-12-09', 'succeeded');
    -- a mart created after the migrations: default privileges must make it readable too
    CREATE TABLE marts.late_mart (as_of date, customer_id text);
    INSERT INTO marts.late_mart VALUES ('2011-12-09', '17850');`);
}

async function errorCode(run: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await run();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

/** The reader's view of the warehouse, however it is reached. */
async function assertReadOnlyMarts(query: (sql: string) => Promise<Array<Record<string, unknown>>>): Promise<void> {
  assert.deepEqual(await query("SELECT customer_id, segment FROM marts.customer_rfm"), [{ customer_id: '17850', segment: 'Champions' }]);
  assert.deepEqual(await query('SELECT job, status FROM marts.job_runs'), [{ job: 'rfm', status: 'succeeded' }]);
  assert.deepEqual(await query('SELECT count(*)::int AS n FROM marts.rejected_rows_sample'), [{ n: 0 }]);
  assert.deepEqual(await query('SELECT customer_id FROM marts.late_mart'), [{ customer_id: '17850' }]);
  for (const sql of FORBIDDEN) {
    assert.equal(await errorCode(() => query(sql)), INSUFFICIENT_PRIVILEGE, `the reader must be refused: ${sql}`);
  }
}

describe('insiders_reader on the embedded PGlite', () => {
  let warehouse: Warehouse;
  before(async () => {
    warehouse = await openPglite(undefined);
  });
  after(() => warehouse.close());

  test('the migration creates the role without login and grants marts only', async () => {
    await warehouse.withSession(async (s) => {
      await migrate(s);
      const [role] = await s.query<{ rolcanlogin: boolean }>("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'insiders_reader'");
      assert.deepEqual(role, { rolcanlogin: false });
      await seedAsOwner(s);
      // PGlite has one connection: SET ROLE is how to act as the reader there.
      await s.exec('SET ROLE insiders_reader');
      try {
        await assertReadOnlyMarts((sql) => s.query(sql));
      } finally {
        await s.exec('RESET ROLE');
      }
    });
  });
});

describe('insiders_reader on Postgres', { skip: TEST_DATABASE_URL ? false : 'TEST_DATABASE_URL is not set: the real-Postgres role test needs a server (e.g. postgres://postgres@127.0.0.1:5432/test)' }, () => {
  const suffix = randomBytes(5).toString('hex');
  const databases = [`insiders_test_${suffix}`, `insiders_test_${suffix}_b`];
  const login = `insiders_reader_t_${suffix}`;
  const password = randomBytes(12).toString('hex');
  const warehouses: Warehouse[] = [];
  const admin = () => new pg.Client({ connectionString: TEST_DATABASE_URL });
  const urlOf = (database: string, credentials?: { user: string; password: string }) => {
    const url = new URL(TEST_DATABASE_URL!);
    url.pathname = `/${database}`;
    if (credentials) {
      url.username = credentials.user;
      url.password = credentials.password;
    }
    return url.toString();
  };

  before(async () => {
    const client = admin();
    await client.connect();
    for (const db of databases) await client.query(`CREATE DATABASE ${db}`);
    // A login of its own, granted insiders_reader once the migrations made it: the shared role is never changed.
    await client.query(`CREATE ROLE ${login} LOGIN PASSWORD '${password}'`);
    await client.end();
  });

  after(async () => {
    await Promise.all(warehouses.map((w) => w.close()));
    const client = admin();
    await client.connect();
    for (const db of databases) await client.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
    await client.query(`DROP ROLE IF EXISTS ${login}`);
    await client.end();
  });

  test('migrations run in two databases of one server (the role is created once)', async () => {
    for (const db of databases) {
      const warehouse = openPostgres(urlOf(db));
      warehouses.push(warehouse);
      const applied = await warehouse.withSession((s) => migrate(s));
      assert.ok(applied.includes('007_reader_role') && applied.includes('008_marts_ops_views'), `applied in ${db}: ${applied.join(', ')}`);
    }
    const client = admin();
    await client.connect();
    const { rows } = await client.query("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'insiders_reader'");
    await client.query(`GRANT insiders_reader TO ${login}`);
    await client.end();
    assert.deepEqual(rows, [{ n: 1 }]);
  });

  test('a login holding insiders_reader reads marts and nothing else, and cannot write', async () => {
    await warehouses[0]!.withSession((s) => seedAsOwner(s));
    const reader = new pg.Client({ connectionString: urlOf(databases[0]!, { user: login, password }) });
    await reader.connect();
    try {
      const [who] = (await reader.query('SELECT current_user AS u')).rows as Array<{ u: string }>;
      assert.equal(who?.u, login);
      await assertReadOnlyMarts(async (sql) => (await reader.query(sql)).rows as Array<Record<string, unknown>>);
    } finally {
      await reader.end();
    }
  });
});
