import { openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/** Whether a process with this id is running (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded database folder for this process: PGlite's files must never be opened by two
 * processes at once, and a Postgres advisory lock cannot see across them. A lock left by a process
 * that died is taken over. Returns the release function.
 */
export function lockDirectory(dir: string): () => void {
  const path = join(dir, 'insiders.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(path, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(
          `the embedded warehouse in ${dir} is in use by process ${holder}; wait for it, or set DATABASE_URL to share a Postgres server between processes`,
        );
      }
      rmSync(path, { force: true });
    }
  }
  throw new Error(`could not take the lock file ${path}`);
}
