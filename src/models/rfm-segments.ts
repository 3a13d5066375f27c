import type { RfmScores } from './rfm-scores.js';

export const SEGMENT_NAMES = [
  'Champions',
  'Loyal',
  'Potential Loyalist',
  'New',
  'Promising',
  'Need Attention',
  'About to Sleep',
  'At Risk',
  "Can't Lose",
  'Hibernating',
  'Lost',
] as const;

export type SegmentName = (typeof SEGMENT_NAMES)[number];

/** One rectangle of the grid: a segment for R in [r[0], r[1]] and FM in [fm[0], fm[1]]. */
export interface SegmentRule {
  segment: SegmentName;
  r: readonly [number, number];
  fm: readonly [number, number];
}

/**
 * The "R vs FM" grid: rows are the R score, columns FM = ⌈(F + M) / 2⌉. It follows the widely
 * used R×F segment map, with its Hibernating corner split so R = 1 is Lost. The rectangles tile
 * the 5×5 grid exactly once (pinned by a test), so every (r, f, m) in 1..5³ has one segment.
 */
export const SEGMENT_GRID: readonly SegmentRule[] = [
  { segment: 'Champions', r: [5, 5], fm: [4, 5] },
  { segment: 'Loyal', r: [3, 4], fm: [4, 5] },
  { segment: 'Potential Loyalist', r: [4, 5], fm: [2, 3] },
  { segment: 'New', r: [5, 5], fm: [1, 1] },
  { segment: 'Promising', r: [4, 4], fm: [1, 1] },
  { segment: 'Need Attention', r: [3, 3], fm: [3, 3] },
  { segment: 'About to Sleep', r: [3, 3], fm: [1, 2] },
  { segment: 'At Risk', r: [1, 2], fm: [3, 4] },
  { segment: "Can't Lose", r: [1, 2], fm: [5, 5] },
  { segment: 'Hibernating', r: [2, 2], fm: [1, 2] },
  { segment: 'Lost', r: [1, 1], fm: [1, 2] },
];

/** FM score: the F and M average rounded up, so a half step counts in the customer's favour. */
export function fmScore(f: number, m: number): number {
  return Math.ceil((f + m) / 2);
}

/** Rules of the grid that contain the cell (r, fm); exactly one for every valid cell. */
export function rulesFor(r: number, fm: number): SegmentRule[] {
  return SEGMENT_GRID.filter((rule) => r >= rule.r[0] && r <= rule.r[1] && fm >= rule.fm[0] && fm <= rule.fm[1]);
}

function assertScore(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1 || value > 5) {
    throw new RangeError(`${name} score must be an integer 1..5, got ${value}`);
  }
}

/** The named RFM segment for scores (r, f, m), each an integer 1..5. */
export function segmentFor(r: number, f: number, m: number): SegmentName {
  assertScore('R', r);
  assertScore('F', f);
  assertScore('M', m);
  const [rule] = rulesFor(r, fmScore(f, m));
  if (rule === undefined) throw new Error(`segment grid has no cell for r=${r} f=${f} m=${m}`);
  return rule.segment;
}

/** Segment per customer, aligned with the score arrays. */
export function assignSegments(scores: RfmScores): SegmentName[] {
  // 125 possible cells: look them up once rather than scanning the grid per customer.
  const table: SegmentName[] = [];
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      for (let m = 1; m <= 5; m++) table.push(segmentFor(r, f, m));
    }
  }
  const segments = new Array<SegmentName>(scores.r.length);
  for (let i = 0; i < segments.length; i++) {
    const r = scores.r[i] ?? 0;
    const f = scores.f[i] ?? 0;
    const m = scores.m[i] ?? 0;
    if (r < 1 || r > 5 || f < 1 || f > 5 || m < 1 || m > 5) {
      throw new RangeError(`customer at index ${i} has scores (${r}, ${f}, ${m}) outside 1..5`);
    }
    segments[i] = table[(r - 1) * 25 + (f - 1) * 5 + (m - 1)]!;
  }
  return segments;
}

/** The grid as a Markdown table (rows R 5→1, columns FM 1→5), for the README. */
export function segmentGridMarkdown(): string {
  const lines = ['| R \\ FM | 1 | 2 | 3 | 4 | 5 |', '|---|---|---|---|---|---|'];
  for (let r = 5; r >= 1; r--) {
    const cells: string[] = [];
    for (let fm = 1; fm <= 5; fm++) cells.push(rulesFor(r, fm).map((rule) => rule.segment).join(' / '));
    lines.push(`| **${r}** | ${cells.join(' | ')} |`);
  }
  return `${lines.join('\n')}\n\nFM = ⌈(F + M) / 2⌉; R, F, M are the 1–5 rank scores (R = 5 is the most recent).\n`;
}
