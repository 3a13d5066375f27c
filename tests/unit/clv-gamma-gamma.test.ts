import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  compressSpendPatterns,
  expectedOrderValue,
  fitGammaGamma,
  gammaGammaLogLikelihood,
} from '../../src/models/clv/index.js';
import type { GammaGammaParams, SpendRow } from '../../src/models/clv/index.js';
import { loadCdnow } from '../fixtures/cdnow/load.js';

/** FHL 2005 (JMR, iso-value curves) / Hardie's note 025: Gamma-Gamma on the 946 CDNOW repeat buyers. */
const PUBLISHED: GammaGammaParams = { p: 6.25, q: 3.74, gamma: 15.44 };

const spend: SpendRow[] = loadCdnow().map((c) => ({ x: c.x, monetaryValue: c.zbar }));

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

describe('Gamma-Gamma on CDNOW', () => {
  const fit = fitGammaGamma(spend);

  it('fits only the 946 customers with x > 0, reproducing p, q, γ to 1 %', () => {
    assert.equal(fit.status, 'converged', fit.reason ?? '');
    assert.equal(fit.customers, 946);
    for (const key of ['p', 'q', 'gamma'] as const) {
      assert.ok(relativeError(fit.params[key], PUBLISHED[key]) < 0.01, `${key}: ${fit.params[key]}`);
    }
  });

  it('reports LL −4,055.9 as Σ ln f(m̄ | x), the density of the mean spend (note 025 eq. 1a, lifetimes’ definition)', () => {
    assert.ok(Math.abs(fit.logLikelihood - -4055.92) < 0.1, `LL ${fit.logLikelihood}`);
    assert.ok(fit.logLikelihood >= gammaGammaLogLikelihood(PUBLISHED, spend));
    assert.ok(Math.abs(gammaGammaLogLikelihood(PUBLISHED, compressSpendPatterns(spend)) - gammaGammaLogLikelihood(PUBLISHED, spend)) < 1e-9);
  });

  it('expected order values of the first ten customers match Hardie’s note 025 spreadsheet (lifetimes’ test, ±0.1)', () => {
    const expected = [24.65, 18.91, 35.17, 35.17, 35.17, 71.46, 18.91, 35.17, 27.28, 35.17];
    spend.slice(0, 10).forEach((row, i) => {
      const got = expectedOrderValue(PUBLISHED, row.x, row.monetaryValue);
      assert.ok(Math.abs(got - expected[i]!) < 0.1, `customer ${i + 1}: ${got} vs ${expected[i]}`);
    });
  });

  it('uses the population mean pγ/(q−1) for customers without repeat spend, and shrinks others toward it', () => {
    const mean = (PUBLISHED.p * PUBLISHED.gamma) / (PUBLISHED.q - 1);
    assert.ok(Math.abs(expectedOrderValue(PUBLISHED, 0, 0) - mean) < 1e-12);
    const high = expectedOrderValue(PUBLISHED, 1, 200);
    assert.ok(high > mean && high < 200);
    // More purchases, more weight on the customer's own mean.
    assert.ok(expectedOrderValue(PUBLISHED, 20, 200) > high);
  });
});

describe('Gamma-Gamma edge cases', () => {
  it('is unit-free in currency: spend × 1000 gives γ × 1000 and the same p, q (the start scales with the data)', () => {
    const base = fitGammaGamma(spend);
    const scaled = fitGammaGamma(spend.map((row) => ({ x: row.x, monetaryValue: row.monetaryValue * 1000 })));
    assert.equal(scaled.status, 'converged');
    assert.ok(relativeError(scaled.params.gamma, base.params.gamma * 1000) < 1e-6);
    assert.ok(relativeError(scaled.params.p, base.params.p) < 1e-6 && relativeError(scaled.params.q, base.params.q) < 1e-6);
  });

  it('rejects parameters without a finite population mean (q ≤ 1) or non-positive ones', () => {
    assert.throws(() => expectedOrderValue({ p: 6, q: 1, gamma: 15 }, 0, 0), RangeError);
    assert.throws(() => expectedOrderValue({ p: -1, q: 3, gamma: 15 }, 2, 10), RangeError);
    assert.throws(() => expectedOrderValue({ p: 6, q: 3, gamma: Number.NaN }, 2, 10), RangeError);
  });

  it('keeps customers with x > 0 and m̄ > 0 only, and rejects malformed rows', () => {
    const patterns = compressSpendPatterns([
      { x: 0, monetaryValue: 0 },
      { x: 2, monetaryValue: 0 },
      { x: 2, monetaryValue: 10 },
      { x: 2, monetaryValue: 10 },
    ]);
    assert.deepEqual(Array.from(patterns.x), [2]);
    assert.deepEqual(Array.from(patterns.weight), [2]);
    assert.throws(() => compressSpendPatterns([{ x: 1.5, monetaryValue: 3 }]), RangeError);
    assert.throws(() => compressSpendPatterns([{ x: 1, monetaryValue: Number.NaN }]), RangeError);
    assert.throws(() => fitGammaGamma([{ x: 0, monetaryValue: 0 }]), RangeError);
    assert.throws(() => fitGammaGamma({ ...patterns, m: Float64Array.of(-5) }), /pattern 0/);
  });

  it('returns a degraded, finite result when spend does not vary (nothing identifies p and q)', () => {
    const fit = fitGammaGamma([{ x: 2, monetaryValue: 10 }, { x: 2, monetaryValue: 10 }, { x: 3, monetaryValue: 10 }]);
    assert.equal(fit.status, 'degraded');
    assert.ok(fit.reason !== null);
    for (const v of Object.values(fit.params)) assert.ok(Number.isFinite(v) && v > 0);
    assert.ok(Number.isFinite(fit.logLikelihood));
    assert.ok(Math.abs(expectedOrderValue(fit.params, 2, 10) - 10) < 0.5);
  });

  it('recovers simulated parameters on many distinct spends (subsample search, Newton polish) at a true maximum', () => {
    const truth: GammaGammaParams = { p: 4, q: 3, gamma: 20 };
    let state = 11;
    const uniform = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    // Gamma(k) for integer k as a sum of exponentials keeps the sampler obviously right.
    const gammaInteger = (k: number): number => {
      let sum = 0;
      for (let i = 0; i < k; i++) sum -= Math.log(1 - uniform());
      return sum;
    };
    const rows: SpendRow[] = [];
    for (let i = 0; i < 30_000; i++) {
      const x = 1 + Math.floor(uniform() * 6);
      const nu = gammaInteger(truth.q) / truth.gamma;
      rows.push({ x, monetaryValue: gammaInteger(truth.p * x) / nu / x });
    }
    const fit = fitGammaGamma(rows);
    assert.equal(fit.status, 'converged', fit.reason ?? '');
    for (const key of ['p', 'q', 'gamma'] as const) {
      assert.ok(relativeError(fit.params[key], truth[key]) < 0.1, `${key}: ${fit.params[key]} vs ${truth[key]}`);
    }
    for (const key of ['p', 'q', 'gamma'] as const) {
      for (const factor of [0.999, 1.001]) {
        assert.ok(gammaGammaLogLikelihood({ ...fit.params, [key]: fit.params[key] * factor }, rows) < fit.logLikelihood, `${key}×${factor}`);
      }
    }
  });
});
