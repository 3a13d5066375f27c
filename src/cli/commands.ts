import { clv } from '../../jobs/clv.js';
import { ingest } from '../../jobs/ingest.js';
import { insiders } from '../../jobs/insiders.js';
import { nightly } from '../../jobs/nightly.js';
import { publish } from '../../jobs/publish.js';
import { report } from '../../jobs/report.js';
import { rfm } from '../../jobs/rfm.js';
import { segment } from '../../jobs/segment.js';
import { transform } from '../../jobs/transform.js';
import type { Config } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openWarehouse } from '../db/open.js';
import type { Warehouse } from '../db/session.js';
import { runJob, type Job } from '../runtime/job-runner.js';
import { runSchedulerProcess } from '../../jobs/scheduler.js';
import { writeReport } from '../../jobs/report.js';
import { join } from 'node:path';
import type { Log } from '../runtime/log.js';
import { backfillDates, parseDate, type Every } from './dates.js';
import { runDemo } from './demo.js';
import { runGenerate } from './generate.js';
import { printStatus } from './status.js';

/** What every command receives. */
export interface CommandInput {
  readonly args: readonly string[];
  readonly options: Readonly<Record<string, string | boolean | undefined>>;
  readonly config: Config;
  readonly log: Log;
}

type Command = (input: CommandInput) => Promise<number>;

/** Jobs runnable by name with `insiders run`. */
export const JOBS: Readonly<Record<string, Job>> = { ingest, transform, rfm, segment, clv, insiders, report, publish, nightly };

/** Opens the warehouse, migrates it, runs fn (with the migrations just applied), and always closes it. */
export async function withWarehouse<T>(
  config: Config,
  fn: (warehouse: Warehouse, applied: readonly string[]) => Promise<T>,
): Promise<T> {
  const warehouse = await openWarehouse(config);
  try {
    const applied = await warehouse.withSession((session) => migrate(session));
    return await fn(warehouse, applied);
  } finally {
    await warehouse.close();
  }
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  migrate: ({ config, log }) =>
    withWarehouse(config, async (_warehouse, applied) => {
      log.info('migrate.done', { applied: applied.length === 0 ? 'none (up to date)' : applied.join(',') });
      process.stdout.write(applied.length === 0 ? 'migrations: up to date\n' : `migrations applied: ${applied.join(', ')}\n`);
      return 0;
    }),

  async run(input) {
    const [name] = input.args;
    const job = name ? JOBS[name] : undefined;
    if (!job) throw new Error(`run needs a job name: one of ${Object.keys(JOBS).join(', ')}`);
    const asOf = parseDate(stringOption(input, 'as-of'), 'as-of');
    const from = parseDate(stringOption(input, 'from'), 'from');
    const to = parseDate(stringOption(input, 'to'), 'to');
    const every = stringOption(input, 'every') ?? 'day';
    if (every !== 'day' && every !== 'week' && every !== 'month') throw new Error('--every must be day, week or month');
    if ((from === undefined) !== (to === undefined)) throw new Error('a backfill needs both --from and --to');
    if (from && asOf) throw new Error('use either --as-of or --from/--to, not both');
    const dates: Array<string | undefined> = from && to ? backfillDates(from, to, every as Every) : [asOf];
    return withWarehouse(input.config, async (warehouse) => {
      for (const date of dates) {
        const outcome = await runJob(warehouse, job, {
          config: input.config, log: input.log, asOf: date, source: stringOption(input, 'source'),
        });
        const label = `${job.name}${date ? ` ${date}` : ''}`;
        if (outcome.status === 'skipped') {
          process.stdout.write(`${label}: skipped, ${outcome.reason} (run ${outcome.runId})\n`);
        } else {
          process.stdout.write(`${label}: succeeded in ${outcome.seconds.toFixed(1)} s (run ${outcome.runId})\n`);
        }
      }
      return 0;
    });
  },

  async report(input) {
    const asOf = parseDate(stringOption(input, 'as-of'), 'as-of');
    const outDir = stringOption(input, 'out') ?? join(input.config.home, 'report');
    return withWarehouse(input.config, async (warehouse) => {
      const result = await warehouse.withSession((s) => writeReport(s, { asOf, outDir }));
      process.stdout.write(`report: ${result.path} (${result.cards} cards, ${result.charts} charts, as_of ${result.asOf ?? 'none'})\n`);
      return 0;
    });
  },

  async schedule({ config, log }) {
    const warehouse = await openWarehouse(config);
    await warehouse.withSession((session) => migrate(session));
    return runSchedulerProcess({
      cron: config.cron,
      log,
      runNightly: () => runJob(warehouse, nightly, { config, log }),
      close: () => warehouse.close(),
    });
  },

  generate: (input) => runGenerate(input),
  demo: (input) => runDemo(input),
  status: (input) => withWarehouse(input.config, (warehouse) => printStatus(warehouse)),
};
