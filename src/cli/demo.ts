import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { nightly } from '../../jobs/nightly.js';
import { readSql } from '../db/sql-files.js';
import { writeOrderLines } from '../generate/order-lines.js';
import { runJob } from '../runtime/job-runner.js';
import { withWarehouse, type CommandInput } from './commands.js';

const SAMPLE_ROWS = 100_000;
const SAMPLE_SEED = 42;

interface RunSummary {
  rows_read: number;
  rows_loaded: number;
  rows_rejected: number;
  customers: number;
  net_revenue: number;
  first_day: string | null;
  last_day: string | null;
}

interface InsidersRow {
  members: number;
  customers: number;
  revenue: number;
  total_revenue: number;
}

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** The generated sample file, written once under the home folder. */
async function ensureSample(home: string): Promise<string> {
  const path = join(home, 'sample', `orders-${SAMPLE_ROWS}-seed${SAMPLE_SEED}.csv`);
  if (!existsSync(path)) {
    mkdirSync(join(home, 'sample'), { recursive: true });
    await writeOrderLines({ rows: SAMPLE_ROWS, seed: SAMPLE_SEED }, path);
  }
  return path;
}

/** `insiders demo` (`npm start`): sample data (or SOURCE_URI) → nightly → a short summary. */
export async function runDemo(input: CommandInput): Promise<number> {
  const { config, log } = input;
  const source = config.sourceUri ?? (await ensureSample(config.home));
  return withWarehouse(config, async (warehouse) => {
    process.stdout.write(`warehouse: ${warehouse.label}\nsource:    ${source}\n`);
    const outcome = await runJob(warehouse, nightly, { config, log, source });
    if (outcome.status === 'skipped') {
      process.stdout.write(`nightly skipped: ${outcome.reason}\n`);
      return 0;
    }
    const { asOf } = outcome.summary;
    const reportPath = (outcome.summary.jobs.report as { path?: string } | undefined)?.path;
    const [summary, rules, members, segments] = await warehouse.withSession(async (s) => [
      (await s.query<RunSummary>(readSql('reports/run_summary.sql')))[0]!,
      await s.query<{ rule: string; rows: number }>(readSql('reports/rule_counts.sql')),
      (await s.query<InsidersRow>(readSql('reports/insiders_summary.sql'), [asOf]))[0]!,
      await s.query<{ segment: string; customers: number; revenue_share: number }>(readSql('reports/top_segments.sql'), [asOf]),
    ] as const);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    const lines = [
      '',
      `nightly finished in ${outcome.seconds.toFixed(1)} s, as of ${asOf}`,
      `rows read ${fmt(summary.rows_read)} = loaded ${fmt(summary.rows_loaded)} + rejected ${fmt(summary.rows_rejected)}`,
      `customers ${fmt(summary.customers)}, net product revenue ${fmt(summary.net_revenue, 2)} (${summary.first_day} .. ${summary.last_day})`,
      'cleaning rules (rows):',
      ...rules.map((r) => `  ${r.rule.padEnd(22)} ${fmt(r.rows).padStart(12)}`),
      `Insiders: ${fmt(members.members)} of ${fmt(members.customers)} customers (${pct(members.members / Math.max(1, members.customers))}), ` +
        `${pct(members.revenue / (members.total_revenue || 1))} of revenue`,
      'top segments by revenue:',
      ...segments.slice(0, 5).map((g) => `  ${g.segment.padEnd(20)} ${fmt(g.customers).padStart(7)} customers  ${pct(g.revenue_share).padStart(6)} of revenue`),
      `report: ${reportPath ?? '(not written)'}`,
      '',
    ];
    process.stdout.write(lines.join('\n'));
    return 0;
  });
}
