// Gamma-Gamma model of spend per transaction (Fader, Hardie & Lee 2005, "RFM and CLV: Using
// Iso-Value Curves for Customer Base Analysis", JMR 42(4); Hardie's note 025), hand-written: no
// JavaScript library implements it. Spend per transaction z ~ Gamma(p, ν), ν ~ Gamma(q, γ) across
// customers; the data are each repeat customer's x and mean spend m̄ over those x transactions.

import { degradedReason, SEARCH_PATTERNS, searchThenPolish, toLogSpace } from './optimize.js';
import type { FitStatus, Minimum, SecondOrder } from './optimize.js';
import { digamma, lnGamma, trigamma } from './special.js';
import { TupleIndex } from './tuple-index.js';

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

/** A customer's repeat purchase count and mean spend over those purchases (0 when x = 0). */
export interface SpendRow {
  x: number;
  monetaryValue: number;
}

/** Distinct (x, m̄) pairs of customers with x > 0 and m̄ > 0, with counts. */
export interface SpendPatterns {
  x: Float64Array;
  m: Float64Array;
  weight: Float64Array;
}

export interface GammaGammaFit {
  params: GammaGammaParams;
  /** Σ ln f(m̄ | p, q, γ, x), the density of the mean spend (Hardie note 025 eq. 1a; lifetimes' definition). */
  logLikelihood: number;
  customers: number;
  status: FitStatus;
  reason: string | null;
}

export interface GammaGammaFitOptions {
  /** L2 penalty on (p, q, γ) per customer, as lifetimes' penalizer_coef. */
  penalizer?: number;
}

/** Keeps the customers the model is fitted on (x > 0, m̄ > 0) as distinct (x, m̄) patterns with counts. */
export function compressSpendPatterns(rows: readonly SpendRow[]): SpendPatterns {
  const index = new TupleIndex(2, Math.min(rows.length, 1 << 16));
  const weight: number[] = [];
  for (let i = 0; i < rows.length; i++) {
    const { x, monetaryValue } = rows[i]!;
    if (!Number.isInteger(x) || x < 0 || !Number.isFinite(monetaryValue)) {
      throw new RangeError(`row ${i}: need a non-negative integer x and a finite monetary value, got x=${x}, m=${monetaryValue}`);
    }
    if (x === 0 || monetaryValue <= 0) continue;
    const id = index.id(x, monetaryValue);
    weight[id] = (weight[id] ?? 0) + 1;
  }
  return { x: index.column(0), m: index.column(1), weight: Float64Array.from(weight) };
}

/** Patterns as given (x a positive count, m̄ > 0, weights ≥ 0, all finite), or compressed from rows. */
function asPatterns(input: readonly SpendRow[] | SpendPatterns): SpendPatterns {
  if (!('weight' in input)) return compressSpendPatterns(input);
  const { x, m, weight } = input;
  if (m.length !== x.length || weight.length !== x.length) throw new RangeError('pattern columns x, m and weight must have the same length');
  for (let k = 0; k < x.length; k++) {
    const ok = Number.isInteger(x[k]!) && x[k]! > 0 && m[k]! > 0 && weight[k]! >= 0 && Number.isFinite(m[k]! + weight[k]!);
    if (!ok) {
      throw new RangeError(`pattern ${k}: need an integer x > 0, a finite m̄ > 0 and a finite weight ≥ 0, got ${x[k]}, ${m[k]}, ${weight[k]}`);
    }
  }
  return input;
}

/** Patterns with x as an index into the distinct x values and ln m̄ precomputed. */
interface Prepared {
  customers: number;
  weight: Float64Array;
  m: Float64Array;
  lnM: Float64Array;
  xSlot: Int32Array;
  xValues: Float64Array;
}

function prepare(d: SpendPatterns, keep: (k: number) => boolean = () => true): Prepared {
  const xIndex = new Map<number, number>();
  const picked = Array.from({ length: d.x.length }, (_, k) => k).filter(keep);
  const xSlot = Int32Array.from(picked, (k) => {
    const x = d.x[k]!;
    if (!xIndex.has(x)) xIndex.set(x, xIndex.size);
    return xIndex.get(x)!;
  });
  const weight = Float64Array.from(picked, (k) => d.weight[k]!);
  let customers = 0;
  for (const w of weight) customers += w;
  const m = Float64Array.from(picked, (k) => d.m[k]!);
  return { customers, weight, m, lnM: m.map(Math.log), xSlot, xValues: Float64Array.from(xIndex.keys()) };
}

/**
 * Σ w·ln f(m̄ | x), f = Γ(px+q)/(Γ(px)Γ(q)) · γ^q m̄^(px−1) x^(px) / (γ + x m̄)^(px+q).
 * The gamma terms depend only on x, so they are computed once per distinct x.
 */
