/**
 * Cluster-quality measures on points stored row-major in one Float64Array
 * (point i occupies [i·dims, (i + 1)·dims)), so large samples cost no per-point objects.
 */

/**
 * Mean silhouette coefficient (Euclidean). A point alone in its cluster scores 0, as in
 * scikit-learn. O(n²·dims) time and O(n·k) memory: callers pass a bounded sample. Distances are
 * recomputed per call rather than kept in an n² matrix (50 MB at 5,000 points) that saves little.
 */
export function silhouetteScore(points: Float64Array, dims: number, labels: ArrayLike<number>, k: number): number {
  const n = labels.length;
  if (points.length !== n * dims) throw new RangeError(`${points.length / dims} points but ${n} labels`);
  const counts = new Float64Array(k);
  for (let i = 0; i < n; i++) counts[labels[i]!]!++;
  // distanceSums[i·k + c] = Σ distance from point i to the points of cluster c; each pair once.
  const distanceSums = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const li = labels[i]!;
    const oi = i * dims;
    for (let j = i + 1; j < n; j++) {
      const oj = j * dims;
      let squared = 0;
      for (let d = 0; d < dims; d++) {
        const diff = points[oi + d]! - points[oj + d]!;
        squared += diff * diff;
      }
      const distance = Math.sqrt(squared);
      distanceSums[i * k + labels[j]!]! += distance;
      distanceSums[j * k + li]! += distance;
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const own = labels[i]!;
    if (counts[own]! <= 1) continue;
    const a = distanceSums[i * k + own]! / (counts[own]! - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) {
      if (c !== own && counts[c]! > 0) b = Math.min(b, distanceSums[i * k + c]! / counts[c]!);
    }
    const scale = Math.max(a, b);
    if (Number.isFinite(b) && scale > 0) total += (b - a) / scale;
  }
  return total / n;
}

/** Within-cluster sum of squared distances to the given centroids (row-major, k × dims). */
export function inertia(
  points: Float64Array,
  dims: number,
  labels: ArrayLike<number>,
  centroids: Float64Array,
): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const oc = labels[i]! * dims;
    for (let d = 0; d < dims; d++) total += (points[i * dims + d]! - centroids[oc + d]!) ** 2;
  }
  return total;
}

/** Mean of each cluster's points (row-major, k × dims); an empty cluster's mean is NaN. */
export function clusterMeans(points: Float64Array, dims: number, labels: ArrayLike<number>, k: number): Float64Array {
  const means = new Float64Array(k * dims);
  const counts = new Float64Array(k);
  for (let i = 0; i < labels.length; i++) {
    const c = labels[i]!;
    counts[c]!++;
    for (let d = 0; d < dims; d++) means[c * dims + d]! += points[i * dims + d]!;
  }
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < dims; d++) means[c * dims + d]! /= counts[c]!;
  }
  return means;
}

/** Index of the nearest centroid (squared Euclidean) for every point: O(n·k·dims), no allocation per point. */
export function assignNearest(points: Float64Array, dims: number, centroids: Float64Array): Uint8Array {
  const n = points.length / dims;
  const k = centroids.length / dims;
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDistance = Infinity;
    for (let c = 0; c < k; c++) {
      let squared = 0;
      for (let d = 0; d < dims; d++) squared += (points[i * dims + d]! - centroids[c * dims + d]!) ** 2;
      if (squared < bestDistance) {
        bestDistance = squared;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}
