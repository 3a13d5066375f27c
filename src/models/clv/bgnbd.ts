// BG/NBD model (Fader, Hardie & Lee 2005, "Counting Your Customers the Easy Way", Marketing
// Science 24(2)), hand-written: no JavaScript library implements it. Times are in whatever unit
// the caller uses (days in the product, weeks in the paper); x counts repeat purchases.

import { asPatterns, checkBtydRow } from './btyd-patterns.js';
import type { BtydPatterns, BtydRow } from './btyd-patterns.js';
import { preparePatterns, preparedLogLikelihood, preparedSecondOrder, subsample } from './bgnbd-likelihood.js';
import type { BgNbdParams, PreparedPatterns } from './bgnbd-likelihood.js';
import { hyp2f1TimesPower } from './hyp2f1.js';
import { degradedReason, SEARCH_PATTERNS, searchThenPolish, toLogSpace } from './optimize.js';
import type { FitStatus, Minimum, SecondOrder } from './optimize.js';
import { softplus } from './special.js';

export { checkBtydRow, compressPatterns } from './btyd-patterns.js';
export type { BtydPatterns, BtydRow } from './btyd-patterns.js';
export type { BgNbdParams } from './bgnbd-likelihood.js';

export interface BgNbdFit {
  params: BgNbdParams;
  logLikelihood: number;
  customers: number;
  patterns: number;
  status: FitStatus;
  /** Why a degraded fit is suspect; null when converged. */
  reason: string | null;
}

export interface BgNbdFitOptions {
  /** L2 penalty on (r, α, a, b) per customer, as lifetimes' penalizer_coef (α in the internal time scale, longest T = 10). */
  penalizer?: number;
}

/** Total (weighted) BG/NBD log-likelihood (FHL 2005 eq. 6) of customers or patterns under `params`. */
export function bgnbdLogLikelihood(params: BgNbdParams, input: readonly BtydRow[] | BtydPatterns): number {
  return preparedLogLikelihood(params, preparePatterns(asPatterns(input)));
}

/** Parameters are searched in log space inside [e^−LOG_BOUND, e^LOG_BOUND]. */
const LOG_BOUND = Math.log(1e8);
/** A parameter within this of the box edge means the likelihood wanted to leave it: degraded. */
const LOG_EDGE = Math.log(1e6);
const NAMES = ['r', 'alpha', 'a', 'b'] as const;
/** lifetimes' start (all ones) first; others only when it fails. In the internal time scale. */
const STARTS = [
  [1, 1, 1, 1],
  [0.25, 4, 0.8, 2.5],
  [2, 0.5, 2, 8],
  [0.1, 10, 0.2, 1],
].map((s) => s.map(Math.log));

function toParams(theta: readonly number[], timeScale: number): BgNbdParams {
  const [r, alpha, a, b] = theta.map(Math.exp) as [number, number, number, number];
  return { r, alpha: alpha / timeScale, a, b };
}

const insideBox = (theta: readonly number[]): boolean => theta.every((v) => Math.abs(v) < LOG_EDGE);
const acceptable = (m: Minimum): boolean => insideBox(m.x);

/**
 * Maximum-likelihood BG/NBD fit over log-parameters on the distinct patterns: Nelder–Mead finds
 * the optimum's basin (on a stride subsample when there are many patterns), damped Newton with the
 * analytic Hessian polishes it on all patterns, and Nelder–Mead on all patterns from several starts
 * is the fallback if Newton fails. Times are rescaled internally so the longest T is 10 (as
 * lifetimes does); parameters come back in the caller's unit. Never returns NaN: a fit that did not
 * converge or ran to the edge of the search box is returned with status 'degraded' and a reason.
 */
