/**
 * Cluster names by rule from centroids, kept stable from one snapshot to the next.
 * Centroid coordinates are ordered recency, frequency, monetary (then tenure, when used).
 */

/** Mean and standard deviation of each log1p feature, fixing the standardised units of a run. */
export interface Standardisation {
  mean: number[];
  sd: number[];
}

/** What a run stores so the next one can keep its names: centroids in log1p units (not standardised). */
export interface ClusterSnapshot {
  centroidsLog1p: number[][];
  names: string[];
}

export interface ClusterNaming {
  /** Name of each centroid, in the order given. */
  names: string[];
  /** Index of the previous snapshot's cluster whose name was kept, or null for a rule name. */
  keptFrom: (number | null)[];
}

export interface NameClustersInput {
  centroidsLog1p: number[][];
  standardisation: Standardisation;
  previous?: ClusterSnapshot;
  /** Farthest (standardised units) a cluster may move and keep its name; default 1. */
  maxShift?: number;
}

/**
 * Names for each quadrant of (recency, F/M level) relative to the customer average, best value
 * first. `single` is the name when the quadrant holds one cluster.
 */
const LADDERS = {
  activeHigh: { names: ['Champions', 'Loyal', 'Potential Loyalist'], single: 'Champions' },
  activeLow: { names: ['Promising', 'New', 'Need Attention'], single: 'Promising' },
  lapsedHigh: { names: ["Can't Lose", 'At Risk'], single: 'At Risk' },
  lapsedLow: { names: ['About to Sleep', 'Hibernating', 'Lost'], single: 'Lost' },
} as const;

type Quadrant = keyof typeof LADDERS;

/** Value of a standardised centroid: fewer recency days, more orders and more revenue are better. */
export function valueScore(centroid: readonly number[]): number {
  return -(centroid[0] ?? 0) + (centroid[1] ?? 0) + (centroid[2] ?? 0);
}

/** Centroid indices from highest to lowest value score (ties keep index order). */
export function orderByValue(centroids: readonly (readonly number[])[]): number[] {
  return centroids.map((_, i) => i).sort((a, b) => valueScore(centroids[b]!) - valueScore(centroids[a]!) || a - b);
}

/** A log1p-unit point expressed in the standardised units of `standardisation`. */
export function standardise(pointLog1p: readonly number[], standardisation: Standardisation): number[] {
  return pointLog1p.map((x, d) => (x - (standardisation.mean[d] ?? 0)) / (standardisation.sd[d] ?? 1));
}

function quadrantOf(centroid: readonly number[]): Quadrant {
  const active = (centroid[0] ?? 0) <= 0;
  const high = (centroid[1] ?? 0) + (centroid[2] ?? 0) > 0;
  if (active) return high ? 'activeHigh' : 'activeLow';
  return high ? 'lapsedHigh' : 'lapsedLow';
}

/** Every name a cluster may take, its rule name first; suffixed names make the list endless. */
function* candidateNames(quadrant: Quadrant, rank: number, members: number): Generator<string> {
  const { names, single } = LADDERS[quadrant];
  const last = names.length - 1;
  if (members === 1) yield single;
  else if (rank <= last) yield names[members > names.length ? rank : Math.round((rank * last) / (members - 1))]!;
  yield* names;
  for (let suffix = 2; ; suffix++) yield `${names[last]!} ${suffix}`;
}

/** Per centroid: its quadrant, its rank inside the quadrant by value, and the quadrant's size. */
function placement(centroids: readonly (readonly number[])[]): { quadrant: Quadrant; rank: number; members: number }[] {
  const quadrants = centroids.map(quadrantOf);
  const ranks = new Array<number>(centroids.length).fill(0);
  const members = new Map<Quadrant, number>();
  for (const i of orderByValue(centroids)) {
    const q = quadrants[i]!;
    ranks[i] = members.get(q) ?? 0;
    members.set(q, ranks[i]! + 1);
  }
  return quadrants.map((quadrant, i) => ({ quadrant, rank: ranks[i]!, members: members.get(quadrant)! }));
}

