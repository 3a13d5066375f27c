import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { hyp2f1, hyp2f1TimesPower } from '../../src/models/clv/hyp2f1.js';
import { digamma, lnAbsGamma, lnGamma, softplus, trigamma } from '../../src/models/clv/special.js';

function assertClose(actual: number, expected: number, relative: number, label: string): void {
  assert.ok(Number.isFinite(actual), `${label}: got ${actual}`);
  const error = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-300);
  assert.ok(error <= relative, `${label}: got ${actual}, want ${expected} (relative error ${error.toExponential(2)})`);
}

/** z from 0 to within 1e-12 of 1, through the series, Euler and 1 − z regimes. */
const Z = [1e-12, 0.1, 0.5, 0.7, 0.9, 0.99, 0.999, 0.9999, 1 - 1e-8, 1 - 1e-12];

describe('hyp2f1 against closed forms', () => {
  it('2F1(1, 1; 2; z) = −ln(1 − z)/z, including the log-singular c − a − b = 0 case near 1', () => {
    for (const z of Z) assertClose(hyp2f1(1, 1, 2, z), -Math.log1p(-z) / z, 1e-11, `z=${z}`);
  });

  it('2F1(a, b; b; z) = (1 − z)^−a', () => {
    for (const z of [...Z, -0.5, -5, -1e6]) {
      assertClose(hyp2f1(0.3, 2.7, 2.7, z), Math.pow(1 - z, -0.3), 1e-13, `a=0.3 z=${z}`);
      assertClose(hyp2f1(1.7, 0.4, 0.4, z), Math.pow(1 - z, -1.7), 1e-13, `a=1.7 z=${z}`);
    }
  });

  it('2F1(½, ½; 3/2; z) = arcsin(√z)/√z', () => {
    for (const z of Z) {
      // π/2 − arcsin(√(1−z)) keeps the reference accurate as z → 1.
      const expected = (Math.PI / 2 - Math.asin(Math.sqrt(1 - z))) / Math.sqrt(z);
      assertClose(hyp2f1(0.5, 0.5, 1.5, z), z < 0.5 ? Math.asin(Math.sqrt(z)) / Math.sqrt(z) : expected, 1e-12, `z=${z}`);
    }
  });

  it('negative z: 2F1(½, 1; 3/2; −z) = arctan(√z)/√z and 2F1(1, 1; 2; −z) = ln(1 + z)/z', () => {
    for (const z of [0.1, 0.9, 0.999, 5, 1e6, 1e12]) {
      assertClose(hyp2f1(0.5, 1, 1.5, -z), Math.atan(Math.sqrt(z)) / Math.sqrt(z), 1e-12, `atan z=${z}`);
      assertClose(hyp2f1(1, 1, 2, -z), Math.log1p(z) / z, 1e-11, `log z=${z}`);
    }
  });

  it('classic special values near 1: 2F1(1/3, 2/3; 5/6; 27/32) = 8/5 and 2F1(1/4, 1/2; 3/4; 80/81) = 9/5', () => {
    assertClose(hyp2f1(1 / 3, 2 / 3, 5 / 6, 27 / 32), 8 / 5, 1e-13, '27/32');
    assertClose(hyp2f1(1 / 4, 1 / 2, 3 / 4, 80 / 81), 9 / 5, 1e-13, '80/81');
  });

  it('tends to Gauss’s Γ(c)Γ(c−a−b)/(Γ(c−a)Γ(c−b)) as z → 1 when c − a − b > 0', () => {
    const gauss = (a: number, b: number, c: number): number =>
      Math.exp(lnGamma(c) + lnGamma(c - a - b) - lnGamma(c - a) - lnGamma(c - b));
    assertClose(hyp2f1(0.5, 0.25, 2, 1 - 1e-14), gauss(0.5, 0.25, 2), 1e-12, 'd=1.25');
    assertClose(hyp2f1(1.5, 2.5, 5.2, 1 - 1e-13), gauss(1.5, 2.5, 5.2), 1e-11, 'd=1.2');
  });

  it('terminates for a non-positive integer a (a polynomial), for z on both sides of 0', () => {
    const b = 2.5;
    const c = 1.5;
    const cubic = (z: number): number =>
      1 - (3 * b * z) / c + (3 * b * (b + 1) * z * z) / (c * (c + 1)) - (b * (b + 1) * (b + 2) * z ** 3) / (c * (c + 1) * (c + 2));
    for (const z of [0.3, 0.97, -4.2]) assertClose(hyp2f1(-3, b, c, z), cubic(z), 1e-12, `z=${z}`);
  });

  it('keeps cancelling powers apart: (1 − z)^e·2F1 with a huge Euler prefactor stays finite', () => {
    // (1−z)^(c−a−b) alone is 0.5^(−1e8): far beyond a double, yet times (1−z)^e it is 0.5^2.
    const value = hyp2f1TimesPower(1e8 + 1, 1e8 - 1, 1e8 + 2, 0.5, 1e8);
    assertClose(value, hyp2f1(1, 3, 1e8 + 2, 0.5) * 0.25, 1e-9, 'huge a, b, c');
  });

  it('returns 1 at z = 0 and for a or b = 0', () => {
    assert.equal(hyp2f1(3, 4, 5, 0), 1);
    assert.equal(hyp2f1(0, 4, 5, 0.9), 1);
    assert.equal(hyp2f1(3, 0, 5, -7), 1);
  });

  it('rejects arguments outside its domain with a RangeError, never NaN', () => {
    assert.throws(() => hyp2f1(1, 1, 0, 0.5), RangeError);
    assert.throws(() => hyp2f1(1, 1, -2, 0.5), RangeError);
    assert.throws(() => hyp2f1(1, 1, 2, 1), RangeError);
    assert.throws(() => hyp2f1(1, 1, 2, Number.NaN), RangeError);
    assert.throws(() => hyp2f1(1, 1, Number.POSITIVE_INFINITY, 0.5), RangeError);
  });
});

