import { kmeans } from 'ml-kmeans';

import { orderByValue, type Standardisation } from './cluster-names.js';
import { fitGaussianMixture } from './gmm.js';
import { mulberry32, sampleIndices } from './random.js';
import { featureColumn, type CustomerFeatures, type FeatureKey } from './rfm-scores.js';
import { assignNearest, clusterMeans, inertia, silhouetteScore } from './silhouette.js';

export type ClusterMethod = 'kmeans' | 'gmm';

/** One fitted candidate, for the model-metrics table and the elbow view (both on the sample). */
export interface ModelScore {
  method: ClusterMethod;
  k: number;
  silhouette: number;
  /** Within-cluster sum of squares on the sample, in standardised units. */
  inertia: number;
}

export interface BehaviouralOptions {
  seed: number;
  kMin?: number;
  kMax?: number;
  /** Customers the candidates are fitted and scored on; silhouette costs O(sample²). */
  sampleSize?: number;
  /**
   * Adds log1p(tenure days) as a fourth feature. Off by default: tenure mostly restates recency
   * plus the purchase span, so it would weigh "how long ago" twice against F and M.
   */
  includeTenure?: boolean;
  /** k-means++ starts per k; the lowest inertia wins. */
  restarts?: number;
}

export interface BehaviouralClustering {
  k: number;
  features: FeatureKey[];
  standardisation: Standardisation;
  /** Centroids in standardised units; cluster id = index, ordered from highest value score. */
  centroids: number[][];
  /** The same centroids in log1p units, the form to keep for the next run's naming. */
  centroidsLog1p: number[][];
  /** Cluster id per customer, aligned with the input rows. */
  labels: Uint8Array;
  sizes: number[];
  scores: ModelScore[];
  sampleSize: number;
}

/** log1p features, standardised in place; negative inputs (net refunds) count as 0. */
function standardisedFeatures(
  rows: readonly CustomerFeatures[],
  features: readonly FeatureKey[],
): { points: Float64Array; standardisation: Standardisation } {
  const dims = features.length;
  const n = rows.length;
  const points = new Float64Array(n * dims);
  const standardisation: Standardisation = { mean: [], sd: [] };
  features.forEach((key, d) => {
    const column = featureColumn(rows, key);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const x = Math.log1p(Math.max(0, column[i]!));
      points[i * dims + d] = x;
      sum += x;
    }
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (points[i * dims + d]! - mean) ** 2;
    // A constant feature carries no information; sd 1 keeps it at 0 instead of dividing by zero.
    const sd = Math.sqrt(squares / n) || 1;
    for (let i = 0; i < n; i++) points[i * dims + d] = (points[i * dims + d]! - mean) / sd;
    standardisation.mean.push(mean);
    standardisation.sd.push(sd);
  });
  return { points, standardisation };
}

function rowsOf(points: Float64Array, dims: number): number[][] {
  return Array.from({ length: points.length / dims }, (_, i) => Array.from(points.subarray(i * dims, (i + 1) * dims)));
}

/** Best of the seeded k-means++ runs on the sample, by inertia. */
function fitKmeans(
  sample: number[][],
  samplePoints: Float64Array,
  k: number,
  seeds: readonly number[],
): { labels: number[]; centroids: number[][]; inertia: number } {
  let best: { labels: number[]; centroids: number[][]; inertia: number } | undefined;
  const dims = sample[0]!.length;
  for (const seed of seeds) {
    const result = kmeans(sample, k, { seed, initialization: 'kmeans++' });
    const cost = inertia(samplePoints, dims, result.clusters, Float64Array.from(result.centroids.flat()));
    if (best === undefined || cost < best.inertia) {
      best = { labels: result.clusters, centroids: result.centroids, inertia: cost };
    }
  }
  return best!;
}

/**
 * Behavioural segments: k-means on standardised log1p(recency, frequency, monetary), k chosen
 * by silhouette over kMin..kMax on a seeded sample, a diagonal Gaussian mixture scored beside it,
 * then every customer assigned to the nearest k-means centroid. Cost is bounded by the sample
 * plus O(n·k) for the assignment.
 */
export function behaviouralClusters(
  rows: readonly CustomerFeatures[],
  options: BehaviouralOptions,
): BehaviouralClustering {
  const { seed, kMin = 2, kMax = 10, sampleSize = 5000, includeTenure = false, restarts = 3 } = options;
  const features: FeatureKey[] = ['recencyDays', 'frequency', 'monetary'];
  if (includeTenure) features.push('tenureDays');
  const dims = features.length;
  const { points, standardisation } = standardisedFeatures(rows, features);

  const sampled = sampleIndices(rows.length, sampleSize, seed);
  const samplePoints = new Float64Array(sampled.length * dims);
  sampled.forEach((row, i) => samplePoints.set(points.subarray(row * dims, (row + 1) * dims), i * dims));
  const sample = rowsOf(samplePoints, dims);
  const distinct = new Set(sample.map((p) => p.join(','))).size;
  const kTop = Math.min(kMax, distinct, sample.length - 1, 255);
  if (kTop < kMin) {
    throw new RangeError(
      `clustering needs ${kMin + 1} customers, ${kMin} of them with distinct features; ` +
        `got ${rows.length}, ${distinct} distinct`,
    );
  }

  const random = mulberry32(seed);
  const scores: ModelScore[] = [];
  let chosen: { k: number; silhouette: number; centroids: number[][] } | undefined;
  for (let k = kMin; k <= kTop; k++) {
    const seeds = Array.from({ length: restarts }, () => Math.floor(random() * 2 ** 31));
    const fit = fitKmeans(sample, samplePoints, k, seeds);
    const silhouette = silhouetteScore(samplePoints, dims, fit.labels, k);
    scores.push({ method: 'kmeans', k, silhouette, inertia: fit.inertia });
    // Strictly greater: on a tie the smaller k wins.
    if (chosen === undefined || silhouette > chosen.silhouette) chosen = { k, silhouette, centroids: fit.centroids };

    const mixture = fitGaussianMixture(samplePoints, dims, fit.labels, k);
    const mixtureMeans = clusterMeans(samplePoints, dims, mixture.labels, k);
    scores.push({
      method: 'gmm',
      k,
      silhouette: silhouetteScore(samplePoints, dims, mixture.labels, k),
      inertia: inertia(samplePoints, dims, mixture.labels, mixtureMeans),
    });
  }

  // Cluster ids follow value order, so id 0 is the most valuable cluster on every run.
  const centroids = orderByValue(chosen!.centroids).map((i) => chosen!.centroids[i]!);
  const labels = assignNearest(points, dims, Float64Array.from(centroids.flat()));
  const sizes = new Array<number>(centroids.length).fill(0);
  for (const label of labels) sizes[label]!++;
  return {
    k: chosen!.k,
    features,
    standardisation,
    centroids,
    centroidsLog1p: centroids.map((c) => c.map((z, d) => z * standardisation.sd[d]! + standardisation.mean[d]!)),
    labels,
    sizes,
    scores,
    sampleSize: sampled.length,
  };
}