function preparedLogLikelihood(params: GammaGammaParams, d: Prepared): number {
  const { p, q, gamma } = params;
  const head = d.xValues.map((x) => lnGamma(p * x + q) - lnGamma(p * x) + p * x * Math.log(x));
  let total = d.customers * (q * Math.log(gamma) - lnGamma(q));
  for (let k = 0; k < d.weight.length; k++) {
    const xk = d.xSlot[k]!;
    const x = d.xValues[xk]!;
    total += d.weight[k]! * (head[xk]! + (p * x - 1) * d.lnM[k]! - (p * x + q) * Math.log(gamma + x * d.m[k]!));
  }
  return total;
}

/** Log-likelihood with its gradient and Hessian in (p, q, γ), for Newton steps. */
function preparedSecondOrder(params: GammaGammaParams, d: Prepared): { ll: number; g: number[]; h: number[][] } {
  const { p, q, gamma } = params;
  const n = d.customers;
  let ll = n * (q * Math.log(gamma) - lnGamma(q));
  let gp = 0, gq = n * (Math.log(gamma) - digamma(q)), gg = (n * q) / gamma;
  let hpp = 0, hpq = 0, hpg = 0, hqq = -n * trigamma(q), hqg = n / gamma, hgg = (-n * q) / (gamma * gamma);
  const perX = Array.from(d.xValues, (x) => {
    const px = p * x;
    const lnX = Math.log(x);
    const psiSum = digamma(px + q);
    const triSum = trigamma(px + q);
    return {
      head: lnGamma(px + q) - lnGamma(px) + px * lnX,
      dp: x * (psiSum - digamma(px) + lnX),
      dq: psiSum,
      dpp: x * x * (triSum - trigamma(px)),
      dpq: x * triSum,
      dqq: triSum,
    };
  });
  for (let k = 0; k < d.weight.length; k++) {
    const w = d.weight[k]!;
    const xk = d.xSlot[k]!;
    const t = perX[xk]!;
    const x = d.xValues[xk]!;
    const s = p * x + q;
    const denominator = gamma + x * d.m[k]!;
    const lnD = Math.log(denominator);
    const inv = 1 / denominator;
    ll += w * (t.head + (p * x - 1) * d.lnM[k]! - s * lnD);
    gp += w * (t.dp + x * (d.lnM[k]! - lnD));
    gq += w * (t.dq - lnD);
    gg -= w * s * inv;
    hpp += w * t.dpp;
    hpq += w * t.dpq;
    hqq += w * t.dqq;
    hpg -= w * x * inv;
    hqg -= w * inv;
    hgg += w * s * inv * inv;
  }
  return { ll, g: [gp, gq, gg], h: [[hpp, hpq, hpg], [hpq, hqq, hqg], [hpg, hqg, hgg]] };
}

/** Total (weighted) Gamma-Gamma log-likelihood of the mean spends under `params`. */
export function gammaGammaLogLikelihood(params: GammaGammaParams, input: readonly SpendRow[] | SpendPatterns): number {
  return preparedLogLikelihood(params, prepare(asPatterns(input)));
}

/**
 * Method-of-moments start on the log scale, where heavy-tailed spend is tame. Given x,
 * ln m̄ = ln(mean of x Gamma(p) draws) − ln ν, so Var(ln m̄ | x) = ψ′(px) + ψ′(q) ≈ 1/(p x) + 1/(q − ½):
 * regressing the within-x variance of ln m̄ on 1/x gives slope 1/p and intercept 1/(q − ½), and the
 * mean spend pγ/(q−1) gives γ. Plain guesses stand in where the regression is not usable.
 */
function momentStart(d: SpendPatterns): GammaGammaParams {
  const groups = new Map<number, { w: number; s1: number; s2: number }>();
  let n = 0;
  let sumM = 0;
  for (let k = 0; k < d.x.length; k++) {
    const w = d.weight[k]!;
    const l = Math.log(d.m[k]!);
    const g = groups.get(d.x[k]!) ?? { w: 0, s1: 0, s2: 0 };
    g.w += w;
    g.s1 += w * l;
    g.s2 += w * l * l;
    groups.set(d.x[k]!, g);
    n += w;
    sumM += w * d.m[k]!;
  }
  let sw = 0, su = 0, sy = 0, suu = 0, suy = 0;
  for (const [x, g] of groups) {
    if (g.w < 2) continue;
    const variance = (g.s2 - (g.s1 * g.s1) / g.w) / (g.w - 1);
    const dof = g.w - 1;
    sw += dof;
    su += dof / x;
    sy += dof * variance;
    suu += dof / (x * x);
    suy += (dof * variance) / x;
  }
  const varU = sw > 0 ? suu / sw - (su / sw) ** 2 : 0;
  const slope = varU > 1e-12 ? (suy / sw - (su / sw) * (sy / sw)) / varU : Number.NaN;
  const p = slope > 0 ? 1 / slope : 10;
  const intercept = sw > 0 ? sy / sw - su / sw / p : Number.NaN;
  const q = intercept > 0 ? Math.max(1 / intercept + 0.5, 1.1) : 3;
  return { p, q, gamma: ((sumM / n) * (q - 1)) / p };
}

