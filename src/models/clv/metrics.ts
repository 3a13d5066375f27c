// Backtest metrics for the CLV models on a calibration/holdout split: predicted vs actual holdout
// purchases per customer, and the calibration table of FHL 2005 (fig. 4 style).

export interface BacktestMetrics {
  customers: number;
  totalPredicted: number;
  totalActual: number;
  mae: number;
  rmse: number;
  /** Spearman rank correlation; null when either side is constant (it is undefined then). */
  spearman: number | null;
}

export interface CalibrationRow {
  /** "0", "1", …, "7+". */
  bin: string;
  /** Smallest calibration frequency in the bin. */
  frequency: number;
  customers: number;
  /** Means over the bin's customers; null for an empty bin. */
  meanActual: number | null;
  meanPredicted: number | null;
}

function checkPair(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new RangeError(`predicted and actual differ in length: ${predicted.length} vs ${actual.length}`);
  }
  for (let i = 0; i < predicted.length; i++) {
    if (!Number.isFinite(predicted[i]!) || !Number.isFinite(actual[i]!)) {
      throw new RangeError(`row ${i}: predicted and actual must be finite, got ${predicted[i]} and ${actual[i]}`);
    }
  }
}

/** 1-based ranks, ties sharing the average of the ranks they span. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => values[i]! - values[j]!);
  const ranks = new Float64Array(n);
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && values[order[end]!] === values[order[start]!]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k]!] = rank;
    start = end;
  }
  return ranks;
}

/** Spearman rank correlation: Pearson correlation of average ranks; null if either side is constant. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number | null {
  checkPair(a, b);
  const ra = averageRanks(a);
  const rb = averageRanks(b);
  const n = ra.length;
  const mean = (n + 1) / 2;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    const da = ra[i]! - mean;
    const db = rb[i]! - mean;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (saa === 0 || sbb === 0) return null;
  return sab / Math.sqrt(saa * sbb);
}

/** Totals, MAE, RMSE and Spearman of predicted vs actual holdout values. */
export function backtestMetrics(predicted: ArrayLike<number>, actual: ArrayLike<number>): BacktestMetrics {
  checkPair(predicted, actual);
  const n = predicted.length;
  if (n === 0) throw new RangeError('backtestMetrics: no customers');
  let totalPredicted = 0, totalActual = 0, absolute = 0, squared = 0;
  for (let i = 0; i < n; i++) {
    const error = predicted[i]! - actual[i]!;
    totalPredicted += predicted[i]!;
    totalActual += actual[i]!;
    absolute += Math.abs(error);
    squared += error * error;
  }
  return {
    customers: n,
    totalPredicted,
    totalActual,
    mae: absolute / n,
    rmse: Math.sqrt(squared / n),
    spearman: spearman(predicted, actual),
  };
}

/**
 * Mean actual vs mean predicted holdout purchases by calibration repeat frequency 0, 1, …,
 * topBin−1 and topBin+ (every bin listed, empty ones with null means).
 */
export function calibrationTable(
  calibrationFrequency: ArrayLike<number>,
  predicted: ArrayLike<number>,
  actual: ArrayLike<number>,
  topBin = 7,
): CalibrationRow[] {
  checkPair(predicted, actual);
  if (calibrationFrequency.length !== predicted.length) {
    throw new RangeError(`frequencies and predictions differ in length: ${calibrationFrequency.length} vs ${predicted.length}`);
  }
  if (!Number.isInteger(topBin) || topBin < 1) throw new RangeError(`topBin must be an integer ≥ 1, got ${topBin}`);
  const count = new Float64Array(topBin + 1);
  const sumActual = new Float64Array(topBin + 1);
  const sumPredicted = new Float64Array(topBin + 1);
  for (let i = 0; i < predicted.length; i++) {
    const x = calibrationFrequency[i]!;
    if (!Number.isInteger(x) || x < 0) throw new RangeError(`row ${i}: calibration frequency must be a non-negative integer, got ${x}`);
    const bin = Math.min(x, topBin);
    count[bin]! += 1;
    sumActual[bin]! += actual[i]!;
    sumPredicted[bin]! += predicted[i]!;
  }
  return Array.from({ length: topBin + 1 }, (_, bin) => {
    const customers = count[bin]!;
    return {
      bin: bin === topBin ? `${bin}+` : `${bin}`,
      frequency: bin,
      customers,
      meanActual: customers > 0 ? sumActual[bin]! / customers : null,
      meanPredicted: customers > 0 ? sumPredicted[bin]! / customers : null,
    };
  });
}
