import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { mulberry32 } from '../../src/models/index.js';
import { evaluateValueTiers, revenueTiers, tiersByRank, tierScore, type ValueTierCustomer } from '../../src/models/value-tier.js';

describe('value tiers', () => {
  test('macro-F1 by hand: two tiers present, one never predicted', () => {
    // actual   0 0 1 1 1 ; predicted 0 1 1 1 0
    // tier 0: tp 1, actual 2, predicted 2 → F1 0.5 ; tier 1: tp 2, actual 3, predicted 3 → F1 2/3
    const s = tierScore([0, 0, 1, 1, 1], [0, 1, 1, 1, 0]);
    assert.equal(s.accuracy, 3 / 5);
    assert.ok(Math.abs(s.macroF1 - (0.5 + 2 / 3) / 2) < 1e-12);
    assert.throws(() => tierScore([0], [0, 1]), /1 labels but 2 predictions/);
  });

  test('tiers by rank follow the shares, highest score first, ties by position', () => {
    assert.deepEqual([...tiersByRank([5, 1, 9, 3, 7, 3], [0.5, 1 / 3, 1 / 6])], [1, 0, 2, 0, 1, 0]);
  });

  test('revenue tiers order Low < Mid < High on log revenue, negatives as zero', () => {
    const revenue = [-50, 0, 5, 6, 7, 400, 420, 450, 90_000, 100_000];
    const { tier, centroidsLog1p } = revenueTiers(revenue, 1);
    assert.deepEqual([...tier], [0, 0, 0, 0, 0, 1, 1, 1, 2, 2]);
    assert.ok(centroidsLog1p[0]! < centroidsLog1p[1]! && centroidsLog1p[1]! < centroidsLog1p[2]!);
  });

  test('on data where the window predicts the future, the tree beats the majority baseline; same seed, same figures', () => {
    const random = mulberry32(3);
    const customers: ValueTierCustomer[] = Array.from({ length: 600 }, () => {
      const frequency = 1 + Math.floor(random() * 10);
      const monetary = frequency * (20 + random() * 40);
      return {
        recencyDays: Math.floor(random() * 90), frequency, monetary, tenureDays: 200,
        nextRevenue: monetary * (random() < 0.5 ? 0.2 : 8) * frequency, clv: monetary * 2, rfmScore: 3 + (frequency % 12),
      };
    });
    const a = evaluateValueTiers(customers, { seed: 9 });
    const b = evaluateValueTiers(customers, { seed: 9 });
    assert.deepEqual(a, b);
    assert.ok(!('skipped' in a));
    assert.equal(a.trainCustomers + a.testCustomers, 600);
    assert.ok(a.tree.macroF1 > a.majority.macroF1, `tree ${a.tree.macroF1} vs majority ${a.majority.macroF1}`);
    assert.ok((a.rfmRevenueSpearman ?? 0) > 0.3);
  });
});
