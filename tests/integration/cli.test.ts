import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, test } from 'node:test';

const BIN = fileURLToPath(new URL('../../bin/insiders.js', import.meta.url));

function cli(args: string[], env: Record<string, string> = {}) {
  const home = mkdtempSync(join(tmpdir(), 'insiders-cli-'));
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', INSIDERS_HOME: home, LOG_LEVEL: 'silent', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('command line', () => {
  test('--help prints the commands and exits 0', () => {
    const r = cli(['--help']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /run <job> --from D1 --to D2/);
    assert.match(r.stdout, /schedule/);
  });

  test('failures are one line on stderr and a non-zero exit', () => {
    for (const [args, env, pattern] of [
      [['frobnicate'], {}, /^insiders: unknown command "frobnicate"/],
      [['run'], {}, /^insiders: run needs a job name: one of ingest, transform/],
      [['run', 'rfm', '--as-of', '2011-02-30'], {}, /^insiders: --as-of "2011-02-30" is not a date/],
      [['migrate'], { DATABASE_URL: 'mysql://nope' }, /^insiders: DATABASE_URL: must be a postgres/],
      [['run', 'ingest', '--source', '/nonexistent.csv'], {}, /^insiders: job ingest failed at step list \(run \d+\): source \/nonexistent\.csv does not exist/],
      [['generate', '--rows', 'ten', '--out', '/tmp/x.csv'], {}, /^insiders: --rows must be a whole number/],
    ] as const) {
      const r = cli([...args], { ...env });
      assert.notEqual(r.code, 0, `${args.join(' ')} exits non-zero`);
      assert.match(r.stderr, pattern);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    }
  });

  test('generate writes the same bytes for the same seed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'insiders-gen-'));
    const digest = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    for (const name of ['a.csv', 'b.csv']) {
      const r = cli(['generate', '--rows', '2000', '--seed', '5', '--out', join(dir, name)]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /wrote 2,000 rows/);
    }
    assert.equal(digest(join(dir, 'a.csv')), digest(join(dir, 'b.csv')));
    assert.equal(readFileSync(join(dir, 'a.csv'), 'utf8').trimEnd().split('\n').length, 2001);
  });
});
