// BG/NBD log-likelihood (Fader, Hardie & Lee 2005, eq. 6), hand-written, in log form and laid out
// for repeated evaluation by an optimiser: every pattern's x and times are indices into small
// per-evaluation tables, so each pattern costs one exp and one log.

import type { BtydPatterns } from './btyd-patterns.js';
import { softplus } from './special.js';

/** BG/NBD parameters: purchase rate λ ~ Gamma(r, α), drop-out probability p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

/** Patterns with their x and times replaced by indices into the distinct values. */
export interface PreparedPatterns {
  customers: number;
  weight: Float64Array;
  xSlot: Int32Array;
  tSlot: Int32Array;
  txSlot: Int32Array;
  /** Distinct x, ascending, and the customers having each. */
  xValues: Float64Array;
  xWeight: Float64Array;
  /** Distinct times (T and t_x together). */
  times: Float64Array;
}

function slots(values: Float64Array, distinct: Map<number, number>): Int32Array {
  const out = new Int32Array(values.length);
  for (let k = 0; k < values.length; k++) {
    const v = values[k]!;
    let at = distinct.get(v);
    if (at === undefined) {
      at = distinct.size;
      distinct.set(v, at);
    }
    out[k] = at;
  }
  return out;
}

/** Indexes patterns for fast evaluation; times are multiplied by `timeScale`. */
export function preparePatterns(p: BtydPatterns, timeScale = 1): PreparedPatterns {
  const xs = [...new Set(p.x)].sort((u, v) => u - v);
  const xIndex = new Map(xs.map((v, i) => [v, i]));
  const timeIndex = new Map<number, number>();
  const tSlot = slots(p.T.map((v) => v * timeScale), timeIndex);
  const txSlot = slots(p.tx.map((v) => v * timeScale), timeIndex);
  return withTotals({
    customers: 0,
    weight: p.weight,
    xSlot: Int32Array.from(p.x, (v) => xIndex.get(v)!),
    tSlot,
    txSlot,
    xValues: Float64Array.from(xs),
    xWeight: new Float64Array(xs.length),
    times: Float64Array.from(timeIndex.keys()),
  });
}

function withTotals(d: PreparedPatterns): PreparedPatterns {
  const xWeight = new Float64Array(d.xValues.length);
  let customers = 0;
  for (let k = 0; k < d.weight.length; k++) {
    customers += d.weight[k]!;
    xWeight[d.xSlot[k]!]! += d.weight[k]!;
  }
  return { ...d, customers, xWeight };
}

/** Every `stride`-th pattern (a deterministic, spread-out subsample for a first, cheap fit). */
export function subsample(d: PreparedPatterns, stride: number): PreparedPatterns {
  const keep = (_: number, k: number): boolean => k % stride === 0;
  const { weight, xSlot, tSlot, txSlot } = d;
  return withTotals({ ...d, weight: weight.filter(keep), xSlot: xSlot.filter(keep), tSlot: tSlot.filter(keep), txSlot: txSlot.filter(keep) });
}

/**
 * Weighted log-likelihood:
 *   ln L = ln Γ(r+x)/Γ(r) + r ln α + ln B(a, b+x)/B(a, b) − (r+x) ln(α+T)
 *          + [x>0]·softplus(ln a − ln(b+x−1) + (r+x)·(ln(α+T) − ln(α+t_x)))
 * Γ(r+x)/Γ(r) and B(a, b+x)/B(a, b) are sums of ln(r+i) and −log1p(a/(b+i)) over i < x rather than
 * differences of large log-gammas, which keeps full precision when b is large; the textbook product
 * a/(b+x−1)·((α+T)/(α+t_x))^(r+x) is never formed, so it cannot overflow. ln(α+T) − ln(α+t_x) comes
 * from a table of logs: its absolute error (~1e-16·ln(α+T)) is far below what moves the likelihood.
 */
export function preparedLogLikelihood(params: BgNbdParams, d: PreparedPatterns): number {
  const { r, alpha, a, b } = params;
  const xs = d.xValues;
  const lnOdds = new Float64Array(xs.length);
  let total = r * Math.log(alpha) * d.customers;
  let head = 0;
  let i = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    for (; i < x; i++) head += Math.log(r + i) - Math.log1p(a / (b + i));
    total += d.xWeight[k]! * head;
    lnOdds[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
  }
  const lnTime = d.times.map((t) => Math.log(alpha + t));
  for (let k = 0; k < d.weight.length; k++) {
    const xk = d.xSlot[k]!;
    const x = xs[xk]!;
    const lnT = lnTime[d.tSlot[k]!]!;
    let ll = -(r + x) * lnT;
    if (x > 0) ll += softplus(lnOdds[xk]! + (r + x) * (lnT - lnTime[d.txSlot[k]!]!));
    total += d.weight[k]! * ll;
  }
  return total;
}

