import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  minimumCostAssignment,
  nameClusters,
  orderByValue,
  ruleNames,
  type Standardisation,
} from '../../src/models/cluster-names.js';
import { mulberry32 } from '../../src/models/random.js';

/** One centroid per quadrant: active & high, active & low, lapsed & high, lapsed & low. */
const QUADRANTS = [
  [-1.2, 1.3, 1.1],
  [-0.8, -0.9, -0.7],
  [0.9, 0.6, 0.8],
  [1.3, -1.2, -1.3],
];

describe('cluster names by rule', () => {
  it('names one cluster per quadrant by where its centroid sits', () => {
    assert.deepEqual(ruleNames(QUADRANTS), ['Champions', 'Promising', 'At Risk', 'Lost']);
  });

  it('spreads several clusters of one quadrant over its ladder, best value first', () => {
    const lapsedLow = [
      [1, -0.5, -0.5],
      [2, -2, -2],
      [1.5, -1, -1],
    ];
    assert.deepEqual(ruleNames(lapsedLow), ['About to Sleep', 'Lost', 'Hibernating']);
  });

  it('gives distinct names for any k, however the centroids fall', () => {
    const random = mulberry32(21);
    for (let trial = 0; trial < 300; trial++) {
      const k = 1 + (trial % 14);
      // Squeeze some trials into one quadrant to exercise the overflow names.
      const spread = trial % 3 === 0 ? 0.2 : 2;
      const offset = trial % 3 === 0 ? 1 : 0;
      const centroids = Array.from({ length: k }, () => [0, 0, 0].map(() => (random() - 0.5) * spread + offset));
      const names = ruleNames(centroids);
      assert.equal(names.length, k);
      assert.equal(new Set(names).size, k, `trial ${trial}: ${names.join(', ')}`);
    }
  });

  it('orders centroids by value score: −recency + frequency + monetary', () => {
    assert.deepEqual(orderByValue(QUADRANTS), [0, 2, 1, 3]);
  });
});

describe('cluster names from night to night', () => {
  const mean = [3, 1.5, 6];
  const sd = [1.2, 0.6, 1.5];
  const standardisation: Standardisation = { mean, sd };
  const toLog1p = (z: number[]) => z.map((x, d) => x * sd[d]! + mean[d]!);
  const yesterday = { centroidsLog1p: QUADRANTS.map(toLog1p), names: ['Stars', 'Fresh', 'Fading', 'Gone'] };

  it('keeps every name when the clusters have not moved', () => {
    const naming = nameClusters({ centroidsLog1p: yesterday.centroidsLog1p, standardisation, previous: yesterday });
    assert.deepEqual(naming.names, yesterday.names);
    assert.deepEqual(naming.keptFrom, [0, 1, 2, 3]);
  });

  it('keeps names through a small drift in centroids and in the standardisation', () => {
    const random = mulberry32(4);
    const today = yesterday.centroidsLog1p.map((c) => c.map((x) => x + (random() - 0.5) * 0.1));
    const drifted: Standardisation = { mean: mean.map((m) => m + 0.05), sd: sd.map((s) => s * 1.03) };
    const naming = nameClusters({ centroidsLog1p: today, standardisation: drifted, previous: yesterday });
    assert.deepEqual(naming.names, yesterday.names);
  });

  it('follows the centroids, not their order, when clusters come back shuffled', () => {
    const order = [2, 0, 3, 1];
    const today = order.map((i) => yesterday.centroidsLog1p[i]!);
    const naming = nameClusters({ centroidsLog1p: today, standardisation, previous: yesterday });
    assert.deepEqual(naming.names, order.map((i) => yesterday.names[i]));
    assert.deepEqual(naming.keptFrom, order);
  });

  it('gives a new cluster a rule name that is not in use', () => {
    const newcomer = toLog1p([-1.5, 0.2, 0.1]);
    const today = [...yesterday.centroidsLog1p, newcomer];
    const naming = nameClusters({ centroidsLog1p: today, standardisation, previous: yesterday });
    assert.deepEqual(naming.names.slice(0, 4), yesterday.names);
    assert.equal(naming.keptFrom[4], null);
    // second of two active, high-value clusters: the ladder spreads them to its ends
    assert.equal(naming.names[4], 'Potential Loyalist');
  });

  it('does not reuse a taken name for a newcomer whose rule name is held', () => {
    const previous = { centroidsLog1p: yesterday.centroidsLog1p, names: ['Champions', 'Promising', 'At Risk', 'Lost'] };
    // more valuable than yesterday's Champions, so its rule name would be Champions
    const today = [...yesterday.centroidsLog1p, toLog1p([-2, 2, 2])];
    const names = nameClusters({ centroidsLog1p: today, standardisation, previous }).names;
    assert.deepEqual(names.slice(0, 4), previous.names);
    assert.equal(names[4], 'Loyal');
  });

  it('renames a cluster that moved further than maxShift', () => {
    const today = [...yesterday.centroidsLog1p];
    today[3] = toLog1p([0.5, -3, -3]);
    const naming = nameClusters({ centroidsLog1p: today, standardisation, previous: yesterday, maxShift: 1 });
    assert.deepEqual(naming.names.slice(0, 3), yesterday.names.slice(0, 3));
    assert.equal(naming.keptFrom[3], null);
    assert.equal(naming.names[3], 'Lost');
  });

  it('keeps the closest names when today has fewer clusters', () => {
    const today = [yesterday.centroidsLog1p[3]!, yesterday.centroidsLog1p[0]!];
    assert.deepEqual(nameClusters({ centroidsLog1p: today, standardisation, previous: yesterday }).names, ['Gone', 'Stars']);
  });

  it('falls back to rule names when the previous snapshot used other features', () => {
    const previous = { centroidsLog1p: yesterday.centroidsLog1p.map((c) => [...c, 5]), names: yesterday.names };
    const naming = nameClusters({ centroidsLog1p: yesterday.centroidsLog1p, standardisation, previous });
    assert.deepEqual(naming.names, ['Champions', 'Promising', 'At Risk', 'Lost']);
  });
});

describe('minimum-cost assignment', () => {
  it('finds the optimum where a greedy choice would not', () => {
    // greedy takes the 1 and is left with 100; the optimum is 2 + 2
    assert.deepEqual(minimumCostAssignment([[1, 2], [2, 100]]), [1, 0]);
  });

  it('assigns fewer rows than columns', () => {
    assert.deepEqual(minimumCostAssignment([[5, 1, 9], [1, 6, 9]]), [1, 0]);
    assert.throws(() => minimumCostAssignment([[1], [2]]), /rows ≤ columns/);
  });

  it('matches brute force on random square matrices', () => {
    const random = mulberry32(8);
    const permutations = (n: number): number[][] =>
      n === 0
        ? [[]]
        : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
    for (let trial = 0; trial < 50; trial++) {
      const n = 2 + (trial % 4);
      const cost = Array.from({ length: n }, () => Array.from({ length: n }, () => random()));
      const total = (columns: number[]) => columns.reduce((sum, j, i) => sum + cost[i]![j]!, 0);
      const best = Math.min(...permutations(n).map(total));
      assert.ok(Math.abs(total(minimumCostAssignment(cost)) - best) < 1e-12);
    }
  });
});
