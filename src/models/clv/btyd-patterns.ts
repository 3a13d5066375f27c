// Customer summaries for the BTYD models and their compression into distinct (x, t_x, T) patterns:
// the likelihood depends on a customer only through the pattern, so a fit costs what the distinct
// patterns cost, not what the customers cost.

import { TupleIndex } from './tuple-index.js';

/** One customer's calibration summary: x repeat purchases, the last at t_x, observed for T. */
export interface BtydRow {
  x: number;
  tx: number;
  T: number;
}

/** Distinct (x, t_x, T) patterns with the number of customers showing each. */
export interface BtydPatterns {
  x: Float64Array;
  tx: Float64Array;
  T: Float64Array;
  weight: Float64Array;
}

/** Throws RangeError unless x is a count, 0 ≤ t_x ≤ T and t_x = 0 when x = 0; `at` names the row in the message. */
export function checkBtydRow(row: BtydRow, at: number | string): void {
  const { x, tx, T } = row;
  const where = typeof at === 'number' ? `row ${at}` : at;
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`${where}: x must be a non-negative integer, got ${x}`);
  if (!Number.isFinite(tx) || !Number.isFinite(T) || tx < 0 || tx > T) {
    throw new RangeError(`${where}: need 0 ≤ t_x ≤ T, got t_x=${tx}, T=${T}`);
  }
  if (x === 0 && tx !== 0) throw new RangeError(`${where}: t_x must be 0 when x = 0, got ${tx}`);
}

/** Collapses customers into distinct (x, t_x, T) patterns with counts (validating every row). */
export function compressPatterns(rows: readonly BtydRow[]): BtydPatterns {
  const index = new TupleIndex(3, Math.min(rows.length, 1 << 16));
  let weight = new Float64Array(1024);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!;
    checkBtydRow(row, i);
    const id = index.id(row.x, row.tx, row.T);
    if (id >= weight.length) {
      const grown = new Float64Array(weight.length * 2);
      grown.set(weight);
      weight = grown;
    }
    weight[id]! += 1;
  }
  return { x: index.column(0), tx: index.column(1), T: index.column(2), weight: weight.slice(0, index.size) };
}

/** Patterns as given (checked like rows, with non-negative finite weights), or compressed from customer rows. */
export function asPatterns(input: readonly BtydRow[] | BtydPatterns): BtydPatterns {
  if (!('weight' in input)) return compressPatterns(input);
  const { x, tx, T, weight } = input;
  if (tx.length !== x.length || T.length !== x.length || weight.length !== x.length) {
    throw new RangeError('pattern columns x, tx, T and weight must have the same length');
  }
  for (let k = 0; k < x.length; k++) {
    checkBtydRow({ x: x[k]!, tx: tx[k]!, T: T[k]! }, `pattern ${k}`);
    if (!(weight[k]! >= 0) || !Number.isFinite(weight[k]!)) {
      throw new RangeError(`pattern ${k}: weight must be finite and ≥ 0, got ${weight[k]}`);
    }
  }
  return input;
}
