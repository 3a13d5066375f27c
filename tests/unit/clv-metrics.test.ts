import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { averageRanks, backtestMetrics, calibrationTable, spearman } from '../../src/models/clv/index.js';

describe('ranks and Spearman correlation', () => {
  it('gives tied values the average of the ranks they span', () => {
    assert.deepEqual(Array.from(averageRanks([10, 20, 20, 20, 5])), [2, 4, 4, 4, 1]);
    assert.deepEqual(Array.from(averageRanks([3, 3])), [1.5, 1.5]);
    assert.deepEqual(Array.from(averageRanks([])), []);
  });

  it('matches hand-computed values with ties', () => {
    // Ranks (1, 2.5, 2.5, 4) and (1, 3, 2, 4): Σdadb = 4.5, Σda² = 4.5, Σdb² = 5 → 4.5/√22.5.
    assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4])! - 4.5 / Math.sqrt(22.5)) < 1e-15);
    // Ranks (1.5, 1.5, 3, 4, 5) and (5, 4, 2.5, 2.5, 1): Σdadb = −9, Σda² = 9.5, Σdb² = 9.5.
    assert.ok(Math.abs(spearman([0, 0, 1, 2, 7], [9, 8, 5, 5, 1])! - -9 / 9.5) < 1e-15);
  });

  it('is 1 for any increasing relation, −1 for a decreasing one, and null when a side is constant', () => {
    assert.equal(spearman([1, 2, 3, 4], [1, 8, 27, 1000]), 1);
    assert.equal(spearman([1, 2, 3, 4], [4, 3, 2, 1]), -1);
    assert.equal(spearman([1, 2, 3], [5, 5, 5]), null);
  });
});

describe('backtestMetrics', () => {
  it('computes totals, MAE, RMSE and Spearman', () => {
    const m = backtestMetrics([1, 2, 3, 0.5], [0, 2, 5, 1]);
    assert.equal(m.customers, 4);
    assert.equal(m.totalPredicted, 6.5);
    assert.equal(m.totalActual, 8);
    assert.equal(m.mae, (1 + 0 + 2 + 0.5) / 4);
    assert.equal(m.rmse, Math.sqrt((1 + 0 + 4 + 0.25) / 4));
    assert.equal(m.spearman, spearman([1, 2, 3, 0.5], [0, 2, 5, 1]));
  });

  it('rejects mismatched lengths, non-finite values and an empty backtest', () => {
    assert.throws(() => backtestMetrics([1], [1, 2]), RangeError);
    assert.throws(() => backtestMetrics([1, Number.NaN], [1, 2]), RangeError);
    assert.throws(() => backtestMetrics([], []), RangeError);
  });
});

describe('calibrationTable', () => {
  it('bins by calibration frequency 0…6 and 7+, with counts and mean actual vs predicted', () => {
    const frequency = [0, 0, 1, 7, 9, 3, 12];
    const predicted = [0.1, 0.3, 0.8, 4, 5, 2, 6];
    const actual = [0, 1, 1, 3, 6, 2, 9];
    const table = calibrationTable(frequency, predicted, actual);
    assert.deepEqual(table.map((row) => row.bin), ['0', '1', '2', '3', '4', '5', '6', '7+']);
    assert.deepEqual(table.map((row) => row.customers), [2, 1, 0, 1, 0, 0, 0, 3]);
    assert.deepEqual(table[0], { bin: '0', frequency: 0, customers: 2, meanActual: 0.5, meanPredicted: 0.2 });
    assert.deepEqual(table[2], { bin: '2', frequency: 2, customers: 0, meanActual: null, meanPredicted: null });
    assert.deepEqual(table[7], { bin: '7+', frequency: 7, customers: 3, meanActual: 6, meanPredicted: 5 });
  });

  it('accepts another top bin and rejects non-count frequencies', () => {
    const table = calibrationTable([0, 1, 5], [1, 1, 1], [0, 0, 3], 2);
    assert.deepEqual(table.map((row) => [row.bin, row.customers]), [['0', 1], ['1', 1], ['2+', 1]]);
    assert.throws(() => calibrationTable([1.5], [1], [1]), RangeError);
    assert.throws(() => calibrationTable([0, 1], [1], [1]), RangeError);
  });
});
