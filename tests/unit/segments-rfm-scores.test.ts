import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { mulberry32 } from '../../src/models/random.js';
import { rankScores, rfmScores, type CustomerFeatures } from '../../src/models/rfm-scores.js';

function customer(id: string, recencyDays: number, frequency: number, monetary: number): CustomerFeatures {
  return { customerId: id, recencyDays, frequency, monetary };
}

describe('RFM scores', () => {
  it('gives hand-computed scores for ten distinct values', () => {
    const scores = rankScores(Float64Array.from([70, 10, 100, 20, 30, 40, 50, 60, 80, 90]), 'ascending');
    assert.deepEqual([...scores], [4, 1, 5, 1, 2, 2, 3, 3, 4, 5]);
  });

  it('gives equal values equal scores, using the lowest rank of the tie', () => {
    // sorted 1, 5, 5, 5, 9: min ranks 1, 2, 2, 2, 5 → 1 + floor(5·(rank − 1)/5)
    assert.deepEqual([...rankScores(Float64Array.from([5, 5, 5, 1, 9]), 'ascending')], [2, 2, 2, 1, 5]);
  });

  it('reverses R so the most recent customers score 5', () => {
    const rows = [0, 10, 20, 30, 40].map((days, i) => customer(`c${i}`, days, 1, 1));
    assert.deepEqual([...rfmScores(rows).r], [5, 4, 3, 2, 1]);
  });

  it('ties on recency share a score, most recent still highest', () => {
    // descending min ranks: 100 → 1, the 10s → 2, the 0s → 4
    const rows = [0, 0, 10, 10, 100].map((days, i) => customer(`c${i}`, days, 1, 1));
    assert.deepEqual([...rfmScores(rows).r], [4, 4, 2, 2, 1]);
  });

  it('scores F and M ascending and independently of R', () => {
    const rows = [[1, 300], [2, 100], [3, 200], [4, 500], [5, 400]].map(([f, m], i) => customer(`c${i}`, 5, f!, m!));
    const scores = rfmScores(rows);
    assert.deepEqual([...scores.f], [1, 2, 3, 4, 5]);
    assert.deepEqual([...scores.m], [3, 1, 2, 5, 4]);
    assert.deepEqual([...scores.r], [1, 1, 1, 1, 1]);
  });

  it('does not depend on the order of the rows', () => {
    const random = mulberry32(11);
    const rows = Array.from({ length: 300 }, (_, i) =>
      customer(`c${i}`, Math.floor(random() * 60), 1 + Math.floor(random() * 8), Math.round(random() * 50) * 10),
    );
    const shuffled = [...rows];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const byId = (input: CustomerFeatures[]) => {
      const { r, f, m } = rfmScores(input);
      return new Map(input.map((row, i) => [row.customerId, `${r[i]}${f[i]}${m[i]}`]));
    };
    const original = byId(rows);
    const reordered = byId(shuffled);
    assert.notDeepEqual(shuffled.map((row) => row.customerId), rows.map((row) => row.customerId));
    for (const [id, score] of original) assert.equal(reordered.get(id), score, id);
  });

  it('uses every score from 1 to 5 on spread-out data', () => {
    const rows = Array.from({ length: 50 }, (_, i) => customer(`c${i}`, i, i + 1, i * 10));
    const { r, f, m } = rfmScores(rows);
    for (const scores of [r, f, m]) assert.deepEqual([...new Set(scores)].sort(), [1, 2, 3, 4, 5]);
  });

  it('rejects a non-finite feature and names the customer', () => {
    assert.throws(() => rfmScores([customer('17850', Number.NaN, 1, 1)]), /customer 17850: recencyDays/);
  });
});
