import { copyRows } from '../src/db/copy-rows.js';
import { readSql } from '../src/db/sql-files.js';
import { resolveAsOf } from '../src/marts/as-of.js';
import { clearSnapshot } from '../src/marts/snapshots.js';
import {
  behaviouralClusters,
  explainClusters,
  nameClusters,
  perDimensionClusters,
  VALUE_TIERS,
  type ClusterSnapshot,
  type CustomerFeatures,
} from '../src/models/index.js';
import type { Job } from '../src/runtime/job-runner.js';

// Fixed so a rerun reproduces the same clusters; changing it is a model change, not a rerun.
const SEED = 20111209;
// Customers k is chosen on: silhouette costs O(sample²) for each of 18 candidates, and 2,500 is
// enough to rank k (the full population is then assigned to the chosen centroids).
const SILHOUETTE_SAMPLE = 2500;

interface CentroidRow {
  as_of: string;
  cluster: number;
  cluster_name: string;
  recency_log1p: number;
  frequency_log1p: number;
  monetary_log1p: number;
}

/** Summary of a segment run. */
export interface SegmentSummary {
  readonly asOf: string;
  readonly customers: number;
  readonly k: number;
  readonly silhouette: number;
  readonly clusters: ReadonlyArray<{ name: string; customers: number; keptFrom: string | null }>;
  readonly fidelity: number;
  readonly rules: readonly string[];
}

/** Per-dimension clusters, behavioural clusters with stable names, and the tree that explains them. */
export const segment: Job<SegmentSummary> = {
  name: 'segment',
  async run(ctx) {
    const { session } = ctx;
    const asOf = await resolveAsOf(ctx);
    await ctx.step('read');
    const features = await session.query<CustomerFeatures>(readSql('customers/rfm_for_segmenting.sql'), [asOf]);
    if (features.length === 0) throw new Error(`no RFM snapshot for ${asOf}: run "insiders run rfm --as-of ${asOf}" first`);

    await ctx.step('cluster');
    const perDimension = perDimensionClusters(features, { seed: SEED });
    const behaviour = behaviouralClusters(features, { seed: SEED, sampleSize: SILHOUETTE_SAMPLE });
    const previousRows = await session.query<CentroidRow>(readSql('customers/previous_centroids.sql'), [asOf]);
    const previous: ClusterSnapshot | undefined = previousRows.length > 0
      ? {
          centroidsLog1p: previousRows.map((c) => [c.recency_log1p, c.frequency_log1p, c.monetary_log1p]),
          names: previousRows.map((c) => c.cluster_name),
        }
      : undefined;
    const naming = nameClusters({
      centroidsLog1p: behaviour.centroidsLog1p,
      standardisation: behaviour.standardisation,
      ...(previous ? { previous } : {}),
    });
    await ctx.step('explain');
    const explanation = explainClusters(features, behaviour.labels, naming.names, { seed: SEED });
    const chosen = behaviour.scores.find((s) => s.method === 'kmeans' && s.k === behaviour.k);

    await ctx.step('publish');
    await session.transaction(async () => {
      for (const table of ['marts.customer_clusters', 'marts.cluster_centroids', 'marts.cluster_rules'] as const) {
        await clearSnapshot(session, table, asOf);
      }
      await clearSnapshot(session, 'marts.segment_summary', asOf, { column: 'kind', values: ['cluster', 'value_tier'] });
      await clearSnapshot(session, 'marts.model_metrics', asOf, { column: 'model', values: ['kmeans', 'gmm', 'cluster_tree'] });
      await copyRows(
        session,
        'marts.customer_clusters',
        ['as_of', 'customer_id', 'cluster', 'cluster_name', 'r_cluster', 'f_cluster', 'm_cluster', 'dimension_score', 'value_tier'],
        // A generator, so rows are built as COPY takes them rather than all at once.
        (function* () {
          for (let i = 0; i < features.length; i++) {
            const cluster = behaviour.labels[i]!;
            yield [
              asOf, features[i]!.customerId, cluster, naming.names[cluster]!, perDimension.recency.cluster[i]!,
              perDimension.frequency.cluster[i]!, perDimension.monetary.cluster[i]!, perDimension.score[i]!,
              VALUE_TIERS[perDimension.tier[i]!]!,
            ];
          }
        })(),
      );
      await copyRows(
        session,
        'marts.cluster_centroids',
        ['as_of', 'cluster', 'cluster_name', 'customers', 'recency_log1p', 'frequency_log1p', 'monetary_log1p'],
        behaviour.centroidsLog1p.map((c, k) => [asOf, k, naming.names[k]!, behaviour.sizes[k]!, c[0]!, c[1]!, c[2]!]),
      );
      await copyRows(
        session,
        'marts.cluster_rules',
        ['as_of', 'rule_no', 'rule', 'cluster_name', 'customers', 'correct'],
        explanation.rules.map((r, i) => [asOf, i + 1, r.text, r.name, r.customers, r.correct]),
      );
      await copyRows(
        session,
        'marts.model_metrics',
        ['as_of', 'model', 'metric', 'value', 'detail'],
        [
          ...behaviour.scores.flatMap((s) => [
            [asOf, s.method, `silhouette_k${s.k}`, s.silhouette, JSON.stringify({ k: s.k, sample: behaviour.sampleSize })],
            [asOf, s.method, `inertia_k${s.k}`, s.inertia, JSON.stringify({ k: s.k, sample: behaviour.sampleSize })],
          ]),
          [asOf, 'kmeans', 'chosen_k', behaviour.k, JSON.stringify({ silhouette: chosen?.silhouette ?? null })],
          [asOf, 'cluster_tree', 'fidelity', explanation.fidelity, JSON.stringify({ trainedOn: explanation.trainedOn })],
        ],
      );
      await session.query(readSql('customers/segment_summary_clusters.sql'), [asOf]);
    });
    const clusters = naming.names.map((name, k) => ({
      name,
      customers: behaviour.sizes[k]!,
      keptFrom: naming.keptFrom[k] !== null && previous ? previous.names[naming.keptFrom[k]!]! : null,
    }));
    ctx.log.info('segment.published', { as_of: asOf, k: behaviour.k, fidelity: Number(explanation.fidelity.toFixed(3)) });
    return {
      asOf,
      customers: features.length,
      k: behaviour.k,
      silhouette: chosen?.silhouette ?? Number.NaN,
      clusters,
      fidelity: explanation.fidelity,
      rules: explanation.rules.map((r) => r.text),
    };
  },
};
