// Special functions for the CLV models (log-gamma and friends), hand-written: JavaScript has no
// standard numerics library, and these few lines keep the models free of native dependencies.

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
const HALF_LN_2PI = 0.5 * Math.log(2 * Math.PI);

/** True for 0, −1, −2, … (the poles of Γ). */
export function isNonPositiveInteger(v: number): boolean {
  return v <= 0 && Number.isInteger(v);
}

/** sin(πv), reduced to [−1, 1] first so large arguments keep their accuracy. */
function sinPi(v: number): number {
  return Math.sin(Math.PI * (v - 2 * Math.round(v / 2)));
}

/** ln Γ(v) for v > 0 (Lanczos below 10, Stirling above, ~1e-15 relative). */
function lnGammaPositive(v: number): number {
  if (v < 0.5) return lnGammaPositive(v + 1) - Math.log(v);
  if (v >= 10) {
    // Stirling with five correction terms: the first omitted one is 2e-14 at 10.
    const inv = 1 / v;
    const inv2 = inv * inv;
    const series = inv * (1 / 12 - inv2 * (1 / 360 - inv2 * (1 / 1260 - inv2 * (1 / 1680 - inv2 / 1188))));
    return (v - 0.5) * Math.log(v) - v + HALF_LN_2PI + series;
  }
  const w = v - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (w + i);
  const t = w + LANCZOS_G + 0.5;
  return HALF_LN_2PI + (w + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln |Γ(v)| for any real v that is not a pole (reflection below 0). */
export function lnAbsGamma(v: number): number {
  if (!Number.isFinite(v) || isNonPositiveInteger(v)) {
    throw new RangeError(`lnAbsGamma: Γ(${v}) is not finite`);
  }
  if (v > 0) return lnGammaPositive(v);
  return Math.log(Math.PI) - Math.log(Math.abs(sinPi(v))) - lnGammaPositive(1 - v);
}

/** Sign of Γ(v) (v not a pole): positive for v > 0, alternating between the poles below 0. */
export function gammaSign(v: number): 1 | -1 {
  return v > 0 || sinPi(v) > 0 ? 1 : -1;
}

/** ln Γ(v) for v > 0. */
export function lnGamma(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`lnGamma: argument must be > 0, got ${v}`);
  return lnGammaPositive(v);
}

/**
 * ln(1 + eᵘ) to ~1e-16 absolute, without overflow. ln(1 + e) for e = e^−|u| ≥ 1e-4 is used instead of
 * Math.log1p, which costs twice as much in V8; below 1e-4 a three-term series is exact to double precision.
 */
export function softplus(u: number): number {
  const e = Math.exp(-Math.abs(u));
  const tail = e < 1e-4 ? e * (1 - e * (0.5 - e / 3)) : Math.log(1 + e);
  return u > 0 ? u + tail : tail;
}

/** Digamma ψ(v) = d ln Γ(v)/dv for v > 0 (recurrence up to 10, then the asymptotic series). */
export function digamma(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`digamma: argument must be > 0, got ${v}`);
  let shift = 0;
  for (; v < 10; v++) shift -= 1 / v;
  const inv2 = 1 / (v * v);
  return shift + Math.log(v) - 0.5 / v - inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 / 132))));
}

/** Trigamma ψ′(v) for v > 0 (recurrence up to 10, then the asymptotic series). */
export function trigamma(v: number): number {
  if (!(v > 0) || !Number.isFinite(v)) throw new RangeError(`trigamma: argument must be > 0, got ${v}`);
  let shift = 0;
  for (; v < 10; v++) shift += 1 / (v * v);
  const inv = 1 / v;
  const inv2 = inv * inv;
  return shift + inv + inv2 * (0.5 + inv * (1 / 6 - inv2 * (1 / 30 - inv2 * (1 / 42 - inv2 / 30))));
}
