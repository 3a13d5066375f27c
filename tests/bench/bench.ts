// `npm run bench [-- --rows N] [-- --customers N]`: throughput, seconds per step and peak RSS.
// Uses DATABASE_URL (a Postgres server; a scratch database is created and dropped on it) or the
// embedded PGlite. Figures are printed, never asserted.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { writeOrderLines } from '../../src/generate/order-lines.js';

const { values } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, customers: { type: 'string', default: '1000000' }, only: { type: 'string' } },
});
const here = fileURLToPath(new URL('.', import.meta.url));
const ONLINE_RETAIL = fileURLToPath(new URL('../../../shared/data/online_retail.csv', import.meta.url));
const adminUrl = process.env.DATABASE_URL;
const work = mkdtempSync(join(tmpdir(), 'insiders-bench-'));

interface Measured {
  step: string;
  seconds?: number;
  peakRssMb: number;
  [key: string]: unknown;
}

/** Runs one measured step in a child process against the given database. */
function measure(args: string[], env: Record<string, string | undefined>): Measured {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'measure.ts'), ...args], {
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as Measured;
}

/** A scratch database (Postgres) or PGlite folder; returns its env and a cleanup. */
async function scratchDatabase(name: string): Promise<{ env: Record<string, string | undefined>; drop: () => Promise<void> }> {
  if (!adminUrl) {
    const home = join(work, name);
    return { env: { DATABASE_URL: '', INSIDERS_HOME: home }, drop: async () => rmSync(home, { recursive: true, force: true }) };
  }
  const db = `insiders_bench_${name}_${process.pid}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  return {
    env: { DATABASE_URL: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}

const fmt = (n: number, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function line(label: string, m: Measured, extra = ''): void {
  process.stdout.write(`${label.padEnd(34)} ${fmt(m.seconds ?? 0, 2).padStart(8)} s   peak RSS ${String(m.peakRssMb).padStart(5)} MB   ${extra}\n`);
}

async function ingestAndTransform(label: string, file: string, rows: number, withNightly: boolean): Promise<void> {
  const mb = statSync(file).size / 2 ** 20;
  const db = await scratchDatabase(label.replace(/\W+/g, '_').toLowerCase());
  try {
    const env = { ...db.env, SOURCE_URI: file };
    const ing = measure(['job', 'ingest'], env);
    line(`${label}: ingest`, ing, `${fmt(rows / ing.seconds! / 1000, 0)}k rows/s, ${fmt(mb / ing.seconds!)} MB/s (${fmt(mb)} MB)`);
    const tr = measure(['job', 'transform'], env);
    line(`${label}: transform`, tr, `${fmt(rows / tr.seconds! / 1000, 0)}k rows/s`);
    if (withNightly) {
      const again = await scratchDatabase(`${label.replace(/\W+/g, '_').toLowerCase()}_n`);
      try {
        const n = measure(['job', 'nightly'], { ...again.env, SOURCE_URI: file });
        line(`${label}: nightly (fresh database)`, n, 'ingest → … → publish');
      } finally {
        await again.drop();
      }
    }
  } finally {
    await db.drop();
  }
}

process.stdout.write(`warehouse: ${adminUrl ? adminUrl.replace(/\/\/[^@]*@/, '//') : 'embedded PGlite'}; node ${process.version}\n`);
try {
  const only = values.only;
  const floor = await scratchDatabase('baseline');
  try {
    line('process floor (modules loaded)', measure(['baseline'], floor.env));
  } finally {
    await floor.drop();
  }
  if (!only || only === 'generated') {
    const rows = Number(values.rows);
    const file = join(work, `generated-${rows}.csv`);
    const started = performance.now();
    await writeOrderLines({ rows, seed: 1 }, file);
    process.stdout.write(`generated ${fmt(rows, 0)} rows in ${fmt((performance.now() - started) / 1000, 1)} s\n`);
    await ingestAndTransform(`generated ${fmt(rows / 1e6, 1)}M rows`, file, rows, false);
    rmSync(file);
  }
  if ((!only || only === 'online-retail') && existsSync(ONLINE_RETAIL)) {
    await ingestAndTransform('Online Retail', ONLINE_RETAIL, 541_909, true);
  }
  if (!only || only === 'models') {
    const customers = Number(values.customers);
    const db = await scratchDatabase('segment');
    try {
      measure(['seed-customers', String(customers)], db.env);
      const job = measure(['job', 'segment', '2011-12-09'], db.env);
      line(`segment job, ${fmt(customers / 1e6, 1)}M customers`, job, 'read, cluster, explain, COPY back');
    } finally {
      await db.drop();
    }
    const seg = measure(['segment-models', String(customers)], {});
    line(`segment models, ${fmt(customers / 1e6, 1)}M customers`, seg, `k = ${String(seg.k)}`);
    const clv = measure(['clv-models', String(customers)], {});
    line(`CLV models, ${fmt(customers / 1e6, 1)}M customers`, { ...clv, seconds: (clv.fitSeconds as number) + (clv.scoreSeconds as number) },
      `fit ${fmt(clv.fitSeconds as number, 2)} s (BG/NBD ${String(clv.bgnbd)}, Gamma-Gamma ${String(clv.gammaGamma)}), score ${fmt(clv.scoreSeconds as number, 2)} s`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
