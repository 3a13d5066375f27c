import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  bgnbdLogLikelihood,
  compressPatterns,
  expectedPurchases,
  expectedPurchasesIfAlive,
  expectedPurchasesUnconditional,
  fitBgNbd,
  pAlive,
} from '../../src/models/clv/index.js';
import type { BgNbdParams, BtydRow } from '../../src/models/clv/index.js';
import { lnGamma } from '../../src/models/clv/special.js';
import { loadCdnow } from '../fixtures/cdnow/load.js';

/** FHL 2005, table 1 / Hardie's BG/NBD spreadsheet: the MLE on CDNOW in weeks, LL −9,582.4. */
const PUBLISHED: BgNbdParams = { r: 0.2425945, alpha: 4.4136019, a: 0.7929199, b: 2.4258881 };

const cdnow = loadCdnow();

function relativeError(actual: number, expected: number): number {
  return Math.abs(actual - expected) / Math.abs(expected);
}

/**
 * E[Y(t) | alive, x, T] by quadrature of its definition, independent of the hypergeometric route:
 * given alive, λ ~ Gamma(r+x, α+T) and p ~ Beta(a, b+x), and E[Y(t) | λ, p] = (1 − e^(−λpt))/p, so
 * E = ∫ (1 − (1 + pτ)^−(r+x))/p · Beta(p; a, b+x) dp with τ = t/(α+T). Substituting p = e^−y makes
 * the integrand a smooth bump (needs b + x ≥ 1); composite Simpson on 200,000 panels.
 */
function aliveExpectationByQuadrature(params: BgNbdParams, t: number, x: number, T: number): number {
  const { r, alpha, a, b } = params;
  const s = r + x;
  const tau = t / (alpha + T);
  const B = b + x;
  const lnBeta = lnGamma(a) + lnGamma(B) - lnGamma(a + B);
  const f = (y: number): number => {
    if (y === 0) return 0;
    const p = Math.exp(-y);
    const gain = -Math.expm1(-s * Math.log1p(p * tau)) / p;
    return gain * Math.exp(-a * y + (B - 1) * Math.log1p(-p) - lnBeta);
  };
  const upper = 45 / a + Math.log(B) + Math.log1p(s * tau);
  const n = 200_000;
  const h = upper / n;
  let sum = f(0) + f(upper);
  for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * f(i * h);
  return (sum * h) / 3;
}

describe('BG/NBD on CDNOW (weeks)', () => {
  const fit = fitBgNbd(cdnow);

  it('reproduces the published MLE to 0.1 % and LL −9,582.4', () => {
    assert.equal(fit.status, 'converged', fit.reason ?? '');
    assert.equal(fit.customers, 2357);
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      assert.ok(relativeError(fit.params[key], PUBLISHED[key]) < 1e-3, `${key}: ${fit.params[key]} vs ${PUBLISHED[key]}`);
    }
    assert.ok(Math.abs(fit.logLikelihood - -9582.4) < 0.1, `LL ${fit.logLikelihood}`);
    // The fitted point is at least as likely as the published (rounded) one.
    assert.ok(fit.logLikelihood >= bgnbdLogLikelihood(PUBLISHED, cdnow) - 1e-9);
  });

  it('fits patterns: the LL of rows equals that of their weighted patterns, and doubling the data doubles it', () => {
    const patterns = compressPatterns(cdnow);
    assert.equal(fit.patterns, patterns.x.length);
    assert.ok(patterns.x.length < cdnow.length);
    assert.equal(patterns.weight.reduce((s, w) => s + w, 0), cdnow.length);
    const ll = bgnbdLogLikelihood(PUBLISHED, cdnow);
    assert.ok(Math.abs(bgnbdLogLikelihood(PUBLISHED, patterns) - ll) < 1e-8);
    assert.ok(Math.abs(bgnbdLogLikelihood(PUBLISHED, [...cdnow, ...cdnow]) - 2 * ll) < 1e-8);
  });

  it('is unit-free: the same data in days gives α × 7, the same r, a, b, and LL lower by Σx·ln 7', () => {
    const days = fitBgNbd(cdnow.map((c) => ({ x: c.x, tx: c.tx * 7, T: c.T * 7 })));
    assert.equal(days.status, 'converged');
    assert.ok(relativeError(days.params.alpha, 7 * fit.params.alpha) < 1e-6);
    for (const key of ['r', 'a', 'b'] as const) assert.ok(relativeError(days.params[key], fit.params[key]) < 1e-6, key);
    const repeatPurchases = cdnow.reduce((s, c) => s + c.x, 0);
    assert.ok(Math.abs(fit.logLikelihood - days.logLikelihood - repeatPurchases * Math.log(7)) < 1e-6);
  });

  it('shrinks every parameter under an L2 penalty, more so for a larger one (as lifetimes’ penalizer_coef)', () => {
    const light = fitBgNbd(cdnow, { penalizer: 0.1 }).params;
    const heavy = fitBgNbd(cdnow, { penalizer: 10 }).params;
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      assert.ok(light[key] < fit.params[key] && heavy[key] < light[key], key);
    }
  });
});

