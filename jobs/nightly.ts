import { runJobOnSession, type Job, type JobContext } from '../src/runtime/job-runner.js';
import { ingest } from './ingest.js';
import { rfm } from './rfm.js';
import { segment } from './segment.js';
import { transform } from './transform.js';

/** The jobs of the nightly chain, in order. */
export const NIGHTLY_CHAIN: readonly Job[] = [ingest, transform, rfm, segment];

/** Summary of a nightly run: each job's summary by name. */
export type NightlySummary = Record<string, object>;

/** Runs the chain in order on one session and stops at the first failure. */
export const nightly: Job<NightlySummary> = {
  name: 'nightly',
  async run(ctx: JobContext) {
    const summaries: NightlySummary = {};
    for (const job of NIGHTLY_CHAIN) {
      await ctx.step(job.name);
      const outcome = await runJobOnSession(ctx.session, job, {
        config: ctx.config, log: ctx.log, asOf: ctx.asOf, source: ctx.source,
      });
      if (outcome.status === 'skipped') throw new Error(`${job.name} is already running in another process`);
      summaries[job.name] = outcome.summary;
    }
    return summaries;
  },
};
