/** One customer's features as of a date, computed in SQL (one row per customer). */
export interface CustomerFeatures {
  customerId: string;
  /** Days from the last purchase invoice to the as-of date (0 = bought on that day). */
  recencyDays: number;
  /** Distinct purchase invoices. */
  frequency: number;
  /** Net product revenue. */
  monetary: number;
  /** Days from the first purchase to the as-of date. */
  tenureDays?: number;
}

export type FeatureKey = 'recencyDays' | 'frequency' | 'monetary' | 'tenureDays';

/** R, F and M scores (1–5), aligned with the input rows. */
export interface RfmScores {
  r: Uint8Array;
  f: Uint8Array;
  m: Uint8Array;
}

export const SCORE_BINS = 5;

/** One feature as a Float64Array aligned with `rows`; throws on a missing or non-finite value. */
export function featureColumn(rows: readonly CustomerFeatures[], key: FeatureKey): Float64Array {
  const column = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    const value = row[key];
    if (value === undefined || !Number.isFinite(value)) {
      throw new RangeError(`customer ${row.customerId}: ${key} must be a finite number, got ${String(value)}`);
    }
    column[i] = value;
  }
  return column;
}

/** Index of the first element of ascending `sorted` that is ≥ value (`strict`: > value). */
function bound(sorted: Float64Array, value: number, strict: boolean): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const x = sorted[mid]!;
    if (x < value || (strict && x === value)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Scores 1..bins by rank: rank is the 1-based "min" rank (ties share the lowest rank of their
 * group), score = 1 + floor(bins·(rank − 1)/n). 'descending' ranks the largest value first,
 * so the smallest value gets the top score. Depends only on the multiset of values, never on order.
 */
export function rankScores(
  values: Float64Array,
  order: 'ascending' | 'descending',
  bins: number = SCORE_BINS,
): Uint8Array {
  const n = values.length;
  const sorted = Float64Array.from(values).sort();
  const scores = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    const before = order === 'ascending' ? bound(sorted, v, false) : n - bound(sorted, v, true);
    scores[i] = 1 + Math.floor((bins * before) / n);
  }
  return scores;
}

/** R, F, M scores 1–5 by rank; R is reversed so 5 = most recent (fewest recency days). */
export function rfmScores(rows: readonly CustomerFeatures[]): RfmScores {
  return {
    r: rankScores(featureColumn(rows, 'recencyDays'), 'descending'),
    f: rankScores(featureColumn(rows, 'frequency'), 'ascending'),
    m: rankScores(featureColumn(rows, 'monetary'), 'ascending'),
  };
}
