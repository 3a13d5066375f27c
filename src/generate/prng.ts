/**
 * A small seeded pseudo-random generator (sfc32, 128-bit state) and the distributions the
 * synthetic data generator draws from. Same seed ⇒ same sequence on every platform: only
 * 32-bit integer arithmetic and IEEE doubles are involved.
 */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** Box–Muller yields normals in pairs; the second one is kept for the next call. */
  private spare = Number.NaN;

  /** Seeds the state from any safe integer via splitmix32, so adjacent seeds give unrelated streams. */
  constructor(seed: number) {
    let s = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) >>> 0, 0x9e3779b1);
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** Next raw 32-bit output (sfc32). */
  nextU32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer on [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const z = this.spare;
      this.spare = Number.NaN;
      return z;
    }
    const u = 1 - this.uniform();
    const v = this.uniform();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Exponential with the given rate (mean 1/rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** Gamma(shape, scale) by Marsaglia–Tsang; shapes below 1 use the u^(1/shape) boost. */
  gamma(shape: number, scale: number): number {
    if (shape < 1) return this.gamma(shape + 1, scale) * Math.pow(1 - this.uniform(), 1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  }

  /** Beta(a, b) as a ratio of gammas. */
  beta(a: number, b: number): number {
    const x = this.gamma(a, 1);
    const y = this.gamma(b, 1);
    return x + y > 0 ? x / (x + y) : 0.5;
  }

  /** Poisson(mean): Knuth's product method for small means, a rounded normal above 30. */
  poisson(mean: number): number {
    if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * this.normal()));
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.uniform();
    while (p > limit) {
      k++;
      p *= this.uniform();
    }
    return k;
  }
}

/** Weighted choice in O(1) per draw (Walker/Vose alias method). */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;

  /** Builds the table from non-negative weights (at least one positive). */
  constructor(weights: readonly number[]) {
    const n = weights.length;
    const total = weights.reduce((s, w) => s + w, 0);
    if (n === 0 || !(total > 0)) throw new RangeError('AliasTable needs a positive weight');
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((w, i) => (w < 1 ? small : large).push(i));
    for (;;) {
      const s = small.pop();
      const l = large.pop();
      if (s === undefined || l === undefined) {
        // Leftovers are 1 up to rounding error.
        for (const i of [s, l, ...small, ...large]) if (i !== undefined) this.prob[i] = 1;
        break;
      }
      this.prob[s] = scaled[s] ?? 0;
      this.alias[s] = l;
      const rest = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
      scaled[l] = rest;
      (rest < 1 ? small : large).push(l);
    }
  }

  /** Draws an index with probability proportional to its weight. */
  sample(rng: Rng): number {
    const x = rng.uniform() * this.prob.length;
    const i = Math.floor(x);
    return x - i < (this.prob[i] ?? 1) ? i : (this.alias[i] ?? i);
  }
}