/** Distinct rule names for standardised centroids, whatever their number. */
export function ruleNames(centroids: readonly (readonly number[])[]): string[] {
  return assignFresh(centroids, new Array<string | null>(centroids.length).fill(null));
}

/** Fills the null slots, best value first, with the first candidate name not yet in use. */
function assignFresh(centroids: readonly (readonly number[])[], names: (string | null)[]): string[] {
  const used = new Set(names.filter((name): name is string => name !== null));
  const places = placement(centroids);
  for (const i of orderByValue(centroids)) {
    if (names[i] !== null) continue;
    const { quadrant, rank, members } = places[i]!;
    for (const candidate of candidateNames(quadrant, rank, members)) {
      if (!used.has(candidate)) {
        names[i] = candidate;
        used.add(candidate);
        break;
      }
    }
  }
  return names.map((name) => name!);
}

/** Minimum-cost assignment (Hungarian, O(n²m)) for rows ≤ columns; returns the column of each row. */
export function minimumCostAssignment(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  const m = cost[0]?.length ?? 0;
  if (n > m) throw new RangeError('assignment needs rows ≤ columns');
  const u = new Float64Array(n + 1);
  const v = new Float64Array(m + 1);
  const owner = new Int32Array(m + 1);
  const way = new Int32Array(m + 1);
  for (let i = 1; i <= n; i++) {
    owner[0] = i;
    let j0 = 0;
    const minv = new Float64Array(m + 1).fill(Infinity);
    const used = new Uint8Array(m + 1);
    do {
      used[j0] = 1;
      const i0 = owner[j0]!;
      let delta = Infinity;
      let j1 = 0;
      for (let j = 1; j <= m; j++) {
        if (used[j]) continue;
        const reduced = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (reduced < minv[j]!) {
          minv[j] = reduced;
          way[j] = j0;
        }
        if (minv[j]! < delta) {
          delta = minv[j]!;
          j1 = j;
        }
      }
      for (let j = 0; j <= m; j++) {
        if (used[j]) {
          u[owner[j]!]! += delta;
          v[j]! -= delta;
        } else minv[j]! -= delta;
      }
      j0 = j1;
    } while (owner[j0] !== 0);
    do {
      const j1 = way[j0]!;
      owner[j0] = owner[j1]!;
      j0 = j1;
    } while (j0 !== 0);
  }
  const columnOf = new Array<number>(n).fill(-1);
  for (let j = 1; j <= m; j++) if (owner[j]! > 0) columnOf[owner[j]! - 1] = j - 1;
  return columnOf;
}

function distance(a: readonly number[], b: readonly number[]): number {
  return Math.sqrt(a.reduce((sum, x, d) => sum + (x - (b[d] ?? 0)) ** 2, 0));
}

/**
 * Names today's clusters: a cluster matched to one of yesterday's (minimum total distance, in
 * today's standardised units, and moved at most maxShift) keeps yesterday's name; the others get
 * the first rule name not already in use.
 */
export function nameClusters(input: NameClustersInput): ClusterNaming {
  const { centroidsLog1p, standardisation, previous, maxShift = 1 } = input;
  const today = centroidsLog1p.map((c) => standardise(c, standardisation));
  const names = new Array<string | null>(today.length).fill(null);
  const keptFrom = new Array<number | null>(today.length).fill(null);
  const comparable =
    previous !== undefined &&
    previous.centroidsLog1p.length > 0 &&
    previous.centroidsLog1p.every((c) => c.length === (today[0]?.length ?? -1));
  if (comparable) {
    const before = previous.centroidsLog1p.map((c) => standardise(c, standardisation));
    const todayIsRows = today.length <= before.length;
    const rows = todayIsRows ? today : before;
    const columns = todayIsRows ? before : today;
    const cost = rows.map((r) => columns.map((c) => distance(r, c)));
    minimumCostAssignment(cost).forEach((column, row) => {
      const [t, p] = todayIsRows ? [row, column] : [column, row];
      const name = previous.names[p];
      if (name !== undefined && cost[row]![column]! <= maxShift) {
        names[t] = name;
        keptFrom[t] = p;
      }
    });
  }
  return { names: assignFresh(today, names), keptFrom };
}