describe('special functions', () => {
  it('lnGamma matches factorials and Γ(½) = √π on both sides of the Lanczos/Stirling switch at 10', () => {
    assertClose(lnGamma(0.5), 0.5 * Math.log(Math.PI), 1e-14, 'Γ(1/2)');
    assert.ok(Math.abs(lnGamma(1)) < 1e-15 && Math.abs(lnGamma(2)) < 1e-15);
    let lnFactorial = 0;
    for (let n = 1; n <= 30; n++) {
      assertClose(lnGamma(n + 1), lnFactorial + Math.log(n), 1e-14, `${n}!`);
      lnFactorial += Math.log(n);
    }
    assertClose(lnGamma(1e-8), -Math.log(1e-8) - 0.5772156649015329e-8, 1e-14, 'small');
    assert.throws(() => lnGamma(0), RangeError);
  });

  it('lnAbsGamma reflects below 0: Γ(−½) = −2√π', () => {
    assertClose(lnAbsGamma(-0.5), Math.log(2 * Math.sqrt(Math.PI)), 1e-14, 'Γ(−1/2)');
    assert.throws(() => lnAbsGamma(-3), RangeError);
  });

  it('digamma and trigamma match ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, ψ′(1) = π²/6, ψ′(½) = π²/2', () => {
    const euler = 0.5772156649015329;
    assertClose(digamma(1), -euler, 1e-12, 'ψ(1)');
    assertClose(digamma(0.5), -euler - 2 * Math.log(2), 1e-12, 'ψ(1/2)');
    assertClose(trigamma(1), Math.PI ** 2 / 6, 1e-11, 'ψ′(1)');
    assertClose(trigamma(0.5), Math.PI ** 2 / 2, 1e-11, 'ψ′(1/2)');
    assertClose(digamma(101), digamma(100) + 1 / 100, 1e-13, 'ψ recurrence');
  });

  it('softplus is ln(1 + eᵘ) without overflow or underflow', () => {
    assert.equal(softplus(1000), 1000);
    assertClose(softplus(-800), Math.exp(-800), 1e-12, 'tiny');
    assertClose(softplus(0), Math.LN2, 1e-15, '0');
    for (const u of [-30, -9.3, -1, 0.5, 3, 40]) assert.ok(Math.abs(softplus(u) - Math.log1p(Math.exp(u))) < 2e-16 * Math.max(1, u));
  });
});
