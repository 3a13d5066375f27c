import { join } from 'node:path';
import { DASHBOARDS } from '../infra/metabase/dashboards.js';
import type { Session } from '../src/db/session.js';
import { writeReportFile, type ReportSummary } from '../src/publish/report.js';
import type { Job } from '../src/runtime/job-runner.js';

/** Where and for which date to write the report. */
export interface WriteReportOptions {
  /** Last day included (YYYY-MM-DD); the latest snapshot when absent. */
  readonly asOf?: string | undefined;
  readonly outDir: string;
}

/** Writes the static HTML report of every dashboard for one as-of date; returns its path and counts. */
export function writeReport(session: Session, options: WriteReportOptions): Promise<ReportSummary> {
  return writeReportFile(session, DASHBOARDS, options);
}

/** A report job writing under outDir; without one, under `<INSIDERS_HOME>/report/` (`.insiders/report/`). */
export function createReportJob(outDir?: string): Job<ReportSummary> {
  return {
    name: 'report',
    async run(ctx) {
      await ctx.step('render');
      const summary = await writeReport(ctx.session, { asOf: ctx.asOf, outDir: outDir ?? join(ctx.config.home, 'report') });
      if (!ctx.asOf && summary.asOf) await ctx.recordAsOf(summary.asOf);
      ctx.log.info('report.written', { path: summary.path, as_of: summary.asOf ?? 'none', charts: summary.charts, cards: summary.cards });
      return summary;
    },
  };
}

/** The report job with its default output folder. */
export const report: Job<ReportSummary> = createReportJob();