export function fitBgNbd(input: readonly BtydRow[] | BtydPatterns, options: BgNbdFitOptions = {}): BgNbdFit {
  const data = asPatterns(input);
  const penalizer = options.penalizer ?? 0;
  let maxT = 0;
  for (const T of data.T) maxT = Math.max(maxT, T);
  const timeScale = maxT > 0 ? 10 / maxT : 1;
  const prepared = preparePatterns(data, timeScale);
  if (prepared.customers === 0) throw new RangeError('fitBgNbd: no customers to fit');
  const penalty = (p: readonly number[]): number => penalizer * p.reduce((s, v) => s + v * v, 0);
  const objective = (d: PreparedPatterns) => (theta: readonly number[]): number => {
    if (theta.some((v) => Math.abs(v) > LOG_BOUND)) return Number.POSITIVE_INFINITY;
    return -preparedLogLikelihood(toParams(theta, 1), d) / d.customers + penalty(theta.map(Math.exp));
  };
  const secondOrder = (theta: readonly number[]): SecondOrder => {
    const p = theta.map(Math.exp);
    const at = preparedSecondOrder(toParams(theta, 1), prepared);
    const { g, h } = toLogSpace(at.g, at.h, p);
    const n = prepared.customers;
    return {
      f: -at.ll / n + penalty(p),
      g: g.map((v, i) => -v / n + 2 * penalizer * p[i]! ** 2),
      h: h.map((row, i) => row.map((v, j) => -v / n + (i === j ? 4 * penalizer * p[i]! ** 2 : 0))),
    };
  };
  const full = objective(prepared);
  const patterns = data.x.length;
  const search = patterns > SEARCH_PATTERNS ? objective(subsample(prepared, Math.ceil(patterns / SEARCH_PATTERNS))) : full;
  const best = searchThenPolish(full, search, secondOrder, STARTS, acceptable);
  const theta = best?.x ?? STARTS[0]!;
  const params = toParams(theta, timeScale);
  const logLikelihood = bgnbdLogLikelihood(params, data);
  const reason = degradedReason(best, LOG_EDGE, NAMES, logLikelihood);
  return { params, logLikelihood, customers: prepared.customers, patterns, status: reason === null ? 'converged' : 'degraded', reason };
}

/** Throws RangeError unless every parameter is finite and positive (e.g. parameters read back from storage). */
export function checkBgNbdParams(params: BgNbdParams): void {
  for (const key of NAMES) {
    const v = params[key];
    if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`BG/NBD parameter ${key} must be finite and > 0, got ${v}`);
  }
}

/** P(alive at T | x, t_x, T): 1 for x = 0, else 1/(1 + a/(b+x−1)·((α+T)/(α+t_x))^(r+x)). */
export function pAlive(params: BgNbdParams, x: number, tx: number, T: number): number {
  checkBgNbdParams(params);
  if (x === 0) return 1;
  const { r, alpha, a, b } = params;
  const u = Math.log(a) - Math.log(b + x - 1) + (r + x) * Math.log1p((T - tx) / (alpha + tx));
  return Math.exp(-softplus(u));
}

/**
 * (a+b+x−1)/(a−1)·[1 − ((α+T)/(α+T+t))^(r+x)·2F1(r+x, b+x; a+b+x−1; z)], z = t/(α+T+t), with the
 * 2F1 taken through Euler's transformation: the product equals (1−z)^(a−1)·2F1(a+b−1−r, a−1; a+b+x−1; z),
 * whose parameters stay small however large x is.
 */
function aliveExpectation(p: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = p;
  const z = t / (alpha + T + t);
  const shape = a - 1;
  const c = a + b + x - 1;
  const g = hyp2f1TimesPower(a + b - 1 - r, shape, c, z, shape);
  return (c / shape) * (1 - g);
}

/** Distance from a = 1 (or a + b + x = 1) inside which the removable 0/0 is interpolated. */
const SINGULAR = 1e-3;

/**
 * Expected purchases in the next t for a customer who is still alive, i.e. E[Y(t) | x, t_x, T] / P(alive);
 * it depends on x and T but not on t_x. Near a = 1 the formula is 0/0 with a finite limit, so the
 * value there is cubic interpolation in a through points ±SINGULAR and ±2·SINGULAR away.
 */
export function expectedPurchasesIfAlive(params: BgNbdParams, t: number, x: number, T: number): number {
  checkBgNbdParams(params);
  if (!(t >= 0) || !Number.isFinite(t)) throw new RangeError(`horizon t must be finite and ≥ 0, got ${t}`);
  if (t === 0) return 0;
  const { a, b } = params;
  const singularAt = Math.abs(a - 1) < SINGULAR ? 1 : Math.abs(a + b + x - 1) < SINGULAR ? 1 - b - x : null;
  if (singularAt === null) return aliveExpectation(params, t, x, T);
  const offset = a - singularAt;
  const nodes = [-2, -1, 1, 2].map((k) => k * SINGULAR);
  let value = 0;
  for (const sk of nodes) {
    let weight = 1;
    for (const sj of nodes) if (sj !== sk) weight *= (offset - sj) / (sk - sj);
    value += weight * aliveExpectation({ ...params, a: singularAt + sk }, t, x, T);
  }
  return value;
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t periods (FHL 2005 eq. 10). */
export function expectedPurchases(params: BgNbdParams, t: number, x: number, tx: number, T: number): number {
  checkBtydRow({ x, tx, T }, 'customer');
  return pAlive(params, x, tx, T) * expectedPurchasesIfAlive(params, t, x, T);
}

/** E[X(t)]: expected repeat purchases in (0, t] for a customer first seen at 0 (FHL 2005 eq. 9). */
export function expectedPurchasesUnconditional(params: BgNbdParams, t: number): number {
  return expectedPurchasesIfAlive(params, t, 0, 0);
}