describe('BG/NBD predictions at the published CDNOW parameters', () => {
  it('E[Y(39) | x=2, t_x=30.43, T=38.86] = 1.226 (FHL 2005 §4; lifetimes’ test against Hardie’s spreadsheet)', () => {
    assert.ok(Math.abs(expectedPurchases(PUBLISHED, 39, 2, 30.43, 38.86) - 1.226) < 1e-3);
  });

  it('E[X(t)] matches Hardie’s BG/NBD spreadsheet (as in lifetimes’ tests, to 3 decimals)', () => {
    const times = [0.1429, 1, 3, 31.8571, 32, 78];
    const expected = [0.0078, 0.0532, 0.1506, 1.0405, 1.0437, 1.8576];
    times.forEach((t, i) => {
      const got = expectedPurchasesUnconditional(PUBLISHED, t);
      assert.ok(Math.abs(got - expected[i]!) < 5e-4, `t=${t}: ${got} vs ${expected[i]}`);
    });
  });

  it('P(alive) equals the alive share of the likelihood (0.7266 for x=2, t_x=30.43, T=38.86)', () => {
    const { r, alpha, a, b } = PUBLISHED;
    for (const [x, tx, T] of [[2, 30.43, 38.86], [1, 1.71, 38.86], [10, 20, 38], [1, 38, 38]] as const) {
      // ln of the "still alive after the x-th purchase" term of FHL eq. 6, from log-gammas.
      const lnAlive =
        lnGamma(r + x) - lnGamma(r) + r * Math.log(alpha) - (r + x) * Math.log(alpha + T) +
        lnGamma(a + b) + lnGamma(b + x) - lnGamma(b) - lnGamma(a + b + x);
      const share = Math.exp(lnAlive - bgnbdLogLikelihood(PUBLISHED, [{ x, tx, T }]));
      assert.ok(Math.abs(pAlive(PUBLISHED, x, tx, T) - share) < 1e-12, `x=${x}`);
    }
    assert.ok(Math.abs(pAlive(PUBLISHED, 2, 30.43, 38.86) - 0.7266) < 1e-4);
    assert.equal(pAlive(PUBLISHED, 0, 0, 38.86), 1);
  });

  it('conditional expectations agree with direct quadrature over the posterior, including a = 1 and long horizons', () => {
    const cases: [BgNbdParams, number, number, number][] = [
      [PUBLISHED, 39, 2, 38.86],
      [PUBLISHED, 390, 5, 20],
      [PUBLISHED, 78, 0, 0],
      [{ ...PUBLISHED, a: 1 }, 39, 2, 38.86],
      [{ ...PUBLISHED, a: 1.0005 }, 39, 2, 38.86],
      [{ ...PUBLISHED, a: 5, b: 12 }, 100, 3, 50],
      [{ ...PUBLISHED, b: 1e6 }, 1e6, 2, 38.86],
    ];
    for (const [params, t, x, T] of cases) {
      const got = expectedPurchasesIfAlive(params, t, x, T);
      const want = aliveExpectationByQuadrature(params, t, x, T);
      assert.ok(relativeError(got, want) < 1e-7, `a=${params.a} b=${params.b} t=${t} x=${x} T=${T}: ${got} vs ${want}`);
    }
  });
});

