// Minimisers for the CLV model fits: Nelder–Mead for a derivative-free search, damped Newton for the
// last digits. Nelder–Mead is written here rather than taken from `fmin`: fmin 0.0.4 ships a UMD
// bundle under "type": "module" (so `import { nelderMead } from 'fmin'` finds no export) and its
// shrink step assigns an undeclared variable, which throws in strict mode.

/** Outcome of a model fit: `degraded` results carry finite parameters and the reason they are suspect. */
export type FitStatus = 'converged' | 'degraded';

export interface NelderMeadOptions {
  /** Side of the initial simplex along each axis. */
  step?: number;
  /** Stop when every vertex is within this distance of the best one, per coordinate… */
  xTolerance?: number;
  /** …and every vertex value within this of the best value. */
  fTolerance?: number;
  maxIterations?: number;
}

export interface Minimum {
  x: number[];
  fx: number;
  converged: boolean;
  evaluations: number;
}

interface Vertex {
  x: number[];
  fx: number;
}

/** NaN counts as +∞ so a failed evaluation is simply the worst vertex. */
function evaluate(f: (x: readonly number[]) => number, x: number[]): Vertex {
  const fx = f(x);
  return { x, fx: Number.isNaN(fx) ? Number.POSITIVE_INFINITY : fx };
}

/** Downhill simplex (Nelder & Mead 1965; reflection 1, expansion 2, contraction ½, shrink ½). */
export function nelderMead(
  f: (x: readonly number[]) => number,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): Minimum {
  const { step = 0.5, xTolerance = 1e-9, fTolerance = 1e-12 } = options;
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 1000 * n;
  let evaluations = 0;
  const at = (x: number[]): Vertex => {
    evaluations++;
    return evaluate(f, x);
  };
  const simplex: Vertex[] = [at([...x0])];
  for (let i = 0; i < n; i++) {
    const x = [...x0];
    x[i] = x[i]! + step;
    simplex.push(at(x));
  }
  const along = (from: readonly number[], to: readonly number[], t: number): number[] =>
    from.map((v, i) => v + t * (to[i]! - v));
  let converged = false;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((p, q) => p.fx - q.fx || 0);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    const spreadF = worst.fx - best.fx;
    const spreadX = Math.max(...simplex.map((v) => Math.max(...v.x.map((xi, i) => Math.abs(xi - best.x[i]!)))));
    if (spreadF <= fTolerance && spreadX <= xTolerance) {
      converged = true;
      break;
    }
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) centroid[i]! += simplex[k]!.x[i]! / n;
    const reflected = at(along(centroid, worst.x, -1));
    if (reflected.fx < best.fx) {
      const expanded = at(along(centroid, worst.x, -2));
      simplex[n] = expanded.fx < reflected.fx ? expanded : reflected;
      continue;
    }
    if (reflected.fx < simplex[n - 1]!.fx) {
      simplex[n] = reflected;
      continue;
    }
    const outside = reflected.fx < worst.fx;
    const contracted = at(along(centroid, worst.x, outside ? -0.5 : 0.5));
    if (contracted.fx < (outside ? reflected.fx : worst.fx)) {
      simplex[n] = contracted;
      continue;
    }
    for (let k = 1; k <= n; k++) simplex[k] = at(along(best.x, simplex[k]!.x, 0.5));
  }
  simplex.sort((p, q) => p.fx - q.fx || 0);
  const best = simplex[0]!;
  return { x: best.x, fx: best.fx, converged: converged && Number.isFinite(best.fx), evaluations };
}

/**
 * Nelder–Mead restarted from its own optimum until a restart no longer improves it (a collapsed
 * simplex can stop short of the minimum), tried from each start in turn until one gives an
 * acceptable converged minimum; otherwise the best finite minimum found. Null when none is finite.
 */
export function minimizeFromStarts(
  f: (x: readonly number[]) => number,
  starts: readonly (readonly number[])[],
  acceptable: (m: Minimum) => boolean,
  options: NelderMeadOptions = {},
): Minimum | null {
  const fTolerance = options.fTolerance ?? 1e-12;
  let best: Minimum | null = null;
  let evaluations = 0;
  for (const start of starts) {
    let current = nelderMead(f, start, options);
    evaluations += current.evaluations;
    for (let restart = 0; restart < 5 && Number.isFinite(current.fx); restart++) {
      const again = nelderMead(f, current.x, { ...options, step: Math.min(options.step ?? 0.5, 0.1) });
      evaluations += again.evaluations;
      const improved = again.fx < current.fx - fTolerance;
      current = again.fx <= current.fx ? again : { ...current, converged: current.converged && again.converged };
      if (!improved) break;
    }
    if (Number.isFinite(current.fx) && (best === null || current.fx < best.fx)) best = current;
    if (best !== null && best.converged && acceptable(best)) break;
  }
  return best === null ? null : { ...best, evaluations };
}

/** Value, gradient and Hessian of an objective at one point. */
export interface SecondOrder {
  f: number;
  g: number[];
  h: number[][];
}

/** Solves (H + shift·I) d = −g by Cholesky; null when that matrix is not positive definite. */
function newtonStep(h: readonly (readonly number[])[], g: readonly number[], shift: number): number[] | null {
  const n = g.length;
  const l = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = h[i]![j]! + (i === j ? shift : 0);
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      if (i === j) {
        if (!(sum > 0)) return null;
        l[i]![i] = Math.sqrt(sum);
      } else {
        l[i]![j] = sum / l[j]![j]!;
      }
    }
  }
  const y = new Array<number>(n).fill(0);
  for (let i = 0; i < n; i++) {
    let sum = -g[i]!;
    for (let k = 0; k < i; k++) sum -= l[i]![k]! * y[k]!;
    y[i] = sum / l[i]![i]!;
  }
  const d = new Array<number>(n).fill(0);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i]!;
    for (let k = i + 1; k < n; k++) sum -= l[k]![i]! * d[k]!;
    d[i] = sum / l[i]![i]!;
  }
  return d;
}

