import { resolveAsOf } from '../src/marts/as-of.js';
import { runDataTests } from '../src/quality/data-tests.js';
import { runJobOnSession, type Job, type JobContext } from '../src/runtime/job-runner.js';
import { clv } from './clv.js';
import { ingest } from './ingest.js';
import { insiders } from './insiders.js';
import { publish } from './publish.js';
import { report } from './report.js';
import { rfm } from './rfm.js';
import { segment } from './segment.js';
import { transform } from './transform.js';

/** The jobs that rebuild the marts; they publish together in one transaction. */
export const MART_JOBS: readonly Job[] = [transform, rfm, segment, clv, insiders];

/** Summary of a nightly run: the as-of date, each job's summary by name, the data tests passed. */
export interface NightlySummary {
  readonly asOf: string;
  readonly jobs: Readonly<Record<string, object>>;
  readonly dataTests: readonly string[];
}

async function runStep(ctx: JobContext, job: Job, asOf: string | undefined): Promise<object> {
  await ctx.step(job.name);
  const outcome = await runJobOnSession(ctx.session, job, {
    config: ctx.config, log: ctx.log, asOf, source: ctx.source, nested: true,
  });
  if (outcome.status === 'skipped') throw new Error(`${job.name} is already running in another process`);
  return outcome.summary;
}

/**
 * ingest → (transform → rfm → segment → clv → insiders → data tests) → report → publish.
 * The bracketed part is one transaction: dashboards see the previous snapshot until every mart of
 * the new one is built and its data tests pass; any failure stops the run and publishes nothing.
 */
export const nightly: Job<NightlySummary> = {
  name: 'nightly',
  async run(ctx) {
    const jobs: Record<string, object> = {};
    jobs.ingest = await runStep(ctx, ingest, ctx.asOf);
    const { asOf, dataTests } = await ctx.session.transaction(async () => {
      jobs.transform = await runStep(ctx, transform, ctx.asOf);
      const resolved = await resolveAsOf(ctx);
      for (const job of MART_JOBS.slice(1)) jobs[job.name] = await runStep(ctx, job, resolved);
      await ctx.step('data tests');
      const { passed } = await runDataTests(ctx.session, resolved);
      ctx.log.info('nightly.data_tests_passed', { as_of: resolved, tests: passed.length });
      return { asOf: resolved, dataTests: passed };
    });
    jobs.report = await runStep(ctx, report, asOf);
    jobs.publish = await runStep(ctx, publish, asOf);
    return { asOf, jobs, dataTests };
  },
};
