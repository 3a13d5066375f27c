// Customer lifetime value from BG/NBD (how many purchases) × Gamma-Gamma (how much each), summed in
// monthly steps with a monthly discount rate the way lifetimes' customer_lifetime_value does.
// Hand-written: no JavaScript library implements these models.
//
// Time units: BG/NBD parameters carry the unit of the data they were fitted on. The product fits
// on days, and a month is DAYS_PER_MONTH = 30 days (lifetimes' convention for daily data), so a
// 365-day horizon is 12 whole months plus a final step of 5 days discounted at (1+d)^(365/30).

import { expectedPurchasesIfAlive, pAlive } from './bgnbd.js';
import type { BgNbdParams } from './bgnbd.js';
import { checkBtydRow } from './btyd-patterns.js';
import type { BtydRow } from './btyd-patterns.js';
import { expectedOrderValue } from './gamma-gamma.js';
import type { GammaGammaParams } from './gamma-gamma.js';
import { TupleIndex } from './tuple-index.js';

export const DAYS_PER_MONTH = 30;

export interface ClvOptions {
  /** Horizon in months; a fractional month is a final partial step. */
  months: number;
  /** Discount rate per month (0.01 = 1 %/month); 0 by default. */
  monthlyDiscountRate?: number;
  /** Time units of the BG/NBD parameters per month: DAYS_PER_MONTH (default) for days, 30/7 for weeks. */
  unitsPerMonth?: number;
}

function checkOptions(months: number, rate: number, unitsPerMonth: number): void {
  if (!Number.isFinite(months) || months < 0) throw new RangeError(`months must be finite and ≥ 0, got ${months}`);
  if (!Number.isFinite(rate) || rate <= -1) throw new RangeError(`monthly discount rate must be > −1, got ${rate}`);
  if (!Number.isFinite(unitsPerMonth) || unitsPerMonth <= 0) throw new RangeError(`unitsPerMonth must be > 0, got ${unitsPerMonth}`);
}

/**
 * Σ over monthly steps i of (E[by month i] − E[by month i−1]) / (1+rate)^i for a customer who is
 * alive now; `cumulative(t)` is expected purchases by time t in BG/NBD units.
 */
function discountedPurchases(cumulative: (t: number) => number, months: number, rate: number, unitsPerMonth: number): number {
  let total = 0;
  let previous = 0;
  const steps = Math.ceil(months);
  for (let i = 1; i <= steps; i++) {
    const end = Math.min(i, months);
    const current = cumulative(end * unitsPerMonth);
    total += (current - previous) / (1 + rate) ** end;
    previous = current;
  }
  return total;
}

/** Discounted expected revenue over `options.months` for one customer (x, t_x, T in BG/NBD units). */
export function customerLifetimeValue(
  bgnbd: BgNbdParams,
  orderValue: number,
  x: number,
  tx: number,
  T: number,
  options: ClvOptions,
): number {
  const { months, monthlyDiscountRate = 0, unitsPerMonth = DAYS_PER_MONTH } = options;
  checkOptions(months, monthlyDiscountRate, unitsPerMonth);
  checkBtydRow({ x, tx, T }, 'customer');
  if (!Number.isFinite(orderValue)) throw new RangeError(`order value must be finite, got ${orderValue}`);
  const alive = discountedPurchases((t) => expectedPurchasesIfAlive(bgnbd, t, x, T), months, monthlyDiscountRate, unitsPerMonth);
  return pAlive(bgnbd, x, tx, T) * alive * orderValue;
}

/** A customer's BTYD summary in days plus mean spend over the repeat purchase days (0 when x = 0). */
export interface CustomerSummary extends BtydRow {
  monetaryValue: number;
}

/** Per-customer scores, aligned with the input rows (the columns of marts.customer_clv). */
export interface ClvScores {
  pAlive: Float64Array;
  expectedPurchases90d: Float64Array;
  expectedPurchases180d: Float64Array;
  expectedPurchases365d: Float64Array;
  expectedOrderValue: Float64Array;
  clv180d: Float64Array;
  clv365d: Float64Array;
}

export interface ScoreOptions {
  monthlyDiscountRate?: number;
}

/** Alive-customer expectations that depend on (x, T) only, not on t_x. */
interface HorizonFactors {
  purchases90: number;
  purchases180: number;
  purchases365: number;
  clv180: number;
  clv365: number;
}

function horizonFactors(bgnbd: BgNbdParams, x: number, T: number, rate: number): HorizonFactors {
  const memo = new Map<number, number>();
  const cumulative = (t: number): number => {
    let value = memo.get(t);
    if (value === undefined) {
      value = expectedPurchasesIfAlive(bgnbd, t, x, T);
      memo.set(t, value);
    }
    return value;
  };
  return {
    clv180: discountedPurchases(cumulative, 180 / DAYS_PER_MONTH, rate, DAYS_PER_MONTH),
    clv365: discountedPurchases(cumulative, 365 / DAYS_PER_MONTH, rate, DAYS_PER_MONTH),
    purchases90: cumulative(90),
    purchases180: cumulative(180),
    purchases365: cumulative(365),
  };
}

/**
 * Scores customers (times in days, BG/NBD fitted on days): P(alive), expected purchases over
 * 90/180/365 days, expected order value and CLV over 180/365 days. Everything except P(alive) and
 * the order value depends on (x, T) alone, so the hypergeometric work is done once per distinct
 * (x, T) — a few thousand pairs even for millions of customers.
 */
export function scoreCustomers(
  bgnbd: BgNbdParams,
  gammaGamma: GammaGammaParams,
  customers: readonly CustomerSummary[],
  options: ScoreOptions = {},
): ClvScores {
  const rate = options.monthlyDiscountRate ?? 0;
  checkOptions(0, rate, DAYS_PER_MONTH);
  const n = customers.length;
  const scores: ClvScores = {
    pAlive: new Float64Array(n),
    expectedPurchases90d: new Float64Array(n),
    expectedPurchases180d: new Float64Array(n),
    expectedPurchases365d: new Float64Array(n),
    expectedOrderValue: new Float64Array(n),
    clv180d: new Float64Array(n),
    clv365d: new Float64Array(n),
  };
  const pairs = new TupleIndex(2);
  const cache: HorizonFactors[] = [];
  for (let i = 0; i < n; i++) {
    const c = customers[i]!;
    checkBtydRow(c, i);
    if (!Number.isFinite(c.monetaryValue)) throw new RangeError(`row ${i}: monetary value must be finite, got ${c.monetaryValue}`);
    const id = pairs.id(c.x, c.T);
    let factors = cache[id];
    if (factors === undefined) {
      factors = horizonFactors(bgnbd, c.x, c.T, rate);
      cache[id] = factors;
    }
    const alive = pAlive(bgnbd, c.x, c.tx, c.T);
    const value = expectedOrderValue(gammaGamma, c.x, c.monetaryValue);
    scores.pAlive[i] = alive;
    scores.expectedPurchases90d[i] = alive * factors.purchases90;
    scores.expectedPurchases180d[i] = alive * factors.purchases180;
    scores.expectedPurchases365d[i] = alive * factors.purchases365;
    scores.expectedOrderValue[i] = value;
    scores.clv180d[i] = alive * factors.clv180 * value;
    scores.clv365d[i] = alive * factors.clv365 * value;
  }
  return scores;
}
