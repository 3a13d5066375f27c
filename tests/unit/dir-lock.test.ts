import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { lockDirectory } from '../../src/db/dir-lock.js';

describe('embedded warehouse folder lock', () => {
  test('one holder at a time; released on close', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insiders-lock-'));
    const release = lockDirectory(dir);
    assert.equal(readFileSync(join(dir, 'insiders.pid'), 'utf8'), String(process.pid));
    assert.throws(() => lockDirectory(dir), new RegExp(`in use by process ${process.pid}; .*DATABASE_URL`));
    release();
    assert.equal(existsSync(join(dir, 'insiders.pid')), false);
    lockDirectory(dir)();
  });

  test('a lock held by another live process is refused, one left by a dead process is taken over', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'insiders-lock-'));
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, 'insiders.pid'), String(sleeper.pid));
      assert.throws(() => lockDirectory(dir), new RegExp(`in use by process ${sleeper.pid}`));
    } finally {
      sleeper.kill();
    }
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    writeFileSync(join(dir, 'insiders.pid'), gone.stdout);
    const release = lockDirectory(dir);
    assert.equal(readFileSync(join(dir, 'insiders.pid'), 'utf8'), String(process.pid));
    release();
  });
});
