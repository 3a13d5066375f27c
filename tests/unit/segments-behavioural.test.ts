import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { behaviouralClusters } from '../../src/models/behavioural-clusters.js';
import { valueScore } from '../../src/models/cluster-names.js';
import { fitGaussianMixture } from '../../src/models/gmm.js';
import { mulberry32, sampleIndices } from '../../src/models/random.js';
import type { CustomerFeatures } from '../../src/models/rfm-scores.js';
import { silhouetteScore } from '../../src/models/silhouette.js';

/** Four groups far apart in log1p space (recency days, frequency, monetary), with seeded noise. */
const GROUPS = [
  [5, 20, 5_000],
  [20, 2, 150],
  [200, 8, 2_000],
  [400, 1, 30],
] as const;

function fourGroups(n: number, seed: number): CustomerFeatures[] {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const around = (centre: number) => Math.max(0, Math.expm1(Math.log1p(centre) + 0.1 * gauss()));
  return Array.from({ length: n }, (_, i) => {
    const [recency, frequency, monetary] = GROUPS[i % 4]!;
    return {
      customerId: `c${i}`,
      recencyDays: Math.round(around(recency)),
      frequency: Math.max(1, Math.round(around(frequency))),
      monetary: around(monetary),
      tenureDays: 500 + (i % 7),
    };
  });
}

describe('behavioural clusters', () => {
  const rows = fourGroups(2_000, 5);
  const result = behaviouralClusters(rows, { seed: 42 });

  it('picks k = 4 by silhouette on four well-separated groups', () => {
    assert.equal(result.k, 4);
    const best = result.scores.filter((s) => s.method === 'kmeans').sort((a, b) => b.silhouette - a.silhouette)[0];
    assert.equal(best?.k, 4);
  });

  it('puts each group in its own cluster', () => {
    assert.deepEqual(result.sizes, [500, 500, 500, 500]);
    for (let g = 0; g < 4; g++) {
      const labels = new Set(rows.flatMap((_, i) => (i % 4 === g ? [result.labels[i]] : [])));
      assert.equal(labels.size, 1, `group ${g} spans ${labels.size} clusters`);
    }
  });

  it('numbers clusters from the highest value score down', () => {
    const values = result.centroids.map(valueScore);
    assert.deepEqual(values, [...values].sort((a, b) => b - a));
    // the recent, frequent, big-spending group is cluster 0; the lapsed one-off buyers the last
    assert.equal(result.labels[0], 0);
    assert.equal(result.labels[3], 3);
  });

  it('keeps the log1p centroids consistent with the standardised ones', () => {
    result.centroidsLog1p.forEach((centroid, c) => {
      centroid.forEach((x, d) => {
        const z = (x - result.standardisation.mean[d]!) / result.standardisation.sd[d]!;
        assert.ok(Math.abs(z - result.centroids[c]![d]!) < 1e-9);
      });
    });
    assert.ok(Math.abs(result.centroidsLog1p[0]![1]! - Math.log1p(20)) < 0.1);
  });

  it('gives identical output for the same seed', () => {
    assert.deepEqual(behaviouralClusters(rows, { seed: 42 }), result);
  });

  it('scores both methods for every k, with a silhouette for the Gaussian mixture', () => {
    for (const method of ['kmeans', 'gmm'] as const) {
      assert.deepEqual(
        result.scores.filter((s) => s.method === method).map((s) => s.k),
        [2, 3, 4, 5, 6, 7, 8, 9, 10],
      );
    }
    const gmm4 = result.scores.find((s) => s.method === 'gmm' && s.k === 4);
    assert.ok(gmm4 !== undefined && gmm4.silhouette > 0.5 && gmm4.silhouette <= 1, `gmm silhouette ${gmm4?.silhouette}`);
    const inertia = (k: number) => result.scores.find((s) => s.method === 'kmeans' && s.k === k)!.inertia;
    assert.ok(inertia(4) < inertia(3) && inertia(3) < inertia(2));
  });

  it('fits on a bounded sample and still labels every customer', () => {
    const many = fourGroups(3_000, 6);
    const sampled = behaviouralClusters(many, { seed: 1, sampleSize: 600, kMax: 6 });
    assert.equal(sampled.sampleSize, 600);
    assert.equal(sampled.k, 4);
    assert.equal(sampled.labels.length, 3_000);
    assert.equal(sampled.sizes.reduce((a, b) => a + b, 0), 3_000);
  });

  it('adds tenure as a fourth feature when asked, and requires it then', () => {
    const withTenure = behaviouralClusters(rows, { seed: 42, includeTenure: true, kMax: 5 });
    assert.deepEqual(withTenure.features, ['recencyDays', 'frequency', 'monetary', 'tenureDays']);
    assert.equal(withTenure.centroids[0]?.length, 4);
    const missing = rows.map(({ tenureDays: _, ...row }) => row);
    assert.throws(() => behaviouralClusters(missing, { seed: 1, includeTenure: true }), /tenureDays must be a finite number/);
  });

  it('refuses data too small to compare two clusters', () => {
    const same = Array.from({ length: 10 }, (_, i) => ({ customerId: `c${i}`, recencyDays: 3, frequency: 2, monetary: 40 }));
    assert.throws(() => behaviouralClusters(same, { seed: 1 }), /distinct features/);
  });
});

describe('cluster quality helpers', () => {
  it('computes a hand-checked silhouette', () => {
    // 1-D points 0, 1 | 10, 11: the outer points score 9.5/10.5, the inner ones 8.5/9.5
    const score = silhouetteScore(Float64Array.from([0, 1, 10, 11]), 1, [0, 0, 1, 1], 2);
    assert.ok(Math.abs(score - (9.5 / 10.5 + 8.5 / 9.5) / 2) < 1e-12);
  });

  it('fits a Gaussian mixture that separates two groups from a poor start', () => {
    const random = mulberry32(2);
    const points = Float64Array.from({ length: 400 }, (_, i) => (i < 200 ? 0 : 8) + random());
    const start = Array.from({ length: 400 }, (_, i) => (i < 300 ? 0 : 1));
    const mixture = fitGaussianMixture(points, 1, start, 2);
    assert.ok(Number.isFinite(mixture.logLikelihood));
    assert.ok(Math.abs(mixture.means[0]! - 0.5) < 0.1 && Math.abs(mixture.means[1]! - 8.5) < 0.1, `${mixture.means}`);
    assert.equal(mixture.labels.slice(0, 200).every((l) => l === 0) && mixture.labels.slice(200).every((l) => l === 1), true);
  });

  it('draws seeded, distinct, sorted samples', () => {
    const a = sampleIndices(1_000_000, 5_000, 7);
    assert.deepEqual(a, sampleIndices(1_000_000, 5_000, 7));
    assert.notDeepEqual(a, sampleIndices(1_000_000, 5_000, 8));
    assert.equal(new Set(a).size, 5_000);
    assert.ok(a.every((x, i) => x < 1_000_000 && (i === 0 || x > a[i - 1]!)));
    assert.deepEqual([...sampleIndices(3, 10, 1)], [0, 1, 2]);
  });
});
