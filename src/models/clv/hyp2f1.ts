// Gauss hypergeometric function 2F1(a, b; c; z) for real arguments and z < 1. Hand-written: no
// JavaScript library implements it. The plan follows Abramowitz & Stegun ch. 15:
//   z < 0        Pfaff 15.3.5 maps z to z/(z−1) in (0, 1);
//   0 < z < 1    Euler 15.3.3 when it shrinks the parameters (BG/NBD calls have a, b growing with
//                the purchase count x, where Euler leaves small a, b and a large c), then the power
//                series, which covers every z whose series converges within a bounded number of terms;
//   z near 1     the 1 − z connection formula 15.3.6 when it is well conditioned (parameters·(1 − z)
//                small), with c − a − b near an integer handled by interpolating in c (the formula
//                has removable poles there); otherwise the series with a larger budget.
// Power prefactors from Euler and Pfaff are merged into one exponent (hyp2f1TimesPower), so a
// huge power and a huge series that cancel never overflow on the way.

import { gammaSign, isNonPositiveInteger, lnAbsGamma } from './special.js';

const EPS = 2 ** -53;
/** Series terms tried before switching to the 1 − z formula (bounds the cost per call). */
const SERIES_BUDGET = 20_000;
/** Budget when the 1 − z formula would cancel: ~37/(1 − z) terms, at most ~4.6·max|parameter|. */
const LONG_SERIES_BUDGET = 50_000_000;
/** 15.3.6 is used only while max|parameter|·(1 − z) ≤ this: its two terms grow like e^that and cancel. */
const CONNECTION_SAFE = 8;
/** Above this z the 1 − z formula may take over; below it the series must converge. */
const SERIES_ONLY_BELOW = 0.5;
/** Distance of c − a − b from an integer under which 15.3.6 is interpolated instead. */
const NEAR_INTEGER = 1e-4;

/**
 * Power series Σ (a)ₙ(b)ₙ/((c)ₙ n!) zⁿ; undefined when it has not converged within `budget` terms.
 * The tail after a term is bounded by term·ρ/(1−ρ), ρ the larger of the current term ratio and
 * |z| (the ratios tend to |z| monotonically); two such negligible tails in a row end the sum, so a
 * single term that is tiny because a + n or b + n passes near 0 does not.
 */
function series(a: number, b: number, c: number, z: number, budget: number): number | undefined {
  let term = 1;
  let sum = 1;
  let negligible = 0;
  for (let n = 0; n < budget; n++) {
    const ratio = (((a + n) * (b + n)) / ((c + n) * (n + 1))) * z;
    term *= ratio;
    sum += term;
    if (term === 0) return sum;
    const rho = Math.max(Math.abs(ratio), Math.abs(z));
    if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= EPS * Math.abs(sum)) {
      if (++negligible === 2) return sum;
    } else {
      negligible = 0;
    }
  }
  return undefined;
}

/** Γ(num₀)Γ(num₁)/(Γ(den₀)Γ(den₁)); 0 when a denominator sits on a pole of Γ. */
function gammaRatio(num0: number, num1: number, den0: number, den1: number): number {
  if (isNonPositiveInteger(den0) || isNonPositiveInteger(den1)) return 0;
  const log = lnAbsGamma(num0) + lnAbsGamma(num1) - lnAbsGamma(den0) - lnAbsGamma(den1);
  return gammaSign(num0) * gammaSign(num1) * gammaSign(den0) * gammaSign(den1) * Math.exp(log);
}

