import { copyRows } from '../src/db/copy-rows.js';
import { readSql } from '../src/db/sql-files.js';
import { resolveAsOf } from '../src/marts/as-of.js';
import { clearSnapshot } from '../src/marts/snapshots.js';
import { assignSegments, rfmScores, type CustomerFeatures, type SegmentName } from '../src/models/index.js';
import type { Job } from '../src/runtime/job-runner.js';

interface FeatureRow {
  customer_id: string;
  country: string;
  recency_days: number;
  frequency: number;
  monetary: number;
  first_purchase: string;
  last_purchase: string;
  x: number;
  t_x: number;
  t: number;
  monetary_value: number;
}

/** Summary of an rfm run. */
export interface RfmSummary {
  readonly asOf: string;
  readonly customers: number;
  readonly segments: Readonly<Record<string, number>>;
}

/** Customer metrics, R/F/M scores and named segments for one as_of, replacing that snapshot whole. */
export const rfm: Job<RfmSummary> = {
  name: 'rfm',
  async run(ctx) {
    const { session } = ctx;
    const asOf = await resolveAsOf(ctx);
    await ctx.step('features');
    const rows = await session.query<FeatureRow>(readSql('customers/customer_features.sql'), [asOf]);
    await ctx.step('scores');
    const features: CustomerFeatures[] = rows.map((r) => ({
      customerId: r.customer_id, recencyDays: r.recency_days, frequency: r.frequency, monetary: r.monetary,
    }));
    const scores = rfmScores(features);
    const segments: SegmentName[] = assignSegments(scores);
    await ctx.step('publish');
    await session.transaction(async () => {
      await clearSnapshot(session, 'marts.segment_transitions', asOf);
      await clearSnapshot(session, 'marts.segment_summary', asOf, { column: 'kind', values: ['rfm'] });
      await clearSnapshot(session, 'marts.customer_rfm', asOf);
      await copyRows(
        session,
        'marts.customer_rfm',
        ['as_of', 'customer_id', 'country', 'recency_days', 'frequency', 'monetary', 'first_purchase', 'last_purchase',
          'r_score', 'f_score', 'm_score', 'segment', 'x', 't_x', 't', 'monetary_value'],
        (function* () {
          for (const [i, r] of rows.entries()) {
            yield [
              asOf, r.customer_id, r.country, r.recency_days, r.frequency, r.monetary, r.first_purchase, r.last_purchase,
              scores.r[i]!, scores.f[i]!, scores.m[i]!, segments[i]!, r.x, r.t_x, r.t, r.monetary_value,
            ];
          }
        })(),
      );
      await session.query(readSql('customers/segment_summary_rfm.sql'), [asOf]);
      await session.query(readSql('customers/segment_transitions.sql'), [asOf]);
    });
    const counts: Record<string, number> = {};
    for (const s of segments) counts[s] = (counts[s] ?? 0) + 1;
    ctx.log.info('rfm.published', { as_of: asOf, customers: rows.length });
    return { asOf, customers: rows.length, segments: counts };
  },
};
