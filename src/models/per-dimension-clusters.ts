import { mulberry32, type Random } from './random.js';
import { featureColumn, type CustomerFeatures } from './rfm-scores.js';

/** 1-D clusters of one feature; cluster numbers ascend with the feature's goodness. */
export interface DimensionClusters {
  /** Centroid of each cluster number, in the feature's own units. */
  centroids: number[];
  /** Cluster number per customer, aligned with the input rows. */
  cluster: Uint8Array;
}

export const VALUE_TIERS = ['Low', 'Mid', 'High'] as const;
export type ValueTier = (typeof VALUE_TIERS)[number];

export interface PerDimensionClustering {
  recency: DimensionClusters;
  frequency: DimensionClusters;
  monetary: DimensionClusters;
  /** Sum of the three cluster numbers per customer. */
  score: Uint16Array;
  maxScore: number;
  /** Lowest score of the Mid and of the High tier. */
  thresholds: { mid: number; high: number };
  /** Index into VALUE_TIERS per customer. */
  tier: Uint8Array;
}

export interface PerDimensionOptions {
  seed: number;
  k?: number;
  /** k-means++ restarts per dimension; the lowest within-cluster sum of squares wins. */
  restarts?: number;
}

/** Sorted values with prefix sums, so a cluster's mean and cost are O(1) for any index range. */
interface SortedColumn {
  sorted: Float64Array;
  sum: Float64Array;
  sumSq: Float64Array;
}

function sortColumn(values: Float64Array): SortedColumn {
  const sorted = Float64Array.from(values).sort();
  const sum = new Float64Array(sorted.length + 1);
  const sumSq = new Float64Array(sorted.length + 1);
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i]!;
    sum[i + 1] = sum[i]! + v;
    sumSq[i + 1] = sumSq[i]! + v * v;
  }
  return { sorted, sum, sumSq };
}

/** First index whose value is ≥ x. */
function lowerBound(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function kmeansPlusPlus1d(sorted: Float64Array, k: number, random: Random): number[] {
  const centres = [sorted[Math.floor(random() * sorted.length)]!];
  const nearest = new Float64Array(sorted.length).fill(Infinity);
  while (centres.length < k) {
    const last = centres[centres.length - 1]!;
    let total = 0;
    for (let i = 0; i < sorted.length; i++) {
      const d = (sorted[i]! - last) ** 2;
      if (d < nearest[i]!) nearest[i] = d;
      total += nearest[i]!;
    }
    let target = random() * total;
    let pick = -1;
    // Rounding can leave target ≥ 0 after the scan: fall back to the last point not yet a centre.
    for (let i = 0; i < sorted.length && target >= 0; i++) {
      if (nearest[i]! > 0) pick = i;
      target -= nearest[i]!;
    }
    centres.push(sorted[pick]!);
  }
  return centres.sort((a, b) => a - b);
}

/** Lloyd iterations in 1-D: clusters are contiguous ranges of the sorted values. */
function lloyd1d(column: SortedColumn, start: number[]): { centroids: number[]; cost: number } {
  const { sorted, sum, sumSq } = column;
  const k = start.length;
  let centroids = start;
  const ends = new Array<number>(k).fill(sorted.length);
  for (let iteration = 0; iteration < 300; iteration++) {
    for (let j = 0; j < k - 1; j++) ends[j] = lowerBound(sorted, (centroids[j]! + centroids[j + 1]!) / 2);
    const next = centroids.map((c, j) => {
      const from = j === 0 ? 0 : ends[j - 1]!;
      const to = ends[j]!;
      return to > from ? (sum[to]! - sum[from]!) / (to - from) : c;
    });
    const moved = next.some((c, j) => c !== centroids[j]);
    centroids = next;
    if (!moved) break;
  }
  let cost = 0;
  for (let j = 0; j < k; j++) {
    const from = j === 0 ? 0 : ends[j - 1]!;
    const to = ends[j]!;
    if (to > from) cost += sumSq[to]! - sumSq[from]! - (sum[to]! - sum[from]!) ** 2 / (to - from);
  }
  return { centroids, cost };
}

/**
 * Seeded 1-D k-means. Centroids come back ascending and `cluster` holds each value's index
 * into them. With fewer distinct values than k, k shrinks to the number of distinct values.
 */
export function kmeans1d(values: Float64Array, k: number, seed: number, restarts = 4): DimensionClusters {
  if (values.length === 0) throw new RangeError('1-D k-means needs at least one value');
  const column = sortColumn(values);
  let distinct = 1;
  for (let i = 1; i < column.sorted.length && distinct < k; i++) {
    if (column.sorted[i] !== column.sorted[i - 1]) distinct++;
  }
  const random = mulberry32(seed);
  let best: { centroids: number[]; cost: number } | undefined;
  for (let attempt = 0; attempt < restarts; attempt++) {
    const fit = lloyd1d(column, kmeansPlusPlus1d(column.sorted, Math.min(k, distinct), random));
    if (best === undefined || fit.cost < best.cost) best = fit;
  }
  const centroids = best!.centroids;
  const bounds = centroids.slice(1).map((c, j) => (centroids[j]! + c) / 2);
  const cluster = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let j = 0;
    while (j < bounds.length && values[i]! >= bounds[j]!) j++;
    cluster[i] = j;
  }
  return { centroids, cluster };
}

/** Re-number ascending clusters so the best (lowest) value gets the highest number. */
function reverse(clusters: DimensionClusters): DimensionClusters {
  const top = clusters.centroids.length - 1;
  return {
    centroids: [...clusters.centroids].reverse(),
    cluster: clusters.cluster.map((c) => top - c),
  };
}

/**
 * The classic per-dimension segmentation: 1-D k-means on recency, frequency and monetary
 * separately, cluster numbers ordered so higher is better (fewer recency days is better),
 * score = their sum. Tiers: Low below a third of the maximum score, High from five ninths of
 * it, Mid between — the usual 0–2 / 3–4 / 5–9 split when k = 4.
 */
export function perDimensionClusters(
  rows: readonly CustomerFeatures[],
  options: PerDimensionOptions,
): PerDimensionClustering {
  const { seed, k = 4, restarts = 4 } = options;
  if (!Number.isInteger(k) || k < 2 || k > 255) throw new RangeError(`k must be an integer 2..255, got ${k}`);
  const recency = reverse(kmeans1d(featureColumn(rows, 'recencyDays'), k, seed, restarts));
  const frequency = kmeans1d(featureColumn(rows, 'frequency'), k, seed + 1, restarts);
  const monetary = kmeans1d(featureColumn(rows, 'monetary'), k, seed + 2, restarts);
  const maxScore = recency.centroids.length + frequency.centroids.length + monetary.centroids.length - 3;
  const thresholds = { mid: Math.ceil(maxScore / 3), high: Math.ceil((5 * maxScore) / 9) };
  const score = new Uint16Array(rows.length);
  const tier = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const s = recency.cluster[i]! + frequency.cluster[i]! + monetary.cluster[i]!;
    score[i] = s;
    tier[i] = s >= thresholds.high ? 2 : s >= thresholds.mid ? 1 : 0;
  }
  return { recency, frequency, monetary, score, maxScore, thresholds, tier };
}