/** Search box for (ln p, ln(q−1), ln γ); see the BG/NBD fit for the same convention. */
const LOG_BOUND = Math.log(1e10);
const LOG_EDGE = Math.log(1e8);
const NAMES = ['p', 'q', 'gamma'] as const;

/** q is searched as 1 + e^θ: q > 1 keeps the population mean spend pγ/(q−1) finite (lifetimes' q_constraint). */
function toTheta(params: GammaGammaParams): number[] {
  return [Math.log(params.p), Math.log(params.q - 1), Math.log(params.gamma)];
}

function toParams(theta: readonly number[]): GammaGammaParams {
  return { p: Math.exp(theta[0]!), q: 1 + Math.exp(theta[1]!), gamma: Math.exp(theta[2]!) };
}


const insideBox = (theta: readonly number[]): boolean => theta.every((v) => Math.abs(v) < LOG_EDGE);
const acceptable = (m: Minimum): boolean => insideBox(m.x);

/**
 * Maximum-likelihood Gamma-Gamma fit on customers with x > 0 and m̄ > 0 over log-parameters:
 * Nelder–Mead started from moment estimates (so the start has the data's spend scale, whatever the
 * currency) finds the basin, on a stride subsample when there are many patterns; damped Newton with the analytic Hessian
 * polishes it on all of them, with Nelder–Mead on all of them as the fallback. A fit that did not
 * converge or ran to the edge of the search box comes back 'degraded'.
 */
export function fitGammaGamma(input: readonly SpendRow[] | SpendPatterns, options: GammaGammaFitOptions = {}): GammaGammaFit {
  const data = asPatterns(input);
  const penalizer = options.penalizer ?? 0;
  const prepared = prepare(data);
  const n = prepared.customers;
  if (n === 0) throw new RangeError('fitGammaGamma: no customers with x > 0 and a positive monetary value');
  const penalty = (params: GammaGammaParams): number => penalizer * (params.p ** 2 + params.q ** 2 + params.gamma ** 2);
  const objective = (d: Prepared) => (theta: readonly number[]): number => {
    if (theta.some((v) => Math.abs(v) > LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const params = toParams(theta);
    return -preparedLogLikelihood(params, d) / d.customers + penalty(params);
  };
  const secondOrder = (theta: readonly number[]): SecondOrder => {
    const params = toParams(theta);
    const values = [params.p, params.q, params.gamma];
    const at = preparedSecondOrder(params, prepared);
    const { g, h } = toLogSpace(at.g, at.h, [params.p, params.q - 1, params.gamma]);
    // The penalty's θ-derivatives: pᵢ² has gradient 2pᵢvᵢ and curvature 2vᵢ² + 2pᵢvᵢ, vᵢ = ∂pᵢ/∂θᵢ.
    const v = [params.p, params.q - 1, params.gamma];
    return {
      f: -at.ll / n + penalty(params),
      g: g.map((gi, i) => -gi / n + 2 * penalizer * values[i]! * v[i]!),
      h: h.map((row, i) => row.map((hij, j) => -hij / n + (i === j ? 2 * penalizer * (v[i]! ** 2 + values[i]! * v[i]!) : 0))),
    };
  };
  const moments = momentStart(data);
  const mean = (moments.p * moments.gamma) / (moments.q - 1);
  const starts = [moments, { p: 1, q: 2, gamma: mean }, { p: 10, q: 5, gamma: (4 * mean) / 10 }]
    .filter((s) => s.p > 0 && s.q > 1 && s.gamma > 0 && Number.isFinite(s.p + s.q + s.gamma))
    .map((s) => toTheta(s).map((v) => Math.max(-LOG_EDGE, Math.min(LOG_EDGE, v))));
  const full = objective(prepared);
  const patterns = data.x.length;
  const stride = Math.ceil(patterns / SEARCH_PATTERNS);
  const search = stride > 1 ? objective(prepare(data, (k) => k % stride === 0)) : full;
  const best = searchThenPolish(full, search, secondOrder, starts, acceptable);
  const params = toParams(best?.x ?? starts[0]!);
  const logLikelihood = preparedLogLikelihood(params, prepared);
  const reason = degradedReason(best, LOG_EDGE, NAMES, logLikelihood);
  return { params, logLikelihood, customers: n, status: reason === null ? 'converged' : 'degraded', reason };
}

/**
 * E[spend per transaction | x, m̄] = (pγ + p x m̄)/(p x + q − 1) (note 025 eq. 5); for x = 0 (or no
 * positive spend) the population mean pγ/(q−1), which needs q > 1.
 */
export function expectedOrderValue(params: GammaGammaParams, x: number, mValue: number): number {
  const { p, q, gamma } = params;
  if (!(p > 0 && q > 1 && gamma > 0) || !Number.isFinite(p + q + gamma)) {
    throw new RangeError(`Gamma-Gamma parameters need p > 0, q > 1, γ > 0 (finite), got p=${p}, q=${q}, γ=${gamma}`);
  }
  if (x > 0 && mValue > 0) return (p * gamma + p * x * mValue) / (p * x + q - 1);
  return (p * gamma) / (q - 1);
}
