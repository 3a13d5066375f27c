import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { explainClusters } from '../../src/models/cluster-explainer.js';
import { mulberry32 } from '../../src/models/random.js';
import type { CustomerFeatures } from '../../src/models/rfm-scores.js';

const NAMES = ['Champions', 'Regulars', 'Lapsed'];

/**
 * Labels follow thresholds with gaps around them: lapsed when recency ≥ 120 days, otherwise
 * champions when frequency ≥ 8, regulars below. Monetary is noise.
 */
function separable(n: number): { rows: CustomerFeatures[]; labels: Uint8Array } {
  const random = mulberry32(12);
  const rows: CustomerFeatures[] = [];
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 3;
    const recencyDays = label === 2 ? 150 + Math.floor(random() * 200) : Math.floor(random() * 90);
    const frequency =
      label === 0 ? 10 + Math.floor(random() * 20) : label === 1 ? 1 + Math.floor(random() * 5) : 1 + Math.floor(random() * 25);
    rows.push({ customerId: `c${i}`, recencyDays, frequency, monetary: Math.round(random() * 5_000) });
    labels[i] = label;
  }
  return { rows, labels };
}

describe('cluster explainer', () => {
  const { rows, labels } = separable(6_000);
  const explanation = explainClusters(rows, labels, NAMES, { seed: 3, sampleSize: 1_500 });

  it('reproduces separable clusters almost perfectly', () => {
    assert.ok(explanation.fidelity >= 0.99, `fidelity ${explanation.fidelity}`);
    assert.equal(explanation.trainedOn, 1_500);
  });

  it('states rules on the features with thresholds between the groups', () => {
    const lapsed = explanation.rules.filter((rule) => rule.name === 'Lapsed');
    assert.ok(lapsed.length >= 1);
    for (const rule of lapsed) {
      const recency = rule.conditions.find((c) => c.feature === 'recency_days');
      assert.ok(recency?.min !== undefined && recency.min >= 90 && recency.min <= 150, rule.text);
      assert.match(rule.text, /recency_days ≥ \d+(\.\d+)? .*→ Lapsed$/);
    }
    const champions = explanation.rules.find((rule) => rule.name === 'Champions');
    const frequency = champions?.conditions.find((c) => c.feature === 'frequency');
    assert.ok(frequency?.min !== undefined && frequency.min > 5 && frequency.min <= 10, champions?.text);
    assert.match(champions!.text, /recency_days < \d+(\.\d+)? and frequency ≥ \d+(\.\d+)? → Champions/);
  });

  it('accounts for every customer across its rules', () => {
    assert.equal(explanation.rules.reduce((sum, rule) => sum + rule.customers, 0), rows.length);
    const correct = explanation.rules.reduce((sum, rule) => sum + rule.correct, 0);
    assert.equal(correct / rows.length, explanation.fidelity);
  });

  it('stays within the requested depth', () => {
    const stump = explainClusters(rows, labels, NAMES, { seed: 3, sampleSize: 1_500, maxDepth: 1 });
    assert.ok(stump.rules.length <= 2);
    assert.ok(stump.fidelity < explanation.fidelity);
  });

  it('is deterministic for a seed', () => {
    assert.deepEqual(explainClusters(rows, labels, NAMES, { seed: 3, sampleSize: 1_500 }), explanation);
  });

  it('rejects labels that do not line up with the customers', () => {
    assert.throws(() => explainClusters(rows, labels.subarray(1), NAMES, { seed: 1 }), /labels/);
  });
});
