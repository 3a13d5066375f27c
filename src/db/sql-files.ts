import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** The project's `sql/` folder. */
export const SQL_DIR = fileURLToPath(new URL('../../sql/', import.meta.url));

/** One SQL file: its path relative to `sql/` and its text. */
export interface SqlFile {
  readonly name: string;
  readonly text: string;
}

/** All `.sql` files below `sql/<folder>`, depth-first in name order (numbered files run in order). */
export function listSqlFiles(folder: string): SqlFile[] {
  const walk = (rel: string): SqlFile[] =>
    readdirSync(join(SQL_DIR, rel), { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))
      .flatMap((entry) => {
        const path = join(rel, entry.name);
        if (entry.isDirectory()) return walk(path);
        return entry.name.endsWith('.sql') ? [{ name: path, text: readFileSync(join(SQL_DIR, path), 'utf8') }] : [];
      });
  return walk(folder);
}

/** One named SQL file below `sql/`. */
export function readSql(name: string): string {
  return readFileSync(join(SQL_DIR, name), 'utf8');
}
