import { Kysely, PostgresDialect, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Database } from './schema.js';
import { copySql, transactor, type Session, type Warehouse } from './session.js';

// int8 counts and numeric money come back as JS numbers: the warehouse's figures fit in a double.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+)(:[^@/]*)?@/, '//$1@');
}

/** A Postgres server reached over `pg`. */
export function openPostgres(url: string): Warehouse {
  const pool = new pg.Pool({ connectionString: url, max: 4, application_name: 'insiders' });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    label: redact(url),
    async withSession(fn) {
      const client = await pool.connect();
      const db = new Kysely<Database>({
        // A one-connection pool, so Kysely shares this session's transaction.
        dialect: new PostgresDialect({
          pool: {
            connect: async () => ({ query: client.query.bind(client), release: () => undefined }) as unknown as PostgresPoolClient,
            end: async () => undefined,
            options: {},
          },
        }),
      });
      const exec = async (sqlText: string): Promise<void> => {
        await client.query(sqlText);
      };
      const session: Session = {
        db,
        exec,
        async query(sqlText, params = []) {
          const result = await client.query(sqlText, [...params]);
          return result.rows;
        },
        async copyIn(chunk, options) {
          const stream = client.query(copyFrom(copySql(options, 'STDIN')));
          await new Promise<void>((resolve, reject) => {
            stream.on('error', reject);
            stream.on('finish', resolve);
            stream.end(chunk);
          });
          return stream.rowCount ?? 0;
        },
        transaction: transactor(exec),
      };
      let broken = false;
      try {
        return await fn(session);
      } catch (error) {
        // A connection that failed mid-COPY or mid-transaction is not returned to the pool.
        broken = true;
        throw error;
      } finally {
        client.release(broken);
      }
    },
    async close() {
      await pool.end();
    },
  };
}
