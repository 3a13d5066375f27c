import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Options of one COPY … FROM into a table. */
export interface CopyInOptions {
  /** Target table, schema-qualified. */
  readonly table: string;
  /** Columns in the order the CSV fields come. */
  readonly columns: readonly string[];
  /** Server-side conversion of the bytes, e.g. LATIN1; UTF8 when absent. */
  readonly encoding?: 'UTF8' | 'LATIN1';
}

/** One database connection: typed queries, raw SQL files and COPY, all on the same session. */
export interface Session {
  /** Kysely bound to this session's connection (so it sees this session's open transaction). */
  readonly db: Kysely<Database>;
  /** Runs SQL text that may hold several statements and no parameters (SQL files). */
  exec(sqlText: string): Promise<void>;
  /** Runs one statement with positional parameters and returns its rows. */
  query<R = Record<string, unknown>>(sqlText: string, params?: readonly unknown[]): Promise<R[]>;
  /** COPY one CSV chunk (no header) into a table; returns the rows copied. */
  copyIn(chunk: Uint8Array, options: CopyInOptions): Promise<number>;
  /** Runs fn inside BEGIN … COMMIT, rolling back when it throws. */
  transaction<T>(fn: () => Promise<T>): Promise<T>;
}

/** A warehouse: the embedded PGlite or a Postgres server. */
export interface Warehouse {
  readonly kind: 'postgres' | 'pglite';
  /** Where it lives, without credentials, for log lines. */
  readonly label: string;
  /** Runs fn on a dedicated connection; sessions never interleave on PGlite. */
  withSession<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** The COPY statement for a CSV chunk. */
export function copySql(options: CopyInOptions, from: string): string {
  const encoding = options.encoding && options.encoding !== 'UTF8' ? `, ENCODING '${options.encoding}'` : '';
  return `COPY ${options.table} (${options.columns.join(', ')}) FROM ${from} WITH (FORMAT csv${encoding})`;
}

/**
 * BEGIN/COMMIT/ROLLBACK around fn for one connection; a transaction opened inside another becomes
 * a savepoint, so a job that publishes in its own transaction can also run inside a larger one.
 */
export function transactor(exec: (sqlText: string) => Promise<void>): <T>(fn: () => Promise<T>) => Promise<T> {
  let depth = 0;
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    const savepoint = depth > 0 ? `nested_${depth}` : undefined;
    await exec(savepoint ? `SAVEPOINT ${savepoint}` : 'BEGIN');
    depth++;
    try {
      const result = await fn();
      await exec(savepoint ? `RELEASE SAVEPOINT ${savepoint}` : 'COMMIT');
      return result;
    } catch (error) {
      await exec(savepoint ? `ROLLBACK TO SAVEPOINT ${savepoint}` : 'ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      depth--;
    }
  };
}
