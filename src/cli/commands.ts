import { ingest } from '../../jobs/ingest.js';
import { nightly } from '../../jobs/nightly.js';
import { rfm } from '../../jobs/rfm.js';
import { segment } from '../../jobs/segment.js';
import { transform } from '../../jobs/transform.js';
import type { Config } from '../config.js';
import { migrate } from '../db/migrate.js';
import { openWarehouse } from '../db/open.js';
import type { Warehouse } from '../db/session.js';
import { runJob, type Job } from '../runtime/job-runner.js';
import type { Log } from '../runtime/log.js';
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
export const JOBS: Readonly<Record<string, Job>> = { ingest, transform, rfm, segment, nightly };

const AS_OF = /^\d{4}-\d{2}-\d{2}$/;

/** Opens the warehouse, migrates it, runs fn, and always closes it. */
export async function withWarehouse<T>(config: Config, fn: (warehouse: Warehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(config);
  try {
    await warehouse.withSession((session) => migrate(session));
    return await fn(warehouse);
  } finally {
    await warehouse.close();
  }
}

function stringOption(input: CommandInput, name: string): string | undefined {
  const value = input.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** Validates --as-of: a real calendar date. */
export function parseAsOf(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!AS_OF.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)) || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new Error(`--as-of ${JSON.stringify(value)} is not a date in YYYY-MM-DD form`);
  }
  return value;
}

export const COMMANDS: Readonly<Record<string, Command>> = {
  async migrate({ config, log }) {
    const warehouse = await openWarehouse(config);
    try {
      const applied = await warehouse.withSession((session) => migrate(session));
      log.info('migrate.done', { applied: applied.length === 0 ? 'none (up to date)' : applied.join(',') });
      process.stdout.write(applied.length === 0 ? 'migrations: up to date\n' : `migrations applied: ${applied.join(', ')}\n`);
    } finally {
      await warehouse.close();
    }
    return 0;
  },

  async run(input) {
    const [name] = input.args;
    const job = name ? JOBS[name] : undefined;
    if (!job) throw new Error(`run needs a job name: one of ${Object.keys(JOBS).join(', ')}`);
    const asOf = parseAsOf(stringOption(input, 'as-of'));
    return withWarehouse(input.config, async (warehouse) => {
      const outcome = await runJob(warehouse, job, {
        config: input.config, log: input.log, asOf, source: stringOption(input, 'source'),
      });
      if (outcome.status === 'skipped') {
        process.stdout.write(`${job.name}: skipped, ${outcome.reason} (run ${outcome.runId})\n`);
        return 0;
      }
      process.stdout.write(`${job.name}: succeeded in ${outcome.seconds.toFixed(1)} s (run ${outcome.runId})\n`);
      return 0;
    });
  },

  generate: (input) => runGenerate(input),
  demo: (input) => runDemo(input),
  status: (input) => withWarehouse(input.config, (warehouse) => printStatus(warehouse)),
};