/** Relative size of the rounding in an objective summed over many patterns. */
const NOISE = 1e-11;

/**
 * Damped Newton from x0, for the last digits after Nelder–Mead has found the basin (Nelder–Mead
 * converges only linearly, and on a large data set each of its hundreds of steps is a full pass).
 * A Hessian that is not positive definite gets a Levenberg shift; steps are halved until f drops.
 * f is a sum over up to millions of patterns whose rounding (~1e-13 relative) hides decreases below
 * NOISE·(1 + |f|); a step predicted to gain less than that (−g·d/2) is taken without a line search
 * and ends the search: that close to the optimum the quadratic model is exact to far better than f.
 */
export function newtonMinimize(
  f: (x: readonly number[]) => number,
  secondOrder: (x: readonly number[]) => SecondOrder,
  x0: readonly number[],
  maxIterations = 50,
): Minimum {
  let x = [...x0];
  let evaluations = 0;
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    const at = secondOrder(x);
    evaluations++;
    if (!Number.isFinite(at.f) || at.g.some((v) => !Number.isFinite(v))) break;
    let step = newtonStep(at.h, at.g, 0);
    const positiveDefinite = step !== null;
    const scale = Math.max(...at.h.map((row, i) => Math.abs(row[i]!)), 1e-12);
    for (let shift = 1e-10 * scale; step === null && shift <= 1e6 * scale; shift *= 2) step = newtonStep(at.h, at.g, shift);
    if (step === null) break;
    const predicted = -0.5 * step.reduce((sum, d, i) => sum + d * at.g[i]!, 0);
    // A shifted step is short by construction, so its small predicted gain says nothing about the optimum.
    if (positiveDefinite && predicted <= NOISE * (1 + Math.abs(at.f))) {
      const last = x.map((v, i) => v + step[i]!);
      return { x: last, fx: f(last), converged: true, evaluations: evaluations + 1 };
    }
    let accepted = false;
    for (let t = 1; t > 1e-6; t /= 2) {
      const candidate = x.map((v, i) => v + t * step[i]!);
      const fc = f(candidate);
      evaluations++;
      if (fc <= at.f) {
        x = candidate;
        accepted = true;
        break;
      }
    }
    if (!accepted) break;
  }
  return { x, fx: f(x), converged: false, evaluations: evaluations + 1 };
}

/**
 * Gradient and Hessian with respect to θ when each parameter is pᵢ = cᵢ + e^θᵢ, from those with
 * respect to p: ∂pᵢ/∂θᵢ = ∂²pᵢ/∂θᵢ² = pᵢ − cᵢ = vᵢ.
 */
export function toLogSpace(
  g: readonly number[],
  h: readonly (readonly number[])[],
  v: readonly number[],
): { g: number[]; h: number[][] } {
  return {
    g: g.map((gi, i) => gi * v[i]!),
    h: h.map((row, i) => row.map((hij, j) => hij * v[i]! * v[j]! + (i === j ? g[i]! * v[i]! : 0))),
  };
}

/** Above this many patterns the Nelder–Mead search runs on a stride subsample of about this size. */
export const SEARCH_PATTERNS = 20_000;
/** The search only has to find the basin: Newton supplies the last digits. */
const SEARCH_TOLERANCE = { xTolerance: 1e-4, fTolerance: 1e-9 };

/**
 * The fit strategy of both CLV models: Nelder–Mead from the starts on a subsample objective (all of
 * the data when small) to find the basin, then Newton steps on all the data; full-data Nelder–Mead
 * when Newton fails or the search found nothing acceptable. Null when no finite minimum exists.
 */
export function searchThenPolish(
  full: (x: readonly number[]) => number,
  search: (x: readonly number[]) => number,
  secondOrder: (x: readonly number[]) => SecondOrder,
  starts: readonly (readonly number[])[],
  acceptable: (m: Minimum) => boolean,
): Minimum | null {
  const found = minimizeFromStarts(search, starts, acceptable, SEARCH_TOLERANCE);
  if (found !== null && found.converged && acceptable(found)) {
    const polished = newtonMinimize(full, secondOrder, found.x);
    return polished.converged && acceptable(polished) ? polished : minimizeFromStarts(full, [found.x, ...starts], acceptable);
  }
  return search !== full ? minimizeFromStarts(full, starts, acceptable) : found;
}

/**
 * Why a fit is degraded, or null when it converged inside the search box with a finite
 * log-likelihood. `edge` is the box's half-width in log-parameters; `names` name the parameters.
 */
export function degradedReason(
  best: Minimum | null,
  edge: number,
  names: readonly string[],
  logLikelihood: number,
): string | null {
  if (best === null || !best.converged) return 'the optimiser did not converge';
  const atEdge = names.filter((_, i) => Math.abs(best.x[i]!) >= edge);
  if (atEdge.length > 0) return `parameter(s) ${atEdge.join(', ')} ran to the edge of the search range (the data do not identify them)`;
  return Number.isFinite(logLikelihood) ? null : 'the log-likelihood is not finite';
}
