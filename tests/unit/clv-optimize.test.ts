import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { minimizeFromStarts, nelderMead, newtonMinimize, toLogSpace } from '../../src/models/clv/optimize.js';
import type { SecondOrder } from '../../src/models/clv/optimize.js';
import { TupleIndex } from '../../src/models/clv/tuple-index.js';

const rosenbrock = (x: readonly number[]): number => 100 * (x[1]! - x[0]! ** 2) ** 2 + (1 - x[0]!) ** 2;

describe('Nelder–Mead', () => {
  it('finds the Rosenbrock minimum at (1, 1)', () => {
    const m = nelderMead(rosenbrock, [-1.2, 1], { xTolerance: 1e-10, fTolerance: 1e-14 });
    assert.ok(m.converged);
    assert.ok(Math.abs(m.x[0]! - 1) < 1e-6 && Math.abs(m.x[1]! - 1) < 1e-6, `${m.x}`);
  });

  it('survives shrink steps on a piecewise-constant function and treats NaN as worst', () => {
    const steps = (x: readonly number[]): number => Math.floor(Math.abs(x[0]!) * 2) + Math.floor(Math.abs(x[1]! - 1) * 2);
    const m = nelderMead(steps, [5, 5]);
    assert.equal(m.fx, 0);
    const holed = (x: readonly number[]): number => (x[0]! < 0 ? Number.NaN : (x[0]! - 2) ** 2);
    assert.ok(Math.abs(nelderMead(holed, [0.1]).x[0]! - 2) < 1e-4);
  });

  it('tries further starts only when a minimum is not acceptable', () => {
    const f = (x: readonly number[]): number => (x[0]! - 3) ** 2;
    const m = minimizeFromStarts(f, [[0], [10]], (found) => found.x[0]! > 5);
    assert.ok(m !== null && Math.abs(m.x[0]! - 3) < 1e-4);
    assert.equal(minimizeFromStarts(() => Number.POSITIVE_INFINITY, [[0]], () => true), null);
  });
});

describe('Newton polish', () => {
  it('solves a quadratic in one step and converges on a convex non-quadratic', () => {
    const quadratic = (x: readonly number[]): SecondOrder => ({
      f: (x[0]! - 1) ** 2 + 3 * (x[1]! + 2) ** 2 + (x[0]! - 1) * (x[1]! + 2),
      g: [2 * (x[0]! - 1) + (x[1]! + 2), 6 * (x[1]! + 2) + (x[0]! - 1)],
      h: [[2, 1], [1, 6]],
    });
    const m = newtonMinimize((x) => quadratic(x).f, quadratic, [10, 10]);
    assert.ok(m.converged && Math.abs(m.x[0]! - 1) < 1e-12 && Math.abs(m.x[1]! + 2) < 1e-12);
    const softAbs = (x: readonly number[]): SecondOrder => {
      const s = Math.sqrt(1 + x[0]! ** 2);
      return { f: s, g: [x[0]! / s], h: [[1 / s ** 3]] };
    };
    const n = newtonMinimize((x) => softAbs(x).f, softAbs, [3]);
    assert.ok(n.converged && Math.abs(n.x[0]!) < 1e-6);
  });

  it('steps downhill with a Levenberg shift where the Hessian is not positive definite', () => {
    // f = x⁴ − x² has a local maximum at 0 and minima at ±1/√2.
    const f = (x: readonly number[]): SecondOrder => ({
      f: x[0]! ** 4 - x[0]! ** 2,
      g: [4 * x[0]! ** 3 - 2 * x[0]!],
      h: [[12 * x[0]! ** 2 - 2]],
    });
    const m = newtonMinimize((x) => f(x).f, f, [0.1]);
    assert.ok(m.converged && Math.abs(m.x[0]! - Math.SQRT1_2) < 1e-8, `${m.x}`);
  });

  it('converts derivatives to log parameters by the chain rule', () => {
    // F(p) = p², p = e^θ: dF/dθ = 2p², d²F/dθ² = 4p².
    const p = 1.7;
    const { g, h } = toLogSpace([2 * p], [[2]], [p]);
    assert.ok(Math.abs(g[0]! - 2 * p * p) < 1e-12 && Math.abs(h[0]![0]! - 4 * p * p) < 1e-12);
  });
});

describe('TupleIndex', () => {
  it('numbers distinct tuples in first-seen order across growth, treating −0 as 0', () => {
    const index = new TupleIndex(3, 4);
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(index.id(i % 7, (i % 11) * 0.5, i % 13));
    assert.equal(index.size, 7 * 11 * 13);
    for (let i = 0; i < 5000; i++) assert.equal(ids[i], ids[i % (7 * 11 * 13)]);
    assert.equal(index.id(0, 0, 0), index.id(-0, 0, -0));
    assert.deepEqual(Array.from(index.column(1).slice(0, 3)), [0, 0.5, 1]);
  });
});
