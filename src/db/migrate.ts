import { sql } from 'kysely';
import { Migrator, type Migration, type MigrationProvider, type MigrationResultSet } from 'kysely/migration';
import type { Session } from './session.js';
import { listSqlFiles } from './sql-files.js';

/** Numbered, forward-only `.sql` migrations from `sql/migrations/`. */
class SqlMigrationProvider implements MigrationProvider {
  async getMigrations(): Promise<Record<string, Migration>> {
    return Object.fromEntries(
      listSqlFiles('migrations').map((file) => [
        file.name.replace(/^migrations\//, '').replace(/\.sql$/, ''),
        { up: async (db) => void (await sql.raw(file.text).execute(db)) },
      ]),
    );
  }
}

/** Applies pending migrations under the Migrator's lock; returns the names applied. */
export async function migrate(session: Session): Promise<string[]> {
  const migrator = new Migrator({
    db: session.db,
    provider: new SqlMigrationProvider(),
    migrationTableSchema: 'ops',
  });
  await session.exec('CREATE SCHEMA IF NOT EXISTS ops');
  const { error, results }: MigrationResultSet = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
