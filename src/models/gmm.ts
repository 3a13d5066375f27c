/** A Gaussian mixture with diagonal covariances, parameters row-major (k × dims). */
export interface GaussianMixture {
  weights: Float64Array;
  means: Float64Array;
  variances: Float64Array;
  /** Total log-likelihood of the points under the fitted mixture. */
  logLikelihood: number;
  iterations: number;
  /** Most probable component per point. */
  labels: Uint8Array;
}

export interface GaussianMixtureOptions {
  maxIterations?: number;
  /** Stop when the mean log-likelihood per point improves by less than this (scikit-learn's default). */
  tolerance?: number;
  /** Added to every variance so a component collapsing onto one point cannot divide by zero. */
  regularisation?: number;
}

const LOG_2PI = Math.log(2 * Math.PI);

/** E step: responsibilities in place, returns the total log-likelihood. */
function expectation(points: Float64Array, dims: number, model: GaussianMixture, resp: Float64Array): number {
  const { weights, means, variances } = model;
  const k = weights.length;
  const n = points.length / dims;
  // Per-component constants hoisted out of the per-point loop: log weight − ½Σ log(2π·var), 1/var.
  const constant = new Float64Array(k);
  const precision = new Float64Array(k * dims);
  for (let c = 0; c < k; c++) {
    let value = Math.log(weights[c]!);
    for (let d = 0; d < dims; d++) {
      const v = variances[c * dims + d]!;
      value -= 0.5 * (LOG_2PI + Math.log(v));
      precision[c * dims + d] = 1 / v;
    }
    constant[c] = value;
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) {
      let squared = 0;
      for (let d = 0; d < dims; d++) {
        squared += (points[i * dims + d]! - means[c * dims + d]!) ** 2 * precision[c * dims + d]!;
      }
      const logp = constant[c]! - 0.5 * squared;
      resp[i * k + c] = logp;
      if (logp > max) max = logp;
    }
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(resp[i * k + c]! - max);
    const logSum = max + Math.log(sum);
    for (let c = 0; c < k; c++) resp[i * k + c] = Math.exp(resp[i * k + c]! - logSum);
    total += logSum;
  }
  return total;
}

/** M step: weights, means and variances from the responsibilities. */
function maximisation(
  points: Float64Array,
  dims: number,
  model: GaussianMixture,
  resp: Float64Array,
  reg: number,
): void {
  const { weights, means, variances } = model;
  const k = weights.length;
  const n = points.length / dims;
  for (let c = 0; c < k; c++) {
    let mass = 0;
    const mean = new Float64Array(dims);
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + c]!;
      mass += r;
      for (let d = 0; d < dims; d++) mean[d]! += r * points[i * dims + d]!;
    }
    // A component that lost all its points keeps its last parameters rather than becoming NaN.
    if (mass < 1e-10) continue;
    const variance = new Float64Array(dims);
    for (let d = 0; d < dims; d++) mean[d]! /= mass;
    for (let i = 0; i < n; i++) {
      const r = resp[i * k + c]!;
      for (let d = 0; d < dims; d++) variance[d]! += r * (points[i * dims + d]! - mean[d]!) ** 2;
    }
    weights[c] = mass / n;
    for (let d = 0; d < dims; d++) {
      means[c * dims + d] = mean[d]!;
      variances[c * dims + d] = variance[d]! / mass + reg;
    }
  }
}

/**
 * Fits a diagonal Gaussian mixture by EM, starting from a hard partition (as scikit-learn
 * starts from k-means): deterministic, so no seed is needed beyond the one behind `initialLabels`.
 */
export function fitGaussianMixture(
  points: Float64Array,
  dims: number,
  initialLabels: ArrayLike<number>,
  k: number,
  options: GaussianMixtureOptions = {},
): GaussianMixture {
  const { maxIterations = 100, tolerance = 1e-3, regularisation = 1e-6 } = options;
  const n = points.length / dims;
  const resp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) resp[i * k + initialLabels[i]!] = 1;
  const model: GaussianMixture = {
    weights: new Float64Array(k).fill(1 / k),
    means: new Float64Array(k * dims),
    variances: new Float64Array(k * dims).fill(1),
    logLikelihood: -Infinity,
    iterations: 0,
    labels: new Uint8Array(n),
  };
  maximisation(points, dims, model, resp, regularisation);
  while (model.iterations < maxIterations) {
    const logLikelihood = expectation(points, dims, model, resp);
    model.iterations++;
    const improved = (logLikelihood - model.logLikelihood) / n;
    model.logLikelihood = logLikelihood;
    if (improved < tolerance) break;
    maximisation(points, dims, model, resp, regularisation);
  }
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (resp[i * k + c]! > resp[i * k + best]!) best = c;
    model.labels[i] = best;
  }
  return model;
}