/** Log-likelihood with its gradient and Hessian in (r, α, a, b), for Newton steps. */
export function preparedSecondOrder(params: BgNbdParams, d: PreparedPatterns): { ll: number; g: number[]; h: number[][] } {
  const { r, alpha, a, b } = params;
  const xs = d.xValues;
  const n = d.customers;
  // Gradient (gr, gα, ga, gb) and the upper triangle of the Hessian.
  let ll = n * r * Math.log(alpha);
  let gr = n * Math.log(alpha), gl = (n * r) / alpha, ga = 0, gb = 0;
  let hrr = 0, hrl = n / alpha, hra = 0, hrb = 0, hll = (-n * r) / (alpha * alpha), hla = 0, hlb = 0, haa = 0, hab = 0, hbb = 0;
  const lnOdds = new Float64Array(xs.length);
  const invB = new Float64Array(xs.length);
  let head = 0, dr = 0, drr = 0, da = 0, db = 0, daa = 0, dbb = 0;
  let i = 0;
  for (let k = 0; k < xs.length; k++) {
    const x = xs[k]!;
    for (; i < x; i++) {
      const u = 1 / (r + i), v = 1 / (b + i), w = 1 / (a + b + i);
      head += Math.log(r + i) - Math.log1p(a / (b + i));
      dr += u;
      drr -= u * u;
      da -= w;
      db += v - w;
      daa += w * w;
      dbb += w * w - v * v;
    }
    const wx = d.xWeight[k]!;
    ll += wx * head;
    gr += wx * dr;
    ga += wx * da;
    gb += wx * db;
    hrr += wx * drr;
    haa += wx * daa;
    hab += wx * daa;
    hbb += wx * dbb;
    lnOdds[k] = x > 0 ? Math.log(a) - Math.log(b + x - 1) : 0;
    invB[k] = x > 0 ? 1 / (b + x - 1) : 0;
  }
  const lnTime = d.times.map((t) => Math.log(alpha + t));
  const invTime = d.times.map((t) => 1 / (alpha + t));
  for (let k = 0; k < d.weight.length; k++) {
    const w = d.weight[k]!;
    const xk = d.xSlot[k]!;
    const x = xs[xk]!;
    const s = r + x;
    const lnT = lnTime[d.tSlot[k]!]!;
    const invT = invTime[d.tSlot[k]!]!;
    ll -= w * s * lnT;
    gr -= w * lnT;
    gl -= w * s * invT;
    hrl -= w * invT;
    hll += w * s * invT * invT;
    if (x === 0) continue;
    const invTx = invTime[d.txSlot[k]!]!;
    const dLn = lnT - lnTime[d.txSlot[k]!]!;
    const dInv = invT - invTx;
    const u = lnOdds[xk]! + s * dLn;
    const e = Math.exp(-Math.abs(u));
    const sigma = u > 0 ? 1 / (1 + e) : e / (1 + e);
    const curve = w * sigma * (1 - sigma);
    const ws = w * sigma;
    // ∂u/∂(r, α, a, b) and the non-zero second derivatives of u.
    const ur = dLn, ul = s * dInv, ua = 1 / a, ub = -invB[xk]!;
    ll += w * softplus(u);
    gr += ws * ur;
    gl += ws * ul;
    ga += ws * ua;
    gb += ws * ub;
    hrr += curve * ur * ur;
    hrl += curve * ur * ul + ws * dInv;
    hra += curve * ur * ua;
    hrb += curve * ur * ub;
    hll += curve * ul * ul + ws * s * (invTx * invTx - invT * invT);
    hla += curve * ul * ua;
    hlb += curve * ul * ub;
    haa += curve * ua * ua - ws * ua * ua;
    hab += curve * ua * ub;
    hbb += curve * ub * ub + ws * ub * ub;
  }
  return {
    ll,
    g: [gr, gl, ga, gb],
    h: [
      [hrr, hrl, hra, hrb],
      [hrl, hll, hla, hlb],
      [hra, hla, haa, hab],
      [hrb, hlb, hab, hbb],
    ],
  };
}
