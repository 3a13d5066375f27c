import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { kmeans1d, perDimensionClusters, VALUE_TIERS } from '../../src/models/per-dimension-clusters.js';
import { mulberry32 } from '../../src/models/random.js';
import type { CustomerFeatures } from '../../src/models/rfm-scores.js';

// Four levels per feature, far apart in their own (linear) units: 1-D k-means has nothing to debate.
const RECENCY = [5, 60, 180, 350];
const FREQUENCY = [1, 5, 20, 60];
const MONETARY = [100, 1_000, 3_000, 6_000];

/** 400 customers: level (a, b, c) of recency, frequency, monetary, each with a little noise. */
function dataset(): { rows: CustomerFeatures[]; levels: [number, number, number][] } {
  const random = mulberry32(3);
  const rows: CustomerFeatures[] = [];
  const levels: [number, number, number][] = [];
  for (let i = 0; i < 400; i++) {
    const a = i % 4;
    const b = Math.floor(i / 4) % 4;
    const c = Math.floor(i / 16) % 4;
    const jitter = () => 1 + (random() - 0.5) * 0.04;
    rows.push({
      customerId: `c${i}`,
      recencyDays: RECENCY[a]! * jitter(),
      frequency: Math.round(FREQUENCY[b]! * jitter()),
      monetary: MONETARY[c]! * jitter(),
    });
    levels.push([a, b, c]);
  }
  return { rows, levels };
}

describe('per-dimension clusters', () => {
  const { rows, levels } = dataset();
  const result = perDimensionClusters(rows, { seed: 9 });

  it('numbers clusters so higher is better on every dimension', () => {
    levels.forEach(([a, b, c], i) => {
      assert.equal(result.recency.cluster[i], 3 - a, `recency of customer ${i}`);
      assert.equal(result.frequency.cluster[i], b, `frequency of customer ${i}`);
      assert.equal(result.monetary.cluster[i], c, `monetary of customer ${i}`);
    });
  });

  it('orders centroids with the cluster numbers', () => {
    const descending = [...result.recency.centroids].sort((x, y) => y - x);
    assert.deepEqual(result.recency.centroids, descending);
    assert.deepEqual(result.frequency.centroids, [...result.frequency.centroids].sort((x, y) => x - y));
    assert.deepEqual(result.monetary.centroids, [...result.monetary.centroids].sort((x, y) => x - y));
    assert.ok(Math.abs(result.monetary.centroids[3]! - 6_000) < 60);
  });

  it('sums the cluster numbers and maps them to Low / Mid / High at 3 and 5', () => {
    assert.deepEqual(result.thresholds, { mid: 3, high: 5 });
    assert.equal(result.maxScore, 9);
    const tierOf = (i: number) => VALUE_TIERS[result.tier[i]!];
    const index = (a: number, b: number, c: number) => levels.findIndex(([x, y, z]) => x === a && y === b && z === c);
    const best = index(0, 3, 3);
    const worst = index(3, 0, 0);
    const middle = index(1, 1, 0); // 2 + 1 + 0 = 3
    const almostHigh = index(2, 2, 1); // 1 + 2 + 1 = 4
    assert.equal(result.score[best], 9);
    assert.equal(tierOf(best), 'High');
    assert.equal(result.score[worst], 0);
    assert.equal(tierOf(worst), 'Low');
    assert.equal(result.score[middle], 3);
    assert.equal(tierOf(middle), 'Mid');
    assert.equal(result.score[almostHigh], 4);
    assert.equal(tierOf(almostHigh), 'Mid');
  });

  it('is deterministic for a seed', () => {
    assert.deepEqual(perDimensionClusters(rows, { seed: 9 }), result);
  });

  it('shrinks k to the number of distinct values', () => {
    const clusters = kmeans1d(Float64Array.from([1, 1, 2, 2, 2]), 4, 1);
    assert.deepEqual(clusters.centroids, [1, 2]);
    assert.deepEqual([...clusters.cluster], [0, 0, 1, 1, 1]);
  });

  it('rejects a k that cannot form clusters', () => {
    assert.throws(() => perDimensionClusters(rows, { seed: 1, k: 1 }), /k must be an integer/);
  });
});