describe('BG/NBD edge cases', () => {
  it('gives finite, sensible values for extreme customers, horizons and parameters', () => {
    const p = PUBLISHED;
    const cases: [string, BgNbdParams, number, number, number, number][] = [
      ['x = 0', p, 39, 0, 0, 38.86],
      ['t_x = T', p, 39, 5, 38.86, 38.86],
      ['x = 500', p, 39, 500, 30, 38.86],
      ['x = 5000', p, 39, 5000, 30, 38.86],
      ['T = 1e6', p, 39, 3, 10, 1e6],
      ['t = 10·T', p, 388.6, 2, 30.43, 38.86],
      ['t = 1e9, T = 0', p, 1e9, 0, 0, 0],
      ['b = 1e8', { ...p, b: 1e8 }, 39, 2, 30.43, 38.86],
      ['b = 1e6, t = 1e6', { ...p, b: 1e6 }, 1e6, 2, 30.43, 38.86],
      ['a + b = 1, x = 0', { ...p, a: 0.4, b: 0.6 }, 39, 0, 0, 38.86],
      ['r = 1e-8', { ...p, r: 1e-8 }, 39, 2, 30.43, 38.86],
      ['α = 1e-8', { ...p, alpha: 1e-8 }, 39, 2, 30.43, 38.86],
      ['α = 1e8', { ...p, alpha: 1e8 }, 39, 2, 30.43, 38.86],
      ['a = 1e-8', { ...p, a: 1e-8 }, 39, 2, 30.43, 38.86],
      ['a = 1e8', { ...p, a: 1e8 }, 39, 2, 30.43, 38.86],
      ['b = 1e-8', { ...p, b: 1e-8 }, 39, 1, 30.43, 38.86],
      ['r = α = 1e8', { ...p, r: 1e8, alpha: 1e8 }, 39, 2, 30.43, 38.86],
    ];
    for (const [label, params, t, x, tx, T] of cases) {
      const alive = pAlive(params, x, tx, T);
      const expected = expectedPurchases(params, t, x, tx, T);
      assert.ok(alive >= 0 && alive <= 1, `${label}: P(alive) ${alive}`);
      assert.ok(Number.isFinite(expected) && expected >= 0, `${label}: E ${expected}`);
    }
    // A customer who has not bought for 1e6 weeks is as good as gone; one who just bought is likely alive.
    assert.ok(pAlive(p, 3, 10, 1e6) < 1e-10);
    assert.ok(pAlive(p, 5, 38.86, 38.86) > 0.85);
    // Without drop-out (b → ∞) BG/NBD becomes the NBD: E → (r+x)·t/(α+T).
    assert.ok(relativeError(expectedPurchases({ ...p, b: 1e8 }, 39, 2, 30.43, 38.86), (2 + p.r) * 39 / (p.alpha + 38.86)) < 1e-5);
  });

  it('is continuous through the removable singularity at a = 1', () => {
    const at = (a: number): number => expectedPurchasesIfAlive({ ...PUBLISHED, a }, 39, 2, 38.86);
    const values = [1 - 2e-3, 1 - 1e-3, 1 - 5e-4, 1, 1 + 5e-4, 1 + 1e-3, 1 + 2e-3].map(at);
    for (let i = 1; i < values.length; i++) {
      assert.ok(values[i]! < values[i - 1]!, 'decreasing in a');
      assert.ok(values[i - 1]! - values[i]! < 1e-3, 'no jump');
    }
  });

  it('returns a degraded, finite result for data that cannot identify the model (no repeat purchases)', () => {
    const fit = fitBgNbd(Array.from({ length: 200 }, (_, i) => ({ x: 0, tx: 0, T: 5 + (i % 40) })));
    assert.equal(fit.status, 'degraded');
    assert.match(fit.reason ?? '', /edge of the search range/);
    for (const v of Object.values(fit.params)) assert.ok(Number.isFinite(v) && v > 0);
    assert.ok(Number.isFinite(fit.logLikelihood));
    assert.ok(Number.isFinite(expectedPurchases(fit.params, 30, 0, 0, 10)));
  });

  it('rejects invalid customers and empty input with a RangeError', () => {
    assert.throws(() => fitBgNbd([]), RangeError);
    const bad: BtydRow[] = [
      { x: 1.5, tx: 1, T: 2 },
      { x: -1, tx: 0, T: 2 },
      { x: 1, tx: 3, T: 2 },
      { x: 0, tx: 1, T: 2 },
      { x: 1, tx: Number.NaN, T: 2 },
    ];
    for (const row of bad) assert.throws(() => compressPatterns([row]), RangeError, JSON.stringify(row));
    assert.throws(() => expectedPurchases(PUBLISHED, -1, 1, 1, 2), RangeError);
    assert.throws(() => pAlive({ ...PUBLISHED, b: 0 }, 1, 1, 2), RangeError);
    const patterns = compressPatterns([{ x: 1, tx: 1, T: 2 }]);
    assert.throws(() => fitBgNbd({ ...patterns, weight: Float64Array.of(-1) }), RangeError);
    assert.throws(() => fitBgNbd({ ...patterns, tx: Float64Array.of(3) }), /pattern 0/);
    assert.throws(() => expectedPurchases({ ...PUBLISHED, alpha: Number.NaN }, 10, 1, 1, 2), RangeError);
  });
});

