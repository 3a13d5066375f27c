import type { Session } from '../db/session.js';

/** The per-as_of marts; each is replaced whole for an as_of. */
export const SNAPSHOT_TABLES = [
  'marts.customer_rfm',
  'marts.customer_clusters',
  'marts.cluster_centroids',
  'marts.cluster_rules',
  'marts.customer_clv',
  'marts.clv_models',
  'marts.clv_calibration',
  'marts.model_metrics',
  'marts.insiders',
  'marts.insiders_changes',
  'marts.segment_summary',
  'marts.segment_transitions',
] as const;
export type SnapshotTable = (typeof SNAPSHOT_TABLES)[number];

/** Deletes one as_of's rows of a snapshot table (optionally only rows matching `column = value`). */
export async function clearSnapshot(
  session: Session,
  table: SnapshotTable,
  asOf: string,
  only?: { column: 'kind' | 'model'; values: readonly string[] },
): Promise<void> {
  if (only) {
    await session.query(`DELETE FROM ${table} WHERE as_of = $1::date AND ${only.column} = ANY($2::text[])`, [asOf, [...only.values]]);
  } else {
    await session.query(`DELETE FROM ${table} WHERE as_of = $1::date`, [asOf]);
  }
}
