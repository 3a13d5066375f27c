import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import {
  assignSegments,
  fmScore,
  rulesFor,
  SEGMENT_GRID,
  SEGMENT_NAMES,
  segmentFor,
  segmentGridMarkdown,
} from '../../src/models/rfm-segments.js';

describe('RFM segment grid', () => {
  it('maps every (r, f, m) in 1..5³ to exactly one segment', () => {
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        for (let m = 1; m <= 5; m++) {
          const matches = rulesFor(r, fmScore(f, m));
          assert.equal(matches.length, 1, `(${r}, ${f}, ${m}) matches ${matches.length} rules`);
          assert.equal(segmentFor(r, f, m), matches[0]!.segment);
        }
      }
    }
  });

  it('uses each of the eleven segments', () => {
    assert.equal(SEGMENT_NAMES.length, 11);
    assert.deepEqual(new Set(SEGMENT_GRID.map((rule) => rule.segment)), new Set(SEGMENT_NAMES));
  });

  it('puts hand-picked cells in the expected segments', () => {
    const cases: [number, number, number, string][] = [
      [5, 5, 5, 'Champions'],
      [1, 1, 1, 'Lost'],
      [1, 5, 5, "Can't Lose"],
      [5, 1, 1, 'New'],
      [4, 1, 1, 'Promising'],
      [3, 3, 3, 'Need Attention'],
      [2, 1, 1, 'Hibernating'],
      [3, 1, 2, 'About to Sleep'],
      [2, 3, 4, 'At Risk'], // FM = ⌈3.5⌉ = 4
      [4, 5, 4, 'Loyal'],
      [5, 2, 3, 'Potential Loyalist'],
      [5, 1, 2, 'Potential Loyalist'], // FM = ⌈1.5⌉ = 2
    ];
    for (const [r, f, m, segment] of cases) assert.equal(segmentFor(r, f, m), segment, `(${r}, ${f}, ${m})`);
  });

  it('rejects scores outside 1..5', () => {
    assert.throws(() => segmentFor(0, 3, 3), /R score/);
    assert.throws(() => segmentFor(3, 6, 3), /F score/);
    assert.throws(() => segmentFor(3, 3, 2.5), /M score/);
    assert.throws(() => assignSegments({ r: Uint8Array.of(1), f: Uint8Array.of(1), m: Uint8Array.of(6) }), /outside 1..5/);
  });

  it('assigns a segment per customer from score arrays', () => {
    const scores = { r: Uint8Array.of(5, 1, 3), f: Uint8Array.of(5, 1, 3), m: Uint8Array.of(5, 1, 3) };
    assert.deepEqual(assignSegments(scores), ['Champions', 'Lost', 'Need Attention']);
  });

  it('renders the grid as a Markdown table, R = 5 first', () => {
    const lines = segmentGridMarkdown().split('\n');
    assert.equal(lines[0], '| R \\ FM | 1 | 2 | 3 | 4 | 5 |');
    assert.equal(lines[2], '| **5** | New | Potential Loyalist | Potential Loyalist | Champions | Champions |');
    assert.equal(lines[6], "| **1** | Lost | Lost | At Risk | At Risk | Can't Lose |");
  });
});