/** Deterministic PRNG (mulberry32) and gamma sampler (Marsaglia–Tsang) for simulated customers. */
function simulator(seed: number): { uniform: () => number; gamma: (shape: number) => number } {
  let state = seed;
  const uniform = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const gamma = (shape: number): number => {
    if (shape < 1) return gamma(shape + 1) * Math.pow(uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(uniform()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
    }
  };
  return { uniform, gamma };
}

describe('BG/NBD on many distinct patterns (subsample search, Newton polish)', () => {
  it('recovers simulated daily-grain parameters at a true maximum of the full likelihood', () => {
    const truth: BgNbdParams = { r: 0.6, alpha: 30, a: 0.7, b: 3 };
    const { uniform, gamma } = simulator(7);
    const rows: BtydRow[] = [];
    for (let i = 0; i < 40_000; i++) {
      const T = 1 + Math.floor(uniform() * 730);
      const lambda = gamma(truth.r) / truth.alpha;
      const ga = gamma(truth.a);
      const dropout = ga / (ga + gamma(truth.b));
      let t = 0;
      let x = 0;
      let last = 0;
      for (;;) {
        t += -Math.log(1 - uniform()) / lambda;
        if (t > T) break;
        x += 1;
        last = Math.ceil(t);
        if (uniform() < dropout) break;
      }
      rows.push({ x, tx: Math.min(last, T), T });
    }
    const patterns = compressPatterns(rows);
    assert.ok(patterns.x.length > 20_000, `only ${patterns.x.length} patterns: the subsample path is not exercised`);
    const fit = fitBgNbd(patterns);
    assert.equal(fit.status, 'converged', fit.reason ?? '');
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      assert.ok(relativeError(fit.params[key], truth[key]) < 0.15, `${key}: ${fit.params[key]} vs ${truth[key]}`);
    }
    // A maximum: moving any parameter by 0.1 % either way lowers the full-data likelihood.
    for (const key of ['r', 'alpha', 'a', 'b'] as const) {
      for (const factor of [0.999, 1.001]) {
        assert.ok(bgnbdLogLikelihood({ ...fit.params, [key]: fit.params[key] * factor }, patterns) < fit.logLikelihood, `${key}×${factor}`);
      }
    }
  });
});