function seriesOrThrow(a: number, b: number, c: number, z: number, budget = SERIES_BUDGET): number {
  const value = series(a, b, c, z, budget);
  if (value === undefined) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): series did not converge`);
  return value;
}

/** z with 1 − z and ln(1 − z) carried exactly: after Pfaff, 1 − w recomputed from w would lose digits. */
interface Arg {
  z: number;
  zc: number;
  lnZc: number;
}

/** A&S 15.3.6 for c − a − b not an integer: two series in 1 − z, fast when z is near 1. */
function connection(a: number, b: number, c: number, arg: Arg): number {
  const d = c - a - b;
  const near = gammaRatio(c, d, c - a, c - b) * seriesOrThrow(a, b, 1 - d, arg.zc);
  const far = Math.exp(d * arg.lnZc) * gammaRatio(c, -d, a, b) * seriesOrThrow(c - a, c - b, 1 + d, arg.zc);
  return near + far;
}

/**
 * 15.3.6, or, within NEAR_INTEGER of an integer m = c − a − b (where its two terms have cancelling
 * poles), cubic interpolation in c through c − a − b = m ± NEAR_INTEGER, m ± 2·NEAR_INTEGER: 2F1 is
 * analytic in c, so the error is O(NEAR_INTEGER⁴) plus the cancellation, ~1e-16/NEAR_INTEGER.
 */
function nearOne(a: number, b: number, c: number, arg: Arg): number {
  const d = c - a - b;
  const m = Math.round(d);
  const u = d - m;
  if (Math.abs(u) >= NEAR_INTEGER) return connection(a, b, c, arg);
  const nodes = [-2, -1, 1, 2].map((k) => k * NEAR_INTEGER);
  let value = 0;
  for (const sk of nodes) {
    let weight = 1;
    for (const sj of nodes) if (sj !== sk) weight *= (u - sj) / (sk - sj);
    value += weight * connection(a, b, c + (sk - u), arg);
  }
  return value;
}

/** (1 − z)^e · 2F1(a, b; c; z) for 0 < z < 1, Euler-transformed when that shrinks a and b. */
function unitInterval(a: number, b: number, c: number, arg: Arg, e: number): number {
  const terminating = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (!terminating && Math.abs(c - a) + Math.abs(c - b) < Math.abs(a) + Math.abs(b)) {
    return scaled(unitIntervalDirect(c - a, c - b, c, arg), e + c - a - b, arg);
  }
  return scaled(unitIntervalDirect(a, b, c, arg), e, arg);
}

function scaled(value: number, e: number, arg: Arg): number {
  return e === 0 ? value : Math.exp(e * arg.lnZc) * value;
}

function unitIntervalDirect(a: number, b: number, c: number, arg: Arg): number {
  const { z, zc } = arg;
  const terminating = isNonPositiveInteger(a) || isNonPositiveInteger(b);
  if (terminating || z <= SERIES_ONLY_BELOW) return seriesOrThrow(a, b, c, z);
  const size = Math.max(Math.abs(a), Math.abs(b), Math.abs(c), Math.abs(c - a), Math.abs(c - b));
  if (size * zc > CONNECTION_SAFE) return seriesOrThrow(a, b, c, z, LONG_SERIES_BUDGET);
  return series(a, b, c, z, SERIES_BUDGET) ?? nearOne(a, b, c, arg);
}

/**
 * (1 − z)^e · ₂F₁(a, b; c; z) for real a, b, c (c ∉ {0, −1, −2, …}) and z < 1, with every power of
 * (1 − z) that the transformations introduce folded into e before anything is exponentiated.
 * Throws RangeError for arguments outside that domain or results that do not fit in a double.
 */
export function hyp2f1TimesPower(a: number, b: number, c: number, z: number, e: number): number {
  if (![a, b, c, z, e].every(Number.isFinite)) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}): arguments must be finite`);
  if (isNonPositiveInteger(c)) throw new RangeError(`hyp2f1: c must not be 0, −1, −2, …, got ${c}`);
  if (z >= 1) throw new RangeError(`hyp2f1: z must be < 1, got ${z}`);
  const lnZc = Math.log1p(-z);
  let value: number;
  if (z === 0 || a === 0 || b === 0) {
    value = e === 0 ? 1 : Math.exp(e * lnZc);
  } else if (z > 0) {
    value = unitInterval(a, b, c, { z, zc: 1 - z, lnZc }, e);
  } else {
    // Pfaff: w = z/(z−1), 1 − w = 1/(1 − z), so (1 − z)^e = (1 − w)^−e. It keeps a terminating
    // (polynomial) parameter terminating.
    const arg = { z: -z / (1 - z), zc: 1 / (1 - z), lnZc: -lnZc };
    value =
      isNonPositiveInteger(b) && !isNonPositiveInteger(a)
        ? unitInterval(c - a, b, c, arg, b - e)
        : unitInterval(a, c - b, c, arg, a - e);
  }
  if (!Number.isFinite(value)) throw new RangeError(`hyp2f1(${a}, ${b}; ${c}; ${z}) is not representable as a double`);
  return value;
}

/**
 * Gauss hypergeometric function ₂F₁(a, b; c; z) for real a, b, c (c ∉ {0, −1, −2, …}) and z < 1.
 * Throws RangeError for arguments outside that domain or results that do not fit in a double.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  return hyp2f1TimesPower(a, b, c, z, 0);
}
